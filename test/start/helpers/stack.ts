/**
 * `npm start` as a user runs it, for tests: spawned on free ports with its own data and deployments folders, in a
 * process group of its own (as a terminal would run it), ready when it prints "Ready in", stopped with SIGINT to the
 * whole group (Ctrl-C).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { type AddressInfo, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}

/**
 * `count` different ports nothing listens on right now. All are held open until the last is found: asked one after
 * another, the OS may hand back a port it just gave (a stack started with the same port twice refuses to start).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Ports for an `npm start` stack of its own: the chain's RPC, the IPFS node and the app, all different. */
export async function stackPorts(): Promise<{ rpc: number; ipfs: number; app: number }> {
  const [rpc, ipfs, app] = await freePorts(3);
  return { rpc, ipfs, app };
}

/** Pids of live processes whose command line contains `needle` (Linux /proc). */
export function processesMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      if (cmdline.includes(needle)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Whether any process of the group `pgid` is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export type Stack = {
  rpcUrl: string;
  ipfsUrl: string;
  appUrl: string;
  ports: { rpc: number; ipfs: number; app: number };
  work: string;
  dataDir: string;
  deploymentsDir: string;
  deploymentId: string;
  /** The group of `npm start` (npm, the orchestrator, its non-detached children). */
  pgid: number;
  output(): string;
  /** Ctrl-C: SIGINT to the group; resolves with how npm ended (npm re-raises the SIGINT it forwarded). */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Removes the work folder and Ignition's journal of this run. */
  clean(): void;
};

export async function startStack({
  seed = true,
  app = false,
  timeout = 480_000,
  ipfsToken,
}: {
  seed?: boolean;
  app?: boolean;
  timeout?: number;
  /** The IPFS node asks for this token (`--ipfs-token`). */
  ipfsToken?: string;
} = {}): Promise<Stack> {
  const ports = await stackPorts();
  const work = mkdtempSync(path.join(tmpdir(), "troth-start-test-"));
  const deploymentId = `test-${path.basename(work)}`;
  const dataDir = path.join(work, "data");
  const deploymentsDir = path.join(work, "deployments");
  const args = [
    "start",
    "--",
    "--rpc-port",
    String(ports.rpc),
    "--ipfs-port",
    String(ports.ipfs),
    "--app-port",
    String(ports.app),
    "--data-dir",
    dataDir,
    "--deployments-dir",
    deploymentsDir,
    "--deployment-id",
    deploymentId,
    ...(seed ? [] : ["--no-seed"]),
    ...(app ? [] : ["--no-app"]),
    ...(ipfsToken ? ["--ipfs-token", ipfsToken] : []),
  ];
  const child: ChildProcess = spawn("npm", args, {
    cwd: repoRoot,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (child.pid === undefined) throw new Error("could not spawn npm start");
  const pgid = child.pid;
  let output = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  child.stdout!.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr!.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const clean = () => {
    rmSync(work, { recursive: true, force: true });
    rmSync(path.join(repoRoot, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  };
  const stop = async () => {
    if (child.exitCode === null && groupAlive(pgid)) process.kill(-pgid, "SIGINT");
    return exited;
  };
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeout);
    const check = () => {
      if (/Ready in/.test(output)) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout!.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      resolve(/Ready in/.test(output));
    });
  });
  if (!ready) {
    await stop();
    clean();
    throw new Error(`npm start was not ready:\n${output.slice(-3000)}`);
  }
  return {
    rpcUrl: `http://127.0.0.1:${ports.rpc}`,
    ipfsUrl: `http://127.0.0.1:${ports.ipfs}`,
    appUrl: `http://127.0.0.1:${ports.app}`,
    ports,
    work,
    dataDir,
    deploymentsDir,
    deploymentId,
    pgid,
    output: () => output,
    stop,
    clean,
  };
}
