import { describe, expect, it } from "vitest";
import { deployTroth, HOUR } from "../../test/helpers/troth.ts";
import { createAudit } from "../src/audit/index.ts";

describe("vitality signals", () => {
  it("finds decay, one-sided witnessing, renewal and graduation in a pod's history", async () => {
    const f = await deployTroth();
    const [A, B, C] = f.accounts;
    const { podId, tokenIds } = await f.createPod([A, B, C], { rounds: 10, quorum: 1 });
    for (let round = 0; round < 7; ++round) {
      await f.atRound(podId, round);
      // C witnesses everything and never checks in; B stops after week 6; A misses round 7 after a long streak.
      await f.checkIn(A, tokenIds[0], round, [C]);
      if (round < 6) await f.checkIn(B, tokenIds[1], round, [C]);
    }
    const audit = createAudit({ publicClient: f.publicClient, address: f.troth.address });
    await f.at((await f.window(podId, 7)).closesAt);
    await audit.sync();
    const during = audit.vitality(podId);
    expect(during.decay).to.deep.equal([
      { tokenId: tokenIds[0], account: A, reason: "streak-broken-after-week-6", round: 7 },
      { tokenId: tokenIds[1], account: B, reason: "streak-broken-after-week-6", round: 6 },
      { tokenId: tokenIds[1], account: B, reason: "two-missed-in-a-row", round: 7 },
      // C never checked in: one signal for the whole run of misses.
      { tokenId: tokenIds[2], account: C, reason: "two-missed-in-a-row", round: 1 },
    ]);
    expect(during.oneSided.witnessOnly).to.deep.equal([{ tokenId: tokenIds[2], account: C, attestations: 13 }]);
    expect(during.oneSided.dominantWitness).to.deep.equal({ account: C, attestations: 13, share: 1 });
    expect(during.renewal).to.deep.equal({ renewedBy: null, renewable: false });

    // The cycle ends: the pod may renew; A and B lived it (7 and 6 of 10 rounds witnessed), renew, and graduate when
    // they have lived the second cycle too.
    await f.at((await f.window(podId, 9)).closesAt);
    await audit.sync();
    expect(audit.vitality(podId).renewal).to.deep.equal({ renewedBy: null, renewable: true });
    const renewal = await f.createPod([A, B], { rounds: 1, previousPod: podId });
    await f.atRound(renewal.podId, 0);
    await f.checkIn(A, renewal.tokenIds[0], 0, [B]);
    await f.checkIn(B, renewal.tokenIds[1], 0, [A]);
    await f.at((await f.window(renewal.podId, 0)).closesAt + HOUR);
    await audit.sync();
    expect(audit.vitality(podId).renewal).to.deep.equal({ renewedBy: renewal.podId, renewable: false });
    expect(audit.vitality(renewal.podId).graduation).to.deep.equal({ cycle: 2, graduated: renewal.tokenIds });
    expect(audit.commitment(renewal.tokenIds[0]).previousTokenId).to.equal(tokenIds[0]);
  });
});

describe("attestations", () => {
  it("count a witness once per check-in, even when they attest again to settle a shrunk quorum", async () => {
    const f = await deployTroth();
    const [, a, b, c] = f.accounts;
    const { podId, tokenIds } = await f.createPod([a, b, c], { quorum: 2 });
    await f.atRound(podId, 0);
    await f.checkIn(a, tokenIds[0], 0, [b]);
    // c leaves: one witness is enough now, and b attests again only to settle a's check-in.
    await f.troth.write.leave([tokenIds[2]], { account: c });
    await f.troth.write.witness([tokenIds[0], 0, f.reportOf(tokenIds[0], 0)], { account: b });
    // Round 1, after round 0 closed.
    await f.atRound(podId, 1, 3 * 24 * HOUR);
    await f.checkIn(a, tokenIds[0], 1, [b]);
    const audit = createAudit({ publicClient: f.publicClient, address: f.troth.address });
    await audit.sync();
    expect(audit.commitment(tokenIds[0]).roundStates.slice(0, 2)).to.deep.equal(["witnessed", "witnessed"]);
    const witnessOnly = audit.vitality(podId).oneSided.witnessOnly.find((w) => w.tokenId === tokenIds[1]);
    expect(witnessOnly?.attestations).to.equal(2);
  });
});
