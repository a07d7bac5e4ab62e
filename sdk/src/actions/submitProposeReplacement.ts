import type { Hash } from "viem";
import type { ConsentSource, TrothClient } from "../client.ts";
import type { MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, type SyncReturnType, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { submitMembershipChange } from "../internal/membershipChange.ts";
import type { PreparedProposeReplacement } from "./prepareProposeReplacement.ts";

export type SubmitProposeReplacementParameters = WriteOptions & {
  /** What {@link prepareProposeReplacement} returned. */
  prepared: PreparedProposeReplacement;
  /** One consent per active member but the absent one, then the newcomer's: signatures or wallets that sign now. */
  signatures: readonly ConsentSource[];
};
export type SubmitProposeReplacementReturnType = Hash;
export type SubmitProposeReplacementErrorType = TrothContractError | MissingSignerError;

/**
 * The second half of an absence-rule proposal: sends what {@link prepareProposeReplacement} prepared with the
 * consents collected, which makes a claim on the absent member's commitment. Stale consents (another change spent the
 * nonce, the deadline passed), or a member who acted since and so is no longer absent, are refused by the preflight as
 * the contract's named errors, and nothing is sent.
 *
 * @example
 * ```ts
 * await submitProposeReplacement(troth, { prepared, signatures: [aliceWallet, bobSignature, { signer: dave, signature: daveSignature }] });
 * ```
 */
export async function submitProposeReplacement(
  client: TrothClient,
  { prepared, signatures, account }: SubmitProposeReplacementParameters,
): Promise<SubmitProposeReplacementReturnType> {
  return submitMembershipChange(client, prepared, { signatures, account });
}

/** A claim's `ClaimMade` event, decoded: the claimed token, its successor and when it can be completed. */
export function claimMadeOf(result: SyncReturnType) {
  const [made] = eventsNamed(result.events, "ClaimMade");
  return {
    ...result,
    tokenId: made.args.tokenId,
    member: made.args.member,
    successor: made.args.successor,
    notBefore: made.args.notBefore,
  };
}

/**
 * {@link submitProposeReplacement}, then waits: returns the claimed token (the absent member's), the newcomer and
 * `notBefore`, the first second at which anyone may complete it (`completeClaim`).
 *
 * @example
 * ```ts
 * const { tokenId, notBefore } = await submitProposeReplacementSync(troth, { prepared, signatures });
 * ```
 */
export async function submitProposeReplacementSync(
  client: TrothClient,
  parameters: SubmitProposeReplacementParameters,
) {
  return claimMadeOf(await waitForEvents(client, await submitProposeReplacement(client, parameters)));
}
