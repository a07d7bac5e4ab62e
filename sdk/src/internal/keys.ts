import { type Address, type Hex, zeroHash } from "viem";
import type { TrothClient } from "../client.ts";
import { type CovenantDocument, sealDocument } from "../crypto/documents.ts";
import { NO_SLOT } from "../crypto/envelope.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import {
  decodeKeyring,
  encodeKeyring,
  generateContentKey,
  type KeyringDocument,
  openKeyring,
  sealKeyring,
} from "../crypto/keyring.ts";
import { MissingEncryptionKeyError } from "../errors/client.ts";
import { KeyEpochNotFoundError } from "../errors/crypto.ts";
import { blobRef } from "../storage/cid.ts";
import { readTroth } from "./contract.ts";

/** A keyring by digest; keyrings are content-addressed, so each is fetched (and verified) once per client. */
export async function loadKeyring(client: TrothClient, digest: Hex): Promise<KeyringDocument> {
  const cached = client.cache.get(`keyring:${digest}`) as KeyringDocument | undefined;
  if (cached) return cached;
  const keyring = decodeKeyring(await client.store.get(digest));
  client.cache.set(`keyring:${digest}`, keyring);
  return keyring;
}

/** Walks back from the keyring at `digest` to the one of `epoch`. */
export async function keyringOfEpoch(client: TrothClient, digest: Hex, epoch: number): Promise<KeyringDocument> {
  let keyring = await loadKeyring(client, digest);
  const latest = keyring.epoch;
  while (keyring.epoch > epoch) {
    if (!keyring.previous) break;
    keyring = await loadKeyring(client, keyring.previous);
  }
  if (keyring.epoch !== epoch) throw new KeyEpochNotFoundError({ epoch, latest });
  return keyring;
}

export type PodKey = { pod: Hex; epoch: number; key: Uint8Array; keyring: KeyringDocument };

/** The content key of one keyring for this identity (unwrapped once per client). */
export function unlock(client: TrothClient, keyring: KeyringDocument, identity: IdentityKey): PodKey {
  const cacheKey = `key:${keyring.pod}:${keyring.epoch}:${identity.address}:${identity.publicKeyHex}`;
  let key = client.cache.get(cacheKey) as Uint8Array | undefined;
  if (!key) {
    key = openKeyring(keyring, identity);
    client.cache.set(cacheKey, key);
  }
  return { pod: keyring.pod, epoch: keyring.epoch, key, keyring };
}

/** The published identity keys of `members`; a member without one cannot be given the pod key. */
export async function encryptionKeysOf(
  client: TrothClient,
  members: readonly Address[],
): Promise<{ member: Address; publicKey: Hex }[]> {
  return Promise.all(
    members.map(async (member) => {
      const publicKey = await readTroth(client, "encryptionKey", [member]);
      if (publicKey === zeroHash) throw new MissingEncryptionKeyError({ member });
      return { member, publicKey };
    }),
  );
}

/**
 * A new key epoch for `members`: a fresh content key wrapped for each, linked to the keyring before it. With
 * `covenant`, the covenant is sealed under the new key too and the keyring names it (`covenantBlob` to store), so a
 * member who joins at this epoch can read it.
 */
export async function newKeyring(
  client: TrothClient,
  {
    pod,
    previous,
    members,
    covenant,
  }: {
    pod: Hex;
    previous: { digest: Hex; keyring: KeyringDocument } | null;
    members: readonly Address[];
    covenant?: CovenantDocument;
  },
) {
  const contentKey = generateContentKey(client.random);
  const epoch = previous ? previous.keyring.epoch + 1 : 0;
  const covenantBlob = covenant
    ? sealDocument(covenant, {
        key: contentKey,
        slot: { pod, epoch, kind: "covenant", member: NO_SLOT, round: NO_SLOT },
        random: client.random,
      })
    : undefined;
  const keyring: KeyringDocument = {
    ...sealKeyring({
      pod,
      epoch,
      previous: previous?.digest ?? null,
      contentKey,
      recipients: await encryptionKeysOf(client, members),
      random: client.random,
    }),
    ...(covenantBlob ? { version: 2 as const, covenant: blobRef(covenantBlob).digest } : {}),
  };
  const bytes = encodeKeyring(keyring);
  return { keyring, bytes, digest: blobRef(bytes).digest, key: contentKey, covenantBlob };
}
