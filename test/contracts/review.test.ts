/**
 * The outside review's findings (issue "Protocol v2"), each played as the attack it describes: every test here failed
 * on the contracts before the fix (the attacker got through) and shows the attack refused now.
 */
import { type Address, getAddress, type Hex, zeroAddress, zeroHash } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { expectEqual, expectEvent, expectNoEvent, expectRevert } from "../helpers/expect.ts";
import {
  ClaimKind,
  CommitmentStatus,
  DAY,
  deployTroth,
  MemberStatus,
  RoundState,
  type TrothFixture,
} from "../helpers/troth.ts";
import { encodeWitnessList } from "../helpers/witnessList.ts";

describe("Review findings, played as attacks", () => {
  let f: TrothFixture;
  let a: Address;
  let b: Address;
  let c: Address;
  let d: Address;
  /** A second wallet of a's own: the sock puppet of the attacks below. */
  let a2: Address;
  beforeAll(async () => {
    f = await deployTroth();
    [a, b, c, d] = f.accounts;
    a2 = f.accounts[9];
  });

  /** Moves past the close of `round`, so it is decided. */
  async function afterClose(podId: bigint, round: number) {
    await f.at((await f.window(podId, round)).closesAt + 1);
  }

  describe("1. nobody is pushed out of a pod without their consent", () => {
    it("a member of a pod of two cannot replace the other by a second wallet of their own", async () => {
      const { podId, tokenIds } = await f.createPod([a, b]);
      await f.atRound(podId, 0);
      // The old rule asked everyone but the replaced member: [a, a2] was enough. Now b must consent too.
      await expectRevert(f.replaceMember(podId, b, f.newcomer(a2), { signers: [a, a2] }), "ConsentCountMismatch", [
        3n,
        2n,
      ]);
      await expectRevert(f.replaceMember(podId, b, f.newcomer(a2), { signers: [a, a, a2] }), "ConsentWrongSigner", [
        b,
        a,
      ]);
      // Nor through the absence rule, even once b has really been absent: a pod of two changes only with both.
      await afterClose(podId, 1);
      await expectRevert(f.proposeReplacement(podId, b, f.newcomer(a2)), "ClaimPodTooSmall", [podId, 2]);
      expect((await f.troth.read.memberRecord([podId, b])).status).to.equal(MemberStatus.Active);
      expect(await f.troth.read.ownerOf([tokenIds[1]])).to.equal(b);
    });

    it("in a larger pod, the others cannot replace a member who is present", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      await f.atRound(podId, 0);
      await expectRevert(f.replaceMember(podId, b, f.newcomer(a2), { signers: [a, c, a2] }), "ConsentCountMismatch");
      // b checked in for round 1 (round 0 missed): not absent.
      await afterClose(podId, 0); // and round 1 is open
      await f.eventsOf(f.checkIn(b, tokenIds[1], 1));
      await afterClose(podId, 1);
      await expectRevert(f.proposeReplacement(podId, b, f.newcomer(a2)), "ClaimMemberNotAbsent", [podId, b]);
      // Restarting is being there too: after two silent rounds, a restart answers the claim before it is made.
      await afterClose(podId, 3);
      await f.eventsOf(f.troth.write.restart([tokenIds[1], zeroHash], { account: b }));
      await expectRevert(f.proposeReplacement(podId, b, f.newcomer(a2)), "ClaimMemberNotAbsent", [podId, b]);
    });

    it("a member who has not yet had two closed rounds is never absent", async () => {
      const { podId } = await f.createPod([a, b, c]);
      await afterClose(podId, 0);
      await expectRevert(f.proposeReplacement(podId, b, f.newcomer(a2)), "ClaimMemberNotAbsent", [podId, b]);
    });

    describe("the absence rule", () => {
      /** A pod of a, b, c where b checked in for neither of the first two rounds; a claim on b for a2. */
      async function absent(cadence = 7 * DAY) {
        const created = await f.createPod([a, b, c], { cadence, grace: DAY });
        await afterClose(created.podId, 1);
        const newcomer = f.newcomer(a2);
        const logs = await f.eventsOf(f.proposeReplacement(created.podId, b, newcomer));
        const made = expectEvent(logs, "ClaimMade", { podId: created.podId, tokenId: created.tokenIds[1] }, 1);
        return { ...created, newcomer, notBefore: Number((made.args as { notBefore: number }).notBefore) };
      }

      it("opens an objection window of max(48 h, one cadence), during which nothing changes", async () => {
        const weekly = await absent();
        expect(weekly.notBefore).to.equal((await f.now()) + 7 * DAY);
        const claim = await f.troth.read.claimOf([weekly.tokenIds[1]]);
        expect(claim).to.include({ kind: ClaimKind.Replacement, successor: a2, notBefore: weekly.notBefore });
        // The next block comes one second after this one: the window's last second.
        await f.at(weekly.notBefore - 2);
        await expectRevert(f.troth.write.completeClaim([weekly.tokenIds[1]]), "ClaimWindowOpen", [
          weekly.tokenIds[1],
          weekly.notBefore,
          BigInt(weekly.notBefore - 1),
        ]);
        expect((await f.troth.read.memberRecord([weekly.podId, b])).status).to.equal(MemberStatus.Active);
        const daily = await absent(DAY);
        expect(daily.notBefore).to.equal((await f.now()) + 2 * DAY);
      });

      it("is completed by anyone once the window has passed: the absent member reads Replaced everywhere", async () => {
        const { podId, tokenIds, newcomer, notBefore } = await absent();
        await f.at(notBefore);
        const logs = await f.eventsOf(f.troth.write.completeClaim([tokenIds[1]], { account: d }));
        expectEvent(logs, "MemberLeft", { podId, tokenId: tokenIds[1], member: b, status: MemberStatus.Replaced }, 1);
        expectEvent(logs, "MemberAdded", { member: a2, replacedTokenId: tokenIds[1] }, 1);
        expectEvent(logs, "KeyringRotated", { keyringDigest: newcomer.keyringDigest }, 1);
        expectNoEvent(logs, "ClaimCancelled");
        expect((await f.troth.read.memberRecord([podId, b])).status).to.equal(MemberStatus.Replaced);
        expect((await f.lens.read.commitment([tokenIds[1]])).status).to.equal(CommitmentStatus.Replaced);
        const uri = await f.troth.read.tokenURI([tokenIds[1]]);
        expect(Buffer.from(uri.split(",")[1], "base64").toString()).to.contain('"Status","value":"Replaced"');
        expect((await f.troth.read.claimOf([tokenIds[1]])).kind).to.equal(ClaimKind.None);
        await expectRevert(f.troth.write.completeClaim([tokenIds[1]]), "ClaimNotFound", [tokenIds[1]]);
      });

      it.each([
        ["checks in", async (t: Ctx) => f.checkIn(b, t.tokenIds[1], t.round)],
        ["witnesses by transaction", async (t: Ctx) => f.send(b, "witness", [t.tokenIds[0], t.round, t.report])],
        [
          "witnesses by a signature someone else submits",
          async (t: Ctx) =>
            f.troth.write.witnessBySig(
              [t.tokenIds[0], t.round, await f.witnessSignatures(t.tokenIds[0], t.round, t.report, [b])],
              { account: d },
            ),
        ],
        ["restarts", async (t: Ctx) => f.troth.write.restart([t.tokenIds[1], zeroHash], { account: b })],
        ["cancels the claim", async (t: Ctx) => f.troth.write.cancelClaim([t.tokenIds[1]], { account: b })],
        ["consents to a pause", async (t: Ctx) => f.pause(t.podId)],
        [
          "rotates the keyring",
          async (t: Ctx) => f.troth.write.rotateKeyring([t.podId, f.digest("k")], { account: b }),
        ],
      ])("is cancelled when the absent member %s during the window", async (_name, act) => {
        const { podId, tokenIds, notBefore } = await absent(); // round 2 is open
        const round = 2;
        const report = f.reportOf(tokenIds[0], round);
        await f.eventsOf(f.checkIn(a, tokenIds[0], round, [], report));
        const logs = await f.eventsOf(act({ podId, tokenIds, round, report }));
        expectEvent(logs, "ClaimCancelled", { podId, tokenId: tokenIds[1], member: b }, 1);
        await f.at(Math.max(notBefore, await f.now()) + 1);
        await expectRevert(f.troth.write.completeClaim([tokenIds[1]]), "ClaimNotFound", [tokenIds[1]]);
        expect((await f.troth.read.memberRecord([podId, b])).status).to.equal(MemberStatus.Active);
      });

      it("is cancelled when the absent member leaves (they leave by their own choice, not as Replaced)", async () => {
        const { podId, tokenIds } = await absent();
        const logs = await f.eventsOf(f.troth.write.leave([tokenIds[1]], { account: b }));
        expectEvent(logs, "ClaimCancelled", { tokenId: tokenIds[1] }, 1);
        expectEvent(logs, "MemberLeft", { member: b, status: MemberStatus.Left }, 1);
        expect((await f.troth.read.memberRecord([podId, b])).status).to.equal(MemberStatus.Left);
      });

      it("cannot be made twice, nor cancelled by anyone but the claimed member", async () => {
        const { podId, tokenIds } = await absent();
        await expectRevert(f.proposeReplacement(podId, b, f.newcomer(d)), "ClaimPending", [tokenIds[1]]);
        await expectRevert(f.troth.write.cancelClaim([tokenIds[1]], { account: a }), "CommitmentNotOwner", [
          tokenIds[1],
          a,
        ]);
        await expectRevert(f.troth.write.cancelClaim([tokenIds[0]], { account: a }), "ClaimNotFound", [tokenIds[0]]);
      });

      it("is stale once the pod's keyring moved on, and never reduces a pod to two", async () => {
        const stale = await absent();
        await f.eventsOf(f.troth.write.rotateKeyring([stale.podId, f.digest("rotated")], { account: c }));
        await f.at(stale.notBefore);
        await expectRevert(f.troth.write.completeClaim([stale.tokenIds[1]]), "ClaimStale", [
          stale.tokenIds[1],
          f.digest("keyring"),
          f.digest("rotated"),
        ]);
        const shrunk = await absent();
        await f.eventsOf(f.troth.write.leave([shrunk.tokenIds[2]], { account: c }));
        await f.at(shrunk.notBefore);
        await expectRevert(f.troth.write.completeClaim([shrunk.tokenIds[1]]), "ClaimPodTooSmall", [shrunk.podId, 2]);
      });

      it("once stale, gives way to a new claim instead of blocking the seat for good", async () => {
        const stale = await absent();
        await f.eventsOf(f.troth.write.rotateKeyring([stale.podId, f.digest("rotated again")], { account: c }));
        const logs = await f.eventsOf(f.proposeReplacement(stale.podId, b, f.newcomer(d)));
        expectEvent(logs, "ClaimCancelled", { tokenId: stale.tokenIds[1], member: b }, 1);
        expectEvent(logs, "ClaimMade", { tokenId: stale.tokenIds[1], successor: d }, 1);
        expect((await f.troth.read.claimOf([stale.tokenIds[1]])).successor).to.equal(d);
      });

      it("cannot be completed once the cycle has ended", async () => {
        const { podId, tokenIds } = await absent();
        await afterClose(podId, 12);
        await expectRevert(f.troth.write.completeClaim([tokenIds[1]]), "PodNotLive", [podId]);
      });

      it("is answered when the newcomer is let in another way: that needs the absent member's consent", async () => {
        const { podId, tokenIds, notBefore } = await absent();
        await f.eventsOf(f.addMember(podId, f.newcomer(a2)));
        await f.at(notBefore);
        await expectRevert(f.troth.write.completeClaim([tokenIds[1]]), "ClaimNotFound", [tokenIds[1]]);
      });
    });
  });

  type Ctx = { podId: bigint; tokenIds: bigint[]; round: number; report: Hex };

  describe("recovering a lost wallet", () => {
    /** a and b in a pod; b lost their wallet; b2 asks for the commitment with a's consent. */
    async function lost(b2: Address, members = [a, b]) {
      const created = await f.createPod(members);
      await f.atRound(created.podId, 0);
      await f.eventsOf(f.checkIn(b, created.tokenIds[1], 0, [a]));
      const keyring = f.digest(`keyring rewrapped for ${b2}`);
      const logs = await f.eventsOf(f.requestRecovery(created.tokenIds[1], b2, keyring));
      const made = expectEvent(logs, "ClaimMade", { tokenId: created.tokenIds[1], successor: b2 }, 1);
      expect((made.args as { kind: number }).kind).to.equal(ClaimKind.Recovery);
      return { ...created, keyring, notBefore: Number((made.args as { notBefore: number }).notBefore) };
    }

    it("moves the token and the whole record to the new address after the window", async () => {
      const b2 = f.accounts[10];
      const { podId, tokenIds, keyring, notBefore } = await lost(b2);
      const before = await f.troth.read.memberRecord([podId, b]);
      await f.at(notBefore);
      const logs = await f.eventsOf(f.troth.write.completeClaim([tokenIds[1]], { account: d }));
      expectEvent(logs, "Transfer", { from: b, to: b2, tokenId: tokenIds[1] }, 1);
      expectEvent(logs, "CommitmentRecovered", { podId, tokenId: tokenIds[1], account: b2, lost: b }, 1);
      expectEvent(logs, "KeyringRotated", { keyringDigest: keyring }, 1);
      expect(await f.troth.read.ownerOf([tokenIds[1]])).to.equal(b2);
      expect(await f.troth.read.locked([tokenIds[1]])).to.equal(true);
      const moved = await f.troth.read.memberRecord([podId, b2]);
      expect({ ...moved, flags: 0 }).to.deep.equal({ ...before, flags: 0 });
      expect((await f.troth.read.memberRecord([podId, b])).status).to.equal(MemberStatus.Recovered);
      expect(await f.troth.read.tokenOf([podId, b])).to.equal(0n);
      expect(await f.troth.read.tokenOf([podId, b2])).to.equal(tokenIds[1]);
      expect((await f.lens.read.commitment([tokenIds[1]])).witnessed).to.equal(1);
      // The new address carries on (round 1 is open); the old one can do nothing more in the pod, nor come back.
      await f.eventsOf(f.checkIn(b2, tokenIds[1], 1, [a]));
      await expectRevert(f.checkIn(b, tokenIds[1], 1), "CommitmentNotOwner", [tokenIds[1], b]);
      await expectRevert(f.checkIn(a, tokenIds[0], 1, [b]), "WitnessInactive", [podId, b]);
      await expectRevert(f.addMember(podId, f.newcomer(b), { signers: [a, b2, b] }), "PodAlreadyMember", [podId, b]);
      // Soulbound still: no one moves it by the ordinary ways.
      await expectRevert(f.troth.write.transferFrom([b2, b, tokenIds[1]], { account: b2 }), "CommitmentSoulbound", [
        tokenIds[1],
      ]);
    });

    it("is cancelled by any transaction of the old wallet in the pod during the window", async () => {
      const b2 = f.accounts[11];
      const { podId, tokenIds, notBefore } = await lost(b2);
      const logs = await f.eventsOf(f.troth.write.cancelClaim([tokenIds[1]], { account: b }));
      expectEvent(logs, "ClaimCancelled", { podId, tokenId: tokenIds[1], member: b }, 1);
      await f.at(notBefore);
      await expectRevert(f.troth.write.completeClaim([tokenIds[1]]), "ClaimNotFound", [tokenIds[1]]);
      expect(await f.troth.read.ownerOf([tokenIds[1]])).to.equal(b);
    });

    it("needs the partners' consent and the new address's own", async () => {
      const b2 = f.accounts[12];
      const { tokenIds } = await f.createPod([a, b, c]);
      // The new address alone, or one partner alone, is not enough.
      await expectRevert(f.requestRecovery(tokenIds[1], b2, zeroHash, { signers: [b2] }), "ConsentCountMismatch", [
        3n,
        1n,
      ]);
      await expectRevert(f.requestRecovery(tokenIds[1], b2, zeroHash, { signers: [a, a2, b2] }), "ConsentWrongSigner", [
        c,
        a2,
      ]);
      // A member cannot take a partner's seat, nor can one address hold two.
      await expectRevert(f.requestRecovery(tokenIds[1], c, zeroHash, { signers: [a, c, c] }), "PodAlreadyMember");
    });

    it("is refused in an ended pod whose partners all left after the end: nobody active could vouch", async () => {
      const b2 = f.accounts[17];
      const { podId, tokenIds } = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0 });
      await afterClose(podId, 0);
      await f.eventsOf(f.troth.write.leave([tokenIds[0]], { account: a }));
      // The pod keeps the counts it ended with, but a, who left, no longer consents for anyone.
      await expectRevert(f.requestRecovery(tokenIds[1], b2, zeroHash, { signers: [a, b2] }), "ConsentCountMismatch", [
        1n,
        2n,
      ]);
      await expectRevert(f.requestRecovery(tokenIds[1], b2, zeroHash, { signers: [b2] }), "ClaimPodTooSmall", [
        podId,
        1,
      ]);
    });

    it("is refused for a dissolved pod's last member: nobody else could vouch", async () => {
      const b2 = f.accounts[13];
      const { podId, tokenIds } = await f.createPod([a, b]);
      await f.eventsOf(f.troth.write.leave([tokenIds[0]], { account: a }));
      await expectRevert(f.requestRecovery(tokenIds[1], b2, zeroHash, { signers: [b2] }), "ClaimPodTooSmall", [
        podId,
        1,
      ]);
    });

    it("works after the pod ended, so the member keeps the right to renew from the new address", async () => {
      const b2 = f.accounts[14];
      const first = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0 });
      await f.atRound(first.podId, 0);
      await f.eventsOf(f.checkIn(a, first.tokenIds[0], 0, [b]));
      await f.eventsOf(f.checkIn(b, first.tokenIds[1], 0, [a]));
      await afterClose(first.podId, 0);
      const logs = await f.eventsOf(f.requestRecovery(first.tokenIds[1], b2));
      const notBefore = Number((expectEvent(logs, "ClaimMade").args as { notBefore: number }).notBefore);
      await f.at(notBefore);
      await f.eventsOf(f.troth.write.completeClaim([first.tokenIds[1]]));
      expect((await f.lens.read.commitment([first.tokenIds[1]])).status).to.equal(CommitmentStatus.Completed);
      const renewal = await f.createPod([a, b2], { previousPod: first.podId });
      expect((await f.troth.read.memberRecord([renewal.podId, b2])).cycle).to.equal(2);
      const lostRenewal = await f.covenant([b, a], { previousPod: first.podId });
      await expectRevert(f.troth.write.createPod([lostRenewal, await f.signCovenant(lostRenewal)]), "PodNotRenewable");
    });
  });

  describe("2. renewal once, no back-dated cycles, Completed and Graduated only for a cycle lived", () => {
    async function ended(members: Address[], live: boolean) {
      const pod = await f.createPod(members, { rounds: 2, cadence: DAY, grace: 0 });
      if (live) {
        for (const round of [0, 1]) {
          await f.atRound(pod.podId, round);
          for (const [i, m] of members.entries()) {
            await f.eventsOf(f.checkIn(m, pod.tokenIds[i], round, [members[(i + 1) % members.length]]));
          }
        }
      }
      await afterClose(pod.podId, 1);
      return pod;
    }

    it("one ended pod renews once per member: a second covenant over it is refused", async () => {
      const first = await ended([a, b], true);
      await f.createPod([a, b], { previousPod: first.podId });
      const again = await f.covenant([a, b], { previousPod: first.podId });
      await expectRevert(f.troth.write.createPod([again, await f.signCovenant(again)]), "PodAlreadyRenewed", [
        first.podId,
        a,
      ]);
      // Nor by acceptance one by one.
      await f.eventsOf(f.troth.write.acceptCovenant([again], { account: a }));
      await expectRevert(f.troth.write.acceptCovenant([again], { account: b }), "PodAlreadyRenewed", [first.podId, a]);
    });

    it("a one-round pod back-dated to end at once is refused", async () => {
      const start = (await f.now()) - DAY + 10;
      const c1 = await f.covenant([a, b], { start, rounds: 1, cadence: DAY, grace: 0 });
      await expectRevert(f.troth.write.createPod([c1, await f.signCovenant(c1)]), "PodStartInPast");
    });

    it("a cycle that nobody witnessed ends as Ended, never Completed, and a renewal of it never graduates", async () => {
      const first = await ended([a, b], false);
      expect((await f.lens.read.commitment([first.tokenIds[0]])).status).to.equal(CommitmentStatus.Ended);
      const second = await ended([a, b], true);
      expect((await f.lens.read.commitment([second.tokenIds[0]])).status).to.equal(CommitmentStatus.Completed);
      const renewal = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0, previousPod: first.podId });
      await f.atRound(renewal.podId, 0);
      await f.eventsOf(f.checkIn(a, renewal.tokenIds[0], 0, [b]));
      await afterClose(renewal.podId, 0);
      // Cycle 2 was lived, cycle 1 was not: Completed, not Graduated.
      expect((await f.lens.read.commitment([renewal.tokenIds[0]])).status).to.equal(CommitmentStatus.Completed);
      expect((await f.lens.read.commitment([renewal.tokenIds[1]])).status).to.equal(CommitmentStatus.Ended);
    });

    it("half of the span witnessed is enough; less is not", async () => {
      const pod = await f.createPod([a, b], { rounds: 4, cadence: DAY, grace: 0 });
      for (const round of [0, 1]) {
        await f.atRound(pod.podId, round);
        await f.eventsOf(f.checkIn(a, pod.tokenIds[0], round, [b]));
      }
      await f.atRound(pod.podId, 2);
      await f.eventsOf(f.checkIn(b, pod.tokenIds[1], 2, [a]));
      await afterClose(pod.podId, 3);
      expect((await f.lens.read.commitment([pod.tokenIds[0]])).status).to.equal(CommitmentStatus.Completed);
      expect((await f.lens.read.commitment([pod.tokenIds[1]])).status).to.equal(CommitmentStatus.Ended);
    });

    it("burning a token after the end keeps the cycle lived, so a renewal can still graduate", async () => {
      const first = await ended([a, b], true);
      await f.eventsOf(f.troth.write.burn([first.tokenIds[0]], { account: a }));
      const second = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0, previousPod: first.podId });
      expect((await f.troth.read.memberRecord([second.podId, a])).flags & 8).to.equal(8); // PREVIOUS_COMPLETED
      await f.atRound(second.podId, 0);
      await f.eventsOf(f.checkIn(a, second.tokenIds[0], 0, [b]));
      await afterClose(second.podId, 0);
      expect((await f.lens.read.commitment([second.tokenIds[0]])).status).to.equal(CommitmentStatus.Graduated);
    });
  });

  describe("3. a front-runner cannot strip witnesses from a relayed check-in", () => {
    it("the holder's signature sent first with no witnesses: the honest submission still adds them", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c], { quorum: 2 });
      await f.atRound(podId, 0);
      const t = tokenIds[0];
      const report = f.reportOf(t, 0);
      const holderSig = await f.sign(f.walletOf(a), "CheckIn", { tokenId: t, round: 0, reportDigest: report });
      const witnesses = await f.witnessSignatures(t, 0, report, [b, c]);
      // The attacker copies the holder's signature from the mempool with an empty witness list.
      await f.eventsOf(f.troth.write.checkInBySig([t, 0, report, holderSig, "0x"], { account: d }));
      const logs = await f.eventsOf(f.troth.write.checkInBySig([t, 0, report, holderSig, witnesses], { account: a2 }));
      expectEvent(logs, "CheckInWitnessed", { tokenId: t, witness: c, witnessed: true }, 1);
      expect((await f.lens.read.roundStates([t]))[0]).to.equal(RoundState.Witnessed);
    });

    it("sent first with part of the witnesses: the rest are added, none counted twice", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c, d], { quorum: 3 });
      await f.atRound(podId, 0);
      const t = tokenIds[0];
      const report = f.reportOf(t, 0);
      const entries = await f.witnessEntries(t, 0, report, [b, c, d]);
      await f.eventsOf(f.troth.write.checkIn([t, 0, report, encodeWitnessList(entries.slice(0, 1))], { account: a }));
      // The plain checkIn path merges too.
      const logs = await f.eventsOf(f.troth.write.checkIn([t, 0, report, encodeWitnessList(entries)], { account: a }));
      expectEvent(logs, "CheckInWitnessed", { witness: c, witnessed: true }, 1);
      expectEvent(logs, "CheckInWitnessed", { witness: d, witnessed: true }, 1);
      expectNoEvent(logs, "CheckedIn");
      expect((await f.lens.read.roundStates([t]))[0]).to.equal(RoundState.Witnessed);
      // A witnessed round, or another report, is a second check-in: refused.
      await expectRevert(f.checkIn(a, t, 0, [], report), "CheckInAlreadyReported", [t, 0]);
    });

    it("another report for a pending round is still a second check-in", async () => {
      const { podId, tokenIds } = await f.createPod([a, b]);
      await f.atRound(podId, 0);
      await f.eventsOf(f.checkIn(a, tokenIds[0], 0));
      await expectRevert(f.checkIn(a, tokenIds[0], 0, [b], f.digest("other")), "CheckInAlreadyReported", [
        tokenIds[0],
        0,
      ]);
    });
  });

  describe("4. the keyring", () => {
    it("cannot be overwritten once the pod has ended, and each rotation names the keyring it follows", async () => {
      const { podId } = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0 });
      const logs = await f.eventsOf(f.troth.write.rotateKeyring([podId, f.digest("k2")], { account: a }));
      expectEvent(logs, "KeyringRotated", {
        podId,
        previousDigest: f.digest("keyring"),
        keyringDigest: f.digest("k2"),
      });
      await afterClose(podId, 0);
      await expectRevert(f.troth.write.rotateKeyring([podId, f.digest("k3")], { account: b }), "PodNotLive", [podId]);
      expect((await f.troth.read.podRecord([podId])).keyringDigest).to.equal(f.digest("k2"));
    });
  });

  describe("5. restart", () => {
    it("is refused once the cycle has ended", async () => {
      const { podId, tokenIds } = await f.createPod([a, b], { rounds: 2, cadence: DAY, grace: 0 });
      await afterClose(podId, 1);
      await expectRevert(f.troth.write.restart([tokenIds[0], zeroHash], { account: a }), "PodNotLive", [podId]);
    });
  });

  describe("6. only active, distinct members count toward a quorum", () => {
    it("a witness who left no longer counts", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c, d], { quorum: 2 });
      await f.atRound(podId, 0);
      const t = tokenIds[0];
      const report = f.reportOf(t, 0);
      await f.eventsOf(f.checkIn(a, t, 0, [b], report));
      await f.eventsOf(f.troth.write.leave([tokenIds[1]], { account: b }));
      // With b gone, c's witness is one active witness of the two the round needs.
      const logs = await f.eventsOf(f.send(c, "witness", [t, 0, report]));
      expectEvent(logs, "CheckInWitnessed", { witness: c, witnessed: false }, 1);
      expect((await f.lens.read.roundStates([t]))[0]).to.equal(RoundState.Reported);
      // Nor can anyone settle it with an empty list on the strength of b's old witness.
      expectNoEvent(await f.eventsOf(f.troth.write.witnessBySig([t, 0, "0x"], { account: a2 })), "CheckInWitnessed");
      expect((await f.lens.read.roundStates([t]))[0]).to.equal(RoundState.Reported);
      await f.eventsOf(f.send(d, "witness", [t, 0, report]));
      expect((await f.lens.read.roundStates([t]))[0]).to.equal(RoundState.Witnessed);
    });

    it("a replaced witness and their replacement are not two witnesses", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c], { quorum: 2 });
      await f.atRound(podId, 0);
      const t = tokenIds[0];
      const report = f.reportOf(t, 0);
      await f.eventsOf(f.checkIn(a, t, 0, [b], report));
      await f.eventsOf(f.replaceMember(podId, b, f.newcomer(d)));
      await f.eventsOf(f.send(d, "witness", [t, 0, report]));
      expect((await f.lens.read.roundStates([t]))[0]).to.equal(RoundState.Reported);
      await f.eventsOf(f.send(c, "witness", [t, 0, report]));
      expect((await f.lens.read.roundStates([t]))[0]).to.equal(RoundState.Witnessed);
    });

    it("a recovered witness is the same person: their earlier witness still counts once", async () => {
      const b2 = f.accounts[15];
      const { podId, tokenIds } = await f.createPod([a, b, c], { quorum: 2, cadence: 14 * DAY });
      await f.atRound(podId, 0);
      const t = tokenIds[0];
      const report = f.reportOf(t, 0);
      await f.eventsOf(f.checkIn(a, t, 0, [b], report));
      const made = expectEvent(await f.eventsOf(f.requestRecovery(tokenIds[1], b2)), "ClaimMade");
      await f.at(Number((made.args as { notBefore: number }).notBefore));
      await f.eventsOf(f.troth.write.completeClaim([tokenIds[1]]));
      await expectRevert(f.send(b2, "witness", [t, 0, report]), "WitnessDuplicate", [t, 0, b2]);
      await f.eventsOf(f.send(c, "witness", [t, 0, report]));
      expect((await f.lens.read.roundStates([t]))[0]).to.equal(RoundState.Witnessed);
    });
  });

  describe("8. renewal eligibility is being active when the pod ended", () => {
    it("leaving after the end keeps the right to renew; leaving before does not", async () => {
      const first = await f.createPod([a, b, c], { rounds: 2, cadence: DAY, grace: 0 });
      await f.eventsOf(f.troth.write.leave([first.tokenIds[2]], { account: c }));
      await afterClose(first.podId, 1);
      await f.eventsOf(f.troth.write.leave([first.tokenIds[1]], { account: b }));
      const renewal = await f.createPod([a, b], { previousPod: first.podId });
      expect((await f.troth.read.memberRecord([renewal.podId, b])).cycle).to.equal(2);
      const withC = await f.covenant([c, a], { previousPod: first.podId });
      await expectRevert(f.troth.write.createPod([withC, await f.signCovenant(withC)]), "PodNotRenewable", [
        first.podId,
        c,
      ]);
    });
  });

  describe("9. the governance module and on-chain approvals", () => {
    it("the module at its own address is no token contract to ERC-165", async () => {
      expect(await f.governance.read.supportsInterface(["0x80ac58cd"])).to.equal(false); // ERC-721
      expect(await f.governance.read.supportsInterface(["0x5b5e139f"])).to.equal(false); // metadata
      expect(await f.governance.read.supportsInterface(["0xb45a3c0e"])).to.equal(false); // ERC-5192
      expect(await f.governance.read.supportsInterface(["0x01ffc9a7"])).to.equal(true); // ERC-165
      expect(await f.troth.read.supportsInterface(["0x80ac58cd"])).to.equal(true);
    });

    it("an approval can be revoked before it is used", async () => {
      const { podId } = await f.createPod([a, b]);
      const deadline = BigInt((await f.now()) + DAY);
      const { digest } = await f.consentsTo("Pause", podId, {}, async () => [], { signers: [], deadline });
      await f.eventsOf(f.troth.write.approveHash([digest], { account: b }));
      const logs = await f.eventsOf(f.troth.write.revokeHash([digest], { account: b }));
      expectEvent(logs, "HashRevoked", { signer: b, digest }, 1);
      expect(await f.troth.read.isHashApproved([b, digest])).to.equal(false);
      const bEmpty = async (signer: Address, type: "Pause", message: Record<string, unknown>) =>
        signer === b ? ("0x" as Hex) : f.sign(f.walletOf(signer), type, message);
      await expectRevert(f.pause(podId, { deadline, consent: bEmpty as never }), "ConsentInvalidSignature", [
        b,
        digest,
      ]);
    });
  });

  it("a claim on a member is answered when they burn their token after the end", async () => {
    const { podId, tokenIds } = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0 });
    await afterClose(podId, 0);
    const made = await f.eventsOf(f.requestRecovery(tokenIds[1], f.accounts[16]));
    expectEvent(made, "ClaimMade");
    const logs = await f.eventsOf(f.troth.write.burn([tokenIds[1]], { account: b }));
    expectEvent(logs, "ClaimCancelled", { tokenId: tokenIds[1] }, 1);
    expect(getAddress(await f.troth.read.holderOf([tokenIds[1]]))).to.equal(zeroAddress);
    expectEqual((await f.troth.read.claimOf([tokenIds[1]])).kind, ClaimKind.None);
  });
});
