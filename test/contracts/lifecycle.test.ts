/**
 * The life of a pod beyond its rounds: restarting after a miss, leaving, adding and replacing partners, rotating the
 * keyring, renewing for another cycle (and graduating), and the encryption key registry.
 */
import { type Address, zeroAddress, zeroHash } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { expectEqual, expectEvent, expectNoEvent, expectRevert } from "../helpers/expect.ts";
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

describe("Life of a pod", () => {
  let f: TrothFixture;
  let a: Address;
  let b: Address;
  let c: Address;
  let d: Address;
  let stranger: Address;
  beforeAll(async () => {
    f = await deployTroth();
    [a, b, c, d] = f.accounts;
    stranger = f.accounts[8];
  });

  describe("restart", () => {
    it("needs a miss", async () => {
      const { podId, tokenIds } = await f.createPod([a, b]);
      await expectRevert(f.troth.write.restart([tokenIds[0], zeroHash], { account: a }), "RestartWithoutMiss", [
        tokenIds[0],
      ]);
      await f.atRound(podId, 0);
      await f.eventsOf(f.checkIn(a, tokenIds[0], 0, [b]));
      // Round 0 closed witnessed: still nothing to restart from.
      await f.at((await f.window(podId, 0)).closesAt);
      await expectRevert(f.troth.write.restart([tokenIds[0], zeroHash], { account: a }), "RestartWithoutMiss", [
        tokenIds[0],
      ]);
    });

    it("begins again after a miss, without erasing history, and counts the restart", async () => {
      const { podId, tokenIds } = await f.createPod([a, b]);
      const t = tokenIds[0];
      await f.atRound(podId, 0);
      await f.eventsOf(f.checkIn(a, t, 0, [b]));
      await f.at((await f.window(podId, 1)).closesAt);
      const lapsed = await f.lens.read.commitment([t]);
      expect(lapsed.status).to.equal(CommitmentStatus.Lapsed);
      expect(lapsed.missed).to.equal(1);

      const renewed = f.digest("a smaller, kinder commitment");
      const logs = await f.eventsOf(f.troth.write.restart([t, renewed], { account: a }));
      // The restart takes effect from the first round not yet closed (round 2).
      expectEvent(logs, "Restarted", { tokenId: t, round: 2, restarts: 1, commitmentDigest: renewed }, 1);
      const after = await f.lens.read.commitment([t]);
      expect(after.status).to.equal(CommitmentStatus.Active);
      expect(after.restarts).to.equal(1);
      expect(after.missed).to.equal(1);
      expect(after.witnessedRounds).to.equal(1n);
      expect(after.commitmentDigest).to.equal(renewed);
      expect(await f.troth.read.commitmentDigestOf([t])).to.equal(renewed);
      expect((await f.troth.read.memberRecord([podId, a])).restartFrom).to.equal(2);

      // The miss is answered: no second restart until another miss.
      await expectRevert(f.troth.write.restart([t, zeroHash], { account: a }), "RestartWithoutMiss", [t]);
      await f.at((await f.window(podId, 2)).closesAt);
      expect((await f.lens.read.commitment([t])).status).to.equal(CommitmentStatus.Lapsed);
      const again = await f.eventsOf(f.troth.write.restart([t, zeroHash], { account: a }));
      expectEvent(again, "Restarted", { tokenId: t, round: 3, restarts: 2, commitmentDigest: zeroHash }, 1);
      // A zero digest keeps the commitment.
      expect(await f.troth.read.commitmentDigestOf([t])).to.equal(renewed);
      expect((await f.lens.read.commitment([t])).missed).to.equal(2);
    });

    it("is refused to anyone but the holder, and to a member who left", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      await f.at((await f.window(podId, 0)).closesAt);
      await expectRevert(f.troth.write.restart([tokenIds[0], zeroHash], { account: b }), "CommitmentNotOwner", [
        tokenIds[0],
        b,
      ]);
      await f.eventsOf(f.troth.write.leave([tokenIds[0]], { account: a }));
      await expectRevert(f.troth.write.restart([tokenIds[0], zeroHash], { account: a }), "CommitmentInactive", [
        tokenIds[0],
      ]);
    });

    it("lets an ERC-1271 wallet restart", async () => {
      const wallet = (await f.deployWallet(a)).address;
      const { podId, tokenIds } = await f.createPod([wallet, b]);
      await f.at((await f.window(podId, 0)).closesAt);
      const logs = await f.eventsOf(f.send(wallet, "restart", [tokenIds[0], zeroHash]));
      expectEvent(logs, "Restarted", { tokenId: tokenIds[0], restarts: 1 }, 1);
    });
  });

  describe("leave", () => {
    it("ends the member's span at the rounds that have closed; their history stays", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      await f.atRound(podId, 0);
      await f.eventsOf(f.checkIn(c, tokenIds[2], 0, [a]));
      // Round 1 has closed (unwitnessed) once round 2 is two days old.
      await f.atRound(podId, 2, 2 * DAY + HOUR);
      const logs = await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: c }));
      expectEvent(logs, "MemberLeft", { podId, tokenId: tokenIds[2], member: c, endRound: 2 }, 1);

      const record = await f.troth.read.memberRecord([podId, c]);
      expect(record.status).to.equal(MemberStatus.Left);
      expect(record.endRound).to.equal(2);
      const view = await f.lens.read.commitment([tokenIds[2]]);
      expect(view.status).to.equal(CommitmentStatus.Left);
      expect(view.endRound).to.equal(2);
      expect(view.witnessed).to.equal(1);
      expect(view.missed).to.equal(1);
      expect(view.upcoming + view.open).to.equal(0);
      const states = await f.lens.read.roundStates([tokenIds[2]]);
      expect(states.slice(0, 3)).to.deep.equal([RoundState.Witnessed, RoundState.Missed, RoundState.Outside]);
      expect(states.slice(2).every((s) => s === RoundState.Outside)).to.equal(true);
      // The token stays with its holder, still soulbound.
      expect(await f.troth.read.ownerOf([tokenIds[2]])).to.equal(c);
      expect(await f.troth.read.locked([tokenIds[2]])).to.equal(true);
      expect(await f.troth.read.tokenOf([podId, c])).to.equal(tokenIds[2]);
      expect((await f.lens.read.pod([podId])).activeCount).to.equal(2);
    });

    it("keeps a round witnessed before it closed inside the span", async () => {
      const { podId, tokenIds } = await f.createPod([a, b]);
      await f.atRound(podId, 1);
      await f.eventsOf(f.checkIn(a, tokenIds[0], 1, [b]));
      const logs = await f.eventsOf(f.troth.write.leave([tokenIds[0]], { account: a }));
      // Round 0 is still in its grace (not closed) but round 1, witnessed, belongs to the span.
      expectEvent(logs, "MemberLeft", { endRound: 2 }, 1);
      const states = await f.lens.read.roundStates([tokenIds[0]]);
      expect(states.slice(0, 3)).to.deep.equal([RoundState.Open, RoundState.Witnessed, RoundState.Outside]);
    });

    it("before the pod starts, leaves an empty span", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      expectEvent(await f.eventsOf(f.troth.write.leave([tokenIds[1]], { account: b })), "MemberLeft", {
        endRound: 0,
      });
      const view = await f.lens.read.commitment([tokenIds[1]]);
      expect(view.witnessed + view.missed + view.open + view.upcoming + view.paused).to.equal(0);
      expect(await f.lens.read.roundStates([tokenIds[1]])).to.deep.equal(Array(13).fill(RoundState.Outside));
      expect((await f.lens.read.pod([podId])).status).to.equal(PodStatus.Scheduled);
    });

    it("is refused twice, to anyone but the holder, and for a token that does not exist", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      await expectRevert(f.troth.write.leave([tokenIds[0]], { account: b }), "CommitmentNotOwner", [tokenIds[0], b]);
      await expectRevert(f.troth.write.leave([tokenIds[0]], { account: stranger }), "CommitmentNotOwner", [
        tokenIds[0],
        stranger,
      ]);
      const missing = (podId << 8n) | 3n;
      await expectRevert(f.troth.write.leave([missing], { account: a }), "ERC721NonexistentToken", [missing]);
      await f.eventsOf(f.troth.write.leave([tokenIds[0]], { account: a }));
      await expectRevert(f.troth.write.leave([tokenIds[0]], { account: a }), "CommitmentInactive", [tokenIds[0]]);
    });

    it("is open to an ERC-1271 wallet", async () => {
      const wallet = (await f.deployWallet(c)).address;
      const { tokenIds } = await f.createPod([a, b, wallet]);
      expectEvent(await f.eventsOf(f.send(wallet, "leave", [tokenIds[2]])), "MemberLeft", { member: wallet });
    });
  });

  describe("adding a member", () => {
    it("mints the newcomer's token from the current round, with a new keyring", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      await f.atRound(podId, 2);
      const newcomer = f.newcomer(d);
      const logs = await f.eventsOf(f.addMember(podId, newcomer, { account: stranger }));
      const tokenId = (podId << 8n) | 3n;
      expectEvent(
        logs,
        "MemberAdded",
        {
          podId,
          tokenId,
          member: d,
          commitmentDigest: newcomer.commitmentDigest,
          joinedRound: 2,
          replacedTokenId: 0n,
        },
        1,
      );
      expectEvent(logs, "KeyringRotated", { podId, keyringDigest: newcomer.keyringDigest, by: stranger }, 1);
      expectEvent(logs, "Locked", { tokenId }, 1);
      expectEvent(logs, "Transfer", { from: zeroAddress, to: d, tokenId }, 1);
      expect(await f.troth.read.ownerOf([tokenId])).to.equal(d);
      expect(await f.troth.read.commitmentDigestOf([tokenId])).to.equal(newcomer.commitmentDigest);
      expect((await f.troth.read.podRecord([podId])).keyringDigest).to.equal(newcomer.keyringDigest);
      const record = await f.troth.read.memberRecord([podId, d]);
      expect(record.joinedRound).to.equal(2);
      expect(record.index).to.equal(3);
      expect(record.cycle).to.equal(1);
      const pod = await f.lens.read.pod([podId]);
      expect(pod.memberCount).to.equal(4);
      expect(pod.activeCount).to.equal(4);

      // Rounds before joining are outside the newcomer's span, even one still in its grace.
      const states = await f.lens.read.roundStates([tokenId]);
      expect(states.slice(0, 4)).to.deep.equal([
        RoundState.Outside,
        RoundState.Outside,
        RoundState.Open,
        RoundState.Upcoming,
      ]);
      const view = await f.lens.read.commitment([tokenId]);
      expect(view.joinedRound).to.equal(2);
      expect(view.open + view.upcoming).to.equal(11);
      await expectRevert(f.checkIn(d, tokenId, 1, [a]), "CheckInRoundNotOpen", [tokenId, 1]);
      expectEvent(await f.eventsOf(f.checkIn(d, tokenId, 2, [a])), "CheckedIn", { witnessed: true });
      // The newcomer witnesses the others at once.
      expectEvent(await f.eventsOf(f.checkIn(a, tokenIds[0], 2, [d])), "CheckedIn", { witnessed: true });
    });

    it("joins from round 0 before the pod starts", async () => {
      const { podId } = await f.createPod([a, b]);
      const logs = await f.eventsOf(f.addMember(podId, f.newcomer(c)));
      expectEvent(logs, "MemberAdded", { member: c, joinedRound: 0 }, 1);
    });

    it("refuses a member, a former member, and the zero address", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      const others = { signers: [a, b, c] };
      await expectRevert(f.addMember(podId, f.newcomer(b), others), "PodAlreadyMember", [podId, b]);
      await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: c }));
      await expectRevert(f.addMember(podId, f.newcomer(c), { signers: [a, b, c] }), "PodAlreadyMember", [podId, c]);
      await expectRevert(f.addMember(podId, f.newcomer(zeroAddress), { signers: [a, b] }), "PodInvalidMember", [
        zeroAddress,
      ]);
    });

    it("refuses a former member who burned their token: burning does not make them a stranger", async () => {
      // PodAlreadyMember: "`account` is, or was, a member of the pod".
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: c }));
      await f.eventsOf(f.troth.write.burn([tokenIds[2]], { account: c }));
      await expectRevert(f.addMember(podId, f.newcomer(c), { signers: [a, b, c] }), "PodAlreadyMember", [podId, c]);
      await expectRevert(f.replaceMember(podId, b, f.newcomer(c), { signers: [a, c] }), "PodAlreadyMember", [podId, c]);
    });

    it("refuses a ninth active member, but fills a place someone left", async () => {
      const eight = f.accounts.slice(0, 8);
      const { podId, tokenIds } = await f.createPod(eight);
      const ninth = f.accounts[10];
      await expectRevert(f.addMember(podId, f.newcomer(ninth)), "PodInvalidMemberCount", [9n]);
      await f.eventsOf(f.troth.write.leave([tokenIds[7]], { account: eight[7] }));
      await f.eventsOf(f.addMember(podId, f.newcomer(ninth)));
      const pod = await f.lens.read.pod([podId]);
      expect(pod.memberCount).to.equal(9);
      expect(pod.activeCount).to.equal(8);
      expect(await f.troth.read.ownerOf([(podId << 8n) | 8n])).to.equal(ninth);
    });

    it("refuses to add to a pod that has ended", async () => {
      const { podId } = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0 });
      await f.at((await f.window(podId, 0)).closesAt);
      await expectRevert(f.addMember(podId, f.newcomer(c)), "PodNotLive", [podId]);
    });
  });

  describe("replacing a member", () => {
    it("closes the replaced member's span and admits the newcomer in one change", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c], { quorum: 2 });
      await f.atRound(podId, 1, 3 * DAY);
      const newcomer = f.newcomer(d);
      const logs = await f.eventsOf(f.replaceMember(podId, b, newcomer));
      const tokenId = (podId << 8n) | 3n;
      expectEvent(logs, "MemberLeft", { podId, tokenId: tokenIds[1], member: b, endRound: 1, status: 3 }, 1);
      expectEvent(logs, "MemberAdded", { tokenId, member: d, joinedRound: 1, replacedTokenId: tokenIds[1] }, 1);
      expectEvent(logs, "KeyringRotated", { keyringDigest: newcomer.keyringDigest }, 1);
      expectNoEvent(logs, "PodAtRisk");

      expect((await f.troth.read.memberRecord([podId, b])).status).to.equal(MemberStatus.Replaced);
      expect((await f.lens.read.commitment([tokenIds[1]])).status).to.equal(CommitmentStatus.Replaced);
      const pod = await f.lens.read.pod([podId]);
      expect(pod.activeCount).to.equal(3);
      expect(pod.memberCount).to.equal(4);
      expect(pod.quorum).to.equal(2);
      expectEqual(
        (await f.lens.read.members([podId])).map((m) => [m.account, m.status, m.joinedRound]),
        [
          [a, MemberStatus.Active, 0],
          [b, MemberStatus.Replaced, 0],
          [c, MemberStatus.Active, 0],
          [d, MemberStatus.Active, 1],
        ],
      );
      // The replaced member neither checks in nor witnesses any more.
      await expectRevert(f.checkIn(b, tokenIds[1], 1), "CommitmentInactive", [tokenIds[1]]);
      await expectRevert(f.checkIn(a, tokenIds[0], 1, [b, c]), "WitnessInactive", [podId, b]);
      expectEvent(await f.eventsOf(f.checkIn(a, tokenIds[0], 1, [d, c])), "CheckedIn", { witnessed: true });
    });

    it("refuses to replace someone who is not an active member", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      await expectRevert(f.replaceMember(podId, stranger, f.newcomer(d), { signers: [] }), "PodNotMember", [
        podId,
        stranger,
      ]);
      await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: c }));
      await expectRevert(f.replaceMember(podId, c, f.newcomer(d), { signers: [] }), "PodNotMember", [podId, c]);
    });

    it("refuses a newcomer who is or was a member", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c, d]);
      await expectRevert(f.replaceMember(podId, b, f.newcomer(a), { signers: [] }), "PodAlreadyMember", [podId, a]);
      await f.eventsOf(f.troth.write.leave([tokenIds[3]], { account: d }));
      await expectRevert(f.replaceMember(podId, b, f.newcomer(d), { signers: [] }), "PodAlreadyMember", [podId, d]);
    });
  });

  describe("keyring", () => {
    it("is rotated by any active member", async () => {
      const { podId } = await f.createPod([a, b]);
      const keyring = f.digest("keyring after someone left");
      const logs = await f.eventsOf(f.troth.write.rotateKeyring([podId, keyring], { account: b }));
      expectEvent(logs, "KeyringRotated", { podId, keyringDigest: keyring, by: b }, 1);
      expect((await f.troth.read.podRecord([podId])).keyringDigest).to.equal(keyring);
      expect((await f.lens.read.pod([podId])).keyringDigest).to.equal(keyring);
    });

    it("is rotated by an ERC-1271 wallet member", async () => {
      const wallet = (await f.deployWallet(b)).address;
      const { podId } = await f.createPod([a, wallet]);
      const keyring = f.digest("wallet keyring");
      expectEvent(await f.eventsOf(f.send(wallet, "rotateKeyring", [podId, keyring])), "KeyringRotated", {
        by: wallet,
      });
    });

    it("is refused to strangers, former members, and for a pod that does not exist", async () => {
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      const keyring = f.digest("k");
      await expectRevert(f.troth.write.rotateKeyring([podId, keyring], { account: stranger }), "PodNotMember", [
        podId,
        stranger,
      ]);
      await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: c }));
      await expectRevert(f.troth.write.rotateKeyring([podId, keyring], { account: c }), "PodNotMember", [podId, c]);
      await expectRevert(f.troth.write.rotateKeyring([4242n, keyring], { account: a }), "PodNonexistent", [4242n]);
    });
  });

  describe("renewal", () => {
    /** A short first cycle: two daily rounds, no grace. */
    async function firstCycle(members: Address[]) {
      const first = await f.createPod(members, { rounds: 2, cadence: DAY, grace: 0 });
      const last = await f.window(first.podId, 1);
      return { ...first, endsAt: last.closesAt };
    }

    /** Every member checks in for `rounds`, witnessed by the next member: a cycle lived. */
    async function live(pod: { podId: bigint; tokenIds: bigint[] }, members: Address[], rounds: number[]) {
      for (const round of rounds) {
        await f.atRound(pod.podId, round);
        for (const [i, member] of members.entries()) {
          await f.eventsOf(f.checkIn(member, pod.tokenIds[i], round, [members[(i + 1) % members.length]]));
        }
      }
    }

    it("is refused until the previous pod's last round has closed", async () => {
      const first = await firstCycle([a, b]);
      const early = await f.covenant([a, b], { previousPod: first.podId, start: first.endsAt + HOUR });
      const earlySigs = await f.signCovenant(early);
      const onTime = await f.covenant([a, b], { previousPod: first.podId, start: first.endsAt + HOUR });
      const onTimeSigs = await f.signCovenant(onTime);
      await f.atNext(first.endsAt - 1);
      await expectRevert(f.troth.write.createPod([early, earlySigs]), "PodNotEnded", [first.podId]);
      await f.atNext(first.endsAt);
      await f.eventsOf(f.troth.write.createPod([onTime, onTimeSigs]));
    });

    it("continues each member's lineage in cycle 2, and graduates them when it ends", async () => {
      const first = await firstCycle([a, b, c]);
      await live(first, [a, b, c], [0, 1]);
      await f.at(first.endsAt);
      // A new order: b first.
      const second = await f.createPod([b, a, c], { rounds: 1, cadence: DAY, grace: 0, previousPod: first.podId });
      const logs = await f.eventsOf(second.receipt.transactionHash);
      expectEvent(logs, "PodCreated", { podId: second.podId, previousPod: first.podId, cycle: 2 }, 1);
      const record = await f.troth.read.podRecord([second.podId]);
      expect(record.previousPod).to.equal(first.podId);
      expect(record.cycle).to.equal(2);
      const pod = await f.lens.read.pod([second.podId]);
      expect(pod.cycle).to.equal(2);
      expect(pod.previousPod).to.equal(first.podId);
      const memberB = await f.troth.read.memberRecord([second.podId, b]);
      expect(memberB.cycle).to.equal(2);
      expect(memberB.previousIndex).to.equal(1);
      const view = await f.lens.read.commitment([second.tokenIds[0]]);
      expect(view.cycle).to.equal(2);
      expect(view.previousTokenId).to.equal(first.tokenIds[1]);

      expect((await f.lens.read.commitment([first.tokenIds[0]])).status).to.equal(CommitmentStatus.Completed);
      expect((await f.lens.read.commitment([second.tokenIds[0]])).status).to.equal(CommitmentStatus.Active);
      await live(second, [b, a, c], [0]);
      await f.at((await f.window(second.podId, 0)).closesAt);
      expect((await f.lens.read.commitment([second.tokenIds[0]])).status).to.equal(CommitmentStatus.Graduated);
      expect((await f.lens.read.pod([second.podId])).status).to.equal(PodStatus.Ended);

      // And on to cycle 3.
      const third = await f.createPod([a, b], { previousPod: second.podId });
      expect((await f.troth.read.podRecord([third.podId])).cycle).to.equal(3);
      expect((await f.troth.read.memberRecord([third.podId, a])).cycle).to.equal(3);
      expect((await f.lens.read.commitment([third.tokenIds[0]])).previousTokenId).to.equal(second.tokenIds[1]);
    });

    it("keeps a graduation once earned: a partner leaving after the end does not dissolve it", async () => {
      const first = await firstCycle([a, b]);
      await live(first, [a, b], [0, 1]);
      await f.at(first.endsAt);
      const second = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0, previousPod: first.podId });
      await f.atRound(second.podId, 0);
      await f.eventsOf(f.checkIn(a, second.tokenIds[0], 0, [b]));
      await f.at((await f.window(second.podId, 0)).closesAt);
      expect((await f.lens.read.commitment([second.tokenIds[0]])).status).to.equal(CommitmentStatus.Graduated);
      // The cycle is over; b walks away afterwards. The choice is recorded, the pod and a's record stay as they ended.
      const logs = await f.eventsOf(f.troth.write.leave([second.tokenIds[1]], { account: b }));
      expectEvent(logs, "MemberLeft", { podId: second.podId, member: b, endRound: 1, status: 2 }, 1);
      expectNoEvent(logs, "PodAtRisk");
      expect((await f.lens.read.commitment([second.tokenIds[1]])).status).to.equal(CommitmentStatus.Left);
      expect((await f.lens.read.pod([second.podId])).status).to.equal(PodStatus.Ended);
      expect((await f.lens.read.commitment([second.tokenIds[0]])).status).to.equal(CommitmentStatus.Graduated);
    });

    it("is open to a member who stayed to the end and burned their token afterwards", async () => {
      // Renewal asks that every member was active to the previous pod's end; burning after the end changes nothing.
      const first = await firstCycle([a, b]);
      await f.at(first.endsAt);
      await f.eventsOf(f.troth.write.burn([first.tokenIds[0]], { account: a }));
      const renewal = await f.createPod([a, b], { previousPod: first.podId });
      expect((await f.troth.read.memberRecord([renewal.podId, a])).cycle).to.equal(2);
    });

    it("is refused for a member who left, was replaced, or never belonged", async () => {
      const first = await firstCycle([a, b, c, d]);
      await f.eventsOf(f.troth.write.leave([first.tokenIds[3]], { account: d }));
      await f.eventsOf(f.replaceMember(first.podId, c, f.newcomer(stranger)));
      await f.at(first.endsAt);
      for (const outsider of [d, c, f.accounts[11]]) {
        const renewal = await f.covenant([a, b, outsider], { previousPod: first.podId });
        await expectRevert(f.troth.write.createPod([renewal, await f.signCovenant(renewal)]), "PodNotRenewable", [
          first.podId,
          outsider,
        ]);
      }
      // The newcomer who stayed to the end renews like a founder.
      const renewal = await f.createPod([a, b, stranger], { previousPod: first.podId });
      expect((await f.troth.read.memberRecord([renewal.podId, stranger])).cycle).to.equal(2);
    });
  });

  describe("encryption key registry", () => {
    it("publishes, replaces and reads each account's key", async () => {
      const key = f.digest("x25519 public key");
      expect(await f.troth.read.encryptionKey([stranger])).to.equal(zeroHash);
      const logs = await f.eventsOf(f.troth.write.publishEncryptionKey([key], { account: stranger }));
      expectEvent(logs, "EncryptionKeyPublished", { account: stranger, key }, 1);
      expect(await f.troth.read.encryptionKey([stranger])).to.equal(key);
      const next = f.digest("rotated key");
      await f.eventsOf(f.troth.write.publishEncryptionKey([next], { account: stranger }));
      expect(await f.troth.read.encryptionKey([stranger])).to.equal(next);
      expect(await f.troth.read.encryptionKey([a])).to.not.equal(next);
    });

    it("refuses the zero key", async () => {
      await expectRevert(f.troth.write.publishEncryptionKey([zeroHash], { account: c }), "KeyRegistryInvalidKey", [
        c,
        zeroHash,
      ]);
    });

    it("takes a contract wallet's key", async () => {
      const wallet = (await f.deployWallet(d)).address;
      const key = f.digest("wallet key");
      await f.eventsOf(f.send(wallet, "publishEncryptionKey", [key]));
      expect(await f.troth.read.encryptionKey([wallet])).to.equal(key);
    });
  });
});
