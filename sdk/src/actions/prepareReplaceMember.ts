import type { Address } from "viem";
import type { TrothClient } from "../client.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import type { MissingEncryptionKeyError } from "../errors/client.ts";
import type { DecryptionError } from "../errors/crypto.ts";
import type { BlobNotFoundError, IntegrityError } from "../errors/storage.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { type PreparedMembershipChange, prepareMembershipChange } from "../internal/membershipChange.ts";

export type PrepareReplaceMemberParameters = {
  podId: bigint;
  /** The member who is replaced: they consent too (without them, see `prepareProposeReplacement`). */
  replaced: Address;
  /** The newcomer and the commitment they make (they must have published an identity key). */
  newcomer: { address: Address; commitment: string };
  /**
   * The proposer's identity key. With it the covenant is sealed for the new key epoch too, so the newcomer can read
   * what the pod agreed; without it the newcomer reads the covenant only after the next amendment.
   */
  identity?: IdentityKey;
  /** Last second the consents may be used (default: an hour from the latest block). */
  deadline?: bigint;
  /**
   * Store the new epoch's keyring and the newcomer's encrypted commitment now (default true), so partners on other
   * devices can check what they consent to before they sign. Nothing is written under the new key until it lands.
   */
  store?: boolean;
};
export type PreparedReplaceMember = PreparedMembershipChange<"ReplaceMember">;
export type PrepareReplaceMemberReturnType = PreparedReplaceMember;
export type PrepareReplaceMemberErrorType =
  | TrothContractError
  | MissingEncryptionKeyError
  | DecryptionError
  | BlobNotFoundError
  | IntegrityError;

/**
 * The first half of a two-phase change that replaces a member by a newcomer: builds the new key epoch and the newcomer's
 * encrypted commitment, stores them, and returns the typed-data message every member who must consent signs (every
 * active member, the replaced one included, then the newcomer), on their own device and in their own time (until the
 * deadline). {@link submitReplaceMember} sends it. A member who does not answer is replaced by the absence rule
 * instead ({@link prepareProposeReplacement}).
 *
 * @example
 * ```ts
 * const prepared = await prepareReplaceMember(troth, { podId, replaced: carol, newcomer: { address: dave, commitment: "…" } });
 * const carolSignature = await carolWallet.signTypedData({ account: carol, ...prepared.typedData }); // the replaced consents
 * const daveSignature = await daveWallet.signTypedData({ account: dave, ...prepared.typedData }); // on Dave's device
 * ```
 */
export async function prepareReplaceMember(
  client: TrothClient,
  { store = true, ...parameters }: PrepareReplaceMemberParameters,
): Promise<PrepareReplaceMemberReturnType> {
  return prepareMembershipChange(client, "ReplaceMember", { ...parameters, store });
}
