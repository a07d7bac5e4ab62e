/**
 * What `npm start` would build, built once ahead and remembered by the hash of its sources: the contracts (Hardhat)
 * and the dApp (Vite; its bundle does not depend on the network, whose settings are served at /troth-config.json).
 * `npm install` runs this as the root project's postinstall, so the first `npm start` after an install finds both
 * built; npm start skips a build whose sources have not changed since, and builds (then records) one that has.
 *
 *   node scripts/start/prebuild.ts      (what postinstall runs)
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { hardhatCli } from "./hardhat-node.ts";
import { repoRoot } from "./paths.ts";

export type Prebuilt = "contracts" | "dapp";

/** Where each build's record is kept: the hash of the sources it was built from. */
const recordFile: Record<Prebuilt, string> = {
  // Hardhat's cache folder (ignored by git); the dApp's record lives in its output, so a build by hand (which empties
  // dist/) forgets it.
  contracts: path.join(repoRoot, "cache", "troth-prebuilt-contracts.sha256"),
  dapp: path.join(repoRoot, "dapp", "dist", ".troth-prebuilt.sha256"),
};

/** What each build reads: files, or folders taken whole (but for folders of output and dependencies). */
const sources: Record<Prebuilt, string[]> = {
  contracts: ["contracts", "hardhat.config.ts", "package-lock.json", "scripts/hardhat"],
  dapp: [
    "dapp/src",
    "dapp/public",
    "dapp/index.html",
    "dapp/vite.config.ts",
    "dapp/package.json",
    "sdk/src",
    "package-lock.json",
  ],
};

const skipped = new Set(["node_modules", "dist", ".cache", "generated-docs"]);

function files(entry: string): string[] {
  const full = path.join(repoRoot, entry);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full, { withFileTypes: true })
    .filter((d) => !skipped.has(d.name))
    .flatMap((d) => files(path.join(entry, d.name)))
    .sort();
}

/**
 * The hash of a build's sources (paths and contents). For the contracts it also covers the build-info files present,
 * so artifacts that something else replaced (a coverage run's instrumented build) do not pass for the recorded ones.
 */
export function sourceHash(kind: Prebuilt): string {
  const hash = createHash("sha256");
  for (const file of sources[kind].flatMap(files)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(repoRoot, file)));
  }
  if (kind === "contracts") {
    const buildInfo = path.join(repoRoot, "artifacts", "build-info");
    hash.update(existsSync(buildInfo) ? readdirSync(buildInfo).sort().join("\n") : "no build-info");
  }
  return hash.digest("hex");
}

/** Whether the last recorded build of `kind` was made from the sources as they are now. */
export function upToDate(kind: Prebuilt): boolean {
  try {
    return readFileSync(recordFile[kind], "utf8").trim() === sourceHash(kind);
  } catch {
    return false;
  }
}

/** Records that `kind` was just built from the sources as they are now. */
export function recordBuilt(kind: Prebuilt) {
  mkdirSync(path.dirname(recordFile[kind]), { recursive: true });
  writeFileSync(recordFile[kind], `${sourceHash(kind)}\n`);
}

function run(command: string, args: string[], cwd = repoRoot): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (exit ${code})`)),
    );
  });
}

/**
 * Builds what is not up to date, and records it. A build that fails is reported and left for npm start (which builds
 * it again and shows why): an install never fails over it.
 */
export async function prebuild({ log = console.log }: { log?: (line: string) => void } = {}) {
  const attempt = async (kind: Prebuilt, label: string, build: () => Promise<void>) => {
    if (upToDate(kind)) return log(`${label}: up to date`);
    log(`${label}: building…`);
    try {
      await build();
      recordBuilt(kind);
    } catch (error) {
      log(`${label}: not built (${(error as Error).message}); npm start will build it and show why`);
    }
  };
  await attempt("contracts", "contracts (hardhat build)", () =>
    run(process.execPath, [hardhatCli(), "build", "--no-tests", "--quiet"]),
  );
  if (!existsSync(path.join(repoRoot, "dapp", "package.json"))) return;
  const vite = path.join(repoRoot, "node_modules", "vite", "bin", "vite.js");
  await attempt("dapp", "dApp (vite build)", () =>
    run(process.execPath, [vite, "build", "--logLevel", "warn"], path.join(repoRoot, "dapp")),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await prebuild({ log: (line) => console.log(`troth prebuild: ${line}`) });
  console.log(`troth prebuild: done in ${((Date.now() - started) / 1000).toFixed(1)} s (npm start will not rebuild)`);
}
