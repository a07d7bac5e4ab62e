import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import { type TrothContractError, trothError } from "../errors/troth.ts";
import { readClaim } from "../internal/claims.ts";
import { eventsNamed, readLens, readTroth, type WriteOptions, waitForEvents, write } from "../internal/contract.ts";
import { chainTime, toPodView } from "../internal/pod.ts";

export type CompleteClaimParameters = WriteOptions & { tokenId: bigint };
export type CompleteClaimReturnType = Hash;
export type CompleteClaimErrorType = TrothContractError;

async function submit(client: TrothClient, { tokenId, account }: CompleteClaimParameters) {
  const claim = await readClaim(client, tokenId);
  const { podId } = claim;
  if (claim.kind === "none") throw trothError("ClaimNotFound", [tokenId], { preflight: true });
  if (claim.windowOpen) {
    const now = await chainTime(client);
    throw trothError("ClaimWindowOpen", [tokenId, claim.notBefore, BigInt(now)], { preflight: true });
  }
  if (claim.stale) {
    const { keyringDigest } = await readTroth(client, "podRecord", [podId]);
    throw trothError("ClaimStale", [tokenId, claim.previousKeyring, keyringDigest], { preflight: true });
  }
  if (!claim.completable) {
    // A replacement needs the pod live (first), with three active members (a recovery has no such condition).
    const pod = toPodView(await readLens(client, "pod", [podId]));
    if (pod.status === "ended" || pod.status === "dissolved")
      throw trothError("PodNotLive", [podId], { preflight: true });
    throw trothError("ClaimPodTooSmall", [podId, pod.activeCount], { preflight: true });
  }
  return write(client, "completeClaim", "completeClaim", [tokenId], account);
}

/**
 * Completes a claim whose objection window has passed (anyone may): a replacement by the absence rule (the absent
 * member reads Replaced; the newcomer gets a new token) or a wallet recovery (the token and the member's whole record
 * move to the new address, and the recovery keyring takes effect). Refused before any gas, as the contract refuses it:
 * no claim standing (`ClaimNotFoundError`: none was made, or the member acted and cancelled it), the window still open
 * (`ClaimWindowOpenError`), a claim the pod's keyring moved on from (`ClaimStaleError`: it must be made again), and a
 * replacement in a pod that ended or has fewer than three active members (`PodNotLiveError`, `ClaimPodTooSmallError`).
 *
 * @example
 * ```ts
 * const { notBefore } = await getClaim(troth, { tokenId });
 * // …after notBefore:
 * await completeClaim(troth, { tokenId });
 * ```
 */
export async function completeClaim(
  client: TrothClient,
  parameters: CompleteClaimParameters,
): Promise<CompleteClaimReturnType> {
  return submit(client, parameters);
}

/**
 * {@link completeClaim}, then waits: returns what it did. For a replacement, `tokenId` is the newcomer's new token
 * and `account` the newcomer; for a recovery, `tokenId` is the same token, now held by `account` (the new address).
 *
 * @example
 * ```ts
 * const { kind, tokenId, account } = await completeClaimSync(troth, { tokenId: claimed });
 * ```
 */
export async function completeClaimSync(client: TrothClient, parameters: CompleteClaimParameters) {
  const result = await waitForEvents(client, await submit(client, parameters));
  const [recovered] = eventsNamed(result.events, "CommitmentRecovered");
  const [rotated] = eventsNamed(result.events, "KeyringRotated");
  if (recovered) {
    return {
      ...result,
      kind: "recovery" as const,
      tokenId: recovered.args.tokenId,
      account: recovered.args.account,
      lost: recovered.args.lost,
      keyringDigest: rotated.args.keyringDigest,
    };
  }
  const [added] = eventsNamed(result.events, "MemberAdded");
  return {
    ...result,
    kind: "replacement" as const,
    tokenId: added.args.tokenId,
    account: added.args.member,
    replacedTokenId: added.args.replacedTokenId,
    joinedRound: added.args.joinedRound,
    keyringDigest: rotated.args.keyringDigest,
  };
}
