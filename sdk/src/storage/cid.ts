import { sha256 as sha256Bytes } from "@noble/hashes/sha2.js";
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";
import { bytesToHex, type Hex, hexToBytes, isHex } from "viem";
import { BlobTooLargeError, IntegrityError, InvalidCidError } from "../errors/storage.ts";

/** Multicodec of the `raw` IPLD codec: a blob is one raw block. */
export const RAW_CODEC = 0x55;
/** Multihash code of sha2-256. */
export const SHA2_256 = 0x12;
/** The largest blob a store accepts (1 MiB: a raw block every IPFS implementation moves whole). */
export const MAX_BLOB_SIZE = 1024 * 1024;

/** A blob: its CID and the sha2-256 digest that goes on chain. */
export type BlobRef = { cid: CID; digest: Hex };

/** What identifies a blob: its CID (object or string) or its on-chain digest. */
export type BlobLocator = CID | string;

/**
 * The CID of a blob from its on-chain digest: CIDv1, raw codec, sha2-256, rebuilt exactly.
 *
 * @example
 * ```ts
 * const cid = cidFromDigest(pod.covenantDigest); // bafkrei…
 * ```
 */
export function cidFromDigest(digest: Hex): CID {
  if (!isHex(digest) || digest.length !== 66)
    throw new InvalidCidError({ value: String(digest), reason: "a digest is 32 bytes of 0x-hex" });
  return CID.createV1(RAW_CODEC, Digest.create(SHA2_256, hexToBytes(digest)));
}

/**
 * The on-chain digest of a blob's CID; rejects any CID that is not CIDv1 raw sha2-256.
 *
 * @example
 * ```ts
 * const digest = digestFromCid("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
 * ```
 */
export function digestFromCid(cid: BlobLocator): Hex {
  const parsed = toCid(cid);
  return bytesToHex(parsed.multihash.digest);
}

/**
 * A blob locator as a CID: a digest (0x + 64 hex) becomes its raw CID; a CID must be CIDv1, raw, sha2-256.
 *
 * @example
 * ```ts
 * const cid = toCid("0x…digest");
 * ```
 */
export function toCid(locator: BlobLocator): CID {
  if (typeof locator === "string" && locator.startsWith("0x")) return cidFromDigest(locator as Hex);
  let cid: CID;
  if (typeof locator === "string") {
    try {
      cid = CID.parse(locator);
    } catch (cause) {
      throw new InvalidCidError({ value: locator, reason: `not a CID (${(cause as Error).message})` });
    }
  } else {
    const parsed = CID.asCID(locator);
    if (!parsed) throw new InvalidCidError({ value: String(locator), reason: "not a CID" });
    cid = parsed;
  }
  const text = cid.toString();
  if (cid.version !== 1) throw new InvalidCidError({ value: text, reason: "a Troth blob is a CIDv1" });
  if (cid.code !== RAW_CODEC)
    throw new InvalidCidError({ value: text, reason: `codec 0x${cid.code.toString(16)} is not raw (0x55)` });
  if (cid.multihash.code !== SHA2_256 || cid.multihash.size !== 32) {
    throw new InvalidCidError({ value: text, reason: "the hash is not sha2-256" });
  }
  return cid;
}

/** Rejects blobs over the size limit. */
export function requireBlobSize(size: number, limit = MAX_BLOB_SIZE): void {
  if (size > limit) throw new BlobTooLargeError({ size, limit });
}

/**
 * The CID and digest of bytes, as a Troth blob.
 *
 * @example
 * ```ts
 * const { cid, digest } = blobRef(envelope);
 * ```
 */
export function blobRef(bytes: Uint8Array): BlobRef {
  const hash = sha256Bytes(bytes);
  return { cid: CID.createV1(RAW_CODEC, Digest.create(SHA2_256, hash)), digest: bytesToHex(hash) };
}

/**
 * Throws {@link IntegrityError} unless `bytes` hash to `cid`. Every read goes through this.
 *
 * @example
 * ```ts
 * const bytes = verifyBlob(cid, await response.bytes(), "my gateway");
 * ```
 */
export function verifyBlob(cid: CID, bytes: Uint8Array, source: string): Uint8Array {
  const actual = blobRef(bytes).cid.toString();
  const expected = cid.toString();
  if (actual !== expected) throw new IntegrityError({ cid: expected, actual, source });
  return bytes;
}
