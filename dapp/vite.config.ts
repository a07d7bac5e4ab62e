import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/** `npm start`'s data folder (`--data-dir`, default `.troth/` at the repository root); TROTH_DATA_DIR points elsewhere. */
const dataDir = path.resolve(import.meta.dirname, "..", process.env.TROTH_DATA_DIR ?? ".troth");
const startConfigFile = path.join(dataDir, "config.json");

/**
 * In `vite dev`, `/config.json` (and `/troth-config.json`) is the runtime config `npm start` serves at
 * `/troth-config.json`: the same object, which it writes to its data folder as `config.json`. Run `npm start` first;
 * without it there is no network to talk to, and the app says its settings could not be loaded. In production the
 * server that serves the build serves its own config next to `index.html`.
 */
function devRuntimeConfig(): Plugin {
  return {
    name: "troth-dev-runtime-config",
    apply: "serve",
    configureServer(server) {
      for (const route of ["/config.json", "/troth-config.json"]) {
        server.middlewares.use(route, (_req, res) => {
          if (!existsSync(startConfigFile)) {
            res.statusCode = 404;
            res.setHeader("content-type", "text/plain; charset=utf-8");
            res.end(`No ${startConfigFile}: run \`npm start\` first (it writes the local network's settings there).\n`);
            return;
          }
          res.setHeader("content-type", "application/json; charset=utf-8");
          res.setHeader("cache-control", "no-store");
          res.end(readFileSync(startConfigFile));
        });
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  // Relative URLs (and hash routes, lib/router.tsx): the same build works from any path, such as /ipfs/<cid>/.
  base: "./",
  plugins: [react(), devRuntimeConfig()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
  },
});
