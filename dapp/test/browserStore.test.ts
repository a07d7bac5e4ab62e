// @vitest-environment node
/**
 * The dApp's store against a real IPFS node that asks for a token (npm start's, in Node: Helia does not run under
 * jsdom): writes go to the member's node with the token from their settings, reads to the config's gateways in order.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { blobRef, createHeliaStore, type HeliaStore, StorageAuthError } from "@troth/sdk/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IpfsServer, startIpfsServer } from "../../scripts/start/ipfs-server.ts";
import { clearMemberStorage, saveMemberStorage } from "../src/lib/storageSettings.ts";
import { createBrowserStore } from "../src/lib/store.ts";
import { testIdentity } from "./helpers.ts";

/** The Web Storage API over a Map (no localStorage in Node). */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

describe("the browser store", () => {
  let directory: string;
  let node: HeliaStore;
  let server: IpfsServer;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), "troth-dapp-store-"));
    node = await createHeliaStore({ directory });
    server = await startIpfsServer({ store: node, port: 0, allowedOrigins: [], token: "member-token" });
  });
  afterAll(async () => {
    clearMemberStorage();
    await server.close();
    await node.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("writes with the member's token once set (refused without), and reads past a gateway that is down", async () => {
    clearMemberStorage();
    const store = createBrowserStore({
      ipfsApiUrl: server.url,
      ipfsGatewayUrl: "http://127.0.0.1:9",
      ipfsGatewayUrls: ["http://127.0.0.1:9", server.url],
    });
    const bytes = new TextEncoder().encode(`from the browser ${Math.random()}`);
    await expect(store.put(bytes)).rejects.toBeInstanceOf(StorageAuthError);
    await saveMemberStorage(testIdentity(1), { apiUrl: server.url, auth: { token: "member-token" } }, memoryStorage());
    const { cid } = await store.put(bytes);
    expect(cid.toString()).to.equal(blobRef(bytes).cid.toString());
    expect(await store.get(cid)).to.deep.equal(bytes);
  });
});
