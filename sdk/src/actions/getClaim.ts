import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { type Claim, readClaim } from "../internal/claims.ts";

export type { Claim } from "../internal/claims.ts";
export type GetClaimParameters = { tokenId: bigint };
export type GetClaimReturnType = Claim;
export type GetClaimErrorType = TrothContractError;

/**
 * The claim standing on a commitment (kind "none" if there is none): a replacement by the absence rule or a wallet
 * recovery, its successor, when its objection window closes (`notBefore`, `secondsLeft`), and whether it can be
 * completed now (`completable`) or never will (`stale`: the pod's keyring moved on since it was made).
 *
 * @example
 * ```ts
 * const claim = await getClaim(troth, { tokenId });
 * if (claim.windowOpen) console.log(`${claim.kind} of ${claim.member} completable in ${claim.secondsLeft} s`);
 * ```
 */
export async function getClaim(client: TrothClient, { tokenId }: GetClaimParameters): Promise<GetClaimReturnType> {
  return readClaim(client, tokenId);
}
