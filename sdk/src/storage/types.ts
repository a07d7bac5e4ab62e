import type { BlobLocator, BlobRef } from "./cid.ts";

/**
 * Where encrypted blobs live. Every blob is a single raw IPFS block (CIDv1, raw, sha2-256), so its on-chain digest and
 * its CID are the same thing. `get` always verifies the bytes against the CID.
 */
export type ContentStore = {
  /** A short name for messages ("Helia", "Kubo RPC http://…", "gateway http://…"). */
  readonly name: string;
  /** Stores bytes as one raw block and pins it. */
  put(bytes: Uint8Array): Promise<BlobRef>;
  /** Fetches and verifies a blob by CID or on-chain digest. */
  get(locator: BlobLocator): Promise<Uint8Array>;
};
