/**
 * `npm start`: the whole local Troth network in one command.
 *
 * 1. a Hardhat node (EDR) on 127.0.0.1, in its own process group;
 * 2. the embedded IPFS node (the SDK's Helia store on disk) served over the Kubo RPC and a trustless gateway;
 * 3. the contracts, deployed by the Ignition module through `scripts/start/deploy.ts` (what `npm run deploy` runs),
 *    and the record `deployments/<chainId>.json`;
 * 4. the dApp, built and served with this network's settings (when `dapp/` has a build script);
 * 5. a demo pod seeded through the SDK (unless --no-seed);
 * then the URLs, chain id and dev accounts. Ctrl-C (or SIGTERM) stops every child.
 *
 * Each run starts fresh: the chain lives in memory, and the data folder (.troth/) is wiped unless --keep.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, openSync, readFileSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs, styleText } from "node:util";
import { createHeliaStore, type HeliaStore } from "@troth/sdk/storage";
import { APP_CONFIG_PATH, type AppServer, startAppServer } from "./app-server.ts";
import { type DeploymentRecord, deploymentRecordPath, readDeploymentRecord } from "./deploy.ts";
import { devAccounts } from "./dev-accounts.ts";
import { groupAlive, type HardhatNode, hardhatCli, rpc, startHardhatNode, stopGroup } from "./hardhat-node.ts";
import { type IpfsServer, startIpfsServer, storageAuthFromSecret } from "./ipfs-server.ts";
import { defaultDataDir, defaultDeploymentsDir, repoRoot } from "./paths.ts";
import { assertPortFree, PortInUseError, parsePort } from "./ports.ts";
import { recordBuilt, upToDate } from "./prebuild.ts";
import { DEMO_HISTORY_SECONDS, type SeededPod, seedDemoPod } from "./seed.ts";

const USAGE = `Usage: npm start -- [options]

  --rpc-port <port>         chain JSON-RPC port (default 8545)
  --ipfs-port <port>        IPFS port: Kubo RPC at /api/v0, gateway at /ipfs (default 5001)
  --app-port <port>         dApp port (default 3000)
  --no-seed                 do not seed the demo pod
  --no-app                  do not build or serve the dApp
  --keep                    keep the data folder from the last run (default: wipe it)
  --data-dir <dir>          data folder (default .troth)
  --deployments-dir <dir>   where deployments/<chainId>.json is written (default deployments)
  --deployment-id <id>      Ignition deployment id (default chain-<chainId>)
  --cors-origin <origin>    another origin allowed to call IPFS from a browser (repeatable)
  --ipfs-token <secret>     the Kubo RPC asks for this token (Authorization: Bearer <secret>), or for
                            basic:<user>:<password>; never written to the served config (default: none)
  -h, --help                this help`;

/** Marks a folder as ours: only such a folder (or an empty one) is ever wiped. */
const DATA_MARKER = ".troth-data";
const DEPLOY_SCRIPT = path.join(repoRoot, "scripts", "start", "deploy.ts");

const started = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const bold = (text: string) => styleText("bold", text);
const dim = (text: string) => styleText("dim", text);
const say = (line = "") => process.stdout.write(`${line}\n`);

// ─── Shutdown: every resource registers how to stop it, the moment it exists ──────────────────────────────────────

const cleanups: { name: string; run: () => Promise<void> }[] = [];
const groups = new Set<number>();
let stopping = false;

function onStop(name: string, run: () => Promise<void>) {
  if (stopping) void run();
  else cleanups.push({ name, run });
}

/** A child in a process group of its own, stopped (the whole group) on shutdown. */
function trackGroup(pgid: number, name: string) {
  groups.add(pgid);
  onStop(name, async () => {
    await stopGroup(pgid);
    groups.delete(pgid);
  });
}

async function shutdown(code: number, reason?: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (reason) say(`\n${reason}`);
    say(dim("Stopping…"));
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup.run();
      } catch (error) {
        process.stderr.write(`could not stop ${cleanup.name}: ${(error as Error).message}\n`);
      }
    }
    say(dim("Stopped."));
  }
  process.exit(code);
}

let interrupts = 0;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    // A second Ctrl-C while stopping: kill what is left at once.
    if (++interrupts > 1) {
      for (const pgid of groups) if (groupAlive(pgid)) process.kill(-pgid, "SIGKILL");
      process.exit(130);
    }
    void shutdown(0);
  });
}

// ─── Steps ─────────────────────────────────────────────────────────────────────────────────────────────────────────

let stepNumber = 0;
/**
 * Prints a step's start and end with its duration. `since` is when the work began, for work that started earlier in
 * the background (the dApp build runs during the deployment): the time shown is the work's own, not the wait for it.
 */
async function step<T>(label: string, run: () => Promise<T>, since = Date.now()): Promise<T> {
  const number = ++stepNumber;
  say(`${dim(`[${number}]`)} ${label}…`);
  const result = await run();
  say(`${dim(`[${number}]`)} ${styleText("green", "✓")} ${label} ${dim(`(${seconds(since)})`)}`);
  return result;
}

function lastLines(file: string, count: number): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-count).join("\n");
  } catch {
    return "";
  }
}

/** Runs a command in its own process group with its output in `logFile`; rejects with the log's tail on failure. */
function runLogged(command: string, args: string[], logFile: string, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = openSync(logFile, "a");
    const child: ChildProcess = spawn(command, args, { cwd: repoRoot, detached: true, stdio: ["ignore", log, log] });
    if (child.pid !== undefined) trackGroup(child.pid, name);
    child.once("error", reject);
    child.once("exit", (code) => {
      if (child.pid !== undefined) groups.delete(child.pid);
      if (code === 0) resolve();
      else reject(new Error(`${name} failed (exit ${code}). Last lines of ${logFile}:\n${lastLines(logFile, 12)}`));
    });
  });
}

/** Empties the data folder, refusing any folder that is not ours (so a wrong --data-dir never deletes anything). */
async function prepareDataDir(dir: string, keep: boolean) {
  if (existsSync(dir)) {
    const entries = await readdir(dir);
    if (entries.length > 0 && !entries.includes(DATA_MARKER)) {
      throw new Error(`${dir} exists and is not a Troth data folder: choose another with --data-dir <dir>.`);
    }
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
  await mkdir(path.join(dir, "logs"), { recursive: true });
  await writeFile(path.join(dir, DATA_MARKER), "Data folder of `npm start` (wiped on each start unless --keep).\n");
  await writeFile(path.join(dir, ".gitignore"), "*\n");
}

function dappBuildScript(): boolean {
  const file = path.join(repoRoot, "dapp", "package.json");
  if (!existsSync(file)) return false;
  return (
    typeof (JSON.parse(readFileSync(file, "utf8")) as { scripts?: Record<string, string> }).scripts?.build === "string"
  );
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      "rpc-port": { type: "string", default: "8545" },
      "ipfs-port": { type: "string", default: "5001" },
      "app-port": { type: "string", default: "3000" },
      seed: { type: "boolean", default: true },
      app: { type: "boolean", default: true },
      keep: { type: "boolean", default: false },
      "data-dir": { type: "string" },
      "deployments-dir": { type: "string" },
      "deployment-id": { type: "string" },
      "cors-origin": { type: "string", multiple: true, default: [] },
      "ipfs-token": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    allowNegative: true,
    strict: true,
  });
  const rpcPort = parsePort(values["rpc-port"], "--rpc-port");
  const ipfsPort = parsePort(values["ipfs-port"], "--ipfs-port");
  const appPort = parsePort(values["app-port"], "--app-port");
  const ports = values.app ? [rpcPort, ipfsPort, appPort] : [rpcPort, ipfsPort];
  if (new Set(ports).size !== ports.length) throw new Error("--rpc-port, --ipfs-port and --app-port must differ.");
  for (const origin of values["cors-origin"]) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      throw new Error(`--cors-origin takes an origin such as http://127.0.0.1:5173 (got "${origin}").`);
    }
  }
  return {
    help: values.help,
    rpcPort,
    ipfsPort,
    appPort,
    seed: values.seed,
    app: values.app,
    keep: values.keep,
    dataDir: path.resolve(values["data-dir"] ?? defaultDataDir),
    deploymentsDir: path.resolve(values["deployments-dir"] ?? defaultDeploymentsDir),
    deploymentId: values["deployment-id"],
    corsOrigins: values["cors-origin"],
    ipfsToken: values["ipfs-token"],
  };
}

// ─── Main ──────────────────────────────────────────────────────────────────────────────────────────────────────────

async function main() {
  const options = parseOptions();
  if (options.help) {
    say(USAGE);
    return process.exit(0);
  }
  const { rpcPort, ipfsPort, appPort, dataDir } = options;
  const logs = path.join(dataDir, "logs");
  const buildApp = options.app && dappBuildScript();

  say(bold("Troth — starting the local network"));
  await assertPortFree(rpcPort, "chain RPC", "--rpc-port");
  await assertPortFree(ipfsPort, "IPFS", "--ipfs-port");
  if (buildApp) await assertPortFree(appPort, "dApp", "--app-port");
  await prepareDataDir(dataDir, options.keep);

  const appOrigins = [`http://127.0.0.1:${appPort}`, `http://localhost:${appPort}`];
  // The dApp's Vite dev server (`npm run dev -w dapp`) may use this IPFS node too.
  const devOrigins = ["http://127.0.0.1:5173", "http://localhost:5173"];

  // The demo pod's history (three weekly rounds) is seeded in the past: the chain's first block is dated that far
  // back, and the seed brings the clock to the real date, so the open round is open now.
  if (options.seed) {
    process.env.TROTH_NODE_INITIAL_DATE = new Date(Date.now() - DEMO_HISTORY_SECONDS * 1000).toISOString();
  }

  // Compiling needs no chain: it runs while the node starts (the deployment then finds the artifacts up to date). Built
  // ahead by npm install (scripts/start/prebuild.ts) and unchanged since: nothing to compile.
  const contractsBuilt = upToDate("contracts");
  const build = contractsBuilt
    ? step("Contracts compiled at install, sources unchanged", async () => {})
    : step("Compiling the contracts (hardhat build)", async () => {
        await runLogged(
          process.execPath,
          [hardhatCli(), "build", "--no-tests"],
          path.join(logs, "build.log"),
          "the contract build",
        );
        recordBuilt("contracts");
      });
  // Awaited below; until then a failure must not count as unhandled (that would exit before the cleanup).
  build.catch(() => {});
  const [node, ipfs] = await Promise.all([
    step(`Starting the Hardhat node on 127.0.0.1:${rpcPort}`, async () => {
      const hardhat: HardhatNode = await startHardhatNode({
        port: rpcPort,
        logFile: path.join(logs, "hardhat-node.log"),
        onSpawn: (pgid) => trackGroup(pgid, "the Hardhat node"),
      });
      void hardhat.exited.then((code) => {
        if (!stopping)
          void shutdown(1, styleText("red", `The Hardhat node exited (code ${code}); see ${logs}/hardhat-node.log`));
      });
      return hardhat;
    }),
    step(`Starting the IPFS node on 127.0.0.1:${ipfsPort}`, async () => {
      const store: HeliaStore = await createHeliaStore({ directory: path.join(dataDir, "ipfs") });
      onStop("the IPFS store", () => store.close());
      const server: IpfsServer = await startIpfsServer({
        store,
        port: ipfsPort,
        allowedOrigins: [...appOrigins, ...devOrigins, ...options.corsOrigins],
        token: options.ipfsToken,
      });
      onStop("the IPFS server", () => server.close());
      return server;
    }),
  ]);

  // The bundle does not depend on the network (its settings are served beside it): one built from the same sources,
  // at install or by an earlier start, is served as it is.
  const appBuilt = buildApp && upToDate("dapp");
  const appBuildStarted = Date.now();
  const appBuild =
    buildApp && !appBuilt
      ? runLogged(
          "npm",
          ["run", "build", "--workspace", "dapp"],
          path.join(logs, "dapp-build.log"),
          "the dApp build",
        ).then(() => recordBuilt("dapp"))
      : undefined;
  appBuild?.catch(() => {});

  await build;
  const deployment: DeploymentRecord = await step("Deploying the contracts with Hardhat Ignition", async () => {
    const args = [
      DEPLOY_SCRIPT,
      "--network",
      "localhost",
      "--rpc-url",
      node.url,
      "--deployments-dir",
      options.deploymentsDir,
    ];
    if (options.deploymentId) args.push("--deployment-id", options.deploymentId);
    // The local chain uses the artifacts of `npx hardhat build` (the default profile): no isolated production build.
    args.push("--build-profile", "default");
    await runLogged(process.execPath, args, path.join(logs, "deploy.log"), "the deployment");
    const chainId = Number(await rpc<string>(node.url, "eth_chainId"));
    return readDeploymentRecord(deploymentRecordPath(chainId, options.deploymentsDir));
  });

  let seeded: SeededPod | undefined;
  if (options.seed) {
    seeded = await step("Seeding the demo pod", () =>
      seedDemoPod({
        rpcUrl: node.url,
        ipfsUrl: ipfs.url,
        ipfsAuth: storageAuthFromSecret(options.ipfsToken),
        deployment,
        progress: (message) => say(`    ${dim(message)}`),
      }),
    );
  }

  const config = {
    chainId: deployment.chainId,
    rpcUrl: node.url,
    ipfs: { rpcUrl: ipfs.url, gatewayUrl: ipfs.url },
    deployment,
    demoPod: seeded ? seeded.podId.toString() : null,
  };
  await writeFile(path.join(dataDir, "config.json"), `${JSON.stringify(config, null, 2)}\n`);

  let app: AppServer | undefined;
  let appNotice = "skipped: --no-app";
  if (options.app && !buildApp) appNotice = "skipped: dapp/ has no build script yet";
  if (buildApp) {
    try {
      if (appBuild) await step("Building the dApp (Vite)", () => appBuild, appBuildStarted);
      else await step("dApp built earlier from the same sources", async () => {});
      app = await startAppServer({ distDir: path.join(repoRoot, "dapp", "dist"), port: appPort, config });
      onStop("the dApp server", () => app!.close());
    } catch (error) {
      appNotice = `not served: ${(error as Error).message.split("\n")[0]} (see ${logs}/dapp-build.log)`;
    }
  }

  // ─── Summary ───
  const row = (label: string, value: string) => say(`  ${label.padEnd(16)}${value}`);
  say();
  say(bold(`Troth is running on a local test chain (chain id ${deployment.chainId})`));
  say();
  row("dApp", app ? `${app.url}  ${dim(`(settings: ${app.url}${APP_CONFIG_PATH})`)}` : dim(appNotice));
  row("Chain RPC", node.url);
  row("IPFS Kubo RPC", `${ipfs.url}/api/v0${options.ipfsToken ? dim("  (asks for the --ipfs-token)") : ""}`);
  row("IPFS gateway", `${ipfs.url}/ipfs/<cid>?format=raw`);
  row("Troth", deployment.troth);
  row("Lens", deployment.lens);
  row("Governance", deployment.governance);
  row(
    "Deployment",
    `${path.relative(process.cwd(), deploymentRecordPath(deployment.chainId, options.deploymentsDir))} (start block ${deployment.startBlock})`,
  );
  row("Data folder", `${path.relative(process.cwd(), dataDir) || dataDir} ${dim("(logs, IPFS blocks, config.json)")}`);
  if (seeded) {
    say();
    const closes = new Date(seeded.closesAt * 1000).toLocaleString("en-GB", {
      dateStyle: "medium",
      timeStyle: "short",
    });
    say(bold(`Demo pod "${seeded.title}" — round ${seeded.currentRound + 1} is open now, until ${closes}`));
    row("Pod id", `0x${seeded.podId.toString(16)}  ${dim(`(the dApp's #/pod/0x${seeded.podId.toString(16)})`)}`);
    for (const m of seeded.members) {
      row(
        m.name,
        `token 0x${m.tokenId.toString(16)}  witnessed ${m.witnessed}, missed ${m.missed}, restarts ${m.restarts}`,
      );
    }
  }
  say();
  say(
    styleText(
      ["bold", "yellow"],
      "Dev accounts — LOCAL TEST KEYS ONLY (Hardhat's public mnemonic): never use them on a real network",
    ),
  );
  for (const dev of devAccounts()) {
    say(`  #${dev.index} ${dev.name.padEnd(6)} ${dev.account.address}  ${dim("private key")} ${dev.privateKey}`);
  }
  say();
  say(
    `Try the CLI: ${bold(`TROTH_PRIVATE_KEY=${devAccounts(2)[1].privateKey} npm run troth -- due --rpc ${node.url} --ipfs ${ipfs.url}`)}`,
  );
  say();
  say(styleText("green", `Ready in ${seconds(started)}. Press Ctrl-C to stop.`));
}

try {
  await main();
} catch (error) {
  const message = error instanceof PortInUseError ? error.message : (error as Error).message;
  process.stderr.write(`${styleText("red", "✗")} ${message}\n`);
  await shutdown(1);
}
