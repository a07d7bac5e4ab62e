/**
 * UnixFS directories, the way IPFS publishes a web app: building one from files (for `npm run publish:dapp`) and
 * reading a path inside one (for `npm start`'s gateway).
 *
 * The layout is what `ipfs add -r --cid-version=1` makes: a file is raw leaves of at most 256 KiB (one leaf is the file
 * itself; more are linked by a dag-pb `file` node), a directory is a dag-pb `directory` node linking its entries by
 * name. Every block is CIDv1 with a sha2-256 hash, so the root CID names the exact bytes of every file.
 */
import * as dagPb from "@ipld/dag-pb";
import { sha256 as sha256Bytes } from "@noble/hashes/sha2.js";
import { UnixFS } from "ipfs-unixfs";
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";

const RAW = 0x55;
const SHA2_256 = 0x12;
/** Kubo's default chunk size. */
export const CHUNK_SIZE = 256 * 1024;
/** Kubo's balanced layout: at most this many links per file node. */
const MAX_LINKS = 174;

export type Block = { cid: CID; bytes: Uint8Array };

function blockOf(code: number, bytes: Uint8Array): Block {
  return { cid: CID.createV1(code, Digest.create(SHA2_256, sha256Bytes(bytes))), bytes };
}

/** A node of the DAG being built: its CID, the size of its file content, and the bytes of all its blocks (Tsize). */
type Built = { cid: CID; fileSize: number; dagSize: number };

/** Builds a file's blocks, appending them to `out`. */
function buildFile(content: Uint8Array, out: Block[]): Built {
  if (content.length <= CHUNK_SIZE) {
    const leaf = blockOf(RAW, content);
    out.push(leaf);
    return { cid: leaf.cid, fileSize: content.length, dagSize: content.length };
  }
  let level: Built[] = [];
  for (let offset = 0; offset < content.length; offset += CHUNK_SIZE) {
    const leaf = blockOf(RAW, content.subarray(offset, offset + CHUNK_SIZE));
    out.push(leaf);
    level.push({ cid: leaf.cid, fileSize: leaf.bytes.length, dagSize: leaf.bytes.length });
  }
  // Group MAX_LINKS children per node until one root remains.
  while (level.length > 1) {
    const next: Built[] = [];
    for (let i = 0; i < level.length; i += MAX_LINKS) {
      const children = level.slice(i, i + MAX_LINKS);
      const data = new UnixFS({ type: "file", blockSizes: children.map((c) => BigInt(c.fileSize)) });
      const bytes = dagPb.encode(
        dagPb.prepare({ Data: data.marshal(), Links: children.map((c) => ({ Hash: c.cid, Tsize: c.dagSize })) }),
      );
      const node = blockOf(dagPb.code, bytes);
      out.push(node);
      next.push({
        cid: node.cid,
        fileSize: children.reduce((sum, c) => sum + c.fileSize, 0),
        dagSize: bytes.length + children.reduce((sum, c) => sum + c.dagSize, 0),
      });
    }
    level = next;
  }
  return level[0];
}

/** A directory tree: a file's bytes, or a directory's entries by name. */
export type Tree = Uint8Array | { [name: string]: Tree };

function buildTree(tree: Tree, out: Block[]): Built {
  if (tree instanceof Uint8Array) return buildFile(tree, out);
  const links = Object.entries(tree).map(([name, child]) => {
    if (name === "" || name === "." || name === ".." || name.includes("/"))
      throw new Error(`"${name}" cannot name an entry of a UnixFS directory`);
    const built = buildTree(child, out);
    return { Name: name, Hash: built.cid, Tsize: built.dagSize };
  });
  // dag-pb sorts links by name (bytewise); prepare() does it.
  const bytes = dagPb.encode(dagPb.prepare({ Data: new UnixFS({ type: "directory" }).marshal(), Links: links }));
  const node = blockOf(dagPb.code, bytes);
  out.push(node);
  return { cid: node.cid, fileSize: 0, dagSize: bytes.length + links.reduce((sum, l) => sum + l.Tsize, 0) };
}

/**
 * The blocks of a UnixFS DAG for `tree`, children before parents (so every block a node links to is sent first), and
 * its root CID.
 *
 * @example
 * ```ts
 * const { root, blocks } = buildUnixfs({ "index.html": html, assets: { "app.js": js } });
 * ```
 */
export function buildUnixfs(tree: Tree): { root: CID; blocks: Block[] } {
  const blocks: Block[] = [];
  const { cid } = buildTree(tree, blocks);
  const unique = new Map(blocks.map((block) => [block.cid.toString(), block]));
  return { root: cid, blocks: [...unique.values()] };
}

/** Reads one block by CID (verified by the caller's store), or undefined when it is not there. */
export type BlockReader = (cid: CID) => Promise<Uint8Array | undefined>;

/** A path inside a UnixFS DAG that does not resolve (missing entry, not a directory, not UnixFS). */
export class UnixfsPathError extends Error {
  override name = "UnixfsPathError";
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export type Resolved =
  | { kind: "file"; cid: CID; size: number; read: () => Promise<Uint8Array> }
  | { kind: "directory"; cid: CID; entries: string[] };

async function must(read: BlockReader, cid: CID): Promise<Uint8Array> {
  const bytes = await read(cid);
  if (!bytes) throw new UnixfsPathError(404, `block not found: ${cid}`);
  return bytes;
}

function decodeNode(cid: CID, bytes: Uint8Array): { node: dagPb.PBNode; unixfs: UnixFS } {
  try {
    const node = dagPb.decode(bytes);
    if (!node.Data) throw new Error("no UnixFS data");
    return { node, unixfs: UnixFS.unmarshal(node.Data) };
  } catch (cause) {
    throw new UnixfsPathError(502, `${cid} is not a UnixFS node (${(cause as Error).message})`);
  }
}

/** A file's content, leaves in order, refusing more than `limit` bytes in all. */
async function readFile(read: BlockReader, cid: CID, limit: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  const visit = async (at: CID) => {
    const bytes = await must(read, at);
    let content: Uint8Array = bytes;
    let children: CID[] = [];
    if (at.code === dagPb.code) {
      const { node, unixfs } = decodeNode(at, bytes);
      if (unixfs.type !== "file" && unixfs.type !== "raw")
        throw new UnixfsPathError(502, `${at} is a ${unixfs.type}, not part of a file`);
      content = unixfs.data ?? new Uint8Array();
      children = node.Links.map((link) => link.Hash);
    } else if (at.code !== RAW) {
      throw new UnixfsPathError(502, `${at} has codec 0x${at.code.toString(16)}, not raw or dag-pb`);
    }
    size += content.length;
    if (size > limit) throw new UnixfsPathError(413, `file over ${limit} bytes`);
    if (content.length > 0) parts.push(content);
    for (const child of children) await visit(child);
  };
  await visit(cid);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Follows `segments` (already URL-decoded names) from `root` through UnixFS directories. A segment is matched
 * against a directory's link names only, so `..` or `.` can never lead outside the DAG; they are refused outright.
 *
 * @example
 * ```ts
 * const found = await resolveUnixfs(root, ["assets", "app.js"], read);
 * ```
 */
export async function resolveUnixfs(
  root: CID,
  segments: readonly string[],
  read: BlockReader,
  limit = 64 * 1024 * 1024,
): Promise<Resolved> {
  let cid = root;
  for (const [i, name] of segments.entries()) {
    if (name === "." || name === ".." || name.includes("/") || name.includes("\\") || name.includes("\0"))
      throw new UnixfsPathError(400, `"${name}" is not a name inside a UnixFS directory`);
    if (cid.code !== dagPb.code) throw new UnixfsPathError(404, `${segments.slice(0, i).join("/")} is a file`);
    const { node, unixfs } = decodeNode(cid, await must(read, cid));
    if (unixfs.type !== "directory")
      throw new UnixfsPathError(404, `${segments.slice(0, i).join("/") || root} is not a directory`);
    const link = node.Links.find((l) => l.Name === name);
    if (!link) throw new UnixfsPathError(404, `no "${segments.slice(0, i + 1).join("/")}" in ${root}`);
    cid = link.Hash;
  }
  if (cid.code === dagPb.code) {
    const { node, unixfs } = decodeNode(cid, await must(read, cid));
    if (unixfs.type === "directory") return { kind: "directory", cid, entries: node.Links.map((l) => l.Name ?? "") };
    const at = cid;
    return { kind: "file", cid, size: Number(unixfs.fileSize()), read: () => readFile(read, at, limit) };
  }
  if (cid.code !== RAW) throw new UnixfsPathError(502, `${cid} is neither a raw block nor UnixFS`);
  const at = cid;
  return { kind: "file", cid, size: -1, read: () => readFile(read, at, limit) };
}
