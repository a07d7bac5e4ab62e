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
import { buildUnixfs } from "../../scripts/start/unixfs.ts";

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
    expect(error.message).to.match(/request body of \d+ bytes exceeds/);
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

  it("refuses other formats (400), unrequested formats (406), paths in a raw block and other codecs (400)", async () => {
    expect((await errorOf(await fetch(`${server.url}/ipfs/${cid}?format=car`))).status).to.equal(400);
    expect((await errorOf(await fetch(`${server.url}/ipfs/${cid}`))).status).to.equal(406);
    expect((await errorOf(await fetch(`${server.url}/ipfs/${cid}/inner?format=raw`))).message).to.equal(
      "a raw block has no paths inside it",
    );
    // A CIDv0 is a dag-pb block: looked up (as its CIDv1), and this one is not here.
    const cidV0 = CID.createV0(await sha256.digest(randomBytes(12)));
    expect((await errorOf(await fetch(`${server.url}/ipfs/${cidV0}?format=raw`))).status).to.equal(404);
    const dagCbor = CID.createV1(0x71, await sha256.digest(bytes));
    const refused = await errorOf(await fetch(`${server.url}/ipfs/${dagCbor}?format=raw`));
    expect(refused.status).to.equal(400);
    expect(refused.message).to.match(/is not a raw or dag-pb block/);
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
    expect(preflight.headers.get("access-control-allow-headers")).to.match(/Authorization/);
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

describe("pins, as Kubo lists and removes them", () => {
  it("pin/ls lists a pin (streamed or not), pin/rm removes it, and both refuse what is not pinned", async () => {
    const kubo = createKuboStore({ url: server.url });
    const { cid } = await kubo.put(randomBytes(100));
    const listed = [];
    for await (const found of kubo.client.pin.ls({ paths: [cid] })) listed.push(found);
    expect(listed.map((p) => [p.cid.toString(), p.type])).to.deep.equal([[cid.toString(), "recursive"]]);
    const all = [];
    for await (const found of kubo.client.pin.ls()) all.push(found.cid.toString());
    expect(all).to.include(cid.toString());
    const keys = await fetch(`${server.url}/api/v0/pin/ls?arg=${cid}`, { method: "POST" });
    expect(await keys.json()).to.deep.equal({ Keys: { [cid.toString()]: { Type: "recursive" } } });
    expect((await kubo.client.pin.rm(cid)).toString()).to.equal(cid.toString());
    expect(await store.helia.pins.isPinned(cid)).to.equal(false);
    // The block stays (no garbage collection here); only the pin went.
    expect(await store.helia.blockstore.has(cid)).to.equal(true);
    const notPinned = await errorOf(await fetch(`${server.url}/api/v0/pin/ls?arg=${cid}`, { method: "POST" }));
    expect([notPinned.status, notPinned.message]).to.deep.equal([500, `path '${cid}' is not pinned`]);
    const rmAgain = await errorOf(await fetch(`${server.url}/api/v0/pin/rm?arg=${cid}`, { method: "POST" }));
    expect([rmAgain.status, rmAgain.message]).to.deep.equal([500, "not pinned or pinned indirectly"]);
  });
});

describe("a node that asks for a token (--ipfs-token)", () => {
  let guarded: IpfsServer;
  beforeAll(async () => {
    guarded = await startIpfsServer({ store, port: 0, allowedOrigins: [APP_ORIGIN], token: "t0ken" });
  });
  afterAll(() => guarded.close());

  it("refuses no token with 401 and a wrong one with 403, as Kubo-shaped JSON errors; version stays open", async () => {
    const bytes = randomBytes(40);
    const none = await fetch(`${guarded.url}/api/v0/block/put`, { method: "POST", body: multipart(bytes) });
    expect(none.headers.get("www-authenticate")).to.match(/^Bearer/);
    expect(await errorOf(none)).to.deep.include({ status: 401 });
    const wrong = await fetch(`${guarded.url}/api/v0/block/put`, {
      method: "POST",
      body: multipart(bytes),
      headers: { Authorization: "Bearer t0ke" },
    });
    expect(await errorOf(wrong)).to.deep.include({ status: 403, message: "the credentials given are not accepted" });
    expect(await store.helia.blockstore.has(blobRef(bytes).cid)).to.equal(false);
    const right = await fetch(`${guarded.url}/api/v0/block/put`, {
      method: "POST",
      body: multipart(bytes),
      headers: { Authorization: "Bearer t0ken" },
    });
    expect(right.status).to.equal(200);
    expect((await fetch(`${guarded.url}/api/v0/version`, { method: "POST" })).status).to.equal(200);
    // A preflight carries no credentials and is answered; the gateway stays open to reads.
    const preflight = await fetch(`${guarded.url}/api/v0/block/put`, {
      method: "OPTIONS",
      headers: { Origin: APP_ORIGIN, "Access-Control-Request-Headers": "authorization" },
    });
    expect(preflight.status).to.equal(204);
    expect((await fetch(`${guarded.url}/ipfs/${blobRef(bytes).cid}?format=raw`)).status).to.equal(200);
  });

  it("answers an 8 MiB block/put with a readable 413 (the body is drained, the connection not reset)", async () => {
    const response = await fetch(`${guarded.url}/api/v0/block/put`, {
      method: "POST",
      body: multipart(randomBytes(8 * 1024 * 1024)),
      headers: { Authorization: "Bearer t0ken" },
    });
    const error = await errorOf(response);
    expect(error.status).to.equal(413);
    expect(error.message).to.match(/exceeds/);
    // Streamed (no Content-Length) and slow: the server cannot refuse by the declared size, and a client still
    // writing when the server closes gets "fetch failed: write EPIPE". Read to the end, it gets the 413, every time.
    const boundary = "troth-boundary";
    for (let run = 0; run < 3; run++) {
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(
            new TextEncoder().encode(
              `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="block"\r\n\r\n`,
            ),
          );
          for (let i = 0; i < 32; i++) {
            controller.enqueue(randomBytes(256 * 1024));
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          controller.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`));
          controller.close();
        },
      });
      const streamed = await fetch(`${guarded.url}/api/v0/block/put`, {
        method: "POST",
        body,
        duplex: "half",
        headers: { Authorization: "Bearer t0ken", "Content-Type": `multipart/form-data; boundary=${boundary}` },
      } as RequestInit);
      expect((await errorOf(streamed)).status, `run ${run}`).to.equal(413);
    }
  });
});

describe("UnixFS directories (a dApp published on IPFS)", () => {
  let root: CID;
  const html = new TextEncoder().encode('<!doctype html><script src="./assets/app.js"></script>');
  const js = new TextEncoder().encode("console.log('hi')");
  const big = randomBytes(600 * 1024);

  beforeAll(async () => {
    const built = buildUnixfs({
      "index.html": html,
      assets: { "app.js": js, "big.bin": big },
      "troth-config.json": new TextEncoder().encode("{}"),
    });
    root = built.root;
    for (const block of built.blocks) {
      const codec = block.cid.code === 0x70 ? "dag-pb" : "raw";
      const response = await fetch(`${server.url}/api/v0/block/put?cid-codec=${codec}&mhtype=sha2-256`, {
        method: "POST",
        body: multipart(block.bytes),
      });
      expect(((await response.json()) as { Key: string }).Key).to.equal(block.cid.toString());
    }
    const pinned = await fetch(`${server.url}/api/v0/pin/add?arg=${root}`, { method: "POST" });
    expect(pinned.status).to.equal(200);
  });

  it("redirects the directory to its slash form, then serves index.html and the files inside with their types", async () => {
    const bare = await fetch(`${server.url}/ipfs/${root}`, { redirect: "manual" });
    expect(bare.status).to.equal(301);
    expect(bare.headers.get("location")).to.equal(`/ipfs/${root}/`);
    const index = await fetch(`${server.url}/ipfs/${root}/`);
    expect(index.headers.get("content-type")).to.equal("text/html; charset=utf-8");
    expect(new Uint8Array(await index.arrayBuffer())).to.deep.equal(html);
    const script = await fetch(`${server.url}/ipfs/${root}/assets/app.js`);
    expect(script.headers.get("content-type")).to.equal("text/javascript; charset=utf-8");
    expect(await script.text()).to.equal("console.log('hi')");
    const json = await fetch(`${server.url}/ipfs/${root}/troth-config.json`);
    expect(json.headers.get("content-type")).to.equal("application/json; charset=utf-8");
    // A file of several chunks is put back together in order.
    const large = await fetch(`${server.url}/ipfs/${root}/assets/big.bin`);
    expect(Buffer.from(await large.arrayBuffer()).equals(Buffer.from(big))).to.equal(true);
    // The directory node itself, as a block, for a trustless client.
    const block = await fetch(`${server.url}/ipfs/${root}?format=raw`);
    expect(block.headers.get("content-type")).to.equal("application/vnd.ipld.raw");
  });

  it("refuses paths that climb out (.., encoded slashes, backslashes) and answers missing names with 404", async () => {
    const rawGet = (target: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${server.url}/`, { path: target }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
    // An encoded slash keeps "../../etc/passwd" one segment: not a name, refused.
    expect(await rawGet(`/ipfs/${root}/%2e%2e%2f%2e%2e%2fetc%2fpasswd`)).to.equal(400);
    expect(await rawGet(`/ipfs/${root}/assets/..%2findex.html`)).to.equal(400);
    expect(await rawGet(`/ipfs/${root}/assets%5c..%5cindex.html`)).to.equal(400);
    // Dot segments (plain or %2e) are resolved by the URL itself before any lookup: within the DAG they stay in
    // it, and past the CID they leave /ipfs/ altogether (no route).
    expect(await rawGet(`/ipfs/${root}/assets/%2e%2e/index.html`)).to.equal(200);
    expect(await rawGet(`/ipfs/${root}/../../etc/passwd`)).to.equal(404);
    expect(await rawGet(`/ipfs/${root}/%2e%2e/%2e%2e/etc/passwd`)).to.equal(404);
    expect((await fetch(`${server.url}/ipfs/${root}/missing.js`)).status).to.equal(404);
    expect((await fetch(`${server.url}/ipfs/${root}/index.html/inner`)).status).to.equal(404);
  });
});

describe("the data folder", () => {
  it("holds every block the server stored, under blocks/ and datastore/ only", async () => {
    expect((await readdir(directory)).sort()).to.deep.equal(["ipfs"]);
    expect((await readdir(path.join(directory, "ipfs"))).sort()).to.deep.equal(["blocks", "datastore"]);
  });
});
