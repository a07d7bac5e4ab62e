import type { Hash } from "viem";
import type { ConsentSource, TrothClient } from "../client.ts";
import type { MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { submitMembershipChange } from "../internal/membershipChange.ts";
import type { PreparedReplaceMember } from "./prepareReplaceMember.ts";

export type SubmitReplaceMemberParameters = WriteOptions & {
  /** What {@link prepareReplaceMember} returned. */
  prepared: PreparedReplaceMember;
  /**
   * One consent per active member (the replaced one too) and the newcomer: signatures collected in advance, or wallets
   * that sign now.
   */
  signatures: readonly ConsentSource[];
};
export type SubmitReplaceMemberReturnType = Hash;
export type SubmitReplaceMemberErrorType = TrothContractError | MissingSignerError;

/**
 * The second half of a two-phase change that replaces a member by a newcomer: sends what {@link prepareReplaceMember} prepared
 * with the consents collected. Stale consents (another change spent the nonce, or the deadline passed) are refused by
 * the preflight as the contract's named errors, and nothing is sent.
 *
 * @example
 * ```ts
 * await submitReplaceMember(troth, { prepared, signatures: [aliceWallet, bobSignature, carolSignature, { signer: dave, signature: daveSignature }] });
 * ```
 */
export async function submitReplaceMember(
  client: TrothClient,
  { prepared, signatures, account }: SubmitReplaceMemberParameters,
): Promise<SubmitReplaceMemberReturnType> {
  return submitMembershipChange(client, prepared, { signatures, account });
}

/**
 * {@link submitReplaceMember}, then waits: returns the newcomer's token.
 *
 * @example
 * ```ts
 * const { tokenId } = await submitReplaceMemberSync(troth, { prepared, signatures });
 * ```
 */
export async function submitReplaceMemberSync(client: TrothClient, parameters: SubmitReplaceMemberParameters) {
  const result = await waitForEvents(client, await submitReplaceMember(client, parameters));
  const [added] = eventsNamed(result.events, "MemberAdded");
  return {
    ...result,
    tokenId: added.args.tokenId,
    replacedTokenId: added.args.replacedTokenId,
    joinedRound: added.args.joinedRound,
  };
}
