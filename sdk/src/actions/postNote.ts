import { type Account, type Address, getAddress, type Hash, type Hex } from "viem";
import { requireAccount, type TrothClient } from "../client.ts";
import { NOTE_MAX_LENGTH, sealDocument } from "../crypto/documents.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import type { DocumentValidationError } from "../errors/document.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, prepareWrite, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { splitToken } from "../internal/pod.ts";
import { requireActive, writingKey } from "../internal/report.ts";
import { blobRef } from "../storage/cid.ts";

export type PostNoteParameters = WriteOptions & {
  /** The author's own commitment. */
  tokenId: bigint;
  /** The open round the note is written in. */
  round: number;
  /** A few sentences (at most {@link NOTE_MAX_LENGTH} characters). */
  text: string;
  /** The author's identity key (the note is encrypted for the pod). */
  identity: IdentityKey;
};
export type PostNoteReturnType = Hash;
export type PostNoteErrorType = TrothContractError | DocumentValidationError;

/** `NoteKind` as the contract numbers it. */
export const noteKinds = { note: 0, reply: 1 } as const;

/** The address of a sender given as an account or an address. */
export function accountAddress(account: Account | Address): Address {
  return getAddress(typeof account === "string" ? account : account.address);
}

async function submit(client: TrothClient, parameters: PostNoteParameters) {
  const { tokenId, round, text, identity } = parameters;
  const account = requireAccount(client, parameters.account, "postNote");
  const author = accountAddress(account);
  const { podId, index } = splitToken(tokenId);
  const { podKey } = await writingKey(client, podId, identity, (active) => requireActive(active, podId, author));
  const blob = sealDocument(
    { type: "troth/note", version: 1, from: author, text },
    {
      key: podKey.key,
      slot: { pod: podKey.pod, epoch: podKey.epoch, kind: "note", member: index, round },
      random: client.random,
    },
  );
  const { digest } = blobRef(blob);
  const send = await prepareWrite(client, "postNote", "note", [tokenId, round, digest, noteKinds.note], account);
  await client.store.put(blob);
  return { hash: await send(), digest };
}

/**
 * Posts a short note between meetings: encrypted for the pod like a report, stored, and made findable by the
 * partners with one cheap transaction (`Noted`; the chain keeps only that a note exists). Partners read it with
 * `readNotes` and answer it with `postReply`.
 *
 * @example
 * ```ts
 * const hash = await postNote(aliceTroth, { tokenId, round: 2, text: "Two drafts done; the third stalls.", identity });
 * ```
 */
export async function postNote(client: TrothClient, parameters: PostNoteParameters): Promise<PostNoteReturnType> {
  return (await submit(client, parameters)).hash;
}

/**
 * {@link postNote}, then waits: returns the note's digest (as the `Noted` event carries it).
 *
 * @example
 * ```ts
 * const { digest } = await postNoteSync(aliceTroth, { tokenId, round: 2, text, identity });
 * ```
 */
export async function postNoteSync(client: TrothClient, parameters: PostNoteParameters) {
  const { hash } = await submit(client, parameters);
  const result = await waitForEvents(client, hash);
  const [event] = eventsNamed(result.events, "Noted");
  return { ...result, digest: event.args.digest as Hex, round: event.args.round };
}

export { NOTE_MAX_LENGTH };
