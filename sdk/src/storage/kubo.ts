import { create, type KuboRPCClient } from "kubo-rpc-client";
import { IntegrityError } from "../errors/storage.ts";
import { type BlobLocator, blobRef, MAX_BLOB_SIZE, requireBlobSize, toCid, verifyBlob } from "./cid.ts";
import { authorizationHeader, type StorageAuth, storageRequestError } from "./http.ts";
import type { ContentStore } from "./types.ts";

export type CreateKuboStoreParameters = {
  /** Kubo RPC API base, e.g. `http://127.0.0.1:5001` (a pinning service that speaks the Kubo RPC works too). */
  url: string;
  maxBlobSize?: number;
  /**
   * Credentials the node asks for (Kubo's `API.Authorizations`): `{ token }` for a `bearer:<token>` secret, or
   * `{ username, password }` for `basic:<user>:<password>`. Sent on every request, so use https beyond localhost.
   */
  auth?: StorageAuth;
  /** Extra headers (an API key header for a provider that wants one). */
  headers?: Record<string, string>;
  /** Milliseconds before a request is abandoned (default 30 s). */
  timeout?: number;
};

export type KuboStore = ContentStore & {
  /** The `kubo-rpc-client` behind the store, for other Kubo commands (with the same credentials). */
  readonly client: KuboRPCClient;
};

/** The HTTP status of a failed `kubo-rpc-client` request, when the node answered at all. */
function statusOf(cause: unknown): number | undefined {
  const status = (cause as { response?: { status?: unknown } })?.response?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * A store on a Kubo node through its RPC API: `block/put` (raw, sha2-256, CIDv1), `pin/add`, `block/get`. The CID
 * Kubo answers with must be the one computed here, and fetched bytes are verified against their CID. Failures are
 * typed: {@link StorageAuthError} (credentials refused), {@link BlobTooLargeError} (HTTP 413),
 * {@link StoreUnreachableError} (no answer), {@link BlobNotFoundError}, else {@link StoreRequestError}.
 *
 * @example
 * ```ts
 * const store = createKuboStore({ url: "https://ipfs.example.org", auth: { token: process.env.IPFS_TOKEN! } });
 * const { digest } = await store.put(envelope);
 * ```
 */
export function createKuboStore({
  url,
  maxBlobSize = MAX_BLOB_SIZE,
  auth,
  headers,
  timeout = 30_000,
}: CreateKuboStoreParameters): KuboStore {
  const client = create({ url, headers: { ...headers, ...authorizationHeader(auth) } });
  const name = `Kubo RPC ${url}`;
  return {
    name,
    client,
    async put(bytes) {
      requireBlobSize(bytes.length, maxBlobSize);
      const ref = blobRef(bytes);
      let cid: Awaited<ReturnType<KuboRPCClient["block"]["put"]>>;
      try {
        const signal = AbortSignal.timeout(timeout);
        cid = await client.block.put(bytes, { format: "raw", mhtype: "sha2-256", version: 1, signal });
        await client.pin.add(cid, { signal });
      } catch (cause) {
        throw storageRequestError({ source: name, cause, status: statusOf(cause), size: bytes.length });
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
        bytes = await client.block.get(cid, { signal: AbortSignal.timeout(timeout) });
      } catch (cause) {
        // Kubo answers a missing block with HTTP 500 and "block was not found locally" (offline) or "not found".
        const notFound = /not found/i.test((cause as Error)?.message ?? "");
        throw storageRequestError({
          source: name,
          cause,
          status: notFound ? 404 : statusOf(cause),
          cid: cid.toString(),
        });
      }
      requireBlobSize(bytes.length, maxBlobSize);
      return verifyBlob(cid, bytes, name);
    },
  };
}
