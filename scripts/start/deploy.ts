/**
 * `npm run deploy -- --network <name>`: deploys Troth with the Hardhat Ignition module (`ignition/modules/Troth.ts`,
 * through Ignition's own `ignition deploy` task, so resuming, confirmation prompts and journals behave as in
 * `npx hardhat ignition deploy`) and writes the deployment record `deployments/<chainId>.json`:
 * `{ chainId, troth, lens, governance, startBlock }`, addresses from Ignition's `deployed_addresses.json` and
 * `startBlock` from the receipt of Troth's deployment. `npm start` runs this same script against its local node.
 *
 * Options: --network <name> (a network of hardhat.config.ts), --rpc-url <url> (another URL for an http network, e.g.
 * a local node on another port), --deployment-id <id> (Ignition's; default chain-<chainId>), --deployments-dir <dir>,
 * --build-profile <name> (default: Ignition's, "production").
 */
import { mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { errorDeploymentResultToExceptionMessage } from "@nomicfoundation/hardhat-ignition/helpers";
import type { DeploymentResult } from "@nomicfoundation/ignition-core";
import { createHardhatRuntimeEnvironment, importUserConfig, resolveHardhatConfigPath } from "hardhat/hre";
import { type Address, decodeFunctionResult, encodeFunctionData, getAddress, type Hex } from "viem";
import { defaultDeploymentsDir, repoRoot } from "./paths.ts";

/** What every consumer of a deployment reads (the SDK's generator, the CLI, the dApp's config). */
export type DeploymentRecord = {
  chainId: number;
  troth: Address;
  lens: Address;
  governance: Address;
  /** The block Troth was deployed in: indexers and log queries start here. */
  startBlock: number;
};

export type DeployParameters = {
  network: string;
  rpcUrl?: string;
  deploymentId?: string;
  deploymentsDir?: string;
  buildProfile?: string;
};

/** The module's futures, as Ignition names them in `deployed_addresses.json` and the journal. */
const FUTURES = { troth: "Troth#Troth", lens: "Troth#TrothLens", governance: "Troth#TrothGovernance" } as const;
const MODULE_PATH = path.join(repoRoot, "ignition", "modules", "Troth.ts");
const lensAbi = [
  { type: "function", name: "lens", inputs: [], outputs: [{ type: "address" }], stateMutability: "view" },
] as const;

/** A deployment that cannot be recorded: the one sentence shown to the user. */
export class DeployError extends Error {
  override name = "DeployError";
}

/** The path of the record of `chainId`. */
export function deploymentRecordPath(chainId: number, deploymentsDir = defaultDeploymentsDir): string {
  return path.join(deploymentsDir, `${chainId}.json`);
}

/** Reads and checks a deployment record. */
export async function readDeploymentRecord(file: string): Promise<DeploymentRecord> {
  const raw = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  const record = {
    chainId: Number(raw.chainId),
    troth: getAddress(String(raw.troth)),
    lens: getAddress(String(raw.lens)),
    governance: getAddress(String(raw.governance)),
    startBlock: Number(raw.startBlock),
  };
  if (!Number.isSafeInteger(record.chainId) || !Number.isSafeInteger(record.startBlock)) {
    throw new DeployError(`${file} is not a deployment record (chainId and startBlock must be integers)`);
  }
  return record;
}

/** Writes the record atomically (a reader never sees half a file). */
async function writeDeploymentRecord(record: DeploymentRecord, deploymentsDir: string): Promise<string> {
  await mkdir(deploymentsDir, { recursive: true });
  const file = deploymentRecordPath(record.chainId, deploymentsDir);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
  await rename(temporary, file);
  return file;
}

/** Runs `task` holding an exclusive lock file (its holder's pid inside; a lock whose holder died is taken over). */
async function withLock<T>(file: string, task: () => Promise<T>): Promise<T> {
  await mkdir(path.dirname(file), { recursive: true });
  for (;;) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(await readFile(file, "utf8").catch(() => ""));
      if (holder > 0 && !isAlive(holder)) await rm(file, { force: true });
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await task();
  } finally {
    await rm(file, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The hash of the transaction that deployed `futureId`, from Ignition's journal. */
async function deploymentTransaction(deploymentDir: string, futureId: string): Promise<Hex> {
  const journal = await readFile(path.join(deploymentDir, "journal.jsonl"), "utf8");
  for (const line of journal.split("\n")) {
    if (!line.includes(futureId)) continue;
    const entry = JSON.parse(line) as { type?: string; futureId?: string; hash?: Hex };
    if (entry.type === "TRANSACTION_CONFIRM" && entry.futureId === futureId && entry.hash) return entry.hash;
  }
  throw new DeployError(`Ignition's journal in ${deploymentDir} has no confirmed transaction for ${futureId}`);
}

/**
 * Deploys (or resumes the deployment of) the Troth module on `network` and writes its record.
 *
 * @example
 * ```ts
 * const { record, file } = await deployTroth({ network: "localhost", rpcUrl: "http://127.0.0.1:18545" });
 * ```
 */
export async function deployTroth(parameters: DeployParameters): Promise<{ record: DeploymentRecord; file: string }> {
  const { network, rpcUrl, deploymentsDir = defaultDeploymentsDir, buildProfile } = parameters;
  const configPath = await resolveHardhatConfigPath(path.join(repoRoot, "hardhat.config.ts"));
  const userConfig = await importUserConfig(configPath);
  const networkConfig = userConfig.networks?.[network];
  if (networkConfig === undefined) {
    // Only networks reached over HTTP are somewhere to deploy to (`node` is how `hardhat node` is configured).
    const known = Object.entries(userConfig.networks ?? {})
      .filter(([, config]) => config.type === "http")
      .map(([name]) => name)
      .join(", ");
    throw new DeployError(`No network "${network}" in hardhat.config.ts (known: ${known})`);
  }
  if (rpcUrl !== undefined && networkConfig.type !== "http") {
    throw new DeployError(`--rpc-url applies to http networks only; "${network}" is ${networkConfig.type}`);
  }
  // Another URL for the same network (a local node on another port): a copy of the config, the file is untouched.
  let config =
    rpcUrl === undefined
      ? userConfig
      : { ...userConfig, networks: { ...userConfig.networks, [network]: { ...networkConfig, url: rpcUrl } } };
  // A local node mines each transaction at once: poll it every 100 ms rather than Ignition's 1 s for public chains.
  if (network === "localhost") config = { ...config, ignition: { ...config.ignition, blockPollingInterval: 100 } };
  const hre = await createHardhatRuntimeEnvironment(
    config,
    { config: configPath, network, ...(buildProfile === undefined ? {} : { buildProfile }) },
    repoRoot,
  );

  const connection = await hre.network.connect();
  const request = <T>(method: string, params: unknown[] = []) =>
    connection.provider.request({ method, params }) as Promise<T>;
  let chainId: number;
  try {
    chainId = Number(await request<Hex>("eth_chainId"));
  } catch {
    // Only a URL given in clear is shown: a configuration variable may hold an API key.
    const configured = networkConfig.type === "http" ? networkConfig.url : undefined;
    const shown = rpcUrl ?? (typeof configured === "string" ? configured : undefined);
    throw new DeployError(`Cannot reach the network "${network}"${shown ? ` at ${shown}` : ""}: is the node running?`);
  }
  const deploymentId = parameters.deploymentId ?? `chain-${chainId}`;

  // Ignition keeps a file of local node instances (cache/.hardhat-network-instances.json) that it rewrites in place:
  // local deployments running at once (several `npm start`, tests) take turns so none reads it half-written.
  const result = (await withLock(path.join(hre.config.paths.cache, ".troth-deploy.lock"), () =>
    hre.tasks.getTask(["ignition", "deploy"]).run({ modulePath: MODULE_PATH, deploymentId }),
  )) as DeploymentResult | null;
  if (result === null) throw new DeployError("Deployment cancelled");
  if (result.type !== "SUCCESSFUL_DEPLOYMENT") {
    throw new DeployError(errorDeploymentResultToExceptionMessage(result));
  }

  const deploymentDir = path.join(hre.config.paths.ignition, "deployments", deploymentId);
  const addresses = JSON.parse(await readFile(path.join(deploymentDir, "deployed_addresses.json"), "utf8")) as Record<
    string,
    string
  >;
  const [troth, lens, governance] = [FUTURES.troth, FUTURES.lens, FUTURES.governance].map((id) => {
    if (!addresses[id]) throw new DeployError(`${deploymentDir}/deployed_addresses.json has no ${id}`);
    return getAddress(addresses[id]);
  });
  const hash = await deploymentTransaction(deploymentDir, FUTURES.troth);
  const receipt = await request<{ blockNumber: Hex } | null>("eth_getTransactionReceipt", [hash]);
  if (receipt === null) {
    throw new DeployError(`Troth's deployment transaction ${hash} is not on chain ${chainId}: is the journal stale?`);
  }
  // The record must describe what is on chain: code at every address, and Troth's own lens.
  for (const [name, address] of Object.entries({ troth, lens, governance })) {
    if ((await request<Hex>("eth_getCode", [address, "latest"])) === "0x") {
      throw new DeployError(`No code at the ${name} address ${address} on chain ${chainId}`);
    }
  }
  const lensOfTroth = decodeFunctionResult({
    abi: lensAbi,
    functionName: "lens",
    data: await request<Hex>("eth_call", [{ to: troth, data: encodeFunctionData({ abi: lensAbi }) }, "latest"]),
  });
  if (getAddress(lensOfTroth) !== lens) {
    throw new DeployError(`Troth at ${troth} reports lens ${lensOfTroth}, Ignition recorded ${lens}`);
  }
  await connection.close();

  const record: DeploymentRecord = { chainId, troth, lens, governance, startBlock: Number(receipt.blockNumber) };
  return { record, file: await writeDeploymentRecord(record, deploymentsDir) };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      network: { type: "string" },
      "rpc-url": { type: "string" },
      "deployment-id": { type: "string" },
      "deployments-dir": { type: "string" },
      "build-profile": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help || values.network === undefined) {
    console.log(
      "Usage: npm run deploy -- --network <name> [--rpc-url <url>] [--deployment-id <id>] [--deployments-dir <dir>] [--build-profile <name>]",
    );
    return values.help ? 0 : 1;
  }
  const { record, file } = await deployTroth({
    network: values.network,
    rpcUrl: values["rpc-url"],
    deploymentId: values["deployment-id"],
    deploymentsDir: values["deployments-dir"] ? path.resolve(values["deployments-dir"]) : undefined,
    buildProfile: values["build-profile"],
  });
  console.log(`\nWrote ${path.relative(process.cwd(), file) || file}`);
  console.log(JSON.stringify(record, null, 2));
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  try {
    process.exitCode = await main();
  } catch (error) {
    // One sentence, no stack: Hardhat's own errors (a missing configuration variable, a wrong keystore password)
    // already say what to do.
    console.error(`Deploy failed: ${String((error as Error).message ?? error).replace(/\s*\n\s*/g, " ")}`);
    process.exitCode = 1;
  }
}
