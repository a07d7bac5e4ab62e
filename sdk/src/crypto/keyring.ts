import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes } from "@noble/hashes/utils.js";
import { type Address, bytesToHex, getAddress, type Hex, hexToBytes, isAddressEqual } from "viem";
import { DecryptionError, InvalidKeyError, NotARecipientError } from "../errors/crypto.ts";
import { DocumentValidationError } from "../errors/document.ts";
import type { IdentityKey } from "./identity.ts";
import { parsePublicKey } from "./identity.ts";
import { defaultRandom, fromUtf8, type RandomSource, u32, utf8 } from "./random.ts";
import { v } from "./schema.ts";

/**
 * Version of the keyring document. 2 added `covenant` (the covenant sealed for the epoch a newcomer joins in); 3 added
 * `grants` (earlier epochs' keys re-wrapped for a member who recovered their seat at a new address). A keyring is
 * written with the lowest version that holds what it carries, so SDKs that know only older versions keep reading the
 * pods that never needed the newer fields.
 */
export const KEYRING_VERSION = 3;

/** The key wrapping scheme (HKDF context), unchanged since the first keyring version. */
const WRAP_VERSION = 1;

/** The pod content key of one epoch, wrapped for one member. */
export type KeyringRecipient = {
  member: Address;
  /** The member's identity public key the content key was wrapped for. */
  publicKey: Hex;
  /** The one-time X25519 key this wrap was made with. */
  ephemeralKey: Hex;
  nonce: Hex;
  /** XChaCha20-Poly1305 of the 32-byte content key (48 bytes with the tag). */
  wrappedKey: Hex;
};

/**
 * The content key of an earlier epoch, wrapped for a member who could read it before under another address: a member
 * who lost their wallet and recovered their seat at a new address reads the pod's history again through these.
 */
export type KeyringGrant = KeyringRecipient & {
  /** The earlier epoch whose content key this is. */
  epoch: number;
};

/**
 * The key envelopes of one key epoch. Stored in the clear (it holds only public keys and wrapped keys); `previous` is
 * the digest of the epoch before, so a reader walks back from the pod's current keyring to any epoch.
 */
export type KeyringDocument = {
  type: "troth/keyring";
  version: 1 | 2 | typeof KEYRING_VERSION;
  pod: Hex;
  epoch: number;
  previous: Hex | null;
  recipients: KeyringRecipient[];
  /**
   * Digest of the pod's covenant sealed under this epoch, set when a membership change starts the epoch: a member who
   * joins here cannot open anything sealed before, yet must read what the pod agreed. Absent in older keyrings.
   */
  covenant?: Hex;
  /**
   * Earlier epochs' keys re-wrapped for a member whose seat moved to a new address (a completed recovery): set by the
   * keyring a recovery installs. Absent in keyrings before version 3.
   */
  grants?: KeyringGrant[];
};

const wrapFields = {
  member: v.hex(20),
  publicKey: v.hex(32),
  ephemeralKey: v.hex(32),
  nonce: v.hex(24),
  wrappedKey: v.hex(48),
};
const keyringFields = {
  type: v.literal("troth/keyring"),
  pod: v.hex(32),
  epoch: v.integer({ min: 0, max: 0xffffffff }),
  previous: v.nullable(v.hex(32)),
  recipients: v.array(v.object(wrapFields), { min: 1, max: 255 }),
};
const keyringValidators = {
  1: v.object({ ...keyringFields, version: v.literal(1) }),
  2: v.object({ ...keyringFields, version: v.literal(2), covenant: v.hex(32) }),
  3: v.object({
    ...keyringFields,
    version: v.literal(3),
    covenant: v.optional(v.hex(32)),
    grants: v.array(v.object({ ...wrapFields, epoch: v.integer({ min: 0, max: 0xffffffff }) }), { min: 1, max: 4096 }),
  }),
};

/** The lowest keyring version that holds what `keyring` carries (see {@link KEYRING_VERSION}). */
export function keyringVersion(keyring: Pick<KeyringDocument, "covenant" | "grants">): 1 | 2 | 3 {
  if (keyring.grants?.length) return 3;
  return keyring.covenant ? 2 : 1;
}

/** Validates a keyring of a version this SDK knows (a newer one names the version and asks for an upgrade). */
function validateKeyring(value: unknown): KeyringDocument {
  const version = (value as { version?: unknown } | null)?.version;
  const validate = keyringValidators[version as keyof typeof keyringValidators];
  if (!validate) {
    throw new DocumentValidationError({
      kind: "keyring",
      path: "version",
      reason: `version ${JSON.stringify(version)} is not supported (known: 1, 2, 3); upgrade @troth/sdk`,
    });
  }
  return validate(value, "", "keyring") as KeyringDocument;
}

/**
 * A fresh random 32-byte pod content key (one per key epoch).
 *
 * @example
 * ```ts
 * const contentKey = generateContentKey();
 * ```
 */
export function generateContentKey(random: RandomSource = defaultRandom): Uint8Array {
  return random(32);
}

function wrapContext(pod: Hex, epoch: number, member: Address): Uint8Array {
  return concatBytes(
    utf8(`troth/keyring/v${WRAP_VERSION}`),
    hexToBytes(pod),
    u32(epoch),
    hexToBytes(getAddress(member)),
  );
}

function wrapKey(shared: Uint8Array, ephemeral: Uint8Array, recipient: Uint8Array, context: Uint8Array): Uint8Array {
  return hkdf(sha256, shared, concatBytes(ephemeral, recipient), context, 32);
}

export type SealKeyringParameters = {
  /** The pod's 32-byte reference (its covenant salt). */
  pod: Hex;
  epoch: number;
  /** Digest of the previous epoch's keyring (null for epoch 0). */
  previous: Hex | null;
  contentKey: Uint8Array;
  /** Every member who may read this epoch, with the identity key they published. */
  recipients: readonly { member: Address; publicKey: Hex }[];
  random?: RandomSource;
};

/**
 * Wraps the content key for every recipient: a one-time X25519 key agreement with the recipient's identity key,
 * HKDF-SHA256 bound to pod, epoch and member, and XChaCha20-Poly1305.
 *
 * @example
 * ```ts
 * const keyring = sealKeyring({ pod: salt, epoch: 0, previous: null, contentKey, recipients });
 * ```
 */
export function sealKeyring({
  pod,
  epoch,
  previous,
  contentKey,
  recipients,
  random = defaultRandom,
}: SealKeyringParameters): KeyringDocument {
  const sealed = recipients.map(({ member, publicKey }) =>
    wrapFor({ pod, epoch, contentKey, member, publicKey, random }),
  );
  return { type: "troth/keyring", version: 1, pod, epoch, previous, recipients: sealed };
}

/** Wraps one epoch's content key for one member's identity key. */
function wrapFor({
  pod,
  epoch,
  contentKey,
  member,
  publicKey,
  random,
}: {
  pod: Hex;
  epoch: number;
  contentKey: Uint8Array;
  member: Address;
  publicKey: Hex;
  random: RandomSource;
}): KeyringRecipient {
  if (contentKey.length !== 32) throw new InvalidKeyError({ what: "content key", reason: "expected 32 bytes" });
  const recipientKey = parsePublicKey(publicKey, `identity key of ${member}`);
  const ephemeralSecret = random(32);
  const ephemeralKey = x25519.getPublicKey(ephemeralSecret);
  const shared = x25519.getSharedSecret(ephemeralSecret, recipientKey);
  const context = wrapContext(pod, epoch, member);
  const nonce = random(24);
  const wrapped = xchacha20poly1305(wrapKey(shared, ephemeralKey, recipientKey, context), nonce, context).encrypt(
    contentKey,
  );
  return {
    member: getAddress(member),
    publicKey: bytesToHex(recipientKey),
    ephemeralKey: bytesToHex(ephemeralKey),
    nonce: bytesToHex(nonce),
    wrappedKey: bytesToHex(wrapped),
  };
}

/** Unwraps the content key of `epoch` from an envelope made for this identity. */
function unwrap(pod: Hex, epoch: number, entry: KeyringRecipient, identity: IdentityKey): Uint8Array {
  const ephemeralKey = hexToBytes(entry.ephemeralKey);
  try {
    const shared = x25519.getSharedSecret(identity.privateKey, ephemeralKey);
    const context = wrapContext(pod, epoch, entry.member);
    const key = wrapKey(shared, ephemeralKey, identity.publicKey, context);
    return xchacha20poly1305(key, hexToBytes(entry.nonce), context).decrypt(hexToBytes(entry.wrappedKey));
  } catch (cause) {
    throw new DecryptionError({ what: `the content key of epoch ${epoch} for ${identity.address}`, cause });
  }
}

export type SealGrantsParameters = {
  /** The pod's 32-byte reference (its covenant salt). */
  pod: Hex;
  /** The earlier epochs' content keys to hand on. */
  keys: readonly { epoch: number; contentKey: Uint8Array }[];
  /** Who receives them: the member's new address and the identity key it published. */
  member: Address;
  publicKey: Hex;
  random?: RandomSource;
};

/**
 * Wraps earlier epochs' content keys for one member (a recovered seat's new address), each bound to its own epoch, as
 * a recipient's key is: the grants of a recovery keyring.
 *
 * @example
 * ```ts
 * const grants = sealGrants({ pod, keys: [{ epoch: 0, contentKey }], member: newAddress, publicKey });
 * ```
 */
export function sealGrants({
  pod,
  keys,
  member,
  publicKey,
  random = defaultRandom,
}: SealGrantsParameters): KeyringGrant[] {
  return keys.map(({ epoch, contentKey }) => ({
    epoch,
    ...wrapFor({ pod, epoch, contentKey, member, publicKey, random }),
  }));
}

/**
 * The content key of an earlier `epoch` that this keyring grants to the identity's address, or undefined if it grants
 * none.
 *
 * @example
 * ```ts
 * const epoch0 = openGrant(recoveryKeyring, 0, identity);
 * ```
 */
export function openGrant(keyring: KeyringDocument, epoch: number, identity: IdentityKey): Uint8Array | undefined {
  const entry = keyring.grants?.find((g) => g.epoch === epoch && isAddressEqual(g.member, identity.address));
  return entry ? unwrap(keyring.pod, epoch, entry, identity) : undefined;
}

/**
 * Unwraps the content key of this epoch with the member's identity key.
 *
 * @example
 * ```ts
 * const contentKey = openKeyring(keyring, identity);
 * ```
 */
export function openKeyring(keyring: KeyringDocument, identity: IdentityKey): Uint8Array {
  const entry = keyring.recipients.find((r) => isAddressEqual(r.member, identity.address));
  if (!entry) throw new NotARecipientError({ member: identity.address, epoch: keyring.epoch });
  return unwrap(keyring.pod, keyring.epoch, entry, identity);
}

/**
 * Serializes a keyring for storage (canonical JSON).
 *
 * @example
 * ```ts
 * const { digest } = await store.put(encodeKeyring(keyring));
 * ```
 */
export function encodeKeyring(keyring: KeyringDocument): Uint8Array {
  return utf8(JSON.stringify(validateKeyring(keyring)));
}

/**
 * Parses and validates stored keyring bytes.
 *
 * @example
 * ```ts
 * const keyring = decodeKeyring(await store.get(keyringDigest));
 * ```
 */
export function decodeKeyring(bytes: Uint8Array): KeyringDocument {
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(bytes));
  } catch (cause) {
    throw new DocumentValidationError({ kind: "keyring", path: "", reason: `not JSON (${(cause as Error).message})` });
  }
  return validateKeyring(json);
}
