/**
 * Builds a published workspace (sdk, cli) into its `dist/`: `tsc -p tsconfig.build.json` after emptying `dist/`, so
 * nothing of an older build survives. `rewriteRelativeImportExtensions` turns the sources' relative `./x.ts` imports
 * into `./x.js` in the JavaScript, but TypeScript leaves them as written in declaration files; they are rewritten here
 * too (same length, so the declaration maps stay exact), for tools and TypeScript versions that do not map `.ts` to
 * `.d.ts`.
 *
 *   node ../scripts/package/build.ts      (from the workspace: `npm run build -w sdk`, and every `npm pack`)
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Relative module specifiers ending in `.ts` inside quotes: `from "./a.ts"`, `import("../b/c.ts")`. */
const RELATIVE_TS = /(["'])(\.{1,2}\/[^"'\n]*?)\.ts\1/g;

/** Rewrites relative `.ts` specifiers to `.js` in every `.d.ts` under `dir`; returns how many files changed. */
export function rewriteDeclarationSpecifiers(dir: string): number {
  let changed = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".d.ts")) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = readFileSync(file, "utf8");
    const rewritten = text.replace(RELATIVE_TS, "$1$2.js$1");
    if (rewritten !== text) {
      writeFileSync(file, rewritten);
      changed++;
    }
  }
  return changed;
}

/** Empties `<workspace>/dist` and compiles `<workspace>/tsconfig.build.json` into it; throws on a compile error. */
export function buildWorkspace(workspace: string): void {
  const dist = path.join(workspace, "dist");
  rmSync(dist, { recursive: true, force: true });
  const tsc = createRequire(path.join(workspace, "package.json")).resolve("typescript/bin/tsc");
  const run = spawnSync(process.execPath, [tsc, "-p", path.join(workspace, "tsconfig.build.json")], {
    cwd: workspace,
    stdio: "inherit",
  });
  if (run.status !== 0) throw new Error(`tsc -p ${path.basename(workspace)}/tsconfig.build.json failed`);
  rewriteDeclarationSpecifiers(dist);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    buildWorkspace(process.cwd());
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
