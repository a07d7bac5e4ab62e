/**
 * Serves the built dApp (`dapp/dist`) on 127.0.0.1 with the local network's settings at `/troth-config.json`, which
 * the dApp fetches at start-up (chain id, RPC URL, IPFS URLs, deployment). Unknown paths without a file extension fall
 * back to `index.html` (client-side routes); nothing outside the dist folder is ever read.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export const APP_CONFIG_PATH = "/troth-config.json";

/** Content types of the files a web app is made of, by extension (also the IPFS gateway's, for a published app). */
export const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".webmanifest": "application/manifest+json",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
  ".map": "application/json; charset=utf-8",
};

export type AppServer = { url: string; close(): Promise<void> };

async function fileAt(file: string): Promise<number | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the static server on 127.0.0.1:`port`.
 *
 * @example
 * ```ts
 * const app = await startAppServer({ distDir: "dapp/dist", port: 3000, config });
 * ```
 */
export async function startAppServer({
  distDir,
  port,
  config,
}: {
  distDir: string;
  port: number;
  config: unknown;
}): Promise<AppServer> {
  const root = path.resolve(distDir);
  const configJson = `${JSON.stringify(config, null, 2)}\n`;
  let hosts = new Set<string>();

  const server: Server = createServer(async (req, res) => {
    const fail = (status: number, message: string) => {
      res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" });
      res.end(`${message}\n`);
    };
    if (!hosts.has(req.headers.host ?? "")) return fail(403, "This server answers on loopback only.");
    if (req.method !== "GET" && req.method !== "HEAD") return fail(405, "GET and HEAD only.");
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    } catch {
      return fail(400, "Malformed URL.");
    }
    if (pathname === APP_CONFIG_PATH) {
      res.writeHead(200, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": Buffer.byteLength(configJson),
        "Cache-Control": "no-store",
      });
      return res.end(req.method === "HEAD" ? undefined : configJson);
    }
    let file = path.resolve(root, `.${pathname}`);
    if (file !== root && !file.startsWith(`${root}${path.sep}`)) return fail(400, "Path outside the app.");
    let size = await fileAt(file);
    if (size === undefined && (pathname.endsWith("/") || path.extname(pathname) === "")) {
      file = path.join(root, "index.html");
      size = await fileAt(file);
    }
    if (size === undefined) return fail(404, "Not found.");
    res.writeHead(200, {
      "Content-Type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
      "Content-Length": size,
      "X-Content-Type-Options": "nosniff",
      // Vite fingerprints assets; index.html must be fetched fresh to pick up a new build.
      "Cache-Control": file.includes(`${path.sep}assets${path.sep}`)
        ? "public, max-age=31536000, immutable"
        : "no-cache",
    });
    if (req.method === "HEAD") return res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  hosts = new Set([`127.0.0.1:${actual}`, `localhost:${actual}`]);
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
