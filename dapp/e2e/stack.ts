/** Spawns the `npm start` stack on free ports, waits until it is ready, and stops its whole process group after. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTrothClient, type TrothClient } from "@troth/sdk";
import { createKuboStore } from "@troth/sdk/storage";
import { type Browser, chromium } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, http, type LocalAccount } from "viem";
import { hardhat } from "viem/chains";
import { stackPorts } from "../../test/start/helpers/stack.ts";

const root = path.resolve(import.meta.dirname, "../..");

export type Stack = { appUrl: string; rpcUrl: string; ipfsUrl: string; stop(): Promise<void> };

/**
 * Debian's Chromium (CHROMIUM_PATH to use another), headless, with nothing of its own reaching the network;
 * `extraArgs` add switches (fake media devices, say).
 */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      ...extraArgs,
    ],
  });
}

/**
 * `ipfsToken`: the IPFS node asks for it (`--ipfs-token`), and pages the gateway serves (a dApp published on IPFS)
 * may call it, with the token, from the node's own origin.
 */
export async function startStack({
  seed,
  log,
  ipfsToken,
}: {
  seed: boolean;
  log: string;
  ipfsToken?: string;
}): Promise<Stack> {
  const ports = await stackPorts();
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
      ...(ipfsToken ? ["--ipfs-token", ipfsToken, "--cors-origin", `http://127.0.0.1:${ports.ipfs}`] : []),
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

/**
 * SDK clients for `accounts` on the stack: its chain, its IPFS node, and Troth where the stack deployed it (read from
 * the runtime config the app itself reads). Scenarios set their pods up with these, then play the screens.
 */
export async function sdkClients(stack: Stack, accounts: readonly LocalAccount[]): Promise<TrothClient[]> {
  const config = await (await fetch(new URL("troth-config.json", stack.appUrl))).json();
  // The dApp's own settings, in whichever spelling the stack wrote them (as the dApp's config reader accepts).
  const deployment = (config.deployment ?? { ...config, ...config.contracts }) as {
    troth: Address;
    lens: Address;
    startBlock?: number;
  };
  const transport = http(stack.rpcUrl);
  const publicClient = createPublicClient({ chain: hardhat, transport });
  const store = createKuboStore({ url: stack.ipfsUrl });
  return Promise.all(
    accounts.map((account) =>
      createTrothClient({
        publicClient,
        walletClient: createWalletClient({ account, chain: hardhat, transport }),
        store,
        address: deployment.troth,
        lens: deployment.lens,
        startBlock: BigInt(deployment.startBlock ?? 0),
      }),
    ),
  );
}
