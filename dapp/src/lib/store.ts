import { type ContentStore, createGatewayStore, createStoreList } from "@troth/sdk/storage";
import type { RuntimeConfig } from "./config.ts";
import { memberStorage, reportReplicaError, type StorageSettings } from "./storageSettings.ts";

type WriteStores = { settings: StorageSettings | undefined; store: Promise<ContentStore> };

/**
 * The browser's content store. Reads go to the config's gateways in order, each block verified against its CID (a
 * gateway that is down or returns other bytes is passed over). Writes go to the member's own storage settings when
 * they set some (their node with its credentials, and a pinning service for a second copy), else to the config's
 * Kubo RPC. The write clients are loaded on the first write only.
 */
export function createBrowserStore(
  config: Pick<RuntimeConfig, "ipfsApiUrl" | "ipfsGatewayUrl"> & Partial<Pick<RuntimeConfig, "ipfsGatewayUrls">>,
): ContentStore {
  const gateways = config.ipfsGatewayUrls ?? [config.ipfsGatewayUrl];
  const reader = createStoreList({ read: gateways.map((url) => createGatewayStore({ url, timeout: 15_000 })) });
  let writer: WriteStores | undefined;
  const writeStore = (): Promise<ContentStore> => {
    const settings = memberStorage();
    if (writer && writer.settings === settings) return writer.store;
    const store = import("./kubo.ts").then(({ createKuboStore, createPinningService, createStoreList }) =>
      createStoreList({
        write: createKuboStore({ url: settings?.apiUrl ?? config.ipfsApiUrl, auth: settings?.auth }),
        pinning: settings?.pinning ? [createPinningService(settings.pinning)] : [],
        // The blob is on the member's node: a failed second copy is reported, and the write goes on.
        onReplicaError: (error, target) =>
          reportReplicaError(`${target}: ${(error as { shortMessage?: string }).shortMessage ?? error.message}`),
      }),
    );
    writer = { settings, store };
    store.catch(() => {
      writer = undefined; // a failed load (offline) is retried on the next write
    });
    return store;
  };
  return {
    name: `IPFS (${gateways.join(", ")})`,
    put: async (bytes) => (await writeStore()).put(bytes),
    get: (locator) => reader.get(locator),
  };
}
