import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const devConfigFile = path.resolve(import.meta.dirname, ".dev/config.json");

/**
 * In `vite dev`, `/config.json` is the runtime config the dev stack wrote (`node dapp/scripts/devnet.ts`), or the
 * default local devnet (`npm start`'s ports) when there is none. In production the server that serves the build
 * serves its own `/config.json` next to `index.html`.
 */
function devRuntimeConfig(): Plugin {
  return {
    name: "troth-dev-runtime-config",
    apply: "serve",
    configureServer(server) {
      server.middlewares.use("/config.json", (_req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(existsSync(devConfigFile) ? readFileSync(devConfigFile) : JSON.stringify({ chainId: 31337 }));
      });
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), devRuntimeConfig()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
  },
});
