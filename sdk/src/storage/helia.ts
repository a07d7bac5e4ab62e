// Types only: the modules themselves (Node's file system included) are loaded by createHeliaStore, so that importing
// `@troth/sdk/storage` in a browser pulls in nothing Node-only.
import type { NextToLast } from "blockstore-fs/sharding";
import type { Helia } from "helia";
import type { CID } from "multiformats/cid";
import { BlobNotFoundError } from "../errors/storage.ts";
import { type BlobLocator, blobRef, MAX_BLOB_SIZE, requireBlobSize, toCid, verifyBlob } from "./cid.ts";
import type { ContentStore } from "./types.ts";

export type HeliaStore = ContentStore & {
  /** The running Helia node (no libp2p: blocks stay on this machine unless something else serves them). */
  readonly helia: Helia;
  /** Stops the node and closes its stores. */
  close(): Promise<void>;
};

export type CreateHeliaStoreParameters = {
  /** Directory of the filesystem blockstore and datastore (created if missing). */
  directory: string;
  /** Largest blob accepted, in bytes (default 1 MiB). */
  maxBlobSize?: number;
  /**
   * Pin every block put (default false). The store itself never collects garbage, so its blocks stay without pins;
   * pin when the same Helia node also runs `gc()` for other content. A pin costs a few milliseconds per block.
   */
  pin?: boolean;
};

/**
 * Blocks up to this size are written with synchronous file calls. A report is a few hundred bytes: the four
 * thread-pool round trips of an asynchronous put (access, mkdir, write, rename) took longer than the write itself and
 * sat on a check-in's critical path (`npm run bench:sdk`); the synchronous write blocks for tens of microseconds.
 * Larger blocks go through Helia's asynchronous put.
 */
const SYNC_WRITE_LIMIT = 64 * 1024;

let tempCounter = 0;

type NodeFs = typeof import("node:fs");
type NodePath = typeof import("node:path");

/** Writes a small block where blockstore-fs keeps it, the way it does: beside the target, then renamed into place. */
function writeSmallBlock(
  { existsSync, mkdirSync, renameSync, rmSync, writeFileSync }: NodeFs,
  path: NodePath,
  root: string,
  sharding: NextToLast,
  cid: CID,
  bytes: Uint8Array,
): void {
  const { dir, file } = sharding.encode(cid);
  const target = path.join(root, dir, file);
  // Content-addressed: a block already there holds these very bytes.
  if (existsSync(target)) return;
  mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}-${tempCounter++}.tmp`;
  try {
    writeFileSync(temp, bytes);
    // A crash before the rename leaves a stray temp file, never half a block.
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

async function collect(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    size += chunk.length;
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * An embedded IPFS node: Helia without networking, with a filesystem blockstore in `directory`. The default store
 * for scripts and tests; serve its blocks to others through a gateway or a Kubo node.
 *
 * @example
 * ```ts
 * const store = await createHeliaStore({ directory: "./.troth/ipfs" });
 * const { cid, digest } = await store.put(bytes);
 * await store.close();
 * ```
 */
export async function createHeliaStore({
  directory,
  maxBlobSize = MAX_BLOB_SIZE,
  pin = false,
}: CreateHeliaStoreParameters): Promise<HeliaStore> {
  // Loaded here rather than at the top: Helia takes most of a second to import, and `@troth/sdk/storage` is imported
  // by every CLI start and by programs that only use a Kubo or gateway store.
  const [fs, { default: path }, { FsBlockstore }, { NextToLast }, { FsDatastore }, { createHeliaLight }] =
    await Promise.all([
      import("node:fs"),
      import("node:path"),
      import("blockstore-fs"),
      import("blockstore-fs/sharding"),
      import("datastore-fs"),
      import("helia"),
    ]);
  const sharding = new NextToLast();
  const blockstore = new FsBlockstore(path.join(directory, "blocks"), { shardingStrategy: sharding });
  const datastore = new FsDatastore(path.join(directory, "datastore"));
  await blockstore.open();
  await datastore.open();
  const helia = createHeliaLight({ blockstore, datastore });
  await helia.start();
  const name = `Helia (${directory})`;
  async function pinBlock(cid: CID) {
    if (await helia.pins.isPinned(cid)) return;
    for await (const _ of helia.pins.add(cid)) {
      // Draining the iterator pins the block (a raw block has no children).
    }
  }
  return {
    name,
    helia,
    async put(bytes) {
      requireBlobSize(bytes.length, maxBlobSize);
      const ref = blobRef(bytes);
      // On a node without networking Helia's put adds no provider notice, only its garbage-collection read lock; this
      // store never collects garbage, and a block pinned (`pin`) is safe from anyone else's `gc()`. So a small block
      // is written straight to the blockstore.
      if (bytes.length <= SYNC_WRITE_LIMIT) writeSmallBlock(fs, path, blockstore.path, sharding, ref.cid, bytes);
      else await helia.blockstore.put(ref.cid, bytes);
      if (pin) await pinBlock(ref.cid);
      return ref;
    },
    async get(locator: BlobLocator) {
      const cid = toCid(locator);
      // Offline node: ask the local blockstore only, so a missing block fails at once instead of waiting on peers.
      if (!(await helia.blockstore.has(cid))) throw new BlobNotFoundError({ cid: cid.toString(), source: name });
      const bytes = await collect(helia.blockstore.get(cid, { offline: true }));
      requireBlobSize(bytes.length, maxBlobSize);
      return verifyBlob(cid, bytes, name);
    },
    async close() {
      await helia.stop();
      await blockstore.close();
      await datastore.close();
    },
  };
}
