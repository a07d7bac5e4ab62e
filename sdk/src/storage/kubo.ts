import { create, type KuboRPCClient } from "kubo-rpc-client";
import { BlobNotFoundError, IntegrityError, StoreRequestError } from "../errors/storage.ts";
import { type BlobLocator, blobRef, MAX_BLOB_SIZE, requireBlobSize, toCid, verifyBlob } from "./cid.ts";
import type { ContentStore } from "./types.ts";

export type CreateKuboStoreParameters = {
  /** Kubo RPC API base, e.g. `http://127.0.0.1:5001` (a pinning service that speaks the Kubo RPC works too). */
  url: string;
  maxBlobSize?: number;
  /** Extra headers (an API token for a pinning service). */
  headers?: Record<string, string>;
};

function requestError(source: string, cause: unknown): never {
  const message = (cause as Error)?.message ?? String(cause);
  throw new StoreRequestError({ source, reason: message, cause });
}

/**
 * A store on a Kubo node through its RPC API: `block/put` (raw, sha2-256, CIDv1), `pin/add`, `block/get`. The CID
 * Kubo answers with must be the one computed here, and fetched bytes are verified against their CID.
 *
 * @example
 * ```ts
 * const store = createKuboStore({ url: "http://127.0.0.1:5001" });
 * const { digest } = await store.put(envelope);
 * ```
 */
export function createKuboStore({
  url,
  maxBlobSize = MAX_BLOB_SIZE,
  headers,
}: CreateKuboStoreParameters): ContentStore & {
  readonly client: KuboRPCClient;
} {
  const client = create({ url, headers });
  const name = `Kubo RPC ${url}`;
  return {
    name,
    client,
    async put(bytes) {
      requireBlobSize(bytes.length, maxBlobSize);
      const ref = blobRef(bytes);
      let cid: Awaited<ReturnType<KuboRPCClient["block"]["put"]>>;
      try {
        cid = await client.block.put(bytes, { format: "raw", mhtype: "sha2-256", version: 1 });
        await client.pin.add(cid);
      } catch (cause) {
        requestError(name, cause);
      }
      const stored = cid.toString();
      if (stored !== ref.cid.toString())
        throw new IntegrityError({ cid: ref.cid.toString(), actual: stored, source: name });
      return ref;
    },
    async get(locator: BlobLocator) {
      const cid = toCid(locator);
      let bytes: Uint8Array;
      try {
        bytes = await client.block.get(cid, { signal: AbortSignal.timeout(30_000) });
      } catch (cause) {
        if (/not found/i.test((cause as Error)?.message ?? ""))
          throw new BlobNotFoundError({ cid: cid.toString(), source: name, cause });
        requestError(name, cause);
      }
      requireBlobSize(bytes.length, maxBlobSize);
      return verifyBlob(cid, bytes, name);
    },
  };
}
