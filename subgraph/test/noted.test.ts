/**
 * Notes and replies (`Noted`) are indexed for their existence only: the subgraph keeps who posted what kind about
 * which commitment and round, never the digest that leads to the encrypted document, and neither it nor the SDK audit
 * changes any figure of the pod because of them.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAudit } from "../../sdk/src/audit/index.ts";
import { deployTroth, type TrothFixture } from "../../test/helpers/troth.ts";
import { prepare } from "../scripts/prepare.ts";
import { buildDir } from "./build.ts";
import { Subgraph } from "./harness/subgraph.ts";
import { entity, plain, wordOf } from "./lens.ts";

describe("Noted in the subgraph and the audit", () => {
  let f: TrothFixture;
  let subgraph: Subgraph;
  let workDir: string;
  let startBlock: bigint;

  beforeAll(async () => {
    f = await deployTroth();
    startBlock = await f.publicClient.getBlockNumber();
    workDir = mkdtempSync(path.join(tmpdir(), "troth-subgraph-noted-"));
    const { networksFile } = prepare({
      network: "hardhat",
      address: f.troth.address,
      startBlock: startBlock.toString(),
      out: path.join(workDir, "networks.json"),
      abiDir: path.join(workDir, "abis"),
    });
    const networks = JSON.parse(readFileSync(networksFile as string, "utf8"));
    subgraph = Subgraph.load(buildDir, networks.hardhat.Troth.address as Hex, {
      network: "hardhat",
      startBlock: BigInt(networks.hardhat.Troth.startBlock),
    });
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it("keeps that a note and a reply exist, and nothing that leads to them; no figure moves", async () => {
    const [a, b, c] = f.accounts;
    const { podId, tokenIds } = await f.createPod([a, b, c], { quorum: 2 });
    await f.atRound(podId, 0);
    const audit = createAudit({ publicClient: f.publicClient, address: f.troth.address, startBlock });
    await subgraph.sync(f.publicClient);
    await audit.sync();
    const before = {
      pod: entity(subgraph.store, "Pod", wordOf(podId)),
      commitment: entity(subgraph.store, "Commitment", wordOf(tokenIds[0])),
      audit: JSON.stringify(audit.members(podId), (_, v) => (typeof v === "bigint" ? v.toString() : v)),
    };

    const digests = [f.digest("a note"), f.digest("b's reply")];
    await f.troth.write.note([tokenIds[0], 0, digests[0], 0], { account: a });
    await f.troth.write.note([tokenIds[0], 0, digests[1], 1], { account: b });
    await subgraph.sync(f.publicClient);
    await audit.sync();

    const noted = subgraph.store.all("Noted").map(plain);
    expect(noted.map((n) => [n.kind, String(n.author).toLowerCase(), n.round, n.commitment])).to.deep.equal([
      ["Note", a.toLowerCase(), 0, wordOf(tokenIds[0])],
      ["Reply", b.toLowerCase(), 0, wordOf(tokenIds[0])],
    ]);
    const everything = JSON.stringify(subgraph.store.all("Noted").map(plain), (_, v) =>
      typeof v === "bigint" ? v.toString() : v,
    ).toLowerCase();
    for (const digest of digests) expect(everything).not.to.contain(digest.slice(2).toLowerCase());

    const after = {
      pod: entity(subgraph.store, "Pod", wordOf(podId)),
      commitment: entity(subgraph.store, "Commitment", wordOf(tokenIds[0])),
      audit: JSON.stringify(audit.members(podId), (_, v) => (typeof v === "bigint" ? v.toString() : v)),
    };
    // The pod's as-of stamps may move with any event of the pod; its figures may not.
    const figures = (e: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(e).filter(([k]) => !/^asOf|updated/i.test(k)));
    expect(figures(after.pod)).to.deep.equal(figures(before.pod));
    expect(figures(after.commitment)).to.deep.equal(figures(before.commitment));
    expect(after.audit).to.equal(before.audit);
  });
});
