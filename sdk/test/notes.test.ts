/**
 * Notes between meetings and replies that find their way (issue 14 item 1): a reply posted by a partner reaches the
 * member whichever way the partner witnessed, a note is read and answered, and the attacks on findability are played:
 * a re-post of a partner's document in one's own name, a flood of digests, a note replayed into another slot.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writingKey } from "../src/internal/report.ts";
import { blobRef } from "../src/storage/cid.ts";
import {
  checkInSync,
  createPodSync,
  MAX_NOTES_PER_AUTHOR_ROUND,
  NoteAuthorMismatchError,
  NotMemberError,
  postNoteSync,
  postReplySync,
  readNotes,
  readReplies,
  sealDocument,
  signWitness,
  witnessSync,
} from "./helpers/exports.ts";
import { HOUR, type SdkFixture, setupSdk } from "./helpers/setup.ts";

let s: SdkFixture;
beforeAll(async () => {
  s = await setupSdk();
});
afterAll(async () => {
  await s?.close();
});

async function pod() {
  const [A, B, C] = s.accounts;
  const [a] = s.clients;
  const created = await createPodSync(a, {
    title: "Notes",
    whenSomeoneMisses: "We ask",
    members: [A, B, C].map((address, i) => ({ address, commitment: `commitment ${i}` })),
    signers: s.wallets.slice(0, 3),
  });
  await s.f.at(created.covenant.start + HOUR);
  return created;
}

const report = { said: "I said I'd write", blocked: "", next: "Write more" };

describe("notes and replies", () => {
  it("a reply posted after witnessing by transaction reaches the member, with no link", async () => {
    const [, B, C] = s.accounts;
    const [a, b, c] = s.clients;
    const [ia, ib, ic] = s.identities;
    const { tokenIds } = await pod();
    const { reportDigest } = await checkInSync(a, { tokenId: tokenIds[0], round: 0, report, identity: ia });
    await witnessSync(b, { tokenId: tokenIds[0], round: 0, reportDigest });
    await postReplySync(b, { tokenId: tokenIds[0], round: 0, reply: "What did you notice?", identity: ib });
    // C witnesses by signature: the reply rides with the signature and is posted too; counted once.
    const signed = await signWitness(c, {
      tokenId: tokenIds[0],
      round: 0,
      reportDigest,
      signer: s.wallets[2],
      reply: "Thank you",
      identity: ic,
    });
    const replies = await readReplies(a, { tokenId: tokenIds[0], round: 0, replies: [signed.reply!], identity: ia });
    expect(replies.map((r) => [r.from, r.reply]).sort()).to.deep.equal(
      [
        [B, "What did you notice?"],
        [C, "Thank you"],
      ].sort(),
    );
    // Found on the chain alone (a reload, another device): B's reply.
    expect(await readReplies(a, { tokenId: tokenIds[0], round: 0, identity: ia })).to.deep.equal([
      { type: "troth/reply", version: 1, from: B, reply: "What did you notice?" },
    ]);
  });

  it("a note is read by the partners and answered under the listening rule", async () => {
    const [A, B] = s.accounts;
    const [a, b, c] = s.clients;
    const [ia, ib, ic] = s.identities;
    const { podId, tokenIds } = await pod();
    const text = "Two drafts done. The third stalls, and I know why.";
    const { digest } = await postNoteSync(a, { tokenId: tokenIds[0], round: 0, text, identity: ia });
    await postReplySync(b, { tokenId: tokenIds[0], round: 0, reply: "Thank you", note: digest, identity: ib });
    const { notes, unreadable } = await readNotes(c, { podId, identity: ic });
    expect(unreadable).to.deep.equal([]);
    expect(notes.map((n) => [n.kind, n.author])).to.deep.equal([
      ["note", A],
      ["reply", B],
    ]);
    expect(notes[0].document).to.deep.include({ text });
    expect(notes[1].document).to.deep.include({ reply: "Thank you", note: digest });
    // A reply to a note is not a reply to the check-in.
    expect(await readReplies(a, { tokenId: tokenIds[0], round: 0, identity: ia })).to.deep.equal([]);
  });

  it("refuses a stranger before anything is encrypted or sent", async () => {
    const { tokenIds } = await pod();
    const stranger = s.clients[4];
    await expect(
      postNoteSync(stranger, { tokenId: tokenIds[0], round: 0, text: "hi", identity: s.identities[4] }),
    ).rejects.toBeInstanceOf(NotMemberError);
  });

  it("a partner's reply re-posted first by someone else (front-run, or about another member) still shows as theirs", async () => {
    const [a] = s.clients;
    const [ia] = s.identities;
    const [, B, C] = s.accounts;
    const { podId, tokenIds } = await pod();
    // B's reply is stored; C copies its digest into two events of their own before B's lands: one in the same slot
    // (C's name on B's words) and one about another member (a replay into another slot).
    const note = async (tokenId: bigint, digest: `0x${string}`, account: `0x${string}`) =>
      s.f.publicClient.waitForTransactionReceipt({
        hash: await s.f.troth.write.note([tokenId, 0, digest, 1], { account }),
      });
    const genuine = await postReplySync(s.clients[1], {
      tokenId: tokenIds[0],
      round: 0,
      reply: "What did you notice?",
      identity: s.identities[1],
    });
    await note(tokenIds[0], genuine.digest, C);
    await note(tokenIds[1], genuine.digest, C);
    const { notes, unreadable } = await readNotes(a, { podId, identity: ia });
    expect(notes.map((n) => [n.author, n.tokenId])).to.deep.equal([[B, tokenIds[0]]]);
    expect(unreadable).to.deep.equal([]);
  });

  it("a document naming someone other than its poster is refused, with the reason", async () => {
    const [a, , c] = s.clients;
    const [ia, , ic] = s.identities;
    const [, B, C] = s.accounts;
    const { podId, tokenIds } = await pod();
    // C seals a reply in B's name (C holds the pod key as any member does) and posts it as C.
    const { podKey } = await writingKey(c, podId, ic);
    const blob = sealDocument(
      { type: "troth/reply", version: 1, from: B, reply: "What did you notice?" },
      { key: podKey.key, slot: { pod: podKey.pod, epoch: podKey.epoch, kind: "reply", member: 0, round: 0 } },
    );
    await c.store.put(blob);
    const { digest } = blobRef(blob);
    await s.f.publicClient.waitForTransactionReceipt({
      hash: await s.f.troth.write.note([tokenIds[0], 0, digest, 1], { account: C }),
    });
    const { notes, unreadable } = await readNotes(a, { podId, identity: ia });
    expect(notes).to.deep.equal([]);
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0].error).toBeInstanceOf(NoteAuthorMismatchError);
    expect(await readReplies(a, { tokenId: tokenIds[0], round: 0, identity: ia })).to.deep.equal([]);
  });

  it("a flood of digests from one author is cut, and unreadable ones are named, not thrown", async () => {
    const [a] = s.clients;
    const [ia] = s.identities;
    const { podId, tokenIds } = await pod();
    for (let i = 0; i < MAX_NOTES_PER_AUTHOR_ROUND + 2; i++) {
      const hash = await s.f.troth.write.note([tokenIds[1], 0, s.f.digest(`junk ${i}`), 0], { account: s.accounts[1] });
      await s.f.publicClient.waitForTransactionReceipt({ hash });
    }
    const { notes, unreadable, skipped } = await readNotes(a, { podId, identity: ia });
    expect(notes).toHaveLength(0);
    expect(unreadable).toHaveLength(MAX_NOTES_PER_AUTHOR_ROUND);
    expect(skipped).to.deep.equal([{ author: s.accounts[1], count: 2 }]);
  }, 60_000);
});
