import type { Address } from "viem";
import type { TrothClient } from "../client.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import type { MissingEncryptionKeyError } from "../errors/client.ts";
import type { DecryptionError } from "../errors/crypto.ts";
import type { BlobNotFoundError, IntegrityError } from "../errors/storage.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { type PreparedMembershipChange, prepareMembershipChange } from "../internal/membershipChange.ts";

export type PrepareProposeReplacementParameters = {
  podId: bigint;
  /** The absent member: no check-in for either of the last two closed rounds of their span, no restart since. */
  replaced: Address;
  /** The newcomer and the commitment they make (they must have published an identity key). */
  newcomer: { address: Address; commitment: string };
  /** The proposer's identity key: with it the covenant is sealed for the new key epoch, so the newcomer reads it. */
  identity?: IdentityKey;
  /** Last second the consents may be used (default: an hour from the latest block). */
  deadline?: bigint;
  /** Store the new epoch's keyring and the newcomer's encrypted commitment now (default true). */
  store?: boolean;
};
export type PreparedProposeReplacement = PreparedMembershipChange<"ReplaceAbsentMember">;
export type PrepareProposeReplacementReturnType = PreparedProposeReplacement;
export type PrepareProposeReplacementErrorType =
  | TrothContractError
  | MissingEncryptionKeyError
  | DecryptionError
  | BlobNotFoundError
  | IntegrityError;

/**
 * The first half of an absence-rule proposal: replacing a member who stopped answering, without their consent. Builds
 * the new key epoch (without them, with the newcomer) and the newcomer's encrypted commitment, stores them, and returns
 * the `ReplaceAbsentMember` message that every other active member, then the newcomer, signs on their own device.
 * {@link submitProposeReplacement} sends it: that makes a claim, which anyone completes with `completeClaim` once its
 * objection window (max(48 h, one cadence)) has passed, unless the absent member acts first (any check-in, witness,
 * restart, consent or `cancelClaim` of theirs cancels it).
 *
 * Refused before anyone signs, as the contract would refuse it: a pod of fewer than three active members
 * (`ClaimPodTooSmallError`), a member who is not absent (`ClaimMemberNotAbsentError`: they checked in for one of the
 * last two closed rounds of their span, restarted since, or have not had two closed rounds yet), a claim already
 * standing on them (`ClaimPendingError`), a pod that has ended (`PodNotLiveError`).
 *
 * @example
 * ```ts
 * const prepared = await prepareProposeReplacement(alice, { podId, replaced: carol, newcomer: { address: dave, commitment: "…" }, identity });
 * const bobSignature = await bobWallet.signTypedData({ account: bob, ...prepared.typedData }); // on Bob's device
 * ```
 */
export async function prepareProposeReplacement(
  client: TrothClient,
  { store = true, ...parameters }: PrepareProposeReplacementParameters,
): Promise<PrepareProposeReplacementReturnType> {
  return prepareMembershipChange(client, "ReplaceAbsentMember", { ...parameters, store });
}
