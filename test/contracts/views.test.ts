/**
 * Continuity views: the lens's computed views (commitment counts and streaks, round states, speaking order, members,
 * pod status) and the raw getters they read, at each stage of a pod's life.
 */
import type { Address } from "viem";
import { zeroAddress, zeroHash } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { expectEqual, expectRevert } from "../helpers/expect.ts";
import {
  CommitmentStatus,
  DAY,
  deployTroth,
  HOUR,
  MemberStatus,
  PodStatus,
  RoundState,
  type TrothFixture,
} from "../helpers/troth.ts";

type CommitmentView = Awaited<ReturnType<TrothFixture["lens"]["read"]["commitment"]>>;

/** The counts partition the member's span: every round of it is in exactly one of them. */
function expectCountsCoverSpan(view: CommitmentView) {
  const counted = view.witnessed + view.missed + view.open + view.upcoming + view.paused;
  expect(counted, "witnessed + missed + open + upcoming + paused").to.equal(view.endRound - view.joinedRound);
}

describe("Continuity views", () => {
  let f: TrothFixture;
  let a: Address;
  let b: Address;
  let c: Address;
  let d: Address;
  beforeAll(async () => {
    f = await deployTroth();
    [a, b, c, d] = f.accounts;
  });

  it("link the protocol and its lens both ways", async () => {
    expect((await f.troth.read.lens()).toLowerCase()).to.equal(f.lens.address.toLowerCase());
    expect((await f.lens.read.troth()).toLowerCase()).to.equal(f.troth.address.toLowerCase());
  });

  describe("commitment()", () => {
    it("counts every round of the span exactly once, at every stage", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c], { rounds: 6 });
      const t = tokenIds[0];
      const check = async (expected: Partial<CommitmentView>) => {
        const view = await f.lens.read.commitment([t]);
        expectCountsCoverSpan(view);
        expect(view).to.include(expected);
        return view;
      };
      await check({ upcoming: 6, closed: 0, status: CommitmentStatus.Active });
      await f.atRound(podId, 0);
      await check({ open: 1, upcoming: 5 });
      await f.eventsOf(f.checkIn(a, t, 0, [b]));
      await f.atRound(podId, 1);
      await f.eventsOf(f.checkIn(a, t, 1));
      // Round 0 witnessed, round 1 reported but not witnessed (open), rounds 2–5 upcoming.
      await check({ witnessed: 1, open: 1, upcoming: 4, closed: 0 });
      await f.at((await f.window(podId, 1)).closesAt);
      await check({ witnessed: 1, missed: 1, open: 1, upcoming: 3, closed: 2, status: CommitmentStatus.Lapsed });
      await f.eventsOf(f.pause(podId));
      await check({ witnessed: 1, missed: 1, paused: 1, upcoming: 3, status: CommitmentStatus.Paused });
      await f.eventsOf(f.resume(podId));
      await f.at((await f.window(podId, 5)).closesAt);
      // One round of six witnessed: the cycle ended, but it was not lived (Completed needs half).
      const end = await check({ witnessed: 1, missed: 5, closed: 6, status: CommitmentStatus.Ended });
      expect(end.open + end.upcoming + end.paused).to.equal(0);
    });

    it("describes the commitment: pod, holder, digest, terms and size", async () => {
      const { podId, tokenIds, covenant } = await f.createPod([a, b, c], { rounds: 5, cadence: 14 * DAY });
      const view = await f.lens.read.commitment([tokenIds[1]]);
      expect(view.tokenId).to.equal(tokenIds[1]);
      expect(view.podId).to.equal(podId);
      expect(view.account).to.equal(b);
      expect(view.commitmentDigest).to.equal(covenant.commitmentDigests[1]);
      expect(view.rounds).to.equal(5);
      expect(view.cadence).to.equal(14 * DAY);
      expect(view.podSize).to.equal(3);
      expect(view.cycle).to.equal(1);
      expect(view.previousTokenId).to.equal(0n);
      expect(view.joinedRound).to.equal(0);
      expect(view.endRound).to.equal(5);
      expect(await f.lens.read.roundStates([tokenIds[1]])).to.have.length(5);
    });

    it("counts a newcomer's span from the round they joined, and a leaver's to the round they left", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c], { rounds: 8 });
      await f.atRound(podId, 3);
      await f.eventsOf(f.addMember(podId, f.newcomer(d)));
      const newcomer = await f.lens.read.commitment([(podId << 8n) | 3n]);
      expect(newcomer.joinedRound).to.equal(3);
      expect(newcomer.endRound).to.equal(8);
      expectCountsCoverSpan(newcomer);
      await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: c }));
      const leaver = await f.lens.read.commitment([tokenIds[2]]);
      expect(leaver.endRound).to.equal(2);
      expect(leaver.missed).to.equal(2);
      expectCountsCoverSpan(leaver);
    });

    it("keeps the current and the longest streak: only a miss breaks a streak", async () => {
      const { podId, tokenIds } = await f.createPod([a, b], { rounds: 6, cadence: DAY, grace: 0 });
      const t = tokenIds[0];
      const streaks = async () => {
        const view = await f.lens.read.commitment([t]);
        return [view.currentStreak, view.longestStreak];
      };
      for (const r of [0, 1, 2]) {
        await f.atRound(podId, r);
        await f.eventsOf(f.checkIn(a, t, r, [b]));
      }
      // Round 3 is open, not yet decided: the streak holds.
      await f.atRound(podId, 3);
      expect(await streaks()).to.deep.equal([3, 3]);
      // Round 3 closes unwitnessed.
      await f.atRound(podId, 4);
      expect(await streaks()).to.deep.equal([0, 3]);
      await f.eventsOf(f.checkIn(a, t, 4, [b]));
      expect(await streaks()).to.deep.equal([1, 3]);
      await f.atRound(podId, 5);
      await f.eventsOf(f.checkIn(a, t, 5, [b]));
      await f.at((await f.window(podId, 5)).closesAt);
      expect(await streaks()).to.deep.equal([2, 3]);
      expect(await f.lens.read.roundStates([t])).to.deep.equal([
        RoundState.Witnessed,
        RoundState.Witnessed,
        RoundState.Witnessed,
        RoundState.Missed,
        RoundState.Witnessed,
        RoundState.Witnessed,
      ]);
    });

    it("is refused for a token past the pod's members, and for a pod that does not exist", async () => {
      const { podId } = await f.createPod([a, b]);
      const missing = (podId << 8n) | 2n;
      await expectRevert(f.lens.read.commitment([missing]), "ERC721NonexistentToken", [missing]);
      await expectRevert(f.lens.read.roundStates([missing]), "ERC721NonexistentToken", [missing]);
      await expectRevert(f.lens.read.commitment([555n << 8n]), "PodNonexistent", [555n]);
      await expectRevert(f.lens.read.tokenURI([missing]), "ERC721NonexistentToken", [missing]);
    });
  });

  describe("speakingOrder()", () => {
    it("rotates the active members by one each round", async () => {
      const { podId } = await f.createPod([a, b, c]);
      expectEqual(await f.lens.read.speakingOrder([podId, 0]), [a, b, c]);
      expectEqual(await f.lens.read.speakingOrder([podId, 1]), [b, c, a]);
      expectEqual(await f.lens.read.speakingOrder([podId, 2]), [c, a, b]);
      expectEqual(await f.lens.read.speakingOrder([podId, 3]), [a, b, c]);
    });

    it("leaves out members who left, and takes in newcomers", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      await f.eventsOf(f.troth.write.leave([tokenIds[1]], { account: b }));
      expectEqual(await f.lens.read.speakingOrder([podId, 1]), [c, a]);
      await f.eventsOf(f.addMember(podId, f.newcomer(d)));
      expectEqual(await f.lens.read.speakingOrder([podId, 1]), [c, d, a]);
    });

    it("is refused for a pod that does not exist", async () => {
      await expectRevert(f.lens.read.speakingOrder([31337n, 0]), "PodNonexistent", [31337n]);
    });
  });

  describe("members()", () => {
    it("lists every member the pod ever had, in token order", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      await f.atRound(podId, 1);
      await f.eventsOf(f.replaceMember(podId, b, f.newcomer(d)));
      await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: c }));
      await f.eventsOf(f.troth.write.burn([tokenIds[2]], { account: c }));
      expectEqual(await f.lens.read.members([podId]), [
        { account: a, tokenId: tokenIds[0], status: MemberStatus.Active, joinedRound: 0 },
        { account: b, tokenId: tokenIds[1], status: MemberStatus.Replaced, joinedRound: 0 },
        // A burned token's holder is forgotten.
        { account: zeroAddress, tokenId: tokenIds[2], status: MemberStatus.None, joinedRound: 0 },
        { account: d, tokenId: (podId << 8n) | 3n, status: MemberStatus.Active, joinedRound: 1 },
      ]);
    });

    it("is refused for a pod that does not exist", async () => {
      await expectRevert(f.lens.read.members([31337n]), "PodNonexistent", [31337n]);
    });
  });

  describe("pod()", () => {
    it("goes Scheduled, Active, Paused, Active, Ended, with its parameters", async () => {
      const { podId, covenant } = await f.createPod([a, b, c], { rounds: 3, quorum: 2 });
      const view = await f.lens.read.pod([podId]);
      expect(view).to.include({
        podId,
        previousPod: 0n,
        status: PodStatus.Scheduled,
        start: covenant.start,
        cadence: covenant.cadence,
        grace: covenant.grace,
        quorum: 2,
        rounds: 3,
        cycle: 1,
        memberCount: 3,
        activeCount: 3,
        started: false,
        currentRound: 0,
        pausedAt: 0,
        pausedTotal: 0,
        nonce: 0,
        covenantDigest: covenant.covenantDigest,
        keyringDigest: covenant.keyringDigest,
      });
      await f.atRound(podId, 1);
      expect(await f.lens.read.pod([podId])).to.include({ status: PodStatus.Active, started: true, currentRound: 1 });
      await f.eventsOf(f.pause(podId));
      expect(await f.lens.read.pod([podId])).to.include({ status: PodStatus.Paused, nonce: 1 });
      await f.eventsOf(f.resume(podId));
      expect(await f.lens.read.pod([podId])).to.include({ status: PodStatus.Active, pausedAt: 0, nonce: 2 });
      await f.at((await f.window(podId, 2)).closesAt);
      expect(await f.lens.read.pod([podId])).to.include({ status: PodStatus.Ended, currentRound: 2 });
    });

    it("reads Dissolved once fewer than two members remain, even if also ended or paused", async () => {
      const { podId, tokenIds } = await f.createPod([a, b]);
      await f.eventsOf(f.pause(podId));
      await f.eventsOf(f.troth.write.leave([tokenIds[0]], { account: a }));
      const view = await f.lens.read.pod([podId]);
      expect(view.status).to.equal(PodStatus.Dissolved);
      expect(view.activeCount).to.equal(1);
    });

    it("is refused for a pod that does not exist", async () => {
      await expectRevert(f.lens.read.pod([31337n]), "PodNonexistent", [31337n]);
    });
  });

  describe("pendingCheckIn()", () => {
    it("shows a check-in waiting for witnesses, with its witnesses so far, until quorum", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c, d], { quorum: 3 });
      const t = tokenIds[0];
      expectEqual(await f.lens.read.pendingCheckIn([t, 0]), [zeroHash, []]);
      await f.atRound(podId, 0);
      const report = f.reportOf(t, 0);
      await f.eventsOf(f.checkIn(a, t, 0, [d], report));
      expectEqual(await f.lens.read.pendingCheckIn([t, 0]), [report, [d]]);
      await f.eventsOf(f.troth.write.witness([t, 0, report], { account: b }));
      // Witnesses are listed in member order, whatever order they came in.
      expectEqual(await f.lens.read.pendingCheckIn([t, 0]), [report, [b, d]]);
      expectEqual(await f.troth.read.pendingReport([t, 0]), [report, 0b1010n]);
      await f.eventsOf(f.troth.write.witness([t, 0, report], { account: c }));
      expectEqual(await f.lens.read.pendingCheckIn([t, 0]), [zeroHash, []]);
      expectEqual(await f.troth.read.pendingReport([t, 0]), [zeroHash, 0n]);
    });

    it("is refused for a token that does not exist or was burned", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      const missing = (podId << 8n) | 3n;
      await expectRevert(f.lens.read.pendingCheckIn([missing, 0]), "ERC721NonexistentToken", [missing]);
      await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: c }));
      await f.eventsOf(f.troth.write.burn([tokenIds[2]], { account: c }));
      await expectRevert(f.lens.read.pendingCheckIn([tokenIds[2], 0]), "ERC721NonexistentToken", [tokenIds[2]]);
    });
  });

  describe("raw state", () => {
    it("reads a pod's hot state, eras, record and members", async () => {
      const { podId, tokenIds, covenant } = await f.createPod([a, b], { rounds: 9, quorum: 1 });
      expect(await f.troth.read.podState([podId])).to.include({
        start: covenant.start,
        pausedAt: 0,
        pausedTotal: 0,
        rounds: 9,
        memberCount: 2,
        activeCount: 2,
        eraCount: 0,
        fromRound: 0,
        fromClock: 0,
        cadence: covenant.cadence,
        grace: covenant.grace,
        quorum: 1,
      });
      expect(await f.troth.read.eras([podId])).to.deep.equal([]);
      expect(await f.troth.read.podRecord([podId])).to.deep.equal({
        previousPod: 0n,
        cycle: 1,
        nonce: 0,
        covenantDigest: covenant.covenantDigest,
        keyringDigest: covenant.keyringDigest,
      });
      expect(await f.troth.read.memberRecord([podId, b])).to.include({
        witnessed: 0n,
        reported: 0n,
        restarts: 0,
        index: 1,
        status: MemberStatus.Active,
        joinedRound: 0,
        endRound: 0,
        restartFrom: 0,
        cycle: 1,
        previousIndex: 0,
      });
      expect(await f.troth.read.memberRecord([podId, c])).to.include({ status: MemberStatus.None });
      expect(await f.troth.read.holderOf([tokenIds[1]])).to.equal(b);
      expect(await f.troth.read.tokenOf([podId, b])).to.equal(tokenIds[1]);
      expect(await f.troth.read.tokenOf([podId, c])).to.equal(0n);
    });

    it("is refused for a pod that does not exist", async () => {
      await expectRevert(f.troth.read.podState([31337n]), "PodNonexistent", [31337n]);
      await expectRevert(f.troth.read.eras([31337n]), "PodNonexistent", [31337n]);
      await expectRevert(f.troth.read.podRecord([31337n]), "PodNonexistent", [31337n]);
    });

    it("keeps the hot state in sync with the lens over a pause", async () => {
      const { podId } = await f.createPod([a, b]);
      await f.atRound(podId, 0, HOUR);
      await f.eventsOf(f.pause(podId));
      const state = await f.troth.read.podState([podId]);
      const view = await f.lens.read.pod([podId]);
      expect(state.pausedAt).to.equal(view.pausedAt);
      expect(state.pausedAt).to.be.above(0);
    });
  });
});
