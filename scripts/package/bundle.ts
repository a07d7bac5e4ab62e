/**
 * Builds `@troth/cli` into one file, `dist/troth.js`, with everything it imports (the SDK, viem, the noble
 * libraries) bundled in.
 *
 * Why one file: a command line pays its start-up on every call. Run from separate modules, Node resolves and loads
 * about a thousand files (viem alone is hundreds) before the first line of a command runs: 1.2 s on a quiet machine
 * for `troth --version`, several seconds under load. One file starts in a fifth of that. The CLI therefore has no
 * runtime dependencies; what it bundles is listed, with each package's licence, in `dist/THIRD-PARTY-LICENSES.md`.
 *
 * Type errors are tsc's business (`npm run typecheck`); esbuild only strips the types.
 *
 *   node ../scripts/package/bundle.ts      (from cli/: `npm run build -w @troth/cli`, and every `npm pack`)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";

/** Node built-ins are not bundled; CommonJS modules in the bundle call `require` for them, which ESM lacks. */
const REQUIRE_SHIM = `import { createRequire as __trothCreateRequire } from "node:module";
const require = __trothCreateRequire(import.meta.url);`;

/** What the SDK imports only for its embedded IPFS node (`createHeliaStore`, dynamic imports), which the CLI never
 * creates: the CLI writes through a Kubo RPC and reads from gateways. Left out of the bundle, they would only be
 * looked for if something called `createHeliaStore`. */
const NEVER_LOADED = ["helia", "blockstore-fs", "blockstore-fs/*", "datastore-fs"];

export type BundleResult = { file: string; bytes: number; packages: string[] };

/**
 * The package (name@version, its folder) each bundled input belongs to: its node_modules folder, or for the SDK (a
 * workspace link, so its sources resolve to ../sdk/src) the sdk folder. The CLI's own sources are skipped.
 */
function bundledPackages(metafile: Metafile, cwd: string): Map<string, string> {
  const folders = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input) ?? /^(.*(?:^|\/)sdk)\/src\//.exec(input);
    if (m) folders.add(path.resolve(cwd, m[1]));
  }
  const packages = new Map<string, string>();
  for (const folder of folders) {
    const manifest = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8"));
    packages.set(`${manifest.name}@${manifest.version}`, folder);
  }
  return packages;
}

/** Each bundled package's name, licence and licence text (its LICENSE file, when it ships one). */
function licenceNotice(packages: Map<string, string>): string {
  const sections = [...packages]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, folder]) => {
      const manifest = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8"));
      const licenceFile = readdirSync(folder).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
      const text = licenceFile
        ? readFileSync(path.join(folder, licenceFile), "utf8").trim()
        : "(no licence file shipped)";
      return `## ${id}\n\nLicence: ${manifest.license ?? "unstated"}\n\n\`\`\`\n${text}\n\`\`\``;
    });
  return `# Third-party software bundled in dist/troth.js\n\n${sections.join("\n\n")}\n`;
}

/** Empties `dist` (default `<workspace>/dist`) and bundles the workspace's `src/troth.ts` into `dist/troth.js`. */
export async function bundleCli(workspace: string, dist = path.join(workspace, "dist")): Promise<BundleResult> {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const file = path.join(dist, "troth.js");
  const manifest = JSON.parse(readFileSync(path.join(workspace, "package.json"), "utf8"));
  const result = await build({
    absWorkingDir: workspace,
    entryPoints: ["src/troth.ts"],
    outfile: file,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    // Keep names: a stack trace under TROTH_DEBUG=1 should still say which function failed.
    keepNames: true,
    banner: { js: REQUIRE_SHIM },
    // `troth --version` wherever the bundle lies (a test's temporary folder has no package.json above it).
    define: { __TROTH_CLI_VERSION__: JSON.stringify(manifest.version) },
    external: NEVER_LOADED,
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  const packages = bundledPackages(result.metafile, workspace);
  writeFileSync(path.join(dist, "THIRD-PARTY-LICENSES.md"), licenceNotice(packages));
  const bytes = readFileSync(file).length;
  return { file, bytes, packages: [...packages.keys()].sort() };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const workspace = process.cwd();
    if (!existsSync(path.join(workspace, "src", "troth.ts")))
      throw new Error("Run from cli/ (src/troth.ts not found).");
    const { bytes, packages } = await bundleCli(workspace);
    console.log(`dist/troth.js: ${(bytes / 1024).toFixed(0)} KiB, ${packages.length} packages bundled`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
