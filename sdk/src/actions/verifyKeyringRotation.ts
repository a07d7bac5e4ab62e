import type { Address, Hex } from "viem";
import type { TrothClient } from "../client.ts";
import { InvalidKeyringError, type MissingEncryptionKeyError } from "../errors/client.ts";
import type { IntegrityError } from "../errors/storage.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { readTroth } from "../internal/contract.ts";
import { verifyInstalledKeyring, verifyProposedKeyring } from "../internal/keyringCheck.ts";
import { membersOf } from "../internal/pod.ts";

export type VerifyKeyringRotationParameters = {
  podId: bigint;
  /** A proposed keyring, not yet installed (default: the pod's keyring as installed on chain). */
  keyringDigest?: Hex;
  /** Who the proposed epoch leaves out: a replaced member, or the lost address of a recovery. */
  leaving?: Address;
  /** Who it adds: a newcomer, or the recovered member's new address. */
  joining?: Address;
  /** The proposal is a recovery (`joining` is `leaving`'s new address): it may hand earlier epochs on to it. */
  recovery?: boolean;
};
export type VerifyKeyringRotationReturnType = {
  keyringDigest: Hex;
  epoch: number;
  /** Who it wraps the pod key for. */
  recipients: Address[];
  /** Earlier epochs it hands on to a recovered member's new address. */
  grantedEpochs: number[];
  /** Epochs the lost address held that a recovery keyring does not hand on (its preparer could not open them). */
  missingEpochs: number[];
};
export type VerifyKeyringRotationErrorType =
  | InvalidKeyringError
  | MissingEncryptionKeyError
  | IntegrityError
  | TrothContractError;

/**
 * Checks a keyring against the pod's key rules, and says why it fails (`InvalidKeyringError`, with `reason`):
 *
 * - a proposed keyring (`keyringDigest`, e.g. before consenting to a recovery, or before sending a rotation) must follow
 *   the pod's current keyring (name it as previous, same pod, the next epoch) and wrap the pod key for exactly the
 *   active members (less `leaving`, plus `joining`), each under the identity key they published; only a recovery's may
 *   hand earlier epochs on, to the new address, and only epochs the lost address held;
 * - the installed keyring (no `keyringDigest`) must follow the keyring its `KeyringRotated` event replaced, and wrap the
 *   pod key for every active member and for nobody but members who left since.
 *
 * Every read and write of the SDK runs the second check first, so nothing is read or written under a keyring that
 * fails it.
 *
 * @example
 * ```ts
 * await verifyKeyringRotation(alice, { podId }); // the pod's keyring as installed
 * await verifyKeyringRotation(alice, { podId, keyringDigest, leaving: bob, joining: bobNew, recovery: true });
 * ```
 */
export async function verifyKeyringRotation(
  client: TrothClient,
  { podId, keyringDigest, leaving, joining, recovery }: VerifyKeyringRotationParameters,
): Promise<VerifyKeyringRotationReturnType> {
  if (keyringDigest) {
    const fail = (reason: string) => new InvalidKeyringError({ podId, keyringDigest, reason });
    const checked = await verifyProposedKeyring(client, { podId, keyringDigest, leaving, joining, recovery }, fail);
    return {
      keyringDigest,
      epoch: checked.keyring.epoch,
      recipients: checked.recipients,
      grantedEpochs: checked.grantedEpochs,
      missingEpochs: checked.missingEpochs,
    };
  }
  const [{ keyringDigest: installed }, members] = await Promise.all([
    readTroth(client, "podRecord", [podId]),
    membersOf(client, podId),
  ]);
  const keyring = await verifyInstalledKeyring(client, podId, installed, members);
  return {
    keyringDigest: installed,
    epoch: keyring.epoch,
    recipients: keyring.recipients.map((r) => r.member),
    grantedEpochs: (keyring.grants ?? []).map((g) => g.epoch),
    missingEpochs: [],
  };
}
