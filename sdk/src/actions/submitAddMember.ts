import type { Hash } from "viem";
import type { ConsentSource, TrothClient } from "../client.ts";
import type { MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { submitMembershipChange } from "../internal/membershipChange.ts";
import type { PreparedAddMember } from "./prepareAddMember.ts";

export type SubmitAddMemberParameters = WriteOptions & {
  /** What {@link prepareAddMember} returned. */
  prepared: PreparedAddMember;
  /** One consent per required member and the newcomer: signatures collected in advance, or wallets that sign now. */
  signatures: readonly ConsentSource[];
};
export type SubmitAddMemberReturnType = Hash;
export type SubmitAddMemberErrorType = TrothContractError | MissingSignerError;

/**
 * The second half of a two-phase change that adds a member to a live pod: sends what {@link prepareAddMember} prepared
 * with the consents collected. Stale consents (another change spent the nonce, or the deadline passed) are refused by
 * the preflight as the contract's named errors, and nothing is sent.
 *
 * @example
 * ```ts
 * await submitAddMember(troth, { prepared, signatures: [aliceWallet, bobSignature, { signer: dave, signature: daveSignature }] });
 * ```
 */
export async function submitAddMember(
  client: TrothClient,
  { prepared, signatures, account }: SubmitAddMemberParameters,
): Promise<SubmitAddMemberReturnType> {
  return submitMembershipChange(client, prepared, { signatures, account });
}

/**
 * {@link submitAddMember}, then waits: returns the newcomer's token.
 *
 * @example
 * ```ts
 * const { tokenId } = await submitAddMemberSync(troth, { prepared, signatures });
 * ```
 */
export async function submitAddMemberSync(client: TrothClient, parameters: SubmitAddMemberParameters) {
  const result = await waitForEvents(client, await submitAddMember(client, parameters));
  const [added] = eventsNamed(result.events, "MemberAdded");
  return { ...result, tokenId: added.args.tokenId, joinedRound: added.args.joinedRound };
}
