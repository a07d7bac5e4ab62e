/**
 * The local IPFS endpoint of `npm start`: the SDK's embedded Helia store, served on 127.0.0.1 over the two standard
 * HTTP protocols the SDK and the browser speak.
 *
 * - Kubo RPC (the subset `kubo-rpc-client` calls for blocks and pins): `POST /api/v0/block/put` (multipart body),
 *   `block/get`, `block/stat`, `pin/add`, `pin/ls`, `pin/rm` and `version`. Errors are Kubo's JSON shape
 *   `{ Message, Code, Type }`. With a `token`, every command but `version` asks for it (Kubo's `API.Authorizations`:
 *   `Authorization: Bearer <token>`, or Basic credentials): none is a 401, a wrong one a 403.
 * - Gateway: `GET`/`HEAD /ipfs/<cid>` with `?format=raw` or `Accept: application/vnd.ipld.raw` returns the block
 *   (trustless); `/ipfs/<cid>/<path>` without them serves the files of a UnixFS directory (a published dApp) with
 *   their content types, `index.html` for a directory.
 *
 * Blocks are raw (Troth's blobs: CIDv1, raw codec, sha2-256) or dag-pb (UnixFS directories and large files), at most
 * 1 MiB each; anything else gets a clear 4xx, and a body over the limit a 413 the client can read. Every block given
 * and every block returned is hashed against its CID. Browsers may call the RPC only from the configured origins (the
 * dApp): other origins get 403, which also stops web pages from posting blocks through "simple" cross-origin requests,
 * and a Host other than loopback (DNS rebinding) gets 403 too. The gateway serves pages from the same origin as the
 * RPC (a real deployment puts them on separate origins): leave that origin out of `allowedOrigins` unless the RPC asks
 * for a token, so a page published to this node cannot write through it without one.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import * as dagPb from "@ipld/dag-pb";
import {
  authorizationHeader,
  BlobNotFoundError,
  BlobTooLargeError,
  type HeliaStore,
  IntegrityError,
  InvalidCidError,
  MAX_BLOB_SIZE,
  parseStorageSecret,
  type StorageAuth,
} from "@troth/sdk/storage";
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";
import { CONTENT_TYPES } from "./app-server.ts";
import { resolveUnixfs, UnixfsPathError } from "./unixfs.ts";

export type IpfsServerOptions = {
  /** The embedded node whose blocks are served (its blockstore is the only thing written to). */
  store: HeliaStore;
  port: number;
  /** Origins a browser may call from (the dApp's), e.g. `http://127.0.0.1:5173`. */
  allowedOrigins: readonly string[];
  /** Largest block accepted or served, in bytes (default 1 MiB, the SDK's limit). */
  maxBlockSize?: number;
  /**
   * Require credentials on the Kubo RPC, in Kubo's `AuthSecret` form: `bearer:<token>`, `basic:<user>:<password>`,
   * or a bare token (bearer). The gateway stays open (reads are public and verified by their CID).
   */
  token?: string;
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
const KUBO_COMMANDS = ["block/put", "block/get", "block/stat", "pin/add", "pin/ls", "pin/rm", "version"] as const;
/** A body over the limit is still read (and dropped) up to this much, so the client gets the 413 and not a reset. */
const DRAIN_LIMIT = 64 * 1024 * 1024;
/** Largest file the gateway assembles from a UnixFS DAG. */
const MAX_FILE_SIZE = 64 * 1024 * 1024;
const DAG_PB = 0x70;
const RAW = 0x55;
const SHA2_256 = 0x12;
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

/**
 * Reads the body, refusing more than `limit` bytes. An oversized body is read to its end and dropped (up to
 * {@link DRAIN_LIMIT}), because a client still sending its body does not see an answer sent meanwhile: it would get a
 * reset connection ("fetch failed") instead of the 413.
 */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  const tooLarge = (size: number) =>
    new HttpError(
      413,
      `request body of ${Number.isFinite(size) ? `${size} bytes` : "unknown size"} exceeds ${limit} bytes (a block is at most ${limit - MULTIPART_OVERHEAD})`,
      { Connection: "close" },
    );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > DRAIN_LIMIT) break;
    if (size <= limit && !(declared > limit)) chunks.push(chunk as Buffer);
  }
  if (size > limit || declared > limit) throw tooLarge(Number.isFinite(declared) ? declared : size);
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
function argCid(url: URL): CID {
  const args = url.searchParams.getAll("arg");
  if (args.length !== 1) throw new HttpError(400, `expected one "arg" (a CID), got ${args.length}`);
  return parseBlockCid(args[0].replace(/^\/ipfs\//, ""));
}

/** block/put options: only raw and dag-pb blocks (CIDv1, sha2-256) are accepted; the codec chosen is returned. */
function checkPutOptions(url: URL): typeof RAW | typeof DAG_PB {
  const codec = url.searchParams.get("cid-codec") ?? url.searchParams.get("format") ?? "raw";
  if (codec !== "raw" && codec !== "dag-pb" && codec !== "protobuf")
    throw new HttpError(400, `only raw and dag-pb blocks are stored (cid-codec/format "${codec}" refused)`);
  const hash = url.searchParams.get("mhtype") ?? "sha2-256";
  if (hash !== "sha2-256") throw new HttpError(400, `only sha2-256 hashes are stored (mhtype "${hash}" refused)`);
  const length = url.searchParams.get("mhlen");
  if (length !== null && length !== "32" && length !== "-1")
    throw new HttpError(400, `sha2-256 digests are 32 bytes (mhlen "${length}" refused)`);
  const version = url.searchParams.get("version") ?? url.searchParams.get("cid-version");
  if (version !== null && version !== "1")
    throw new HttpError(400, `only CIDv1 is used (version "${version}" refused)`);
  return codec === "raw" ? RAW : DAG_PB;
}

/** Any CID this node may hold: CIDv1 (or v0), raw or dag-pb, sha2-256. Troth's blobs go through `toCid` instead. */
function parseBlockCid(text: string): CID {
  let cid: CID;
  try {
    cid = CID.parse(text);
  } catch {
    throw new HttpError(400, `"${text.slice(0, 100)}" is not a CID`);
  }
  if ((cid.code !== RAW && cid.code !== DAG_PB) || cid.multihash.code !== SHA2_256)
    throw new HttpError(400, `${text} is not a raw or dag-pb block with a sha2-256 hash`);
  return cid.toV1();
}

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash("sha256").update(bytes).digest();
}

/** Reads a block of any codec the node keeps, checking its bytes against the CID; undefined when absent. */
async function readBlock(store: HeliaStore, cid: CID): Promise<Uint8Array | undefined> {
  if (cid.code === RAW) {
    try {
      return await store.get(cid);
    } catch (error) {
      if (error instanceof BlobNotFoundError) return undefined;
      throw error;
    }
  }
  if (!(await store.helia.blockstore.has(cid))) return undefined;
  const parts: Uint8Array[] = [];
  for await (const chunk of store.helia.blockstore.get(cid, { offline: true })) parts.push(chunk);
  const bytes = Buffer.concat(parts);
  if (!Buffer.from(sha256(bytes)).equals(Buffer.from(cid.multihash.digest)))
    throw new IntegrityError({ cid: cid.toString(), actual: "other bytes", source: "the blockstore" });
  return bytes;
}

/** Stores a block under the CID of its own bytes: raw through the SDK's store, dag-pb after checking it decodes. */
async function writeBlock(store: HeliaStore, codec: number, block: Uint8Array): Promise<CID> {
  if (codec === RAW) return (await store.put(block)).cid;
  try {
    dagPb.decode(block);
  } catch (cause) {
    throw new HttpError(400, `not a dag-pb block (${(cause as Error).message})`);
  }
  const cid = CID.createV1(DAG_PB, Digest.create(SHA2_256, sha256(block)));
  await store.helia.blockstore.put(cid, block);
  return cid;
}

/** Pins a block the node has, with everything it links to (Kubo's `pin/add`, or `block/put?pin=true`). */
async function pin(store: HeliaStore, cid: CID) {
  if (await store.helia.pins.isPinned(cid)) return;
  for await (const _ of store.helia.pins.add(cid)) {
    // Draining the iterator walks the DAG and pins it (a raw block has no children).
  }
}

/** A JSON answer in Kubo's streaming shape: one object per line. */
function sendNdjson(res: ServerResponse, lines: unknown[]) {
  const text = lines.map((line) => `${JSON.stringify(line)}\n`).join("");
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "X-Chunked-Output": "1",
  });
  res.end(text);
}

/** Kubo's pin types: a pin of the whole DAG is `recursive`, of one block `direct`. */
function pinType(depth: number): "recursive" | "direct" {
  return depth === 0 ? "direct" : "recursive";
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
      const codec = checkPutOptions(url);
      const block = await multipartBlock(req, await readBody(req, maxBlockSize + MULTIPART_OVERHEAD));
      if (block.length > maxBlockSize)
        throw new HttpError(413, `block of ${block.length} bytes exceeds ${maxBlockSize} bytes`);
      // The CID is computed from the bytes, so the key returned is always the block's own hash.
      const cid = await writeBlock(store, codec, block);
      if (url.searchParams.get("pin") === "true") await pin(store, cid);
      return sendJson(res, 200, { Key: cid.toString(), Size: block.length });
    }
    case "block/get": {
      const cid = argCid(url);
      const bytes = await readBlock(store, cid);
      if (!bytes) throw new BlobNotFoundError({ cid: cid.toString(), source: "" });
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
      const bytes = await readBlock(store, cid);
      if (!bytes) throw new BlobNotFoundError({ cid: cid.toString(), source: "" });
      return sendJson(res, 200, { Key: cid.toString(), Size: bytes.length });
    }
    case "pin/add": {
      const cid = argCid(url);
      // An offline node pins only what it has: a missing block fails at once instead of waiting for peers.
      if (!(await store.helia.blockstore.has(cid))) throw new BlobNotFoundError({ cid: cid.toString(), source: "" });
      try {
        await pin(store, cid);
      } catch (cause) {
        throw new HttpError(500, `pin: ${(cause as Error).message} (is every block of the DAG on this node?)`);
      }
      const text = `${JSON.stringify({ Pins: [cid.toString()] })}\n`;
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(text),
        "X-Chunked-Output": "1",
      });
      return res.end(text);
    }
    case "pin/ls": {
      // Kubo: with `arg`, the pins of those CIDs ("… is not pinned" otherwise); without, every pin. `stream=true`
      // answers one {Cid, Type} per line, else one {Keys: {<cid>: {Type}}}.
      const args = url.searchParams.getAll("arg").map((arg) => parseBlockCid(arg.replace(/^\/ipfs\//, "")));
      const pins: { cid: CID; type: string }[] = [];
      if (args.length === 0) {
        for await (const found of store.helia.pins.ls()) pins.push({ cid: found.cid, type: pinType(found.depth) });
      } else {
        for (const cid of args) {
          if (!(await store.helia.pins.isPinned(cid))) throw new HttpError(500, `path '${cid}' is not pinned`);
          const found = await store.helia.pins.get(cid);
          pins.push({ cid, type: pinType(found.depth) });
        }
      }
      if (url.searchParams.get("stream") === "true") {
        return sendNdjson(
          res,
          pins.map((p) => ({ Cid: p.cid.toString(), Type: p.type })),
        );
      }
      return sendJson(res, 200, { Keys: Object.fromEntries(pins.map((p) => [p.cid.toString(), { Type: p.type }])) });
    }
    case "pin/rm": {
      const cid = argCid(url);
      if (!(await store.helia.pins.isPinned(cid))) throw new HttpError(500, "not pinned or pinned indirectly");
      for await (const _ of store.helia.pins.rm(cid)) {
        // Draining the iterator removes the pin; the blocks stay until a garbage collection.
      }
      return sendJson(res, 200, { Pins: [cid.toString()] });
    }
    default:
      throw new HttpError(404, `unknown command "${command}": this node serves ${KUBO_COMMANDS.join(", ")}`);
  }
}

/** Splits a gateway path into its CID and the names after it, refusing names that are not names. */
function gatewayPath(rawPath: string): { cidText: string; segments: string[]; trailingSlash: boolean } {
  const parts = rawPath.split("/");
  const [cidText, ...rest] = parts;
  const trailingSlash = rest.length > 0 && rest.at(-1) === "";
  const segments = rest.filter((segment, i) => !(segment === "" && i === rest.length - 1));
  return {
    cidText: decodeURIComponent(cidText),
    segments: segments.map((segment) => {
      let name: string;
      try {
        name = decodeURIComponent(segment);
      } catch {
        throw new HttpError(400, "malformed percent-encoding in the path");
      }
      if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name))
        throw new HttpError(400, `"${segment}" is not a name inside a UnixFS directory`);
      return name;
    }),
    trailingSlash,
  };
}

/**
 * The gateway (https://specs.ipfs.tech/http-gateways/): a block as is when asked for `?format=raw` or
 * `Accept: application/vnd.ipld.raw` (trustless: the client checks it against the CID), else the files of a UnixFS
 * directory by path, as a browser opening a dApp published on IPFS asks for them.
 */
async function gateway(rawPath: string, req: IncomingMessage, res: ServerResponse, url: URL, store: HeliaStore) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    throw new HttpError(405, `the gateway takes GET and HEAD only (got ${req.method})`, { Allow: "GET, HEAD" });
  }
  const { cidText, segments, trailingSlash } = gatewayPath(rawPath);
  const format = url.searchParams.get("format");
  const accept = req.headers.accept ?? "";
  if (format !== null && format !== "raw") {
    throw new HttpError(
      400,
      `only raw blocks and UnixFS files are served (format "${format}" refused): use ?format=raw`,
    );
  }
  const raw = format === "raw" || accept.includes(RAW_MEDIA_TYPE);
  if (raw) {
    if (segments.length > 0) throw new HttpError(400, "a raw block has no paths inside it");
    return sendRawBlock(req, res, parseBlockCid(cidText), store);
  }
  const cid = parseBlockCid(cidText);
  // A Troth blob (a raw block on its own) is never a page: it is ciphertext, asked for as a block.
  if (cid.code === RAW && segments.length === 0) {
    throw new HttpError(406, `this gateway serves raw blocks as blocks: add ?format=raw or Accept: ${RAW_MEDIA_TYPE}`);
  }
  let found: Awaited<ReturnType<typeof resolveUnixfs>>;
  try {
    found = await resolveUnixfs(cid, segments, (at) => readBlock(store, at), MAX_FILE_SIZE);
  } catch (error) {
    if (error instanceof UnixfsPathError) throw new HttpError(error.status, error.message);
    throw error;
  }
  let fileName = segments.at(-1) ?? "";
  let file = found;
  if (found.kind === "directory") {
    // Relative links in index.html resolve against the directory only when its URL ends with "/".
    if (!trailingSlash) {
      const location = `${url.pathname}/${url.search}`;
      res.writeHead(301, { Location: location, "Content-Length": 0 });
      return res.end();
    }
    if (!found.entries.includes("index.html")) throw new HttpError(404, `${url.pathname} has no index.html`);
    file = await resolveUnixfs(found.cid, ["index.html"], (at) => readBlock(store, at), MAX_FILE_SIZE);
    fileName = "index.html";
  }
  if (file.kind !== "file") throw new HttpError(404, `${url.pathname} is not a file`);
  const etag = `"${file.cid.toString()}"`;
  const cacheControl = "public, max-age=29030400, immutable";
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, { Etag: etag, "Cache-Control": cacheControl });
    return res.end();
  }
  const bytes = await file.read();
  res.writeHead(200, {
    "Content-Type": CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? "application/octet-stream",
    "Content-Length": bytes.length,
    "Cache-Control": cacheControl,
    Etag: etag,
    "X-Ipfs-Path": url.pathname,
    "X-Ipfs-Roots": cid.toString(),
    "X-Content-Type-Options": "nosniff",
  });
  res.end(req.method === "HEAD" ? undefined : bytes);
}

/** Trustless gateway, one block (https://specs.ipfs.tech/http-gateways/trustless-gateway/). */
async function sendRawBlock(req: IncomingMessage, res: ServerResponse, cid: CID, store: HeliaStore) {
  const etag = `"${cid.toString()}.raw"`;
  const bytes = await readBlock(store, cid);
  if (!bytes) throw new BlobNotFoundError({ cid: cid.toString(), source: "" });
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
 * The SDK's credentials for a secret in Kubo's `AuthSecret` form (`bearer:<token>`, `basic:<user>:<password>`, or a
 * bare token), for the clients of a node started with it.
 */
export function storageAuthFromSecret(secret: string | undefined): StorageAuth | undefined {
  return secret === undefined ? undefined : parseStorageSecret(secret);
}

/** The credentials a request must carry, from Kubo's `AuthSecret` form; compared in constant time. */
function authChecker(secret: string | undefined): ((req: IncomingMessage) => void) | undefined {
  if (secret === undefined) return undefined;
  // The header the SDK sends for these credentials is the one expected.
  const expected = authorizationHeader(parseStorageSecret(secret)).Authorization;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  const want = digest(expected);
  return (req) => {
    const given = req.headers.authorization;
    if (given === undefined) {
      throw new HttpError(401, "this node asks for credentials: send Authorization: Bearer <token>", {
        "WWW-Authenticate": 'Bearer realm="ipfs-rpc"',
      });
    }
    if (!timingSafeEqual(digest(given), want)) throw new HttpError(403, "the credentials given are not accepted");
  };
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
  const checkAuth = authChecker(options.token);
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
            "Access-Control-Allow-Headers": "Authorization, Content-Type, Accept, If-None-Match",
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
        // As Kubo: `version` stays open, so a client can tell "wrong credentials" from "no node here".
        if (url.pathname !== "/api/v0/version") checkAuth?.(req);
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
