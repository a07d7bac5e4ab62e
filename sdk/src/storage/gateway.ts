import { BlobTooLargeError, ReadOnlyStoreError } from "../errors/storage.ts";
import { type BlobLocator, MAX_BLOB_SIZE, toCid, verifyBlob } from "./cid.ts";
import { joinUrl, storageRequestError } from "./http.ts";
import type { ContentStore } from "./types.ts";

export type CreateGatewayStoreParameters = {
  /** Base URL of a trustless gateway, e.g. `http://127.0.0.1:8080`. */
  url: string;
  maxBlobSize?: number;
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
  /** Milliseconds before a request is abandoned (default 30 s). */
  timeout?: number;
};

/**
 * A read-only store over a trustless IPFS gateway (`GET /ipfs/<cid>?format=raw`). The gateway is not trusted: every
 * block is hashed and compared with its CID, and a mismatch is an {@link IntegrityError}. Read from several gateways
 * in order with {@link createStoreList} (`read: urls.map((url) => createGatewayStore({ url }))`).
 *
 * @example
 * ```ts
 * const gateway = createGatewayStore({ url: "http://127.0.0.1:8080" });
 * const bytes = await gateway.get(pod.covenantDigest);
 * ```
 */
export function createGatewayStore({
  url,
  maxBlobSize = MAX_BLOB_SIZE,
  fetch: fetchFn = globalThis.fetch,
  timeout = 30_000,
}: CreateGatewayStoreParameters): ContentStore {
  const base = url.replace(/\/+$/, "");
  const name = `gateway ${base}`;
  return {
    name,
    async put() {
      throw new ReadOnlyStoreError({ source: name });
    },
    async get(locator: BlobLocator) {
      const cid = toCid(locator);
      let response: Response;
      try {
        response = await fetchFn(joinUrl(base, `ipfs/${cid.toString()}?format=raw`), {
          headers: { Accept: "application/vnd.ipld.raw" },
          signal: AbortSignal.timeout(timeout),
        });
      } catch (cause) {
        throw storageRequestError({ source: name, cause });
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw storageRequestError({
          source: name,
          status: response.status,
          reason: response.statusText || `HTTP ${response.status}`,
          cid: cid.toString(),
        });
      }
      const declared = Number(response.headers.get("content-length") ?? Number.NaN);
      if (declared > maxBlobSize) {
        await response.body?.cancel();
        throw new BlobTooLargeError({ size: declared, limit: maxBlobSize });
      }
      // Read at most the limit, so a gateway cannot make us buffer an unbounded body.
      const chunks: Uint8Array[] = [];
      let size = 0;
      const reader = response.body?.getReader();
      for (let read = await reader?.read(); reader && read && !read.done; read = await reader.read()) {
        size += read.value.length;
        if (size > maxBlobSize) {
          await reader.cancel().catch(() => {});
          throw new BlobTooLargeError({ size, limit: maxBlobSize });
        }
        chunks.push(read.value);
      }
      const bytes = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.length;
      }
      return verifyBlob(cid, bytes, name);
    },
  };
}
