import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { base32 } from "multiformats/bases/base32";
import { CID } from "multiformats/cid";
import { keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIpfsServer } from "../../scripts/start/ipfs-server.ts";
import {
  AllStoresFailedError,
  authorizationHeader,
  BlobNotFoundError,
  BlobTooLargeError,
  blobRef,
  cidFromDigest,
  createGatewayStore,
  createHeliaStore,
  createKuboStore,
  createPinningService,
  createStoreList,
  digestFromCid,
  type HeliaStore,
  IntegrityError,
  InvalidCidError,
  InvalidStorageSecretError,
  MAX_BLOB_SIZE,
  PinningError,
  parseStorageSecret,
  ReadOnlyStoreError,
  StorageAuthError,
  StoreUnreachableError,
  toCid,
} from "../src/storage/index.ts";
import { startGateway } from "./helpers/gateway.ts";
import { startPinningService } from "./helpers/pinningService.ts";

/** blockstore-fs names a block's file after its base32 multihash (upper case, no multibase prefix). */
function digestFileKey(cid: CID): string {
  return base32.encode(cid.multihash.bytes).slice(1).toUpperCase();
}

let directory: string;
let store: HeliaStore;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "troth-sdk-storage-"));
  store = await createHeliaStore({ directory });
});

afterAll(async () => {
  await store.close();
  await rm(directory, { recursive: true, force: true });
});

describe("blob references", () => {
  it("rebuild the CID exactly from the on-chain digest (CIDv1, raw, sha2-256)", () => {
    const bytes = new TextEncoder().encode("sealed bytes");
    const { cid, digest } = blobRef(bytes);
    expect(cid.version).to.equal(1);
    expect(cid.code).to.equal(0x55);
    expect(cid.toString().startsWith("bafkrei")).to.equal(true);
    expect(cidFromDigest(digest).equals(cid)).to.equal(true);
    expect(digestFromCid(cid.toString())).to.equal(digest);
    expect(toCid(digest).equals(cid)).to.equal(true);
  });

  it("reject malformed CIDs and CIDs that are not raw sha2-256 v1", () => {
    expect(() => toCid("bafy-not-a-cid")).toThrow(InvalidCidError);
    expect(() => toCid("0x1234")).toThrow(InvalidCidError);
    // CIDv0 (dag-pb): what Kubo's default `ipfs add` makes, not a Troth blob.
    expect(() => toCid("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG")).toThrow(/CIDv1/);
    const dagPb = CID.createV1(0x70, blobRef(new Uint8Array([1])).cid.multihash);
    expect(() => toCid(dagPb)).toThrow(/not raw/);
  });
});

describe("Helia store", () => {
  it("puts a blob and gets it back by CID, CID string or digest", async () => {
    const bytes = new TextEncoder().encode(`blob ${Math.random()}`);
    const { cid, digest } = await store.put(bytes);
    expect(await store.helia.pins.isPinned(cid)).to.equal(false);
    expect(await store.get(cid)).to.deep.equal(bytes);
    expect(await store.get(cid.toString())).to.deep.equal(bytes);
    expect(await store.get(digest)).to.deep.equal(bytes);
  });

  it("stores small blocks (written directly) and large ones (through Helia) where Helia reads them, once each", async () => {
    const small = new TextEncoder().encode(`a report-sized blob ${Math.random()}`);
    const large = new Uint8Array(200 * 1024).map((_, i) => (i * 31 + 7) & 0xff);
    for (const bytes of [small, large]) {
      const first = await store.put(bytes);
      const again = await store.put(bytes);
      expect(again.cid.equals(first.cid)).to.equal(true);
      expect(await store.helia.blockstore.has(first.cid)).to.equal(true);
      expect(await store.get(first.digest)).to.deep.equal(bytes);
    }
    const files = await readdir(path.join(directory, "blocks"), { recursive: true });
    expect(files.filter((f) => f.endsWith(".tmp"))).to.deep.equal([]);
    const named = (bytes: Uint8Array) => files.filter((f) => f.includes(digestFileKey(blobRef(bytes).cid)));
    expect(named(small).length).to.equal(1);
    expect(named(large).length).to.equal(1);
  });

  it("pins every block when asked to, so a garbage collection keeps them", async () => {
    const pinned = await createHeliaStore({ directory: `${directory}-pinned`, pin: true });
    try {
      const kept = await pinned.put(new TextEncoder().encode("kept"));
      const loose = blobRef(new TextEncoder().encode("collected"));
      await pinned.helia.blockstore.put(loose.cid, new TextEncoder().encode("collected"));
      await pinned.helia.gc();
      expect(await pinned.helia.pins.isPinned(kept.cid)).to.equal(true);
      expect(new TextDecoder().decode(await pinned.get(kept.digest))).to.equal("kept");
      await expect(pinned.get(loose.digest)).rejects.toBeInstanceOf(BlobNotFoundError);
    } finally {
      await pinned.close();
      await rm(`${directory}-pinned`, { recursive: true, force: true });
    }
  });

  it("survives a restart: blocks live in the filesystem blockstore", async () => {
    const bytes = new TextEncoder().encode("persisted");
    const { digest } = await store.put(bytes);
    await store.close();
    store = await createHeliaStore({ directory });
    expect(await store.get(digest)).to.deep.equal(bytes);
  });

  it("refuses an oversize blob and reports a missing one", async () => {
    await expect(store.put(new Uint8Array(MAX_BLOB_SIZE + 1))).rejects.toBeInstanceOf(BlobTooLargeError);
    await expect(store.get(keccak256(toHex("never stored")))).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it("detects a block that was corrupted on disk", async () => {
    const bytes = new TextEncoder().encode("will be corrupted");
    const { cid } = await store.put(bytes);
    // Flip the block's bytes in the filesystem blockstore, as disk corruption would.
    const files = await readdir(path.join(directory, "blocks"), { recursive: true, withFileTypes: true });
    const file = files.find((f) => f.isFile() && f.name.endsWith(".data") && f.name.includes(digestFileKey(cid)));
    expect(file).not.to.equal(undefined);
    await writeFile(path.join(file!.parentPath, file!.name), "other bytes");
    await expect(store.get(cid)).rejects.toBeInstanceOf(IntegrityError);
  });
});

describe("trustless gateway", () => {
  it("reads verified raw blocks over HTTP", async () => {
    const gateway = await startGateway(store.helia);
    try {
      const bytes = new TextEncoder().encode("served by the gateway");
      const { digest, cid } = await store.put(bytes);
      const reader = createGatewayStore({ url: gateway.url });
      expect(await reader.get(digest)).to.deep.equal(bytes);
      expect(gateway.requests.at(-1)).to.deep.equal({
        url: `/ipfs/${cid.toString()}?format=raw`,
        accept: "application/vnd.ipld.raw",
      });
      await expect(reader.get(keccak256(toHex("absent")))).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(reader.put(bytes)).rejects.toBeInstanceOf(ReadOnlyStoreError);
    } finally {
      await gateway.close();
    }
  });

  it("rejects a gateway that returns other bytes", async () => {
    const gateway = await startGateway(store.helia, "tamper");
    try {
      const { digest } = await store.put(new TextEncoder().encode("tamper me"));
      await expect(createGatewayStore({ url: gateway.url }).get(digest)).rejects.toBeInstanceOf(IntegrityError);
    } finally {
      await gateway.close();
    }
  });

  it("stops reading a body past the size limit", async () => {
    const gateway = await startGateway(store.helia, "oversize");
    try {
      const { digest } = await store.put(new TextEncoder().encode("grow me"));
      await expect(createGatewayStore({ url: gateway.url }).get(digest)).rejects.toBeInstanceOf(BlobTooLargeError);
    } finally {
      await gateway.close();
    }
  });

  it("reports an unreachable gateway", async () => {
    const gateway = await startGateway(store.helia);
    await gateway.close();
    const { digest } = blobRef(new Uint8Array([7]));
    await expect(createGatewayStore({ url: gateway.url, timeout: 2_000 }).get(digest)).rejects.toBeInstanceOf(
      StoreUnreachableError,
    );
  });
});

describe("Kubo RPC store", () => {
  it("puts, pins and gets raw blocks through the Kubo RPC of `npm start`'s IPFS endpoint, verified", async () => {
    const nodeDirectory = await mkdtemp(path.join(tmpdir(), "troth-sdk-kubo-"));
    const node = await createHeliaStore({ directory: nodeDirectory });
    const server = await startIpfsServer({ store: node, port: 0, allowedOrigins: [] });
    try {
      const kubo = createKuboStore({ url: server.url });
      const bytes = new TextEncoder().encode(`through kubo ${Math.random()}`);
      const { cid, digest } = await kubo.put(bytes);
      expect(cid.toString()).to.equal(blobRef(bytes).cid.toString());
      expect(await node.helia.pins.isPinned(cid)).to.equal(true);
      expect(await kubo.get(digest)).to.deep.equal(bytes);
      expect(await createGatewayStore({ url: server.url }).get(cid)).to.deep.equal(bytes);
      await expect(kubo.get(keccak256(toHex("absent from the node")))).rejects.toBeInstanceOf(BlobNotFoundError);
    } finally {
      await server.close();
      await node.close();
      await rm(nodeDirectory, { recursive: true, force: true });
    }
  });

  // Without a node: errors that need no answer from one.
  it("reports an unreachable node with a typed error", async () => {
    const gateway = await startGateway(store.helia);
    await gateway.close();
    const kubo = createKuboStore({ url: gateway.url });
    await expect(kubo.put(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(StoreUnreachableError);
    await expect(kubo.get(blobRef(new Uint8Array([1])).digest)).rejects.toBeInstanceOf(StoreUnreachableError);
  });

  it("refuses oversize blobs and malformed CIDs before any request", async () => {
    const kubo = createKuboStore({ url: "http://127.0.0.1:9" });
    await expect(kubo.put(new Uint8Array(MAX_BLOB_SIZE + 1))).rejects.toBeInstanceOf(BlobTooLargeError);
    await expect(kubo.get("not-a-cid")).rejects.toBeInstanceOf(InvalidCidError);
  });
});

describe("storage secrets", () => {
  it("read Kubo's AuthSecret forms, and refuse an empty token or a basic secret without a password", () => {
    expect(parseStorageSecret("t0k")).to.deep.equal({ token: "t0k" });
    expect(parseStorageSecret("bearer:t0k")).to.deep.equal({ token: "t0k" });
    expect(parseStorageSecret("basic:alice:pa:ss")).to.deep.equal({ username: "alice", password: "pa:ss" });
    expect(authorizationHeader({ username: "alice", password: "pa:ss" })).to.deep.equal({
      Authorization: `Basic ${btoa("alice:pa:ss")}`,
    });
    expect(() => parseStorageSecret(" ")).toThrow(InvalidStorageSecretError);
    expect(() => parseStorageSecret("bearer:")).toThrow(/the token is empty/);
    expect(() => parseStorageSecret("basic:alice")).toThrow(/basic:<user>:<password>/);
  });
});

describe("a Kubo node that asks for credentials (API.Authorizations)", () => {
  const TOKEN = "s3cret-token";
  let nodeDirectory: string;
  let node: HeliaStore;
  let server: Awaited<ReturnType<typeof startIpfsServer>>;
  beforeAll(async () => {
    nodeDirectory = await mkdtemp(path.join(tmpdir(), "troth-sdk-auth-"));
    node = await createHeliaStore({ directory: nodeDirectory });
    server = await startIpfsServer({ store: node, port: 0, allowedOrigins: [], token: `bearer:${TOKEN}` });
  });
  afterAll(async () => {
    await server.close();
    await node.close();
    await rm(nodeDirectory, { recursive: true, force: true });
  });

  it("takes a blob with the right bearer token", async () => {
    const bytes = new TextEncoder().encode(`with a token ${Math.random()}`);
    const kubo = createKuboStore({ url: server.url, auth: { token: TOKEN } });
    const { cid } = await kubo.put(bytes);
    expect(await node.helia.pins.isPinned(cid)).to.equal(true);
    expect(await kubo.get(cid)).to.deep.equal(bytes);
  });

  it("refuses no token (401) and a wrong one (403) with a StorageAuthError that says what to do, storing nothing", async () => {
    const bytes = new TextEncoder().encode(`refused ${Math.random()}`);
    const none = await createKuboStore({ url: server.url })
      .put(bytes)
      .catch((e) => e);
    expect(none).toBeInstanceOf(StorageAuthError);
    expect(none.status).to.equal(401);
    expect(none.shortMessage).to.match(/asks for credentials: set its access token/);
    const wrong = await createKuboStore({ url: server.url, auth: { token: "guessed" } })
      .put(bytes)
      .catch((e) => e);
    expect(wrong).toBeInstanceOf(StorageAuthError);
    expect(wrong.status).to.equal(403);
    expect(wrong.shortMessage).to.match(/refused the credentials given/);
    // Basic credentials are not the bearer token either.
    const basic = await createKuboStore({ url: server.url, auth: { username: "alice", password: TOKEN } })
      .put(bytes)
      .catch((e) => e);
    expect(basic).toBeInstanceOf(StorageAuthError);
    expect(await node.helia.blockstore.has(blobRef(bytes).cid)).to.equal(false);
  });

  it("takes basic credentials when the node's secret is basic:<user>:<password>", async () => {
    const basicServer = await startIpfsServer({
      store: node,
      port: 0,
      allowedOrigins: [],
      token: "basic:alice:pass:word",
    });
    try {
      const bytes = new TextEncoder().encode(`basic ${Math.random()}`);
      const ok = createKuboStore({ url: basicServer.url, auth: { username: "alice", password: "pass:word" } });
      expect((await ok.put(bytes)).cid.toString()).to.equal(blobRef(bytes).cid.toString());
      const wrong = createKuboStore({ url: basicServer.url, auth: { username: "alice", password: "pass" } });
      await expect(wrong.put(bytes)).rejects.toBeInstanceOf(StorageAuthError);
    } finally {
      await basicServer.close();
    }
  });

  it("answers an 8 MiB upload with a 413 the SDK reads as BlobTooLargeError (not a reset connection)", async () => {
    const big = new Uint8Array(8 * 1024 * 1024).map((_, i) => i & 0xff);
    const kubo = createKuboStore({ url: server.url, auth: { token: TOKEN }, maxBlobSize: 16 * 1024 * 1024 });
    const error = await kubo.put(big).catch((e) => e);
    expect(error).toBeInstanceOf(BlobTooLargeError);
    expect(error.shortMessage).to.match(
      /^Kubo RPC http:\/\/127\.0\.0\.1:\d+ refused a blob of 8388608 bytes as too large/,
    );
    // The connection was answered, not reset: the server still serves.
    expect((await kubo.client.version()).version).to.equal("troth-helia");
  });
});

describe("store lists: several gateways, a second copy", () => {
  it("reads from gateways in order: one down, one returning wrong bytes, then the honest one", async () => {
    const bytes = new TextEncoder().encode(`read with fallback ${Math.random()}`);
    const { cid } = await store.put(bytes);
    const down = await startGateway(store.helia);
    await down.close();
    const liar = await startGateway(store.helia, "tamper");
    const honest = await startGateway(store.helia);
    try {
      const list = createStoreList({
        read: [down.url, liar.url, honest.url].map((url) => createGatewayStore({ url, timeout: 2_000 })),
      });
      expect(await list.get(cid)).to.deep.equal(bytes);
      expect(liar.requests.length).to.equal(1);
      expect(honest.requests.length).to.equal(1);
      // Every gateway lying or absent: the wrong bytes are never returned.
      const failing = createStoreList({
        read: [down.url, liar.url].map((url) => createGatewayStore({ url, timeout: 2_000 })),
      });
      const error = await failing.get(cid).catch((e) => e);
      expect(error).toBeInstanceOf(AllStoresFailedError);
      expect(error.errors.map((e: Error) => e.constructor)).to.deep.equal([StoreUnreachableError, IntegrityError]);
      await expect(failing.put(bytes)).rejects.toBeInstanceOf(ReadOnlyStoreError);
      // Absent everywhere: still a not-found, naming every store asked.
      const absent = await createStoreList({ read: [createGatewayStore({ url: honest.url })] })
        .get(keccak256(toHex("nowhere")))
        .catch((e) => e);
      expect(absent).toBeInstanceOf(BlobNotFoundError);
    } finally {
      await liar.close();
      await honest.close();
    }
  });

  it("writes to the primary, asks a Pinning Service API server for a second copy, which it fetches and keeps", async () => {
    const nodeDirectory = await mkdtemp(path.join(tmpdir(), "troth-sdk-list-"));
    const node = await createHeliaStore({ directory: nodeDirectory });
    const server = await startIpfsServer({ store: node, port: 0, allowedOrigins: [], token: "primary-token" });
    const service = await startPinningService({ token: "pin-token", gatewayUrl: server.url });
    try {
      const pinning = createPinningService({ url: service.url, token: "pin-token" });
      const list = createStoreList({
        write: createKuboStore({ url: server.url, auth: { token: "primary-token" } }),
        pinning: [pinning],
        read: [createGatewayStore({ url: server.url })],
      });
      const bytes = new TextEncoder().encode(`two copies ${Math.random()}`);
      const { cid } = await list.put(bytes);
      const [request] = await pinning.find(cid);
      expect(request.pin.cid).to.equal(cid.toString());
      const pinned = await pinning.waitForPinned(request.requestid, { timeout: 5_000, interval: 20 });
      expect(pinned.status).to.equal("pinned");
      expect(service.pins.get(request.requestid)?.bytes).to.deep.equal(bytes);
      // Pinning again finds the request already made instead of making another.
      expect((await pinning.pin(cid)).requestid).to.equal(request.requestid);
      expect(service.pins.size).to.equal(1);
      expect(await list.get(cid)).to.deep.equal(bytes);
      await pinning.remove(request.requestid);
      expect(await pinning.find(cid)).to.deep.equal([]);
    } finally {
      await service.close();
      await server.close();
      await node.close();
      await rm(nodeDirectory, { recursive: true, force: true });
    }
  });

  it("a pin the service cannot fetch ends failed (PinningError); a wrong token is a StorageAuthError", async () => {
    const gateway = await startGateway(store.helia);
    const service = await startPinningService({ token: "pin-token", gatewayUrl: gateway.url });
    try {
      const pinning = createPinningService({ url: service.url, token: "pin-token" });
      const missing = blobRef(new TextEncoder().encode("held by no node")).cid;
      const request = await pinning.pin(missing);
      expect(["queued", "pinning", "failed"]).to.include(request.status);
      await expect(pinning.waitForPinned(request.requestid, { timeout: 5_000, interval: 20 })).rejects.toBeInstanceOf(
        PinningError,
      );
      const stranger = createPinningService({ url: service.url, token: "stolen?" });
      const error = await stranger.pin(missing).catch((e) => e);
      expect(error).toBeInstanceOf(StorageAuthError);
      expect(error.metaMessages[0]).to.match(/HTTP 401: UNAUTHORIZED/);
      // The store list reports the failed second copy and keeps the first.
      const failures: string[] = [];
      const list = createStoreList({
        write: store,
        pinning: [stranger],
        onReplicaError: (e, target) => failures.push(`${target}: ${e.name}`),
      });
      const bytes = new TextEncoder().encode(`first copy kept ${Math.random()}`);
      const { cid } = await list.put(bytes);
      expect(failures).to.deep.equal([`${stranger.name}: StorageAuthError`]);
      expect(await store.get(cid)).to.deep.equal(bytes);
      // Without a handler the put says so.
      await expect(createStoreList({ write: store, pinning: [stranger] }).put(bytes)).rejects.toBeInstanceOf(
        StorageAuthError,
      );
    } finally {
      await service.close();
      await gateway.close();
    }
  });
});
