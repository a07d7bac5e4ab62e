import { type Address, getAddress, type Hash, type Hex, isAddressEqual } from "viem";
import type { TrothClient } from "../client.ts";
import type { NoteDocument, ReplyDocument } from "../crypto/documents.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { NoteAuthorMismatchError } from "../errors/document.ts";
import { trothAbi } from "../generated/abis.ts";
import { readTroth } from "../internal/contract.ts";
import { splitToken } from "../internal/pod.ts";
import { openPodDocument } from "../internal/read.ts";
import type { ReadCovenantErrorType } from "./readCovenant.ts";

/**
 * The most documents read per author, round and kind. Posting costs gas but nothing stops a member from posting many
 * digests (or digests of nothing, which make a reader wait on the network); a reader opens the first ones only and
 * names how many it left.
 */
export const MAX_NOTES_PER_AUTHOR_ROUND = 8;

/** Where a note or reply was found: the `Noted` event that announced it. */
export type NoteOrigin = {
  /** The commitment the document is about: the author's own (a note) or the partner's it answers (a reply). */
  tokenId: bigint;
  /** That commitment's member index. */
  member: number;
  round: number;
  author: Address;
  digest: Hex;
  blockNumber: bigint;
  transactionHash: Hash;
};

type Candidate = NoteOrigin & { kind: "note" | "reply" };

/** A note or reply found on the chain and opened. */
export type PodNote =
  | (NoteOrigin & { kind: "note"; document: NoteDocument })
  | (NoteOrigin & { kind: "reply"; document: ReplyDocument });

export type ReadNotesParameters = {
  podId: bigint;
  identity: IdentityKey;
  /** Only this round's notes and replies. */
  round?: number;
  /** Only those about this commitment (its notes and the replies it received). */
  tokenId?: bigint;
  /** The first block to look in (default: the deployment's). */
  fromBlock?: bigint;
};
export type ReadNotesReturnType = {
  /** The readable notes and replies, oldest first; each digest once. */
  notes: PodNote[];
  /** NoteOrigin but not shown: not fetched, not decrypted, or posted in someone else's name; with the reason. */
  unreadable: (NoteOrigin & { kind: "note" | "reply"; error: Error })[];
  /** Left unread past {@link MAX_NOTES_PER_AUTHOR_ROUND}, per author. */
  skipped: { author: Address; count: number }[];
};
export type ReadNotesErrorType = ReadCovenantErrorType | NoteAuthorMismatchError;

/**
 * Finds a pod's notes and replies (`Noted` events, no server) and opens them with the member's key. Each digest counts
 * once (a re-post is a repeat), a document must name the member who posted it, and a flood from one author is cut at
 * {@link MAX_NOTES_PER_AUTHOR_ROUND} per round and kind.
 *
 * @example
 * ```ts
 * const { notes } = await readNotes(bobTroth, { podId, identity: bobIdentity });
 * for (const n of notes) if (n.kind === "note") console.log(n.author, n.document.text);
 * ```
 */
export async function readNotes(client: TrothClient, parameters: ReadNotesParameters): Promise<ReadNotesReturnType> {
  const { podId, identity, round, tokenId } = parameters;
  const logs = await client.publicClient.getContractEvents({
    address: client.address,
    abi: trothAbi,
    eventName: "Noted",
    args: { podId, ...(tokenId === undefined ? {} : { tokenId }) },
    fromBlock: parameters.fromBlock ?? client.startBlock,
  });
  // Each digest once. A copy posted by someone else (a front-runner re-posting a partner's digest, or replaying it
  // about another member) must not hide the genuine one: every poster of a digest is a candidate, and the first whose
  // slot opens the document and who is the author it names wins.
  const byDigest = new Map<string, Candidate[]>();
  const perSlot = new Map<string, number>();
  const skippedBy = new Map<Address, number>();
  for (const log of logs) {
    const { args } = log;
    if (args.tokenId === undefined || args.round === undefined || !args.author || !args.digest) continue;
    if (round !== undefined && args.round !== round) continue;
    const kind = args.kind === 1 ? "reply" : "note";
    const author = getAddress(args.author);
    const slot = `${author}:${args.round}:${kind}`;
    const count = (perSlot.get(slot) ?? 0) + 1;
    perSlot.set(slot, count);
    if (count > MAX_NOTES_PER_AUTHOR_ROUND) {
      skippedBy.set(author, (skippedBy.get(author) ?? 0) + 1);
      continue;
    }
    const key = args.digest.toLowerCase();
    const candidates = byDigest.get(key) ?? [];
    byDigest.set(key, candidates);
    candidates.push({
      kind,
      tokenId: args.tokenId,
      member: splitToken(args.tokenId).index,
      round: args.round,
      author,
      digest: args.digest,
      blockNumber: log.blockNumber ?? 0n,
      transactionHash: log.transactionHash ?? "0x",
    });
  }
  const { keyringDigest } = await readTroth(client, "podRecord", [podId]);
  const open = async (f: Candidate): Promise<PodNote> => {
    const document = await openPodDocument(client, {
      podId,
      digest: f.digest,
      kind: f.kind,
      member: f.member,
      round: f.round,
      identity,
      keyringDigest,
    });
    if (!isAddressEqual(document.from, f.author)) {
      throw new NoteAuthorMismatchError({ digest: f.digest, posted: f.author, named: document.from });
    }
    return { ...f, document } as PodNote;
  };
  const results = await Promise.all(
    [...byDigest.values()].map(async (candidates) => {
      let error: Error | undefined;
      for (const candidate of candidates) {
        try {
          return { note: await open(candidate) };
        } catch (e) {
          error = e as Error;
        }
      }
      return { failed: { ...candidates[0], error: error as Error } };
    }),
  );
  const notes: PodNote[] = [];
  const unreadable: ReadNotesReturnType["unreadable"] = [];
  for (const result of results) {
    if (result.note) notes.push(result.note);
    else if (result.failed) unreadable.push(result.failed);
  }
  notes.sort((x, y) => (x.blockNumber === y.blockNumber ? 0 : x.blockNumber < y.blockNumber ? -1 : 1));
  return { notes, unreadable, skipped: [...skippedBy].map(([author, count]) => ({ author, count })) };
}
