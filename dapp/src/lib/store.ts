import { type ContentStore, createGatewayStore } from "@troth/sdk/storage";
import type { RuntimeConfig } from "./config.ts";

/**
 * The browser's content store: reads through the trustless gateway (every block verified against its CID), writes
 * through the Kubo RPC API. The Kubo client is loaded on the first write only.
 */
export function createBrowserStore(config: Pick<RuntimeConfig, "ipfsApiUrl" | "ipfsGatewayUrl">): ContentStore {
  const gateway = createGatewayStore({ url: config.ipfsGatewayUrl, timeout: 15_000 });
  let kubo: Promise<ContentStore> | undefined;
  return {
    name: `IPFS ${config.ipfsApiUrl}`,
    async put(bytes) {
      kubo ??= import("./kubo.ts").then(
        ({ createKuboStore }) => createKuboStore({ url: config.ipfsApiUrl }),
        (error) => {
          kubo = undefined; // a failed load (offline) is retried on the next write
          throw error;
        },
      );
      return (await kubo).put(bytes);
    },
    get: (locator) => gateway.get(locator),
  };
}
