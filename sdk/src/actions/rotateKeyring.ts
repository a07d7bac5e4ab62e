import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { MissingEncryptionKeyError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, prepareWrite, readTroth, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { storeBlobs } from "../internal/covenant.ts";
import { rekey } from "../internal/membership.ts";
import { membersOf } from "../internal/pod.ts";

export type RotateKeyringParameters = WriteOptions & { podId: bigint };
export type RotateKeyringReturnType = Hash;
export type RotateKeyringErrorType = TrothContractError | MissingEncryptionKeyError;

async function submit(client: TrothClient, { podId, account }: RotateKeyringParameters) {
  const [members, record] = await Promise.all([membersOf(client, podId), readTroth(client, "podRecord", [podId])]);
  const keys = await rekey(client, { members, keyringDigest: record.keyringDigest });
  const send = await prepareWrite(client, "rotateKeyring", "rotateKeyring", [podId, keys.keyringDigest], account);
  await storeBlobs(client, keys.blobs);
  return send();
}

/**
 * Starts a new key epoch for the active members (any active member may), e.g. after someone left: they read nothing
 * written after it.
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
