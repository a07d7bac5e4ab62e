/**
 * `prepack` and `postpack` of the published workspaces (sdk, cli): what the repository uses and what npm packs differ
 * only in where `exports` and `bin` point.
 *
 * In the repository, `exports` and `bin` name the TypeScript sources (`./src/…ts`): the dApp's Vite build, vitest,
 * tsc and Node's type stripping all import `@troth/sdk` through the workspace symlink, with no build step. Inside
 * node_modules Node will not strip types and tsc refuses `.ts` imports, so the tarball must name compiled JavaScript.
 * npm applies no `publishConfig.exports` on pack, hence:
 *
 * - prepack: builds `dist/` with the workspace's own `build` script (the SDK: scripts/package/build.ts, tsc; the CLI:
 *   scripts/package/bundle.ts, one bundled file), keeps the repository's package.json byte for byte in
 *   `.package.repo.json`, and writes the published one, derived from it by one rule: every `./src/<path>.ts` in
 *   `exports` becomes `{ types: ./dist/<path>.d.ts, import: ./dist/<path>.js, default: ./dist/<path>.js }`, every
 *   `./src/<path>.ts` in `bin` becomes `./dist/<path>.js`. An entry point added to the repository's `exports` is
 *   published with no other change.
 * - postpack: puts the repository's package.json back.
 *
 * A pack that died between the two leaves `.package.repo.json` behind; the next prepack or postpack restores from it
 * first, and `node ../scripts/package/manifest.ts restore` does it by hand. While a pack runs, the package.json on
 * disk names `dist/`, which is freshly built: whatever imports the package in those seconds still works.
 *
 *   node ../scripts/package/manifest.ts prepack|postpack|restore      (from the workspace; npm runs the first two)
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BACKUP = ".package.repo.json";

type Manifest = {
  exports?: Record<string, string | Record<string, string>>;
  bin?: string | Record<string, string>;
  [field: string]: unknown;
};

/** `./src/a/b.ts` → `./dist/a/b` (no extension); anything else is left alone (undefined). */
function distBase(target: string): string | undefined {
  const m = /^\.\/src\/(.+)\.ts$/.exec(target);
  return m ? `./dist/${m[1]}` : undefined;
}

/** The manifest npm packs, from the repository's. */
export function publishedManifest(manifest: Manifest): Manifest {
  const published: Manifest = { ...manifest };
  if (manifest.exports) {
    published.exports = Object.fromEntries(
      Object.entries(manifest.exports).map(([entry, target]) => {
        const base = typeof target === "string" ? distBase(target) : undefined;
        return [entry, base ? { types: `${base}.d.ts`, import: `${base}.js`, default: `${base}.js` } : target];
      }),
    );
  }
  if (typeof manifest.bin === "string") {
    published.bin = manifest.bin.replace(/^\.\/src\/(.+)\.ts$/, "./dist/$1.js");
  } else if (manifest.bin) {
    published.bin = Object.fromEntries(
      Object.entries(manifest.bin).map(([name, target]) => [
        name,
        target.replace(/^\.\/src\/(.+)\.ts$/, "./dist/$1.js"),
      ]),
    );
  }
  return published;
}

/** Puts the repository's package.json back if a pack left it rewritten; returns whether it had to. */
export function restore(workspace: string): boolean {
  const backup = path.join(workspace, BACKUP);
  if (!existsSync(backup)) return false;
  renameSync(backup, path.join(workspace, "package.json"));
  return true;
}

export function prepack(workspace: string): void {
  if (restore(workspace)) console.warn(`${path.basename(workspace)}: restored package.json left by an earlier pack`);
  const file = path.join(workspace, "package.json");
  const text = readFileSync(file, "utf8");
  const build = (JSON.parse(text) as Manifest & { scripts?: Record<string, string> }).scripts?.build;
  if (!build) throw new Error(`${path.basename(workspace)}/package.json has no build script`);
  const run = spawnSync(build, { cwd: workspace, shell: true, stdio: "inherit" });
  if (run.status !== 0) throw new Error(`${path.basename(workspace)}: \`${build}\` failed`);
  const published = publishedManifest(JSON.parse(text));
  writeFileSync(path.join(workspace, BACKUP), text);
  writeFileSync(file, `${JSON.stringify(published, null, 2)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command] = process.argv.slice(2);
  const workspace = process.cwd();
  try {
    if (command === "prepack") prepack(workspace);
    else if (command === "postpack" || command === "restore") restore(workspace);
    else throw new Error("usage: node ../scripts/package/manifest.ts prepack|postpack|restore");
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
