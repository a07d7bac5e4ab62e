import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { concatBytes } from "@noble/hashes/utils.js";
import { type Hex, hexToBytes, isHex } from "viem";
import {
  DecryptionError,
  InvalidKeyError,
  MalformedEnvelopeError,
  UnknownEnvelopeVersionError,
} from "../errors/crypto.ts";
import { defaultRandom, type RandomSource, u32 } from "./random.ts";

/** "TRTH": the first four bytes of every envelope. */
export const ENVELOPE_MAGIC = new Uint8Array([0x54, 0x52, 0x54, 0x48]);
/** The version new envelopes are written in. */
export const ENVELOPE_VERSION = 1;

/** What a document is; part of the associated data, so a blob of one kind never opens as another. */
export const documentKinds = { covenant: 1, commitment: 2, report: 3, reply: 4, recording: 5, note: 6 } as const;
export type DocumentKind = keyof typeof documentKinds;

/** Stands for "not about one member" or "not about one round" in a slot. */
export const NO_SLOT = 0xff;

/**
 * Where a document belongs. Bound into the ciphertext as associated data, so a blob cannot be replayed into another
 * slot: another pod, key epoch, kind, member or round.
 * - `pod`: the pod's 32-byte reference (its covenant salt, known before the pod id exists).
 * - `member`: the member index the document is about (the author of a report or commitment; the reported member for
 *   a reply), or {@link NO_SLOT}.
 * - `round`: the round (reports, replies) or {@link NO_SLOT}.
 */
export type EnvelopeSlot = { pod: Hex; epoch: number; kind: DocumentKind; member: number; round: number };

/**
 * Envelope v1, binary: magic (4) ‖ version (1) ‖ key epoch (4, big-endian) ‖ nonce (24) ‖ XChaCha20-Poly1305
 * ciphertext with its 16-byte tag. The epoch travels in the clear so a reader knows which key to fetch; it is also in
 * the associated data, with the magic and version, so none of the header can be altered.
 */
const V1_HEADER = 4 + 1 + 4 + 24;

function associatedData(version: number, slot: EnvelopeSlot): Uint8Array {
  return concatBytes(ENVELOPE_MAGIC, new Uint8Array([version]), slotBinding(slot));
}

/**
 * The slot as bytes: pod (32) ‖ key epoch (4, big-endian) ‖ kind (1) ‖ member (1) ‖ round (1). Every format that binds
 * a ciphertext to its place (envelopes, recording chunks) puts these bytes in its associated data after its own magic.
 */
export function slotBinding(slot: EnvelopeSlot): Uint8Array {
  if (!isHex(slot.pod) || slot.pod.length !== 66)
    throw new MalformedEnvelopeError({ reason: "pod reference must be 32 bytes" });
  for (const [name, value, max] of [
    ["epoch", slot.epoch, 0xffffffff],
    ["member", slot.member, 0xff],
    ["round", slot.round, 0xff],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new MalformedEnvelopeError({ reason: `${name} ${value} is out of range` });
    }
  }
  return concatBytes(
    hexToBytes(slot.pod),
    u32(slot.epoch),
    new Uint8Array([documentKinds[slot.kind], slot.member, slot.round]),
  );
}

/** Throws {@link InvalidKeyError} unless `key` is a 32-byte content key. */
export function requireKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== 32)
    throw new InvalidKeyError({ what: "content key", reason: "expected 32 bytes" });
}

/**
 * Encrypts `plaintext` under the pod content key for one slot.
 *
 * @example
 * ```ts
 * const slot = { pod: salt, epoch: 0, kind: "report", member: 1, round: 3 } as const;
 * const sealed = sealEnvelope(contentKey, slot, bytes);
 * ```
 */
export function sealEnvelope(
  key: Uint8Array,
  slot: EnvelopeSlot,
  plaintext: Uint8Array,
  random: RandomSource = defaultRandom,
): Uint8Array {
  requireKey(key);
  const nonce = random(24);
  const ciphertext = xchacha20poly1305(key, nonce, associatedData(ENVELOPE_VERSION, slot)).encrypt(plaintext);
  return concatBytes(ENVELOPE_MAGIC, new Uint8Array([ENVELOPE_VERSION]), u32(slot.epoch), nonce, ciphertext);
}

/**
 * The envelope's header, readable without a key: its version and key epoch.
 *
 * @example
 * ```ts
 * const { version, epoch } = readEnvelopeHeader(await store.get(reportDigest));
 * ```
 */
export function readEnvelopeHeader(envelope: Uint8Array): { version: number; epoch: number } {
  if (envelope.length < 5 || !ENVELOPE_MAGIC.every((b, i) => envelope[i] === b)) {
    throw new MalformedEnvelopeError({ reason: "missing the TRTH magic" });
  }
  const version = envelope[4];
  const reader = readers[version];
  if (!reader) throw new UnknownEnvelopeVersionError({ version, known: Object.keys(readers).map(Number) });
  return { version, epoch: reader.epoch(envelope) };
}

type EnvelopeReader = {
  epoch(envelope: Uint8Array): number;
  open(key: Uint8Array, slot: EnvelopeSlot, envelope: Uint8Array): Uint8Array;
};

/** Every version ever written stays readable: a new format adds a reader here, it never replaces one. */
const readers: Record<number, EnvelopeReader> = {
  1: {
    epoch(envelope) {
      if (envelope.length < V1_HEADER + 16) throw new MalformedEnvelopeError({ reason: "truncated" });
      return new DataView(envelope.buffer, envelope.byteOffset + 5, 4).getUint32(0);
    },
    open(key, slot, envelope) {
      const nonce = envelope.subarray(9, V1_HEADER);
      return xchacha20poly1305(key, nonce, associatedData(1, slot)).decrypt(envelope.subarray(V1_HEADER));
    },
  },
};

/**
 * Decrypts an envelope written for `slot`. The slot's epoch must be the envelope's.
 *
 * @example
 * ```ts
 * const bytes = openEnvelope(contentKey, { pod: salt, epoch: 0, kind: "report", member: 1, round: 3 }, sealed);
 * ```
 */
export function openEnvelope(key: Uint8Array, slot: EnvelopeSlot, envelope: Uint8Array): Uint8Array {
  requireKey(key);
  const { version, epoch } = readEnvelopeHeader(envelope);
  if (epoch !== slot.epoch)
    throw new DecryptionError({ what: `a ${slot.kind} envelope of epoch ${epoch} as epoch ${slot.epoch}` });
  try {
    return readers[version].open(key, slot, envelope);
  } catch (cause) {
    throw new DecryptionError({ what: `the ${slot.kind} envelope`, cause });
  }
}
