import type { Hex } from "viem";
import type { TrothClient } from "../client.ts";
import type { ReplyDocument } from "../crypto/documents.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { readTroth } from "../internal/contract.ts";
import { splitToken } from "../internal/pod.ts";
import { openPodDocument } from "../internal/read.ts";
import type { ReadCovenantErrorType } from "./readCovenant.ts";

export type ReadRepliesParameters = {
  tokenId: bigint;
  round: number;
  /** Digests of the witnesses' replies (each `WitnessSignature.reply`). */
  replies: readonly Hex[];
  identity: IdentityKey;
};
export type ReadRepliesReturnType = ReplyDocument[];
export type ReadRepliesErrorType = ReadCovenantErrorType;

/**
 * Fetches and decrypts the witnesses' replies to a check-in (each only "Thank you" or "What did you notice?").
 *
 * @example
 * ```ts
 * const { witnesses } = await checkInSync(aliceTroth, { ...params, witnesses: [bobAttestation] });
 * const replies = await readReplies(aliceTroth, { tokenId, round: 0, replies: witnesses.flatMap((w) => w.reply ?? []), identity });
 * ```
 */
export async function readReplies(
  client: TrothClient,
  { tokenId, round, replies, identity }: ReadRepliesParameters,
): Promise<ReadRepliesReturnType> {
  const { podId, index } = splitToken(tokenId);
  const { keyringDigest } = await readTroth(client, "podRecord", [podId]);
  return Promise.all(
    replies.map((digest) =>
      openPodDocument(client, { podId, digest, kind: "reply", member: index, round, identity, keyringDigest }),
    ),
  );
}
