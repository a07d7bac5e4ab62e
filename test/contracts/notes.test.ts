/**
 * Notes and replies (`note`, `Noted`): how members find each other's notes between meetings and the replies to their
 * check-ins without a server. The chain keeps nothing but the event; each rule is played as the attack it refuses:
 * a stranger, a member who left, a note in a partner's name, a reply to oneself, a round not open, an empty digest.
 */
import { type Address, zeroHash } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { expectEvent, expectRevert } from "../helpers/expect.ts";
import { deployTroth, type TrothFixture } from "../helpers/troth.ts";

const Note = 0;
const Reply = 1;

describe("notes and replies", () => {
  let f: TrothFixture;
  let a: Address;
  let b: Address;
  let c: Address;
  let stranger: Address;
  beforeAll(async () => {
    f = await deployTroth();
    [a, b, c] = f.accounts;
    stranger = f.accounts[8];
  });

  async function openPod() {
    const pod = await f.createPod([a, b, c], { quorum: 2 });
    await f.atRound(pod.podId, 0);
    return pod;
  }

  it("emits Noted with the digest and stores nothing: a note about one's own commitment, a reply to a partner's", async () => {
    const { podId, tokenIds } = await openPod();
    const logs = await f.eventsOf(f.troth.write.note([tokenIds[0], 0, f.digest("a's note"), Note], { account: a }));
    expectEvent(
      logs,
      "Noted",
      { podId, tokenId: tokenIds[0], round: 0, author: a, digest: f.digest("a's note"), kind: Note },
      1,
    );
    expect(logs).toHaveLength(1);
    const reply = await f.eventsOf(f.troth.write.note([tokenIds[0], 0, f.digest("b's reply"), Reply], { account: b }));
    expectEvent(reply, "Noted", { tokenId: tokenIds[0], author: b, kind: Reply }, 1);
    // The reply needs no check-in to answer yet: in a meeting, listeners answer while the speaker still holds the
    // check-in and its signatures.
    expect((await f.troth.read.memberRecord([podId, a])).reported).to.equal(0n);
  });

  it("refuses a stranger, in their own name or replying", async () => {
    const { podId, tokenIds } = await openPod();
    await expectRevert(
      f.troth.write.note([tokenIds[0], 0, f.digest("spam"), Note], { account: stranger }),
      "PodNotMember",
      [podId, stranger],
    );
    await expectRevert(
      f.troth.write.note([tokenIds[1], 0, f.digest("spam"), Reply], { account: stranger }),
      "PodNotMember",
      [podId, stranger],
    );
  });

  it("refuses a member who left, and a reply to a member who left", async () => {
    const { podId, tokenIds } = await openPod();
    await f.troth.write.leave([tokenIds[2]], { account: c });
    await expectRevert(f.troth.write.note([tokenIds[2], 0, f.digest("after"), Note], { account: c }), "PodNotMember", [
      podId,
      c,
    ]);
    await expectRevert(
      f.troth.write.note([tokenIds[2], 0, f.digest("to c"), Reply], { account: a }),
      "CommitmentInactive",
      [tokenIds[2]],
    );
  });

  it("refuses a note in a partner's name and a reply to oneself", async () => {
    const { tokenIds } = await openPod();
    await expectRevert(
      f.troth.write.note([tokenIds[1], 0, f.digest("as b"), Note], { account: a }),
      "CommitmentNotOwner",
      [tokenIds[1], a],
    );
    await expectRevert(f.troth.write.note([tokenIds[0], 0, f.digest("me"), Reply], { account: a }), "WitnessSelf", [
      tokenIds[0],
      a,
    ]);
  });

  it("refuses a token of another pod (a member of one pod posting into another)", async () => {
    const { tokenIds } = await openPod();
    const other = await f.createPod([b, c]);
    await f.atRound(other.podId, 0);
    // a holds index 0 here, and the other pod's token 0 is b's: a is no member of that pod.
    await expectRevert(
      f.troth.write.note([other.tokenIds[0], 0, f.digest("x"), Note], { account: a }),
      "PodNotMember",
      [other.podId, a],
    );
    expect(tokenIds[0] >> 8n).not.to.equal(other.podId);
  });

  it("refuses a round that is not open: upcoming, closed, beyond the cycle", async () => {
    const { podId, tokenIds } = await openPod();
    for (const round of [1, 200]) {
      await expectRevert(
        f.troth.write.note([tokenIds[0], round, f.digest("r"), Note], { account: a }),
        "CheckInRoundNotOpen",
        [tokenIds[0], round],
      );
    }
    await f.at((await f.window(podId, 0)).closesAt);
    await expectRevert(
      f.troth.write.note([tokenIds[1], 0, f.digest("late"), Reply], { account: a }),
      "CheckInRoundNotOpen",
      [tokenIds[1], 0],
    );
  });

  it("refuses an empty digest", async () => {
    const { tokenIds } = await openPod();
    await expectRevert(f.troth.write.note([tokenIds[0], 0, zeroHash, Note], { account: a }), "NoteEmpty", [
      tokenIds[0],
      0,
    ]);
  });

  it("posting the same digest again is only a repeat: readers count a digest once", async () => {
    // Nothing is stored, so a replayed digest is another event, not another document; the SDK keeps the first.
    const { tokenIds } = await openPod();
    const digest = f.digest("twice");
    await f.troth.write.note([tokenIds[0], 0, digest, Note], { account: a });
    const logs = await f.eventsOf(f.troth.write.note([tokenIds[0], 0, digest, Note], { account: a }));
    expectEvent(logs, "Noted", { digest }, 1);
  });

  it("is an action: it answers a claim standing on the author", async () => {
    const pod = await f.createPod([a, b, c]);
    await f.at((await f.window(pod.podId, 1)).closesAt + 1);
    await f.proposeReplacement(pod.podId, c, f.newcomer(f.accounts[7]));
    const round = Number((await f.lens.read.pod([pod.podId])).currentRound);
    const logs = await f.eventsOf(f.troth.write.note([pod.tokenIds[2], round, f.digest("here"), Note], { account: c }));
    expectEvent(logs, "ClaimCancelled", { tokenId: pod.tokenIds[2], member: c }, 1);
  });
});
