/**
 * The local IPFS endpoint over real HTTP: the SDK's Kubo RPC store and trustless-gateway store against it, then every
 * way a request can be wrong (codec, size, method, body, origin, host) getting its 4xx.
 */
import { randomBytes as nodeRandomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  BlobNotFoundError,
  blobRef,
  createGatewayStore,
  createHeliaStore,
  createKuboStore,
  type HeliaStore,
  MAX_BLOB_SIZE,
} from "@troth/sdk/storage";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IpfsServer, startIpfsServer } from "../../scripts/start/ipfs-server.ts";

const APP_ORIGIN = "http://127.0.0.1:5999";
let directory: string;
let store: HeliaStore;
let server: IpfsServer;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "troth-ipfs-server-"));
  store = await createHeliaStore({ directory: path.join(directory, "ipfs") });
  server = await startIpfsServer({ store, port: 0, allowedOrigins: [APP_ORIGIN] });
});

afterAll(async () => {
  await server?.close();
  await store?.close();
  await rm(directory, { recursive: true, force: true });
});

function randomBytes(size: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(size));
}

/** A multipart/form-data body with one file, as kubo-rpc-client and `curl -F file=@…` send it. */
function multipart(bytes: Uint8Array): FormData {
  const form = new FormData();
  form.append("file", new Blob([bytes as BlobPart]), "block");
  return form;
}

async function errorOf(response: Response): Promise<{ status: number; message: string; type: string | null }> {
  const body = (await response.json()) as { Message: string; Type: string };
  expect(body.Type).to.equal("error");
  return { status: response.status, message: body.Message, type: response.headers.get("content-type") };
}

describe("the SDK's Kubo RPC store against the local endpoint", () => {
  it("puts a block, pins it and reads it back verified", async () => {
    const kubo = createKuboStore({ url: server.url });
    const bytes = randomBytes(4096);
    const ref = await kubo.put(bytes);
    expect(ref.cid.toString()).to.equal(blobRef(bytes).cid.toString());
    expect(Buffer.from(await kubo.get(ref.cid)).equals(Buffer.from(bytes))).to.equal(true);
    expect(Buffer.from(await kubo.get(ref.digest)).equals(Buffer.from(bytes))).to.equal(true);
    expect(await store.helia.pins.isPinned(ref.cid)).to.equal(true);
    const stat = await kubo.client.block.stat(ref.cid);
    expect(stat.size).to.equal(4096);
    expect(stat.cid.equals(ref.cid)).to.equal(true);
  });

  it("pins on put when asked, as Kubo's block/put?pin=true does", async () => {
    const bytes = randomBytes(64);
    const form = new FormData();
    form.append("file", new Blob([bytes as BlobPart]), "block");
    const response = await fetch(`${server.url}/api/v0/block/put?cid-codec=raw&mhtype=sha2-256&pin=true`, {
      method: "POST",
      body: form,
    });
    const { Key, Size } = (await response.json()) as { Key: string; Size: number };
    expect([Key, Size]).to.deep.equal([blobRef(bytes).cid.toString(), 64]);
    expect(await store.helia.pins.isPinned(blobRef(bytes).cid)).to.equal(true);
  });

  it("takes a block of exactly the 1 MiB limit", async () => {
    const bytes = randomBytes(MAX_BLOB_SIZE);
    const ref = await createKuboStore({ url: server.url }).put(bytes);
    expect((await store.get(ref.cid)).length).to.equal(MAX_BLOB_SIZE);
  });

  it("reports a block it does not have as not found", async () => {
    const missing = blobRef(randomBytes(32)).cid;
    await expect(createKuboStore({ url: server.url }).get(missing)).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it("answers the version command (health check)", async () => {
    const version = await createKuboStore({ url: server.url }).client.version();
    expect(version.version).to.equal("troth-helia");
  });

  it("serves the same blocks through the SDK's trustless-gateway store", async () => {
    const bytes = randomBytes(777);
    const { cid } = await store.put(bytes);
    const gateway = createGatewayStore({ url: server.url });
    expect(Buffer.from(await gateway.get(cid)).equals(Buffer.from(bytes))).to.equal(true);
    await expect(gateway.get(blobRef(randomBytes(8)).cid)).rejects.toBeInstanceOf(BlobNotFoundError);
  });
});

describe("Kubo RPC requests the node refuses", () => {
  const put = (query: string, body: BodyInit, headers?: HeadersInit) =>
    fetch(`${server.url}/api/v0/block/put?${query}`, { method: "POST", body, headers });

  it("other codecs, hashes and CID versions (400)", async () => {
    const bytes = randomBytes(10);
    for (const query of ["cid-codec=dag-cbor", "format=dag-pb", "mhtype=sha3-256", "mhlen=20", "version=0"]) {
      const error = await errorOf(await put(query, multipart(bytes)));
      expect(error.status, query).to.equal(400);
      expect(error.type).to.match(/^application\/json/);
    }
  });

  it("a body that is not multipart, a malformed one, or one without exactly one file (400)", async () => {
    expect(
      (await errorOf(await put("", "raw bytes", { "Content-Type": "application/octet-stream" }))).message,
    ).to.match(/multipart\/form-data/);
    const broken = await put("", "--xyz\r\nnot a part", { "Content-Type": "multipart/form-data; boundary=xyz" });
    expect((await errorOf(broken)).message).to.equal("malformed multipart/form-data body");
    const empty = new FormData();
    empty.append("note", "no file here");
    expect((await errorOf(await put("", empty))).message).to.equal("block/put expects exactly one file, got 0");
  });

  it("a block over 1 MiB (413), without storing it", async () => {
    const bytes = randomBytes(MAX_BLOB_SIZE + 1);
    const error = await errorOf(await put("", multipart(bytes)));
    expect(error.status).to.equal(413);
    expect(await store.helia.blockstore.has(blobRef(bytes).cid)).to.equal(false);
  });

  it("a body far over the limit, refused by its declared length (413)", async () => {
    const error = await errorOf(await put("", multipart(randomBytes(3 * MAX_BLOB_SIZE))));
    expect(error.status).to.equal(413);
    expect(error.message).to.match(/request body exceeds/);
  });

  it("GET on an RPC command (405), unknown commands (404), bad or missing args (400)", async () => {
    const get = await fetch(`${server.url}/api/v0/version`);
    expect((await errorOf(get)).status).to.equal(405);
    expect(get.headers.get("allow")).to.equal("POST");
    const unknown = await errorOf(await fetch(`${server.url}/api/v0/dag/put`, { method: "POST" }));
    expect(unknown.status).to.equal(404);
    expect(unknown.message).to.match(/unknown command "dag\/put"/);
    const noArg = await errorOf(await fetch(`${server.url}/api/v0/block/get`, { method: "POST" }));
    expect([noArg.status, noArg.message]).to.deep.equal([400, 'expected one "arg" (a CID), got 0']);
    const badArg = await errorOf(await fetch(`${server.url}/api/v0/block/get?arg=not-a-cid`, { method: "POST" }));
    expect(badArg.status).to.equal(400);
  });

  it("pinning a block the node does not have (404)", async () => {
    const missing = blobRef(randomBytes(16)).cid;
    const error = await errorOf(await fetch(`${server.url}/api/v0/pin/add?arg=${missing}`, { method: "POST" }));
    expect([error.status, error.message]).to.deep.equal([404, `block not found: ${missing}`]);
  });
});

describe("the trustless gateway", () => {
  let cid: CID;
  let bytes: Uint8Array;
  beforeAll(async () => {
    bytes = randomBytes(1234);
    ({ cid } = await store.put(bytes));
  });

  it("serves a raw block with the spec's headers, by ?format=raw or by Accept", async () => {
    const byQuery = await fetch(`${server.url}/ipfs/${cid}?format=raw`);
    expect(byQuery.status).to.equal(200);
    expect(byQuery.headers.get("content-type")).to.equal("application/vnd.ipld.raw");
    expect(byQuery.headers.get("content-length")).to.equal("1234");
    expect(byQuery.headers.get("etag")).to.equal(`"${cid}.raw"`);
    expect(byQuery.headers.get("x-ipfs-path")).to.equal(`/ipfs/${cid}`);
    expect(byQuery.headers.get("x-ipfs-roots")).to.equal(cid.toString());
    expect(byQuery.headers.get("cache-control")).to.equal("public, max-age=29030400, immutable");
    expect(byQuery.headers.get("x-content-type-options")).to.equal("nosniff");
    expect(Buffer.from(await byQuery.arrayBuffer()).equals(Buffer.from(bytes))).to.equal(true);
    const byAccept = await fetch(`${server.url}/ipfs/${cid}`, { headers: { Accept: "application/vnd.ipld.raw" } });
    expect(byAccept.status).to.equal(200);
    expect((await byAccept.arrayBuffer()).byteLength).to.equal(1234);
  });

  it("answers HEAD with the headers and no body, and If-None-Match with 304", async () => {
    const head = await fetch(`${server.url}/ipfs/${cid}?format=raw`, { method: "HEAD" });
    expect(head.status).to.equal(200);
    expect(head.headers.get("content-length")).to.equal("1234");
    expect((await head.arrayBuffer()).byteLength).to.equal(0);
    const cached = await fetch(`${server.url}/ipfs/${cid}?format=raw`, {
      headers: { "If-None-Match": `"${cid}.raw"` },
    });
    expect(cached.status).to.equal(304);
  });

  it("refuses other formats (400), unrequested formats (406), paths, CIDv0 and other codecs (400)", async () => {
    expect((await errorOf(await fetch(`${server.url}/ipfs/${cid}?format=car`))).status).to.equal(400);
    expect((await errorOf(await fetch(`${server.url}/ipfs/${cid}`))).status).to.equal(406);
    expect((await errorOf(await fetch(`${server.url}/ipfs/${cid}/inner?format=raw`))).message).to.equal(
      "a raw block has no paths inside it",
    );
    const cidV0 = CID.createV0(await sha256.digest(bytes));
    expect((await errorOf(await fetch(`${server.url}/ipfs/${cidV0}?format=raw`))).status).to.equal(400);
    const dagCbor = CID.createV1(0x71, await sha256.digest(bytes));
    const refused = await errorOf(await fetch(`${server.url}/ipfs/${dagCbor}?format=raw`));
    expect(refused.status).to.equal(400);
    expect(refused.message).to.match(/is not raw/);
    expect((await errorOf(await fetch(`${server.url}/ipfs/..%2F..%2Fetc%2Fpasswd?format=raw`))).status).to.equal(400);
  });

  it("refuses POST (405) and unknown paths (404)", async () => {
    const post = await fetch(`${server.url}/ipfs/${cid}?format=raw`, { method: "POST" });
    expect((await errorOf(post)).status).to.equal(405);
    expect((await errorOf(await fetch(`${server.url}/`))).status).to.equal(404);
  });
});

describe("who may call", () => {
  it("the dApp's origin gets CORS headers and preflights", async () => {
    const preflight = await fetch(`${server.url}/api/v0/block/put`, {
      method: "OPTIONS",
      headers: { Origin: APP_ORIGIN, "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get("access-control-allow-origin")).to.equal(APP_ORIGIN);
    expect(preflight.headers.get("access-control-allow-methods")).to.match(/POST/);
    const { cid } = await store.put(randomBytes(20));
    const get = await fetch(`${server.url}/ipfs/${cid}?format=raw`, { headers: { Origin: APP_ORIGIN } });
    expect(get.status).to.equal(200);
    expect(get.headers.get("access-control-allow-origin")).to.equal(APP_ORIGIN);
  });

  it("any other origin is refused (403), so no web page can post blocks", async () => {
    const bytes = randomBytes(30);
    const response = await fetch(`${server.url}/api/v0/block/put`, {
      method: "POST",
      body: multipart(bytes),
      headers: { Origin: "http://evil.example" },
    });
    const error = await errorOf(response);
    expect([error.status, error.message]).to.deep.equal([
      403,
      "origin http://evil.example is not allowed to use this IPFS node",
    ]);
    expect(response.headers.get("access-control-allow-origin")).to.equal(null);
    expect(await store.helia.blockstore.has(blobRef(bytes).cid)).to.equal(false);
  });

  it("a Host other than loopback is refused (403: DNS rebinding)", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${server.url}/api/v0/version`,
        { method: "POST", headers: { Host: "attacker.example" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).to.equal(403);
  });
});

describe("the data folder", () => {
  it("holds every block the server stored, under blocks/ and datastore/ only", async () => {
    expect((await readdir(directory)).sort()).to.deep.equal(["ipfs"]);
    expect((await readdir(path.join(directory, "ipfs"))).sort()).to.deep.equal(["blocks", "datastore"]);
  });
});
