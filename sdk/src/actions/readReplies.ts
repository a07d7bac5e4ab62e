import type { Hex } from "viem";
import type { TrothClient } from "../client.ts";
import type { ReplyDocument } from "../crypto/documents.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { readTroth } from "../internal/contract.ts";
import { splitToken } from "../internal/pod.ts";
import { openPodDocument } from "../internal/read.ts";
import type { ReadCovenantErrorType } from "./readCovenant.ts";
import { readNotes } from "./readNotes.ts";

export type ReadRepliesParameters = {
  tokenId: bigint;
  round: number;
  /**
   * Digests of replies carried with witness signatures (each `WitnessSignature.reply`), if any. Replies posted with
   * `postReply` are found on the chain without them.
   */
  replies?: readonly Hex[];
  identity: IdentityKey;
};
export type ReadRepliesReturnType = ReplyDocument[];
export type ReadRepliesErrorType = ReadCovenantErrorType;

/**
 * The partners' replies to a check-in (each only "Thank you" or "What did you notice?"): those posted on the chain
 * (`postReply`, found by their `Noted` events, whichever way the partner witnessed) and those carried with witness
 * signatures. Each digest counts once; one reply per partner, their latest.
 *
 * @example
 * ```ts
 * const replies = await readReplies(aliceTroth, { tokenId, round: 0, identity });
 * ```
 */
export async function readReplies(
  client: TrothClient,
  { tokenId, round, replies = [], identity }: ReadRepliesParameters,
): Promise<ReadRepliesReturnType> {
  const { podId, index } = splitToken(tokenId);
  const [{ keyringDigest }, posted] = await Promise.all([
    readTroth(client, "podRecord", [podId]),
    readNotes(client, { podId, tokenId, round, identity }),
  ]);
  const onChain = posted.notes.flatMap((n) => (n.kind === "reply" && !n.document.note ? [n] : []));
  const known = new Set(onChain.map((n) => n.digest.toLowerCase()));
  const carried = await Promise.all(
    replies
      .filter((digest) => !known.has(digest.toLowerCase()))
      .map((digest) =>
        openPodDocument(client, { podId, digest, kind: "reply", member: index, round, identity, keyringDigest }),
      ),
  );
  const latest = new Map<string, ReplyDocument>();
  for (const reply of [...carried, ...onChain.map((n) => n.document)]) latest.set(reply.from.toLowerCase(), reply);
  return [...latest.values()];
}
