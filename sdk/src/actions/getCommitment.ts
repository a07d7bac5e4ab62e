import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { readLens } from "../internal/contract.ts";
import { toCommitmentView } from "../internal/pod.ts";
import type { CommitmentView } from "../types.ts";

export type GetCommitmentParameters = { tokenId: bigint };
export type GetCommitmentReturnType = CommitmentView;
export type GetCommitmentErrorType = TrothContractError;

/**
 * A commitment's continuity: counts, streaks, restarts and status (from the lens).
 *
 * @example
 * ```ts
 * const { witnessed, currentStreak, status } = await getCommitment(troth, { tokenId });
 * ```
 */
export async function getCommitment(
  client: TrothClient,
  { tokenId }: GetCommitmentParameters,
): Promise<GetCommitmentReturnType> {
  return toCommitmentView(await readLens(client, "commitment", [tokenId]));
}
