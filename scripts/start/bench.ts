/**
 * `npm run bench:start`: seconds from spawning `npm start` to every service answering — the chain RPC, the IPFS node,
 * the contracts (code at the recorded address) and the dApp (when it is built) — polled from outside every 100 ms,
 * plus the time to the "Ready" line (which includes seeding the demo pod). Each run uses free ports and its own
 * folders, then stops with SIGTERM.
 *
 * The figure that counts is the first start as a newcomer has it: the committed tree is cloned to a temporary folder
 * (git clone), installed with `npm ci` (timed too: its root postinstall compiles the contracts), then `npm start` is
 * timed there for the first time, then `--runs` more times (later starts). The first start must answer within
 * FIRST_START_BUDGET seconds, or the bench fails. `--here` measures this working tree instead (no clone, no install).
 * Prints the figures and writes bench/results/start.json.
 *
 *   npm run bench:start [-- --runs 3] [-- --no-app] [-- --here]
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { stackPorts } from "../../test/start/helpers/stack.ts";
import { rpc, stopGroup } from "./hardhat-node.ts";
import { repoRoot } from "./paths.ts";

type Service = "rpc" | "ipfs" | "contracts" | "app";
type Run = { services: Partial<Record<Service, number>>; allAnswering: number; readyLine: number };

/** Seconds from the end of `npm install` to every service answering, first start included (issue 14). */
const FIRST_START_BUDGET = 15;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "1" },
    app: { type: "boolean", default: true },
    here: { type: "boolean", default: false },
  },
  allowNegative: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a positive whole number");

async function answers(service: Service, urls: Record<string, string>, deploymentFile: string): Promise<boolean> {
  try {
    switch (service) {
      case "rpc":
        return (await rpc(urls.rpc, "eth_chainId", [], 500)) !== undefined;
      case "ipfs":
        return (await fetch(`${urls.ipfs}/api/v0/version`, { method: "POST", signal: AbortSignal.timeout(500) })).ok;
      case "contracts": {
        if (!existsSync(deploymentFile)) return false;
        const { troth } = JSON.parse(readFileSync(deploymentFile, "utf8"));
        return (await rpc<string>(urls.rpc, "eth_getCode", [troth, "latest"], 500)) !== "0x";
      }
      case "app":
        return (await fetch(`${urls.app}/troth-config.json`, { signal: AbortSignal.timeout(500) })).ok;
    }
  } catch {
    return false;
  }
}

async function measure(root: string, withApp: boolean): Promise<Run> {
  const ports = await stackPorts();
  const urls = Object.fromEntries(Object.entries(ports).map(([k, p]) => [k, `http://127.0.0.1:${p}`]));
  const work = mkdtempSync(path.join(tmpdir(), "troth-bench-start-"));
  const deploymentId = `bench-${path.basename(work)}`;
  const deploymentFile = path.join(work, "deployments", "31337.json");
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "scripts/start/index.ts",
      ...["--rpc-port", String(ports.rpc), "--ipfs-port", String(ports.ipfs), "--app-port", String(ports.app)],
      ...["--data-dir", path.join(work, "data"), "--deployments-dir", path.join(work, "deployments")],
      ...["--deployment-id", deploymentId, ...(withApp ? [] : ["--no-app"])],
    ],
    { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
  );
  let output = "";
  let readyLine: number | undefined;
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const collect = (d: Buffer) => {
    output += d.toString();
    if (readyLine === undefined && /Ready in/.test(output)) readyLine = (performance.now() - started) / 1000;
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const services: Partial<Record<Service, number>> = {};
  const wanted: Service[] = ["rpc", "ipfs", "contracts"];
  try {
    let appDecided = !withApp;
    for (;;) {
      // The dApp is served only when it built: known once the summary is out.
      if (readyLine !== undefined && !appDecided) {
        appDecided = true;
        if (/\n {2}dApp {12}http/.test(output)) wanted.push("app");
        else console.log("  (the dApp was not served: measured without it)");
      }
      if (readyLine !== undefined && wanted.every((s) => services[s] !== undefined)) break;
      if (exited) break;
      await Promise.all(
        wanted
          .filter((s) => services[s] === undefined)
          .map(async (s) => {
            if (await answers(s, urls, deploymentFile)) services[s] = (performance.now() - started) / 1000;
          }),
      );
      if (performance.now() - started > 15 * 60_000) throw new Error("npm start was not ready after 15 min");
      await new Promise((r) => setTimeout(r, 100));
    }
    if (readyLine === undefined) throw new Error(`npm start exited before it was ready:\n${output.slice(-2000)}`);
    return { services, allAnswering: Math.max(...Object.values(services)), readyLine };
  } finally {
    if (child.pid !== undefined) await stopGroup(child.pid, 30_000);
    rmSync(work, { recursive: true, force: true });
    rmSync(path.join(root, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  }
}

/** Runs a command to its end in `cwd` with this Node first on the PATH; resolves with its seconds. */
function timed(command: string, args: string[], cwd: string): Promise<number> {
  const started = performance.now();
  const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve((performance.now() - started) / 1000)
        : reject(new Error(`${command} ${args.join(" ")} failed (exit ${code}):\n${output.slice(-3000)}`)),
    );
  });
}

const print = (label: string, run: Run) => {
  const parts = Object.entries(run.services).map(([s, t]) => `${s} ${t.toFixed(1)} s`);
  console.log(
    `${label}: all services answering in ${run.allAnswering.toFixed(1)} s (${parts.join(", ")}); "Ready" after ${run.readyLine.toFixed(1)} s`,
  );
};
const runFigures = (r: Run) => ({
  allAnsweringSeconds: Number(r.allAnswering.toFixed(2)),
  readyLineSeconds: Number(r.readyLine.toFixed(2)),
  services: Object.fromEntries(Object.entries(r.services).map(([s, t]) => [s, Number(t.toFixed(2))])),
});

// ─── A fresh clone: install, then the first start ───
let root = repoRoot;
let clone: string | undefined;
let install: { seconds: number; commit: string } | undefined;
let first: Run | undefined;
try {
  if (!values.here) {
    clone = mkdtempSync(path.join(tmpdir(), "troth-bench-clone-"));
    root = path.join(realpathSync(clone), "troth");
    await timed("git", ["clone", "--quiet", "--no-hardlinks", repoRoot, root], clone);
    const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim();
    console.log(`fresh clone of ${commit} in ${root}; npm ci…`);
    install = { seconds: await timed("npm", ["ci", "--no-audit", "--no-fund"], root), commit };
    console.log(`npm ci (the contracts compiled by its postinstall): ${install.seconds.toFixed(1)} s`);
    first = await measure(root, values.app);
    print("first start", first);
  }

  const results: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await measure(root, values.app);
    results.push(run);
    print(`${values.here ? "" : "later "}start ${i + 1}`, run);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const summary = {
    ...(first && install
      ? {
          firstStart: {
            ...runFigures(first),
            budgetSeconds: FIRST_START_BUDGET,
            npmCiSeconds: Number(install.seconds.toFixed(2)),
            commit: install.commit,
          },
        }
      : {}),
    timeToReadySeconds: Number(median(results.map((r) => r.allAnswering)).toFixed(2)),
    readyLineSeconds: Number(median(results.map((r) => r.readyLine)).toFixed(2)),
    runs: results.map(runFigures),
    freshClone: !values.here,
    app: values.app,
    seed: true,
    machine: { cpus: cpus().length, node: process.version, loadAverage1m: Number(loadavg()[0].toFixed(1)) },
    measuredAt: new Date().toISOString(),
  };
  if (first) {
    console.log(
      `\nfirst start from a fresh clone (after npm ci → every service answering): ${summary.firstStart?.allAnsweringSeconds} s (budget ${FIRST_START_BUDGET} s)`,
    );
  }
  console.log(`time to ready (spawn → every service answering, median of ${runs}): ${summary.timeToReadySeconds} s`);
  console.log(`"Ready" line (with the demo pod seeded): ${summary.readyLineSeconds} s`);
  mkdirSync(path.join(repoRoot, "bench", "results"), { recursive: true });
  writeFileSync(path.join(repoRoot, "bench", "results", "start.json"), `${JSON.stringify(summary, null, 2)}\n`);
  console.log("wrote bench/results/start.json");
  if (first && first.allAnswering > FIRST_START_BUDGET) {
    console.error(`✗ the first start took ${first.allAnswering.toFixed(1)} s: over the ${FIRST_START_BUDGET} s budget`);
    process.exitCode = 1;
  }
} finally {
  if (clone) rmSync(clone, { recursive: true, force: true });
}
