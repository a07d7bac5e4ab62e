import { network } from "hardhat";
import { describe, expect, it } from "vitest";
import TrothModule from "../../ignition/modules/Troth.ts";

describe("smoke", () => {
  it("deploys", async () => {
    const t0 = Date.now();
    const conn = await network.create();
    const t1 = Date.now();
    const { troth, lens } = await conn.ignition.deploy(TrothModule);
    const t2 = Date.now();
    console.log("create", t1 - t0, "deploy", t2 - t1, Object.keys(conn), Object.keys(conn.networkHelpers));
    expect(await troth.read.name()).to.equal("Troth Commitment");
    expect((await lens.read.troth()).toLowerCase()).to.equal(troth.address.toLowerCase());
  });
});
