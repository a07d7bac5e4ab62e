import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { MissingEncryptionKeyError } from "../errors/client.ts";
import { type TrothContractError, trothError } from "../errors/troth.ts";
import {
  eventsNamed,
  prepareWrite,
  readLens,
  readTroth,
  type WriteOptions,
  waitForEvents,
} from "../internal/contract.ts";
import { storeBlobs } from "../internal/covenant.ts";
import { rekey } from "../internal/membership.ts";
import { membersOf, toPodView } from "../internal/pod.ts";

export type RotateKeyringParameters = WriteOptions & { podId: bigint };
export type RotateKeyringReturnType = Hash;
export type RotateKeyringErrorType = TrothContractError | MissingEncryptionKeyError;

async function submit(client: TrothClient, { podId, account }: RotateKeyringParameters) {
  const [members, record, pod] = await Promise.all([
    membersOf(client, podId),
    readTroth(client, "podRecord", [podId]),
    readLens(client, "pod", [podId]).then(toPodView),
  ]);
  // An ended pod's keyring stays as it ended (only a recovery installs one there).
  if (pod.status === "ended" || pod.status === "dissolved")
    throw trothError("PodNotLive", [podId], { preflight: true });
  const keys = await rekey(client, { members, keyringDigest: record.keyringDigest });
  const send = await prepareWrite(client, "rotateKeyring", "rotateKeyring", [podId, keys.keyringDigest], account);
  await storeBlobs(client, keys.blobs);
  return send();
}

/**
 * Starts a new key epoch for the active members (any active member may), e.g. after someone left: they read nothing
 * written after it. Only while the pod is live (`PodNotLiveError` once it has ended: its keyring stays as it ended).
 * The new keyring follows the current one and wraps the key for exactly the active members, as every member's SDK
 * checks before reading or writing under it (`verifyKeyringRotation`).
 *
 * @example
 * ```ts
 * await rotateKeyring(aliceTroth, { podId });
 * ```
 */
export async function rotateKeyring(
  client: TrothClient,
  parameters: RotateKeyringParameters,
): Promise<RotateKeyringReturnType> {
  return submit(client, parameters);
}

/**
 * {@link rotateKeyring}, then waits: returns the new keyring digest.
 *
 * @example
 * ```ts
 * const { keyringDigest } = await rotateKeyringSync(aliceTroth, { podId });
 * ```
 */
export async function rotateKeyringSync(client: TrothClient, parameters: RotateKeyringParameters) {
  const result = await waitForEvents(client, await submit(client, parameters));
  return { ...result, keyringDigest: eventsNamed(result.events, "KeyringRotated")[0].args.keyringDigest };
}
