/** Spawns the `npm start` stack on free ports, waits until it is ready, and stops its whole process group after. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export type Stack = { appUrl: string; rpcUrl: string; ipfsUrl: string; stop(): Promise<void> };

/** A port nothing listens on now (the OS picks it), so the run never collides with a stack already running. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startStack({ seed, log }: { seed: boolean; log: string }): Promise<Stack> {
  const ports = { rpc: await freePort(), ipfs: await freePort(), app: await freePort() };
  const work = mkdtempSync(path.join(tmpdir(), "troth-e2e-"));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "scripts/start/index.ts",
      "--rpc-port",
      String(ports.rpc),
      "--ipfs-port",
      String(ports.ipfs),
      "--app-port",
      String(ports.app),
      ...(seed ? [] : ["--no-seed"]),
      "--data-dir",
      path.join(work, "data"),
      "--deployments-dir",
      path.join(work, "deployments"),
    ],
    { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      writeFileSync(log, output);
      if (/Ready in/.test(output)) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`npm start exited (${code}) before it was ready:\n${output.slice(-2000)}`)),
    );
  });
  const timeout = setTimeout(() => child.pid && process.kill(-child.pid, "SIGTERM"), 8 * 60_000);
  const stop = async () => {
    clearTimeout(timeout);
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid, "SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
    rmSync(work, { recursive: true, force: true });
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    appUrl: `http://127.0.0.1:${ports.app}/`,
    rpcUrl: `http://127.0.0.1:${ports.rpc}`,
    ipfsUrl: `http://127.0.0.1:${ports.ipfs}`,
    stop,
  };
}
