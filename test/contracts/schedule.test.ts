/**
 * The schedule, to the second: round windows, pause and resume arithmetic, amendments from the next round on, and
 * the quorum shrinking when members leave. Exact boundaries are tested with the next block's timestamp set, so the
 * transaction (and its gas estimate) runs at exactly that second.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { expectEqual, expectEvent, expectNoEvent, expectRevert } from "../helpers/expect.ts";
import {
  CommitmentStatus,
  DAY,
  deployTroth,
  HOUR,
  PodStatus,
  RoundState,
  type TrothFixture,
} from "../helpers/troth.ts";

const WEEK = 7 * DAY;

describe("Schedule", () => {
  let f: TrothFixture;
  beforeAll(async () => {
    f = await deployTroth();
  });

  describe("round windows", () => {
    it("opens round r at start + r·cadence and closes it grace after round r + 1 opens", async () => {
      const [a, b, c] = f.accounts;
      const { podId, covenant } = await f.createPod([a, b, c], { quorum: 2 });
      for (const r of [0, 1, 5, 12]) {
        const w = await f.window(podId, r);
        expect(w.opensAt).to.equal(covenant.start + r * WEEK);
        expect(w.closesAt).to.equal(covenant.start + (r + 1) * WEEK + 2 * DAY);
        expect(w.quorum).to.equal(2);
      }
    });

    it("keeps a quarterly rhythm (a graduated pod's next cycle): 92 days at most, rounds a quarter apart", async () => {
      const [a, b, c] = f.accounts;
      const quarter = 91 * DAY;
      const { podId, covenant, tokenIds } = await f.createPod([a, b, c], {
        cadence: quarter,
        grace: WEEK,
        rounds: 4,
      });
      for (const r of [0, 3]) {
        const w = await f.window(podId, r);
        expect([w.opensAt, w.closesAt]).to.deep.equal([
          covenant.start + r * quarter,
          covenant.start + (r + 1) * quarter + WEEK,
        ]);
      }
      // A check-in late in the quarter, days after a weekly pod's round would have closed, still counts.
      await f.atNext(covenant.start + 80 * DAY);
      await f.eventsOf(f.checkIn(a, tokenIds[0], 0));
      expect((await f.lens.read.roundStates([tokenIds[0]]))[0]).to.equal(RoundState.Reported);
      await expectRevert(
        f.createPod([a, b, c], { cadence: 92 * DAY + 1, grace: WEEK, rounds: 4 }),
        "PodInvalidCadence",
        [92 * DAY + 1],
      );
    });

    it("has no window for a round past the cycle, nor for a pod that does not exist", async () => {
      const [a, b] = f.accounts;
      const { podId } = await f.createPod([a, b]);
      await expectRevert(f.lens.read.roundWindow([podId, 13]), "PodNonexistentRound", [podId, 13]);
      await expectRevert(f.lens.read.roundWindow([123n, 0]), "PodNonexistent", [123n]);
    });

    it.each([0, 3])("opens round %i at its first second, not one second before", async (round) => {
      const [a, b, c] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      const { opensAt } = await f.window(podId, round);
      await f.atNext(opensAt - 1);
      await expectRevert(f.checkIn(a, tokenIds[0], round), "CheckInRoundNotOpen", [tokenIds[0], round]);
      await f.atNext(opensAt);
      await f.eventsOf(f.checkIn(a, tokenIds[0], round));
      expect((await f.lens.read.roundStates([tokenIds[0]]))[round]).to.equal(RoundState.Reported);
    });

    it.each([0, 3])("keeps round %i open to the last second of grace, and closes it then", async (round) => {
      const [a, b, c] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      const { closesAt } = await f.window(podId, round);
      await f.atNext(closesAt - 1);
      await f.eventsOf(f.checkIn(a, tokenIds[0], round, [c]));
      await f.atNext(closesAt);
      await expectRevert(f.checkIn(b, tokenIds[1], round, [c]), "CheckInRoundNotOpen", [tokenIds[1], round]);
    });

    it("lets a pending check-in be witnessed up to the round's last second", async () => {
      const [a, b, c] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c], { quorum: 2 });
      const { closesAt } = await f.window(podId, 0);
      await f.atRound(podId, 0);
      const report = f.reportOf(tokenIds[0], 0);
      await f.eventsOf(f.checkIn(a, tokenIds[0], 0, [], report));
      await f.atNext(closesAt - 1);
      await f.eventsOf(f.troth.write.witness([tokenIds[0], 0, report], { account: b }));
      await f.atNext(closesAt);
      await expectRevert(f.troth.write.witness([tokenIds[0], 0, report], { account: c }), "CheckInRoundNotOpen", [
        tokenIds[0],
        0,
      ]);
      // The refused transaction mined no block: move the views to that second too.
      await f.at(closesAt);
      expect((await f.lens.read.roundStates([tokenIds[0]]))[0]).to.equal(RoundState.Missed);
    });

    it("shows each round Upcoming, Open, then Missed at its exact seconds", async () => {
      const [a, b] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b]);
      const w = await f.window(podId, 0);
      await f.at(w.opensAt - 1);
      expect((await f.lens.read.pod([podId])).status).to.equal(PodStatus.Scheduled);
      expect((await f.lens.read.roundStates([tokenIds[0]]))[0]).to.equal(RoundState.Upcoming);
      await f.at(w.opensAt);
      const view = await f.lens.read.pod([podId]);
      expect(view.status).to.equal(PodStatus.Active);
      expect(view.started).to.equal(true);
      expect(view.currentRound).to.equal(0);
      expect((await f.lens.read.roundStates([tokenIds[0]]))[0]).to.equal(RoundState.Open);
      await f.at(w.closesAt - 1);
      // In round 1's grace overlap both rounds are open, and round 1 is the current one.
      expect((await f.lens.read.roundStates([tokenIds[0]])).slice(0, 2)).to.deep.equal([
        RoundState.Open,
        RoundState.Open,
      ]);
      expect((await f.lens.read.pod([podId])).currentRound).to.equal(1);
      await f.at(w.closesAt);
      expect((await f.lens.read.roundStates([tokenIds[0]]))[0]).to.equal(RoundState.Missed);
    });

    it("ends the pod at the last round's closing second", async () => {
      const [a, b] = f.accounts;
      const { podId } = await f.createPod([a, b], { rounds: 3 });
      const last = await f.window(podId, 2);
      await f.at(last.closesAt - 1);
      const running = await f.lens.read.pod([podId]);
      expect(running.status).to.equal(PodStatus.Active);
      expect(running.currentRound).to.equal(2);
      await f.at(last.closesAt);
      const ended = await f.lens.read.pod([podId]);
      expect(ended.status).to.equal(PodStatus.Ended);
      expect(ended.currentRound).to.equal(2);
    });
  });

  describe("pause and resume", () => {
    it("stops the clock: paused time is never missed, and later windows shift by the paused duration", async () => {
      const [a, b, c] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      const before = await Promise.all([0, 1, 2, 3].map((r) => f.window(podId, r)));
      const pausedAt = before[1].opensAt + HOUR;
      await f.atNext(pausedAt);
      expectEvent(await f.eventsOf(f.pause(podId)), "PodPaused", { podId, at: pausedAt }, 1);

      const paused = await f.lens.read.pod([podId]);
      expect(paused.status).to.equal(PodStatus.Paused);
      expect(paused.pausedAt).to.equal(pausedAt);
      // Round 0 (in its grace) and round 1 were open when the clock stopped.
      expect((await f.lens.read.roundStates([tokenIds[0]])).slice(0, 3)).to.deep.equal([
        RoundState.Paused,
        RoundState.Paused,
        RoundState.Upcoming,
      ]);
      await expectRevert(f.checkIn(a, tokenIds[0], 1), "PodIsPaused", [podId]);

      // A month passes: nothing is missed.
      await f.at(before[3].closesAt + 30 * DAY);
      const during = await f.lens.read.commitment([tokenIds[0]]);
      expect(during.missed).to.equal(0);
      expect(during.paused).to.equal(2);
      expect(during.status).to.equal(CommitmentStatus.Paused);
      // While paused, the future is shown as if the pod resumed now.
      const shown = await f.window(podId, 2);
      expect(shown.opensAt - before[2].opensAt).to.equal((await f.now()) - pausedAt);

      const resumedAt = (await f.now()) + 10;
      await f.atNext(resumedAt);
      const pausedFor = resumedAt - pausedAt;
      expectEvent(await f.eventsOf(f.resume(podId)), "PodResumed", { podId, at: resumedAt, pausedFor }, 1);
      const resumed = await f.lens.read.pod([podId]);
      expect(resumed.status).to.equal(PodStatus.Active);
      expect(resumed.pausedAt).to.equal(0);
      expect(resumed.pausedTotal).to.equal(pausedFor);
      for (const r of [0, 1, 2, 3]) {
        const w = await f.window(podId, r);
        expect(w.opensAt).to.equal(before[r].opensAt + pausedFor);
        expect(w.closesAt).to.equal(before[r].closesAt + pausedFor);
      }
      // Round 0 kept the grace it had left: open to its shifted last second, closed at the next.
      const round0 = await f.window(podId, 0);
      await f.atNext(round0.closesAt - 1);
      await f.eventsOf(f.checkIn(a, tokenIds[0], 0, [b]));
      await f.atNext(round0.closesAt);
      await expectRevert(f.checkIn(b, tokenIds[1], 0, [a]), "CheckInRoundNotOpen", [tokenIds[1], 0]);
      await f.at(round0.closesAt);
      const after = await f.lens.read.roundStates([tokenIds[1]]);
      expect(after.slice(0, 2)).to.deep.equal([RoundState.Missed, RoundState.Open]);
    });

    it("adds up several pauses", async () => {
      const [a, b] = f.accounts;
      const { podId } = await f.createPod([a, b]);
      const original = await f.window(podId, 4);
      let total = 0;
      for (const length of [HOUR, 3 * DAY]) {
        const t = (await f.now()) + 100;
        await f.atNext(t);
        await f.eventsOf(f.pause(podId));
        await f.atNext(t + length);
        await f.eventsOf(f.resume(podId));
        total += length;
      }
      expect((await f.lens.read.pod([podId])).pausedTotal).to.equal(total);
      expect((await f.window(podId, 4)).opensAt).to.equal(original.opensAt + total);
    });

    it("moves round 0 when paused before the pod starts", async () => {
      const [a, b] = f.accounts;
      const { podId, covenant } = await f.createPod([a, b]);
      const t = covenant.start - 30 * 60;
      await f.atNext(t);
      await f.eventsOf(f.pause(podId));
      expect((await f.lens.read.pod([podId])).status).to.equal(PodStatus.Paused);
      await f.atNext(t + 2 * HOUR);
      await f.eventsOf(f.resume(podId));
      expect((await f.window(podId, 0)).opensAt).to.equal(covenant.start + 2 * HOUR);
      expect((await f.lens.read.pod([podId])).status).to.equal(PodStatus.Scheduled);
    });

    it("refuses to pause a paused pod, and to resume a running one", async () => {
      const [a, b] = f.accounts;
      const { podId } = await f.createPod([a, b]);
      await expectRevert(f.resume(podId), "PodNotPaused", [podId]);
      await f.eventsOf(f.pause(podId));
      await expectRevert(f.pause(podId), "PodIsPaused", [podId]);
    });

    it("refuses to pause a pod that has ended, or does not exist", async () => {
      const [a, b] = f.accounts;
      const { podId } = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0 });
      await f.at((await f.window(podId, 0)).closesAt);
      await expectRevert(f.pause(podId, { signers: [a, b] }), "PodNotLive", [podId]);
      await expectRevert(f.pause(77n, { signers: [a, b], nonce: 0 }), "PodNonexistent", [77n]);
    });
  });

  describe("amendment", () => {
    const amended = { cadence: 14 * DAY, grace: 3 * DAY, quorum: 2, covenantDigest: `0x${"ab".repeat(32)}` } as const;

    it("takes effect from the next round: the open round keeps its terms", async () => {
      const [a, b, c] = f.accounts;
      const { podId, tokenIds, covenant } = await f.createPod([a, b, c]);
      const before = await Promise.all([2, 3].map((r) => f.window(podId, r)));
      await f.atRound(podId, 2);
      const logs = await f.eventsOf(f.amend(podId, amended));
      expectEvent(logs, "PodAmended", { podId, fromRound: 3, ...amended }, 1);

      // Round 2 is unchanged; round 3 opens when it would have, with the new cadence and grace; round 4 follows.
      const [w2, w3, w4] = await Promise.all([2, 3, 4].map((r) => f.window(podId, r)));
      expectEqual(w2, before[0]);
      expect(w2.quorum).to.equal(1);
      expect(w3.opensAt).to.equal(before[1].opensAt);
      expect(w3.closesAt).to.equal(w3.opensAt + 14 * DAY + 3 * DAY);
      expect(w3.quorum).to.equal(2);
      expect(w4.opensAt).to.equal(covenant.start + 3 * WEEK + 14 * DAY);

      // The earlier terms are kept as an era; the pod's current terms are the new ones.
      expectEqual(await f.troth.read.eras([podId]), [
        { fromRound: 0, fromClock: 0, cadence: WEEK, grace: 2 * DAY, quorum: 1 },
      ]);
      const state = await f.troth.read.podState([podId]);
      expect(state.fromRound).to.equal(3);
      expect(state.fromClock).to.equal(3 * WEEK);
      const record = await f.troth.read.podRecord([podId]);
      expect(record.covenantDigest).to.equal(amended.covenantDigest);
      expect(record.nonce).to.equal(1);

      // Quorum 1 still holds for round 2, quorum 2 for round 3.
      const r2 = await f.eventsOf(f.checkIn(a, tokenIds[0], 2, [b]));
      expectEvent(r2, "CheckedIn", { round: 2, witnessed: true });
      await f.atNext(w3.opensAt - 1);
      await expectRevert(f.checkIn(a, tokenIds[0], 3, [b]), "CheckInRoundNotOpen", [tokenIds[0], 3]);
      await f.atNext(w3.opensAt);
      const r3 = await f.eventsOf(f.checkIn(a, tokenIds[0], 3, [b]));
      expectEvent(r3, "CheckedIn", { round: 3, witnessed: false });
      // Round 2 closes on the old grace even though the new terms are in force.
      await f.atNext(w2.closesAt - 1);
      await f.eventsOf(f.checkIn(b, tokenIds[1], 2, [a]));
      await f.atNext(w2.closesAt);
      await expectRevert(f.checkIn(c, tokenIds[2], 2, [a]), "CheckInRoundNotOpen", [tokenIds[2], 2]);
      await f.atNext(w3.closesAt - 1);
      await f.eventsOf(f.checkIn(c, tokenIds[2], 3, [a, b]));
    });

    it("replaces the terms outright before the pod starts", async () => {
      const [a, b, c] = f.accounts;
      const { podId, covenant } = await f.createPod([a, b, c]);
      const logs = await f.eventsOf(f.amend(podId, amended));
      expectEvent(logs, "PodAmended", { fromRound: 0 }, 1);
      expect(await f.troth.read.eras([podId])).to.deep.equal([]);
      const w = await f.window(podId, 1);
      expect(w.opensAt).to.equal(covenant.start + 14 * DAY);
      expect(w.closesAt).to.equal(covenant.start + 31 * DAY);
    });

    it("lets a second amendment in the same round replace the first", async () => {
      const [a, b, c] = f.accounts;
      const { podId, covenant } = await f.createPod([a, b, c]);
      await f.atRound(podId, 1);
      await f.eventsOf(f.amend(podId, amended));
      const again = { ...amended, cadence: 3 * DAY, grace: 0 };
      expectEvent(await f.eventsOf(f.amend(podId, again)), "PodAmended", { fromRound: 2, cadence: 3 * DAY }, 1);
      expect(await f.troth.read.eras([podId])).to.have.length(1);
      expect((await f.window(podId, 3)).opensAt).to.equal(covenant.start + 2 * WEEK + 3 * DAY);
      expect((await f.lens.read.pod([podId])).nonce).to.equal(2);
    });

    it("keeps every era when amended in successive rounds", async () => {
      const [a, b, c] = f.accounts;
      const { podId, covenant } = await f.createPod([a, b, c]);
      await f.atRound(podId, 1);
      await f.eventsOf(f.amend(podId, { ...amended, cadence: 10 * DAY, grace: DAY, quorum: 1 }));
      await f.atRound(podId, 2);
      await f.eventsOf(f.amend(podId, amended));
      expectEqual(await f.troth.read.eras([podId]), [
        { fromRound: 0, fromClock: 0, cadence: WEEK, grace: 2 * DAY, quorum: 1 },
        { fromRound: 2, fromClock: 2 * WEEK, cadence: 10 * DAY, grace: DAY, quorum: 1 },
      ]);
      expect((await f.window(podId, 1)).closesAt).to.equal(covenant.start + 2 * WEEK + 2 * DAY);
      expect((await f.window(podId, 2)).closesAt).to.equal(covenant.start + 2 * WEEK + 11 * DAY);
      expect((await f.window(podId, 3)).opensAt).to.equal(covenant.start + 2 * WEEK + 10 * DAY);
      expect((await f.window(podId, 4)).opensAt).to.equal(covenant.start + 2 * WEEK + 24 * DAY);
    });

    it("refuses terms that would close the next round before the open one", async () => {
      const [a, b, c] = f.accounts;
      const { podId } = await f.createPod([a, b, c], { cadence: WEEK, grace: 5 * DAY });
      await f.atRound(podId, 1);
      const tooShort = { cadence: 2 * DAY, grace: 2 * DAY, quorum: 1, covenantDigest: amended.covenantDigest };
      await expectRevert(f.amend(podId, tooShort), "PodAmendmentReordersRounds", [5 * DAY, 2 * DAY, 2 * DAY]);
      // Closing at the same second is not out of order.
      await f.eventsOf(f.amend(podId, { ...tooShort, cadence: 3 * DAY }));
      expect((await f.window(podId, 2)).closesAt).to.equal((await f.window(podId, 1)).closesAt);
    });

    it("checks the terms as a covenant's", async () => {
      const [a, b, c] = f.accounts;
      const { podId } = await f.createPod([a, b, c]);
      const base = { cadence: WEEK, grace: DAY, quorum: 1, covenantDigest: amended.covenantDigest };
      await expectRevert(f.amend(podId, { ...base, cadence: DAY - 1, grace: 0 }), "PodInvalidCadence", [DAY - 1]);
      await expectRevert(f.amend(podId, { ...base, cadence: 92 * DAY + 1 }), "PodInvalidCadence", [92 * DAY + 1]);
      await expectRevert(f.amend(podId, { ...base, grace: WEEK + 1 }), "PodInvalidGrace", [WEEK + 1, WEEK]);
      await expectRevert(f.amend(podId, { ...base, quorum: 0 }), "PodInvalidQuorum", [0, 2n]);
      await expectRevert(f.amend(podId, { ...base, quorum: 3 }), "PodInvalidQuorum", [3, 2n]);
    });

    it("refuses to amend a pod that has ended", async () => {
      const [a, b] = f.accounts;
      const { podId } = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0 });
      await f.at((await f.window(podId, 0)).closesAt);
      await expectRevert(f.amend(podId, { ...amended, quorum: 1 }), "PodNotLive", [podId]);
    });
  });

  describe("quorum and membership", () => {
    it("shrinks the quorum when members leave, and says the pod is at risk", async () => {
      const [a, b, c] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c], { quorum: 2 });
      await f.atRound(podId, 0);
      const logs = await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: c }));
      expectEvent(logs, "PodAtRisk", { podId, activeMembers: 2, quorum: 1 }, 1);
      expect((await f.troth.read.podState([podId])).quorum).to.equal(1);
      expect((await f.lens.read.pod([podId])).quorum).to.equal(1);
      expect((await f.window(podId, 0)).quorum).to.equal(1);
      const checkedIn = await f.eventsOf(f.checkIn(a, tokenIds[0], 0, [b]));
      expectEvent(checkedIn, "CheckedIn", { witnessed: true });
    });

    it("lets a check-in that waited for a larger quorum be completed once it shrinks", async () => {
      const [a, b, c, d] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c, d], { quorum: 3 });
      await f.atRound(podId, 0);
      const report = f.reportOf(tokenIds[0], 0);
      await f.eventsOf(f.checkIn(a, tokenIds[0], 0, [b, c], report));
      await f.eventsOf(f.troth.write.leave([tokenIds[3]], { account: d }));
      expect((await f.window(podId, 0)).quorum).to.equal(2);
      // Its two witnesses are now enough: anyone may settle it, with no further signature.
      const logs = await f.eventsOf(f.troth.write.witnessBySig([tokenIds[0], 0, "0x"], { account: f.accounts[9] }));
      expectEvent(logs, "MetadataUpdate", { _tokenId: tokenIds[0] }, 1);
      expect((await f.lens.read.roundStates([tokenIds[0]]))[0]).to.equal(RoundState.Witnessed);
    });

    it("tells indexers when a relayed call settles a shrunk check-in without adding a witness", async () => {
      // Events are all an indexer sees (no eth_calls): a round that becomes witnessed must say so in an event
      // (CheckInWitnessed with witnessed = true), even when the settling witnessBySig carried no new signature.
      const [a, b, c, d] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c, d], { quorum: 3 });
      await f.atRound(podId, 0);
      const report = f.reportOf(tokenIds[0], 0);
      await f.eventsOf(f.checkIn(a, tokenIds[0], 0, [b, c], report));
      await f.eventsOf(f.troth.write.leave([tokenIds[3]], { account: d }));
      const logs = await f.eventsOf(f.troth.write.witnessBySig([tokenIds[0], 0, "0x"], { account: f.accounts[9] }));
      expect((await f.lens.read.roundStates([tokenIds[0]]))[0]).to.equal(RoundState.Witnessed);
      expectEvent(logs, "CheckInWitnessed", { tokenId: tokenIds[0], round: 0, witnessed: true });
    });

    it("lets the witness who already attested settle a check-in once the quorum shrinks to what they gave", async () => {
      // b attested a's check-in when two witnesses were needed; c then left, and one witness is now enough. Without
      // a settling call the round would close Missed although its quorum was met ("Missed: closed without quorum").
      const [a, b, c] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c], { quorum: 2 });
      await f.atRound(podId, 0);
      const report = f.reportOf(tokenIds[0], 0);
      await f.eventsOf(f.checkIn(a, tokenIds[0], 0, [b], report));
      await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: c }));
      expect((await f.window(podId, 0)).quorum).to.equal(1);
      const logs = await f.eventsOf(f.troth.write.witness([tokenIds[0], 0, report], { account: b }));
      expectEvent(logs, "CheckInWitnessed", { tokenId: tokenIds[0], round: 0, witness: b, witnessed: true }, 1);
      expect((await f.lens.read.roundStates([tokenIds[0]]))[0]).to.equal(RoundState.Witnessed);
    });

    it("frees a shrunk check-in's stored witnesses when it settles, whichever round the holder checked in last", async () => {
      // a's round 0 waits with b's witness; a then checks in for round 1 (in round 0's grace), c leaves, and b's
      // attestation of round 0 settles it. Reaching quorum frees the stored slots: none may be left behind.
      const [a, b, c] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c], { quorum: 2 });
      const t = tokenIds[0];
      await f.atRound(podId, 0);
      const report = f.reportOf(t, 0);
      await f.eventsOf(f.checkIn(a, t, 0, [b], report));
      await f.atRound(podId, 1);
      await f.eventsOf(f.checkIn(a, t, 1));
      await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: c }));
      const logs = await f.eventsOf(f.troth.write.witness([t, 0, report], { account: b }));
      expectEvent(logs, "CheckInWitnessed", { round: 0, witness: b, witnessed: true }, 1);
      expect((await f.lens.read.roundStates([t]))[0]).to.equal(RoundState.Witnessed);
      expectEqual(await f.troth.read.pendingReport([t, 0]), [`0x${"0".repeat(64)}`, 0n]);
    });

    it("does not call a pod at risk while enough witnesses remain", async () => {
      const [a, b, c, d] = f.accounts;
      const { tokenIds } = await f.createPod([a, b, c, d], { quorum: 2 });
      const logs = await f.eventsOf(f.troth.write.leave([tokenIds[3]], { account: d }));
      expectNoEvent(logs, "PodAtRisk");
      expectEvent(logs, "MemberLeft");
    });

    it("dissolves the pod when fewer than two active members remain", async () => {
      const [a, b] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b]);
      await f.atRound(podId, 0);
      const logs = await f.eventsOf(f.troth.write.leave([tokenIds[1]], { account: b }));
      expectEvent(logs, "PodAtRisk", { podId, activeMembers: 1, quorum: 0 }, 1);
      expect((await f.lens.read.pod([podId])).status).to.equal(PodStatus.Dissolved);
      expect((await f.lens.read.commitment([tokenIds[0]])).status).to.equal(CommitmentStatus.Dissolved);
      expect((await f.lens.read.commitment([tokenIds[1]])).status).to.equal(CommitmentStatus.Left);
      await expectRevert(f.checkIn(a, tokenIds[0], 0), "PodNotLive", [podId]);
      await expectRevert(f.pause(podId), "PodNotLive", [podId]);
    });
  });
});
