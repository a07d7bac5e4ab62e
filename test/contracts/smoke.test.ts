import { describe, expect, it } from "vitest";
import { deployTroth, HOUR } from "../helpers/troth.ts";

describe("Troth smoke", () => {
  it("creates a pod and witnesses a check-in", async () => {
    const f = await deployTroth();
    const [a, b] = f.accounts;
    const { tokenIds, covenant } = await f.createPod([a, b]);
    await f.at(covenant.start + HOUR);
    const report = f.digest("report");
    const sigs = await f.witnessSignatures(tokenIds[0], 0, report, [b]);
    await f.troth.write.checkIn([tokenIds[0], 0, report, sigs], { account: a });
    const c = await f.lens.read.commitment([tokenIds[0]]);
    expect(c.witnessed).to.equal(1);
    expect(c.currentStreak).to.equal(1);
    const uri = await f.troth.read.tokenURI([tokenIds[0]]);
    expect(uri.startsWith("data:application/json;base64,")).to.equal(true);
  });
});
