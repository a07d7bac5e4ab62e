/**
 * `npm run bench:start`: seconds from spawning `npm start` to every service answering — the chain RPC, the IPFS node,
 * the contracts (code at the recorded address) and the dApp (when it is built) — polled from outside every 100 ms,
 * plus the time to the "Ready" line (which includes seeding the demo pod). Each run uses free ports and its own
 * folders, then stops with SIGINT. Prints a table and writes bench/results/start.json.
 *
 *   npm run bench:start [-- --runs 3] [-- --no-app]
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { rpc, stopGroup } from "./hardhat-node.ts";
import { repoRoot } from "./paths.ts";

type Service = "rpc" | "ipfs" | "contracts" | "app";
type Run = { services: Partial<Record<Service, number>>; allAnswering: number; readyLine: number };

const { values } = parseArgs({
  options: { runs: { type: "string", default: "1" }, app: { type: "boolean", default: true } },
  allowNegative: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a positive whole number");

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

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

async function measure(withApp: boolean): Promise<Run> {
  const ports = { rpc: await freePort(), ipfs: await freePort(), app: await freePort() };
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
    { cwd: repoRoot, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
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
    rmSync(path.join(repoRoot, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  }
}

const results: Run[] = [];
for (let i = 0; i < runs; i++) {
  const run = await measure(values.app);
  results.push(run);
  const parts = Object.entries(run.services).map(([s, t]) => `${s} ${t.toFixed(1)} s`);
  console.log(
    `run ${i + 1}: all services answering in ${run.allAnswering.toFixed(1)} s (${parts.join(", ")}); "Ready" after ${run.readyLine.toFixed(1)} s`,
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = {
  timeToReadySeconds: Number(median(results.map((r) => r.allAnswering)).toFixed(2)),
  readyLineSeconds: Number(median(results.map((r) => r.readyLine)).toFixed(2)),
  runs: results.map((r) => ({
    allAnsweringSeconds: Number(r.allAnswering.toFixed(2)),
    readyLineSeconds: Number(r.readyLine.toFixed(2)),
    services: Object.fromEntries(Object.entries(r.services).map(([s, t]) => [s, Number(t.toFixed(2))])),
  })),
  app: values.app,
  seed: true,
  machine: { cpus: cpus().length, node: process.version },
  measuredAt: new Date().toISOString(),
};
console.log(`\ntime to ready (spawn → every service answering, median of ${runs}): ${summary.timeToReadySeconds} s`);
console.log(`"Ready" line (with the demo pod seeded): ${summary.readyLineSeconds} s`);
mkdirSync(path.join(repoRoot, "bench", "results"), { recursive: true });
writeFileSync(path.join(repoRoot, "bench", "results", "start.json"), `${JSON.stringify(summary, null, 2)}\n`);
console.log("wrote bench/results/start.json");
