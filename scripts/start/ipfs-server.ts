/**
 * The local IPFS endpoint of `npm start`: the SDK's embedded Helia store, served on 127.0.0.1 over the two standard
 * HTTP protocols the SDK and the browser speak.
 *
 * - Kubo RPC (the subset `kubo-rpc-client` calls for raw blocks): `POST /api/v0/block/put` (multipart body),
 *   `block/get`, `block/stat`, `pin/add` and `version`. Errors are Kubo's JSON shape `{ Message, Code, Type }`.
 * - Trustless gateway: `GET`/`HEAD /ipfs/<cid>` with `?format=raw` or `Accept: application/vnd.ipld.raw`.
 *
 * Troth stores only raw blocks (CIDv1, raw codec, sha2-256, at most 1 MiB), so anything else gets a clear 4xx. The
 * store hashes every block it is given and every block it returns, so a CID always matches its bytes. Browsers may
 * call it only from the configured origins (the dApp): other origins get 403, which also stops web pages from posting
 * blocks through "simple" cross-origin requests, and a Host other than loopback (DNS rebinding) gets 403 too.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  BlobNotFoundError,
  BlobTooLargeError,
  type HeliaStore,
  IntegrityError,
  InvalidCidError,
  MAX_BLOB_SIZE,
  toCid,
} from "@troth/sdk/storage";

export type IpfsServerOptions = {
  /** The embedded node whose blocks are served (its blockstore is the only thing written to). */
  store: HeliaStore;
  port: number;
  /** Origins a browser may call from (the dApp's), e.g. `http://127.0.0.1:5173`. */
  allowedOrigins: readonly string[];
  /** Largest block accepted or served, in bytes (default 1 MiB, the SDK's limit). */
  maxBlockSize?: number;
};

export type IpfsServer = {
  /** Base URL of both the Kubo RPC (`<url>/api/v0`) and the gateway (`<url>/ipfs/<cid>`). */
  url: string;
  port: number;
  close(): Promise<void>;
};

/** Room for the multipart framing around one block (boundary lines and part headers). */
const MULTIPART_OVERHEAD = 16 * 1024;
const RAW_MEDIA_TYPE = "application/vnd.ipld.raw";
const KUBO_COMMANDS = ["block/put", "block/get", "block/stat", "pin/add", "version"] as const;
const EXPOSED_HEADERS =
  "Content-Length, Content-Type, Etag, X-Ipfs-Path, X-Ipfs-Roots, X-Stream-Output, X-Chunked-Output";

/** A request the server refuses, with the HTTP status and the one sentence that explains why. */
class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "X-Content-Type-Options": "nosniff",
    ...headers,
  });
  res.end(text);
}

/** Kubo's error body: clients (kubo-rpc-client included) read `Message`. */
function sendError(res: ServerResponse, error: HttpError) {
  sendJson(res, error.status, { Message: error.message, Code: 0, Type: "error" }, error.headers);
}

/** The SDK's storage errors as HTTP statuses; anything else is a bug on this side (500). */
function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof InvalidCidError) return new HttpError(400, error.shortMessage);
  if (error instanceof BlobNotFoundError) return new HttpError(404, `block not found: ${error.cid}`);
  if (error instanceof BlobTooLargeError) return new HttpError(413, error.shortMessage);
  if (error instanceof IntegrityError) return new HttpError(500, `stored block is corrupt: ${error.cid}`);
  console.error("ipfs server:", error);
  return new HttpError(500, "internal error");
}

/** Reads the body, refusing more than `limit` bytes (by the declared length first, then as it streams). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  const tooLarge = () =>
    new HttpError(413, `request body exceeds ${limit} bytes (a block is at most ${limit - MULTIPART_OVERHEAD})`, {
      Connection: "close",
    });
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/** The one block in a `multipart/form-data` body, as `kubo-rpc-client` (and curl -F) send it. */
async function multipartBlock(req: IncomingMessage, body: Buffer): Promise<Uint8Array> {
  const contentType = req.headers["content-type"] ?? "";
  if (!/^multipart\/form-data;.*boundary=/i.test(contentType)) {
    throw new HttpError(400, "block/put expects a multipart/form-data body with the block as its one file");
  }
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "Content-Type": contentType } }).formData();
  } catch {
    throw new HttpError(400, "malformed multipart/form-data body");
  }
  const files: File[] = [];
  form.forEach((value) => {
    if (typeof value !== "string") files.push(value);
  });
  if (files.length !== 1) throw new HttpError(400, `block/put expects exactly one file, got ${files.length}`);
  return new Uint8Array(await files[0].arrayBuffer());
}

/** The `arg` of a Kubo command: a CID, or `/ipfs/<cid>` as pin/add also accepts. */
function argCid(url: URL) {
  const args = url.searchParams.getAll("arg");
  if (args.length !== 1) throw new HttpError(400, `expected one "arg" (a CID), got ${args.length}`);
  return toCid(args[0].replace(/^\/ipfs\//, ""));
}

/** block/put options: only what yields a CIDv1 raw sha2-256 block is accepted. */
function checkPutOptions(url: URL) {
  const codec = url.searchParams.get("cid-codec") ?? url.searchParams.get("format") ?? "raw";
  if (codec !== "raw") throw new HttpError(400, `only raw blocks are stored (cid-codec/format "${codec}" refused)`);
  const hash = url.searchParams.get("mhtype") ?? "sha2-256";
  if (hash !== "sha2-256") throw new HttpError(400, `only sha2-256 hashes are stored (mhtype "${hash}" refused)`);
  const length = url.searchParams.get("mhlen");
  if (length !== null && length !== "32" && length !== "-1")
    throw new HttpError(400, `sha2-256 digests are 32 bytes (mhlen "${length}" refused)`);
  const version = url.searchParams.get("version") ?? url.searchParams.get("cid-version");
  if (version !== null && version !== "1")
    throw new HttpError(400, `only CIDv1 is used (version "${version}" refused)`);
}

/** Pins a block the node has (Kubo's `pin/add`, or `block/put?pin=true`). */
async function pin(store: HeliaStore, cid: ReturnType<typeof toCid>) {
  if (await store.helia.pins.isPinned(cid)) return;
  for await (const _ of store.helia.pins.add(cid)) {
    // A raw block has no children: draining the iterator pins it.
  }
}

async function kubo(
  command: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: Required<Pick<IpfsServerOptions, "store" | "maxBlockSize">>,
) {
  const { store, maxBlockSize } = options;
  if (req.method !== "POST") {
    throw new HttpError(405, `the Kubo RPC takes POST only (got ${req.method})`, { Allow: "POST" });
  }
  switch (command) {
    case "version":
      return sendJson(res, 200, { Version: "troth-helia", Commit: "", Repo: "", System: process.platform, Golang: "" });
    case "block/put": {
      checkPutOptions(url);
      const block = await multipartBlock(req, await readBody(req, maxBlockSize + MULTIPART_OVERHEAD));
      if (block.length > maxBlockSize)
        throw new HttpError(413, `block of ${block.length} bytes exceeds ${maxBlockSize} bytes`);
      // The store computes the CID from the bytes, so the key returned is always the block's own hash.
      const { cid } = await store.put(block);
      if (url.searchParams.get("pin") === "true") await pin(store, cid);
      return sendJson(res, 200, { Key: cid.toString(), Size: block.length });
    }
    case "block/get": {
      const bytes = await store.get(argCid(url));
      res.writeHead(200, {
        "Content-Type": "application/octet-stream",
        "Content-Length": bytes.length,
        "X-Content-Type-Options": "nosniff",
        "X-Stream-Output": "1",
      });
      return res.end(bytes);
    }
    case "block/stat": {
      const cid = argCid(url);
      const bytes = await store.get(cid);
      return sendJson(res, 200, { Key: cid.toString(), Size: bytes.length });
    }
    case "pin/add": {
      const cid = argCid(url);
      // An offline node pins only what it has: a missing block fails at once instead of waiting for peers.
      if (!(await store.helia.blockstore.has(cid))) throw new BlobNotFoundError({ cid: cid.toString(), source: "" });
      await pin(store, cid);
      const text = `${JSON.stringify({ Pins: [cid.toString()] })}\n`;
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(text),
        "X-Chunked-Output": "1",
      });
      return res.end(text);
    }
    default:
      throw new HttpError(404, `unknown command "${command}": this node serves ${KUBO_COMMANDS.join(", ")}`);
  }
}

/** Trustless gateway, raw responses only (https://specs.ipfs.tech/http-gateways/trustless-gateway/). */
async function gateway(path: string, req: IncomingMessage, res: ServerResponse, url: URL, store: HeliaStore) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    throw new HttpError(405, `the gateway takes GET and HEAD only (got ${req.method})`, { Allow: "GET, HEAD" });
  }
  const [cidText, ...rest] = path.split("/");
  if (rest.some((segment) => segment !== "")) throw new HttpError(400, "a raw block has no paths inside it");
  const format = url.searchParams.get("format");
  const accept = req.headers.accept ?? "";
  if (format !== null && format !== "raw") {
    throw new HttpError(400, `only raw blocks are served (format "${format}" refused): use ?format=raw`);
  }
  if (format === null && !accept.includes(RAW_MEDIA_TYPE)) {
    throw new HttpError(406, `this gateway serves raw blocks only: add ?format=raw or Accept: ${RAW_MEDIA_TYPE}`);
  }
  const cid = toCid(decodeURIComponent(cidText));
  const etag = `"${cid.toString()}.raw"`;
  const bytes = await store.get(cid);
  const headers = {
    "Content-Type": RAW_MEDIA_TYPE,
    "Content-Length": bytes.length,
    "Cache-Control": "public, max-age=29030400, immutable",
    Etag: etag,
    "X-Ipfs-Path": `/ipfs/${cid.toString()}`,
    "X-Ipfs-Roots": cid.toString(),
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": `attachment; filename="${cid.toString()}.bin"`,
    Vary: "Accept",
  };
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, { Etag: etag, "Cache-Control": headers["Cache-Control"], Vary: "Accept" });
    return res.end();
  }
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : bytes);
}

/**
 * Starts the HTTP server on 127.0.0.1:`port` (0 picks a free port).
 *
 * @example
 * ```ts
 * const store = await createHeliaStore({ directory: ".troth/ipfs" });
 * const server = await startIpfsServer({ store, port: 5001, allowedOrigins: ["http://127.0.0.1:5173"] });
 * const kubo = createKuboStore({ url: server.url });
 * ```
 */
export async function startIpfsServer(options: IpfsServerOptions): Promise<IpfsServer> {
  const { store, allowedOrigins, maxBlockSize = MAX_BLOB_SIZE } = options;
  const origins = new Set(allowedOrigins);
  let loopbackHosts = new Set<string>();

  const server: Server = createServer(async (req, res) => {
    try {
      const origin = req.headers.origin;
      if (!loopbackHosts.has(req.headers.host ?? "")) {
        throw new HttpError(403, `host "${req.headers.host ?? ""}" refused: this node answers on loopback only`);
      }
      if (origin !== undefined) {
        if (!origins.has(origin)) throw new HttpError(403, `origin ${origin} is not allowed to use this IPFS node`);
        res.setHeader("Access-Control-Allow-Origin", origin);
        res.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        res.setHeader("Vary", "Origin");
        if (req.method === "OPTIONS") {
          res.writeHead(204, {
            "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Accept, If-None-Match",
            "Access-Control-Max-Age": "600",
          });
          return res.end();
        }
      }
      let url: URL;
      try {
        url = new URL(req.url ?? "/", "http://127.0.0.1");
      } catch {
        throw new HttpError(400, "malformed request URL");
      }
      if (url.pathname.startsWith("/api/v0/")) {
        return await kubo(url.pathname.slice("/api/v0/".length), req, res, url, { store, maxBlockSize });
      }
      if (url.pathname.startsWith("/ipfs/")) {
        return await gateway(url.pathname.slice("/ipfs/".length), req, res, url, store);
      }
      throw new HttpError(404, `no route for ${url.pathname}: use /api/v0/<command> or /ipfs/<cid>`);
    } catch (error) {
      const httpError = toHttpError(error);
      if (res.headersSent) return res.destroy();
      sendError(res, httpError);
      // An oversized body is not read to its end: close the connection once the answer is out.
      if (httpError.headers.Connection === "close") res.on("finish", () => req.destroy());
    }
  });
  // Slow or stuck clients cannot hold the server: headers in 10 s, a whole request in 30 s.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  loopbackHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
