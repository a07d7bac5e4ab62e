import type { Hash, Hex } from "viem";
import { requireAccount, type TrothClient } from "../client.ts";
import { sealDocument, type WitnessReplyText } from "../crypto/documents.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import type { ListeningRuleError } from "../errors/document.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, prepareWrite, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { splitToken } from "../internal/pod.ts";
import { requireActive, writingKey } from "../internal/report.ts";
import { blobRef } from "../storage/cid.ts";
import { accountAddress, noteKinds } from "./postNote.ts";

export type PostReplyParameters = WriteOptions & {
  /** The partner's commitment whose check-in (or note) this answers. */
  tokenId: bigint;
  /** The round of that check-in or note (it must still be open). */
  round: number;
  /** Only "Thank you" or "What did you notice?" (the listening rule). */
  reply: WitnessReplyText;
  /** The digest of the note this answers; omit to answer the check-in. */
  note?: Hex;
  /** The author's identity key (the reply is encrypted for the pod). */
  identity: IdentityKey;
};
export type PostReplyReturnType = Hash;
export type PostReplyErrorType = TrothContractError | ListeningRuleError;

async function submit(client: TrothClient, parameters: PostReplyParameters) {
  const { tokenId, round, reply, note, identity } = parameters;
  const account = requireAccount(client, parameters.account, "postReply");
  const author = accountAddress(account);
  const { podId, index } = splitToken(tokenId);
  const { podKey } = await writingKey(client, podId, identity, (active) => requireActive(active, podId, author));
  const blob = sealDocument(
    { type: "troth/reply", version: 1, from: author, reply, ...(note ? { note } : {}) },
    {
      key: podKey.key,
      slot: { pod: podKey.pod, epoch: podKey.epoch, kind: "reply", member: index, round },
      random: client.random,
    },
  );
  const { digest } = blobRef(blob);
  const send = await prepareWrite(client, "postReply", "note", [tokenId, round, digest, noteKinds.reply], account);
  await client.store.put(blob);
  return { hash: await send(), digest };
}

/**
 * Answers a partner's check-in or note under the listening rule ("Thank you" or "What did you notice?"): the reply
 * is encrypted for the pod, stored, and made findable with one cheap transaction (`Noted`), so it reaches the partner
 * however the check-in was witnessed, with no link carried by hand. `readReplies` and `readNotes` find it.
 *
 * @example
 * ```ts
 * const hash = await postReply(bobTroth, { tokenId: aliceToken, round: 2, reply: "What did you notice?", identity });
 * ```
 */
export async function postReply(client: TrothClient, parameters: PostReplyParameters): Promise<PostReplyReturnType> {
  return (await submit(client, parameters)).hash;
}

/**
 * {@link postReply}, then waits: returns the reply's digest (as the `Noted` event carries it).
 *
 * @example
 * ```ts
 * const { digest } = await postReplySync(bobTroth, { tokenId: aliceToken, round: 2, reply: "Thank you", identity });
 * ```
 */
export async function postReplySync(client: TrothClient, parameters: PostReplyParameters) {
  const { hash } = await submit(client, parameters);
  const result = await waitForEvents(client, hash);
  const [event] = eventsNamed(result.events, "Noted");
  return { ...result, digest: event.args.digest as Hex, round: event.args.round };
}
