/**
 * `npm run publish:dapp`: adds the built dApp (`dapp/dist`) to an IPFS node over the Kubo RPC as a UnixFS directory,
 * pins it, and prints its CID and a gateway URL. The same directory is what any IPFS gateway or an ENS contenthash
 * (`ipfs://<cid>`) then serves; the build's relative base and hash routes make it work from `/ipfs/<cid>/`.
 *
 *   npm run build -w dapp
 *   TROTH_IPFS_TOKEN=… npm run publish:dapp -- --api https://ipfs.example.org --config troth-config.json \
 *     --gateway https://gateway.example.org
 *
 * Blocks are sent with `block/put` (raw leaves and dag-pb nodes, CIDv1, sha2-256) after the DAG is built here, so the
 * CID printed is computed from the files themselves and every answer of the node is checked against it; then
 * `pin/add` pins the whole directory. `--config` adds a runtime config as `troth-config.json` next to `index.html`;
 * a config holding a credential is refused (it would be served to anyone).
 */
import { lstat, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  authorizationHeader,
  parseStorageSecret,
  type StorageAuth,
  StorageAuthError,
  StoreRequestError,
  StoreUnreachableError,
} from "@troth/sdk/storage";
import type { CID } from "multiformats/cid";
import { findCredentials, parseConfig } from "../../dapp/src/lib/config.ts";
import { repoRoot } from "../start/paths.ts";
import { type Block, buildUnixfs, type Tree } from "../start/unixfs.ts";

export const USAGE = `Usage: npm run publish:dapp -- [options]

  --dist <dir>        the built app (default dapp/dist; build it with npm run build -w dapp)
  --api <url>         the IPFS node's Kubo RPC (TROTH_IPFS; default http://127.0.0.1:5001, npm start's);
                      its token, if it asks for one, in TROTH_IPFS_TOKEN (bearer, or basic:<user>:<password>)
  --config <file>     a runtime config to publish next to the app as troth-config.json (no credentials)
  --gateway <url>     the gateway to print the app's URL with (default: the --api URL, as npm start serves both)
  --json              print { cid, url, files, blocks, bytes } as JSON
  -h, --help          this help`;

/** What cannot be published, in one sentence. */
export class PublishError extends Error {
  override name = "PublishError";
}

export type PublishDappParameters = {
  /** The built app's folder. */
  dist: string;
  /** The IPFS node's Kubo RPC base URL. */
  apiUrl: string;
  auth?: StorageAuth;
  /** A runtime config, added as `troth-config.json` (checked: it must parse and hold no credential). */
  config?: unknown;
  /** Base URL of the gateway the printed URL uses (default `apiUrl`). */
  gatewayUrl?: string;
};

export type PublishDappReturnType = { cid: CID; url: string; files: number; blocks: number; bytes: number };

/** Every file under `dir` as a tree; a symbolic link or anything but files and folders is refused. */
async function readTree(dir: string, counter: { files: number }): Promise<Tree> {
  const tree: Record<string, Tree> = {};
  for (const name of (await readdir(dir)).sort()) {
    const full = path.join(dir, name);
    const info = await lstat(full);
    if (info.isDirectory()) tree[name] = await readTree(full, counter);
    else if (info.isFile()) {
      tree[name] = new Uint8Array(await readFile(full));
      counter.files++;
    } else throw new PublishError(`${full} is neither a file nor a folder (a link?): not published.`);
  }
  return tree;
}

function refuseCredentials(raw: unknown, where: string) {
  const leaked = findCredentials(raw);
  if (leaked.length > 0) {
    throw new PublishError(
      `${where} holds a credential (${leaked.join(", ")}): a published config is public. Remove it (and change it); members set their storage credentials in the app's Settings.`,
    );
  }
}

/** One request to the Kubo RPC, with the node's credentials; failures as the SDK's storage errors. */
async function kubo(apiUrl: string, auth: StorageAuth | undefined, command: string, body?: FormData) {
  const source = `Kubo RPC ${apiUrl}`;
  let response: Response;
  try {
    response = await fetch(`${apiUrl}/api/v0/${command}`, {
      method: "POST",
      body,
      headers: authorizationHeader(auth),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (cause) {
    throw new StoreUnreachableError({ source, reason: (cause as Error).message, cause });
  }
  const text = await response.text();
  if (response.status === 401 || response.status === 403)
    throw new StorageAuthError({ source, status: response.status, reason: text.slice(0, 200) });
  if (!response.ok) {
    let reason = text.slice(0, 200);
    try {
      reason = (JSON.parse(text) as { Message?: string }).Message ?? reason;
    } catch {}
    throw new StoreRequestError({ source, reason: `${command}: HTTP ${response.status}: ${reason}` });
  }
  return text;
}

async function putBlock(apiUrl: string, auth: StorageAuth | undefined, block: Block) {
  const codec = block.cid.code === 0x70 ? "dag-pb" : "raw";
  const form = new FormData();
  form.append("file", new Blob([block.bytes as BlobPart]), "block");
  const answer = JSON.parse(
    await kubo(apiUrl, auth, `block/put?cid-codec=${codec}&mhtype=sha2-256&mhlen=32`, form),
  ) as { Key?: string };
  // A node may answer a dag-pb block with its CIDv0: the same hash, so compare as CIDv1.
  const { CID } = await import("multiformats/cid");
  let returned: string | undefined;
  try {
    returned = answer.Key ? CID.parse(answer.Key).toV1().toString() : undefined;
  } catch {}
  if (returned !== block.cid.toString())
    throw new PublishError(`The node stored a block as ${answer.Key}, not ${block.cid}: is it a Kubo node?`);
}

/**
 * Publishes the built dApp as a UnixFS directory: every block sent and checked, the root pinned.
 *
 * @example
 * ```ts
 * const { cid, url } = await publishDapp({ dist: "dapp/dist", apiUrl: "http://127.0.0.1:5001", config });
 * ```
 */
export async function publishDapp({
  dist,
  apiUrl,
  auth,
  config,
  gatewayUrl = apiUrl,
}: PublishDappParameters): Promise<PublishDappReturnType> {
  const api = apiUrl.replace(/\/+$/, "");
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(path.join(dist, "index.html"));
  } catch {
    throw new PublishError(`${dist} has no index.html: build the app first (npm run build -w dapp).`);
  }
  if (!info.isFile()) throw new PublishError(`${dist}/index.html is not a file.`);
  const counter = { files: 0 };
  const tree = (await readTree(dist, counter)) as Record<string, Tree>;
  for (const name of ["troth-config.json", "config.json"]) {
    const file = tree[name];
    if (file instanceof Uint8Array) refuseCredentials(JSON.parse(new TextDecoder().decode(file)), `${dist}/${name}`);
  }
  if (config !== undefined) {
    refuseCredentials(config, "The config");
    parseConfig(config); // the app would refuse it too: say so now
    tree["troth-config.json"] = new TextEncoder().encode(`${JSON.stringify(config, null, 2)}\n`);
    counter.files++;
  }
  const { root, blocks } = buildUnixfs(tree);
  // Independent requests: a few at a time (the pin below needs them all).
  const queue = [...blocks];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let block = queue.shift(); block; block = queue.shift()) await putBlock(api, auth, block);
    }),
  );
  await kubo(api, auth, `pin/add?arg=${root}&recursive=true`);
  return {
    cid: root,
    url: `${gatewayUrl.replace(/\/+$/, "")}/ipfs/${root}/`,
    files: counter.files,
    blocks: blocks.length,
    bytes: blocks.reduce((sum, block) => sum + block.bytes.length, 0),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      dist: { type: "string", default: path.join(repoRoot, "dapp", "dist") },
      api: { type: "string" },
      config: { type: "string" },
      gateway: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const apiUrl = values.api ?? process.env.TROTH_IPFS ?? "http://127.0.0.1:5001";
  for (const [flag, value] of [
    ["--api", apiUrl],
    ["--gateway", values.gateway],
  ] as const) {
    if (value !== undefined && (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)))
      throw new PublishError(`${flag} must be an http(s) URL (got "${value}").`);
  }
  let config: unknown;
  if (values.config) {
    try {
      config = JSON.parse(await readFile(values.config, "utf8"));
    } catch (cause) {
      throw new PublishError(`${values.config} is not a readable JSON file (${(cause as Error).message}).`);
    }
  }
  const started = Date.now();
  const published = await publishDapp({
    dist: path.resolve(values.dist),
    apiUrl,
    auth: process.env.TROTH_IPFS_TOKEN?.trim() ? parseStorageSecret(process.env.TROTH_IPFS_TOKEN) : undefined,
    config,
    gatewayUrl: values.gateway,
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...published, cid: published.cid.toString() }, null, 2)}\n`);
    return;
  }
  const kB = (published.bytes / 1024).toFixed(1);
  process.stdout.write(
    [
      `Published ${published.files} files (${published.blocks} blocks, ${kB} KiB) to ${apiUrl} and pinned them in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      `CID  ${published.cid}`,
      `URL  ${published.url}`,
      `ENS  contenthash ipfs://${published.cid}`,
      "",
    ].join("\n"),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  try {
    await main();
  } catch (error) {
    const message = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message;
    process.stderr.write(`publish:dapp: ${message}\n`);
    process.exit(1);
  }
}
