import { type Address, type Hex, isAddressEqual, zeroHash } from "viem";
import type { TrothClient } from "../client.ts";
import { type CovenantDocument, sealDocument } from "../crypto/documents.ts";
import { NO_SLOT } from "../crypto/envelope.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import {
  decodeKeyring,
  encodeKeyring,
  generateContentKey,
  type KeyringDocument,
  type KeyringGrant,
  keyringVersion,
  openGrant,
  openKeyring,
  sealKeyring,
} from "../crypto/keyring.ts";
import { MissingEncryptionKeyError } from "../errors/client.ts";
import { KeyEpochNotFoundError, NotARecipientError } from "../errors/crypto.ts";
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

/** Every keyring of the chain that ends at `digest`, newest first (back to epoch 0, or as far as it links). */
export async function keyringChain(
  client: TrothClient,
  digest: Hex,
): Promise<{ digest: Hex; keyring: KeyringDocument }[]> {
  const chain: { digest: Hex; keyring: KeyringDocument }[] = [];
  for (let next: Hex | null = digest; next; ) {
    const keyring = await loadKeyring(client, next);
    chain.push({ digest: next, keyring });
    if (chain.length > 1 && keyring.epoch >= chain[chain.length - 2].keyring.epoch) break;
    next = keyring.previous;
  }
  return chain;
}

export type PodKey = { pod: Hex; epoch: number; key: Uint8Array; keyring: KeyringDocument };

/** The content key of one keyring for this identity (unwrapped once per client). */
export function unlock(client: TrothClient, keyring: KeyringDocument, identity: IdentityKey): PodKey {
  return { pod: keyring.pod, epoch: keyring.epoch, key: cachedKey(client, keyring, identity, openKeyring), keyring };
}

function cachedKey(
  client: TrothClient,
  keyring: KeyringDocument,
  identity: IdentityKey,
  open: (keyring: KeyringDocument, identity: IdentityKey) => Uint8Array,
): Uint8Array {
  const cacheKey = `key:${keyring.pod}:${keyring.epoch}:${identity.address}:${identity.publicKeyHex}`;
  let key = client.cache.get(cacheKey) as Uint8Array | undefined;
  if (!key) {
    key = open(keyring, identity);
    client.cache.set(cacheKey, key);
  }
  return key;
}

/**
 * The content key of `epoch` for this identity, walking back from the keyring at `digest`: wrapped for them in that
 * epoch's keyring, or granted to them by a later one (a seat recovered at a new address reads its history so).
 */
export async function epochKey(
  client: TrothClient,
  digest: Hex,
  epoch: number,
  identity: IdentityKey,
): Promise<PodKey> {
  const keyring = await keyringOfEpoch(client, digest, epoch);
  if (keyring.recipients.some((r) => isAddressEqual(r.member, identity.address)))
    return unlock(client, keyring, identity);
  const granting = (await keyringChain(client, digest)).find(
    (k) =>
      k.keyring.epoch > epoch &&
      k.keyring.grants?.some((g) => g.epoch === epoch && isAddressEqual(g.member, identity.address)),
  );
  if (!granting) throw new NotARecipientError({ member: identity.address, epoch });
  const key = cachedKey(client, keyring, identity, () => openGrant(granting.keyring, epoch, identity) as Uint8Array);
  return { pod: keyring.pod, epoch, key, keyring };
}

/** Whether `member` could read `epoch` (of the chain ending at `digest`): a recipient, or granted it later. */
export function holdsEpoch(chain: readonly { keyring: KeyringDocument }[], member: Address, epoch: number): boolean {
  return chain.some(
    ({ keyring }) =>
      (keyring.epoch === epoch && keyring.recipients.some((r) => isAddressEqual(r.member, member))) ||
      (keyring.epoch > epoch && keyring.grants?.some((g) => g.epoch === epoch && isAddressEqual(g.member, member))),
  );
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
 * member who joins at this epoch can read it. `grants` (earlier epochs' keys re-wrapped for a recovered seat's new
 * address) ride along.
 */
export async function newKeyring(
  client: TrothClient,
  {
    pod,
    previous,
    members,
    covenant,
    grants,
  }: {
    pod: Hex;
    previous: { digest: Hex; keyring: KeyringDocument } | null;
    members: readonly Address[];
    covenant?: CovenantDocument;
    grants?: KeyringGrant[];
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
  const sealed: KeyringDocument = {
    ...sealKeyring({
      pod,
      epoch,
      previous: previous?.digest ?? null,
      contentKey,
      recipients: await encryptionKeysOf(client, members),
      random: client.random,
    }),
    ...(covenantBlob ? { covenant: blobRef(covenantBlob).digest } : {}),
    ...(grants?.length ? { grants } : {}),
  };
  const keyring: KeyringDocument = { ...sealed, version: keyringVersion(sealed) };
  const bytes = encodeKeyring(keyring);
  return { keyring, bytes, digest: blobRef(bytes).digest, key: contentKey, covenantBlob };
}
