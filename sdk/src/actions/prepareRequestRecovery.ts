import type { Address } from "viem";
import type { TrothClient } from "../client.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import type { MissingEncryptionKeyError } from "../errors/client.ts";
import type { DecryptionError, NotARecipientError } from "../errors/crypto.ts";
import type { BlobNotFoundError, IntegrityError } from "../errors/storage.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { type PreparedRecovery, prepareRecovery } from "../internal/recovery.ts";

export type PrepareRequestRecoveryParameters = {
  /** The commitment whose holder lost their wallet. */
  tokenId: bigint;
  /** The member's new address (it must have published an identity key, and never have been in the pod). */
  successor: Address;
  /**
   * The identity key of the partner who prepares it: the pod's keys they hold are re-wrapped for the new address (the
   * current epoch and every earlier one the lost address held), so the recovered member reads the whole history.
   */
  identity: IdentityKey;
  /** Last second the consents may be used (default: an hour from the latest block). */
  deadline?: bigint;
  /** Store the recovery keyring now (default true), so the others can check it before they sign. */
  store?: boolean;
};
export type PreparedRequestRecovery = PreparedRecovery;
export type PrepareRequestRecoveryReturnType = PreparedRequestRecovery;
export type PrepareRequestRecoveryErrorType =
  | TrothContractError
  | MissingEncryptionKeyError
  | NotARecipientError
  | DecryptionError
  | BlobNotFoundError
  | IntegrityError;

/**
 * The first half of a wallet recovery, run by a partner of the member who lost their wallet (the new address holds no
 * pod key yet): builds the recovery keyring — a new key epoch for the active members with the seat given to the new
 * address, carrying every earlier epoch the lost address held re-wrapped for the new address's identity key — stores
 * it, and returns the `Recover` message that every other active member, then the new address, signs on their own
 * device. {@link submitRequestRecovery} sends it: a claim that anyone completes with `completeClaim` after its
 * objection window (max(48 h, one cadence)); any action of the old address in the pod during the window cancels it.
 *
 * Refused before anyone signs: a pod without another member to vouch (`ClaimPodTooSmallError`), a token whose holder
 * is not an active member (`NotMemberError`) or already has a claim on them (`ClaimPendingError`), a new address that
 * is or was a member (`AlreadyMemberError`) or published no identity key (`MissingEncryptionKeyError`), and a preparer
 * who does not read the pod now (`NotARecipientError`).
 *
 * @example
 * ```ts
 * const prepared = await prepareRequestRecovery(alice, { tokenId: bobToken, successor: bobNewAddress, identity: aliceIdentity });
 * const signature = await bobNewWallet.signTypedData({ account: bobNewAddress, ...prepared.typedData });
 * ```
 */
export async function prepareRequestRecovery(
  client: TrothClient,
  { store = true, ...parameters }: PrepareRequestRecoveryParameters,
): Promise<PrepareRequestRecoveryReturnType> {
  return prepareRecovery(client, { ...parameters, store });
}
