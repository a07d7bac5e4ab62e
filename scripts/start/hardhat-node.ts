/**
 * The local chain of `npm start`: `hardhat node` (EDR) on 127.0.0.1, in a process group of its own so that stopping
 * it stops everything it started.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { openSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./paths.ts";

export type HardhatNode = {
  url: string;
  /** Id of the node's process group (the group leader's pid). */
  pgid: number;
  /** Resolves when the node exits, for whatever reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
};

/** The Hardhat CLI script (what `npx hardhat` runs), to run with this Node binary without npm's wrapper process. */
export function hardhatCli(): string {
  return realpathSync(path.join(repoRoot, "node_modules", ".bin", "hardhat"));
}

/** Answers a JSON-RPC call, or throws (connection refused, HTTP error, JSON-RPC error). */
export async function rpc<T>(url: string, method: string, params: unknown[] = [], timeout = 5_000): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeout),
  });
  if (!response.ok) throw new Error(`${method}: HTTP ${response.status}`);
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

function lastLines(file: string, count: number): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-count).join("\n");
  } catch {
    return "";
  }
}

/** Whether any process of the group is still alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** SIGTERM to the whole group, then SIGKILL if it has not gone after `grace` ms; resolves once the group is empty. */
export async function stopGroup(pgid: number, grace = 5_000): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pgid, name);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + grace;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (groupAlive(pgid)) signal("SIGKILL");
  while (groupAlive(pgid)) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Starts `hardhat node --hostname 127.0.0.1 --port <port>` with its output in `logFile`, and waits until it answers
 * `eth_chainId`. The node runs the Hardhat CLI with this Node binary directly (what `npx hardhat node` runs, without
 * npm's wrapper process).
 */
export async function startHardhatNode({
  port,
  logFile,
  timeout = 120_000,
  onSpawn,
}: {
  port: number;
  logFile: string;
  timeout?: number;
  /** Called with the process group id as soon as the node is spawned, before it is ready (to stop it early). */
  onSpawn?: (pgid: number) => void;
}): Promise<HardhatNode> {
  const cli = realpathSync(path.join(repoRoot, "node_modules", ".bin", "hardhat"));
  const log = openSync(logFile, "a");
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, "node", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ["ignore", log, log],
      env: { ...process.env, FORCE_COLOR: "0" },
    },
  );
  const pgid = child.pid;
  if (pgid === undefined) throw new Error("could not start hardhat node");
  onSpawn?.(pgid);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const node: HardhatNode = { url, pgid, exited, stop: () => stopGroup(pgid) };

  const deadline = Date.now() + timeout;
  for (;;) {
    if (hasExited) {
      throw new Error(`hardhat node exited before answering. Last lines of ${logFile}:\n${lastLines(logFile, 15)}`);
    }
    try {
      await rpc(url, "eth_chainId", [], 1_000);
      return node;
    } catch {
      if (Date.now() > deadline) {
        await node.stop();
        throw new Error(`hardhat node did not answer on ${url} within ${timeout / 1000} s (log: ${logFile})`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
