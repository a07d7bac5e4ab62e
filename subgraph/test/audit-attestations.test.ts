/**
 * A witness already recorded on a pending check-in may attest again, only to settle it once the quorum shrank
 * (Troth.witness). That is the same witness of the same check-in, not a new attestation: the subgraph counts it once.
 * The SDK audit counts it twice (its `attestations` are "check-ins of others this member witnessed"), which skews its
 * witness-only and dominant-witness signals. This test fails until the audit counts each witness once per check-in.
 */
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import { createAudit } from "../../sdk/src/audit/index.ts";
import { deployTroth, HOUR } from "../../test/helpers/troth.ts";
import { buildDir } from "./build.ts";
import { Subgraph } from "./harness/subgraph.ts";
import { entity, wordOf } from "./lens.ts";

describe("a re-attestation that settles a shrunk quorum", () => {
  it("is one attestation, in the subgraph and in the SDK audit", async () => {
    const f = await deployTroth();
    const startBlock = await f.publicClient.getBlockNumber();
    const [, a, b, c] = f.accounts as Address[];
    const { podId, tokenIds } = await f.createPod([a, b, c], { quorum: 2 });
    await f.atRound(podId, 0);
    // b witnesses a's check-in: one of the two witnesses needed.
    await f.eventsOf(f.checkIn(a, tokenIds[0], 0, [b]));
    // c leaves: one witness is now enough, and b attests again to settle the check-in.
    await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: c }));
    await f.eventsOf(f.troth.write.witness([tokenIds[0], 0, f.reportOf(tokenIds[0], 0)], { account: b }));
    // After round 0 closes, a checks in round 1 (an event of the pod, so the subgraph re-evaluates it).
    await f.atRound(podId, 1, 3 * 24 * HOUR);
    await f.eventsOf(f.checkIn(a, tokenIds[0], 1, [b]));

    const subgraph = Subgraph.load(buildDir, f.troth.address, { startBlock });
    await subgraph.sync(f.publicClient);
    const audit = createAudit({ publicClient: f.publicClient, address: f.troth.address, startBlock });
    await audit.sync();

    const given = entity(subgraph.store, "Commitment", wordOf(tokenIds[1])).witnessesGiven;
    expect(given).to.equal(2);
    // b never checked in and witnessed a twice (rounds 0 and 1): a witness-only member with two attestations.
    const witnessOnly = audit.vitality(podId).oneSided.witnessOnly.find((w) => w.tokenId === tokenIds[1]);
    expect(witnessOnly?.attestations).to.equal(given);
  });
});
