import type { TrothClient } from "../client.ts";
import type { CommitmentDocument } from "../crypto/documents.ts";
import { NO_SLOT } from "../crypto/envelope.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { readTroth } from "../internal/contract.ts";
import { splitToken } from "../internal/pod.ts";
import { openPodDocument } from "../internal/read.ts";
import type { ReadCovenantErrorType } from "./readCovenant.ts";

export type ReadCommitmentParameters = { tokenId: bigint; identity: IdentityKey };
export type ReadCommitmentReturnType = CommitmentDocument;
export type ReadCommitmentErrorType = ReadCovenantErrorType;

/**
 * Fetches and decrypts a member's current commitment.
 *
 * @example
 * ```ts
 * const { commitment } = await readCommitment(troth, { tokenId, identity });
 * ```
 */
export async function readCommitment(
  client: TrothClient,
  { tokenId, identity }: ReadCommitmentParameters,
): Promise<ReadCommitmentReturnType> {
  const { podId, index } = splitToken(tokenId);
  const digest = await readTroth(client, "commitmentDigestOf", [tokenId]);
  return openPodDocument(client, { podId, digest, kind: "commitment", member: index, round: NO_SLOT, identity });
}
