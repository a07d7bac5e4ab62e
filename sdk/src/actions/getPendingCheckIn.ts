import type { Address, Hex } from "viem";
import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { readLens } from "../internal/contract.ts";

export type GetPendingCheckInParameters = { tokenId: bigint; round: number };
export type GetPendingCheckInReturnType = {
  /** The report checked in and waiting for witnesses (null when none waits). */
  reportDigest: Hex | null;
  /** The witnesses recorded so far. */
  witnesses: Address[];
};
export type GetPendingCheckInErrorType = TrothContractError;

/**
 * A check-in waiting for witnesses (from the lens): the report digest a witness signs, and who witnessed it so far.
 *
 * @example
 * ```ts
 * const { reportDigest } = await getPendingCheckIn(troth, { tokenId, round });
 * if (reportDigest) await signWitness(troth, { tokenId, round, reportDigest, signer });
 * ```
 */
export async function getPendingCheckIn(
  client: TrothClient,
  { tokenId, round }: GetPendingCheckInParameters,
): Promise<GetPendingCheckInReturnType> {
  const [reportDigest, witnesses] = await readLens(client, "pendingCheckIn", [tokenId, round]);
  return { reportDigest: /^0x0*$/.test(reportDigest) ? null : reportDigest, witnesses: [...witnesses] };
}
