import { getAddress, type Hash, isAddressEqual } from "viem";
import { requireAccount, type TrothClient } from "../client.ts";
import { type TrothContractError, trothError } from "../errors/troth.ts";
import { readClaim } from "../internal/claims.ts";
import { eventsNamed, type WriteOptions, waitForEvents, write } from "../internal/contract.ts";

export type CancelClaimParameters = WriteOptions & { tokenId: bigint };
export type CancelClaimReturnType = Hash;
export type CancelClaimErrorType = TrothContractError;

async function submit(client: TrothClient, { tokenId, account }: CancelClaimParameters) {
  const sender = requireAccount(client, account, "cancelClaim");
  const from = getAddress(typeof sender === "string" ? sender : sender.address);
  const claim = await readClaim(client, tokenId);
  if (!isAddressEqual(claim.member, from)) throw trothError("CommitmentNotOwner", [tokenId, from], { preflight: true });
  if (claim.kind === "none") throw trothError("ClaimNotFound", [tokenId], { preflight: true });
  return write(client, "cancelClaim", "cancelClaim", [tokenId], account);
}

/**
 * The claimed member withdraws a claim on their commitment: "I am here" (a replacement by the absence rule), or "this
 * wallet is not lost" (a recovery). Any other action of theirs in the pod (a check-in, a witness, a consent…) cancels
 * it too. Only the commitment's holder may (`NotMemberError` otherwise); no claim standing is `ClaimNotFoundError`.
 *
 * @example
 * ```ts
 * await cancelClaim(carolTroth, { tokenId: carolToken });
 * ```
 */
export async function cancelClaim(
  client: TrothClient,
  parameters: CancelClaimParameters,
): Promise<CancelClaimReturnType> {
  return submit(client, parameters);
}

/**
 * {@link cancelClaim}, then waits for the receipt.
 *
 * @example
 * ```ts
 * const { member } = await cancelClaimSync(carolTroth, { tokenId: carolToken });
 * ```
 */
export async function cancelClaimSync(client: TrothClient, parameters: CancelClaimParameters) {
  const result = await waitForEvents(client, await submit(client, parameters));
  const [cancelled] = eventsNamed(result.events, "ClaimCancelled");
  return { ...result, tokenId: cancelled.args.tokenId, member: cancelled.args.member };
}
