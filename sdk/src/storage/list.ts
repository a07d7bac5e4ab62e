import { AllStoresFailedError, BlobNotFoundError, InvalidCidError, ReadOnlyStoreError } from "../errors/storage.ts";
import { type BlobLocator, toCid } from "./cid.ts";
import type { PinningService } from "./pinning.ts";
import type { ContentStore } from "./types.ts";

export type CreateStoreListParameters = {
  /** Where every blob is written first (the commons' own node, e.g. a Kubo store). Without it the list only reads. */
  write?: ContentStore;
  /** Other stores that receive every blob's bytes too (a second node). */
  replicas?: readonly ContentStore[];
  /** Pinning services asked to keep a copy of every blob written (they fetch it from the IPFS network). */
  pinning?: readonly PinningService[];
  /** Where blobs are read, in order (default: `write`, then `replicas`). */
  read?: readonly ContentStore[];
  /**
   * Called for each replica or pinning service that fails once the blob is safe on `write`; the put then succeeds.
   * Without it such a failure fails the put (the blob stays on `write`, and putting it again is harmless).
   */
  onReplicaError?: (error: Error, target: string) => void;
};

/**
 * Several stores as one: `put` writes to `write`, then to every replica and asks every pinning service for a second
 * copy; `get` asks the `read` stores in order and returns the first answer that matches its CID (every store verifies
 * what it returns), so a gateway that is down, lacks the blob or returns wrong bytes is passed over for the next.
 *
 * @example
 * ```ts
 * const store = createStoreList({
 *   write: createKuboStore({ url: "https://ipfs.example.org", auth: { token } }),
 *   pinning: [createPinningService({ url: "https://pins.example.org", token: pinToken })],
 *   read: ["https://ipfs.example.org", "https://trustless-gateway.link"].map((url) => createGatewayStore({ url })),
 * });
 * ```
 */
export function createStoreList({
  write,
  replicas = [],
  pinning = [],
  read,
  onReplicaError,
}: CreateStoreListParameters): ContentStore {
  const readers = read ?? [...(write ? [write] : []), ...replicas];
  const name = `stores (${
    [write, ...replicas]
      .filter(Boolean)
      .map((s) => s?.name)
      .join(", ") || readers.map((s) => s.name).join(", ")
  })`;
  return {
    name,
    async put(bytes) {
      if (!write) throw new ReadOnlyStoreError({ source: name });
      const ref = await write.put(bytes);
      const copies = [
        ...replicas.map((replica) => ({ target: replica.name, run: () => replica.put(bytes) })),
        ...pinning.map((service) => ({ target: service.name, run: () => service.pin(ref.cid) })),
      ];
      const outcomes = await Promise.allSettled(copies.map((copy) => copy.run()));
      outcomes.forEach((outcome, i) => {
        if (outcome.status === "fulfilled") return;
        const error = outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason));
        if (!onReplicaError) throw error;
        onReplicaError(error, copies[i].target);
      });
      return ref;
    },
    async get(locator: BlobLocator) {
      const cid = toCid(locator);
      const errors: Error[] = [];
      for (const store of readers) {
        try {
          return await store.get(cid);
        } catch (error) {
          if (error instanceof InvalidCidError) throw error;
          errors.push(error instanceof Error ? error : new Error(String(error)));
        }
      }
      if (errors.length === 1) throw errors[0];
      if (errors.length > 0 && errors.every((error) => error instanceof BlobNotFoundError)) {
        throw new BlobNotFoundError({
          cid: cid.toString(),
          source: readers.map((store) => store.name).join(" or "),
          cause: new AllStoresFailedError({ cid: cid.toString(), errors }),
        });
      }
      throw new AllStoresFailedError({ cid: cid.toString(), errors });
    },
  };
}
