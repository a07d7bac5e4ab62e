/**
 * Prepares the subgraph's generated inputs, so nobody edits them by hand:
 * - `abis/Troth.json`: the ABI of the compiled Troth contract (from Hardhat's artifacts);
 * - `networks.json`: per graph-cli network name, Troth's address and start block, from the repository's
 *   `deployments/<chainId>.json` files (written by `npm start`), or from `--address`/`--start-block`.
 *
 * Usage: node scripts/prepare.ts [--network <name>] [--address <0x…> --start-block <n>] [--out <networks.json>]
 *   [--require-network]
 * With `--require-network` (deploy scripts) a missing network is an error; otherwise (codegen and build, which only
 * need the ABI) it is a notice.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const subgraphDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = path.resolve(subgraphDir, "..");
const artifactPath = path.join(repoDir, "artifacts/contracts/Troth.sol/Troth.json");
const deploymentsDir = path.join(repoDir, "deployments");

/** graph-cli network names of the chains Troth deploys to (The Graph's networks registry; `localhost` for a dev node). */
export const networkNames: Record<number, string> = {
  1: "mainnet",
  10: "optimism",
  8453: "base",
  42161: "arbitrum-one",
  11155111: "sepolia",
  84532: "base-sepolia",
  31337: "localhost",
};

export type Deployment = { chainId: number; troth: string; lens: string; governance: string; startBlock: number };
export type Networks = Record<string, { Troth: { address: string; startBlock: number } }>;

export class PrepareError extends Error {
  override name = "PrepareError";
}

const addressPattern = /^0x[0-9a-fA-F]{40}$/;

/** Reads and checks one `deployments/<chainId>.json`. */
export function readDeployment(file: string): Deployment {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new PrepareError(`${file} is not valid JSON: ${(cause as Error).message}`);
  }
  const d = raw as Partial<Deployment>;
  if (typeof d !== "object" || d === null) throw new PrepareError(`${file} is not a JSON object`);
  if (!Number.isInteger(d.chainId)) throw new PrepareError(`${file}: chainId must be an integer`);
  if (typeof d.troth !== "string" || !addressPattern.test(d.troth)) {
    throw new PrepareError(`${file}: troth must be a 0x-prefixed 20-byte address`);
  }
  if (!Number.isInteger(d.startBlock) || (d.startBlock as number) < 0) {
    throw new PrepareError(`${file}: startBlock must be a non-negative integer`);
  }
  return d as Deployment;
}

/** The network name graph-cli and graph-node know a chain by. */
export function networkNameOf(chainId: number): string {
  const name = networkNames[chainId];
  if (!name) {
    throw new PrepareError(
      `chain ${chainId} has no known graph network name (known: ${Object.entries(networkNames)
        .map(([id, n]) => `${id}=${n}`)
        .join(", ")}); pass --network`,
    );
  }
  return name;
}

/** Every deployment in `deployments/`, as graph-cli's networks.json. */
export function networksFromDeployments(dir: string): Networks {
  const networks: Networks = {};
  if (!existsSync(dir)) return networks;
  for (const entry of readdirSync(dir).sort()) {
    if (!/^\d+\.json$/.test(entry)) continue;
    const d = readDeployment(path.join(dir, entry));
    if (`${d.chainId}.json` !== entry) throw new PrepareError(`${entry} holds chainId ${d.chainId}`);
    networks[networkNameOf(d.chainId)] = { Troth: { address: d.troth, startBlock: d.startBlock } };
  }
  return networks;
}

/** Copies the ABI out of the Hardhat artifact (run `npx hardhat build` first). */
export function copyAbi(outDir: string): string {
  if (!existsSync(artifactPath)) {
    throw new PrepareError(`${path.relative(repoDir, artifactPath)} is missing: run \`npx hardhat build\` first`);
  }
  const artifact = JSON.parse(readFileSync(artifactPath, "utf8")) as { abi?: unknown[] };
  if (!Array.isArray(artifact.abi)) throw new PrepareError(`${artifactPath} has no abi`);
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, "Troth.json");
  writeFileSync(file, `${JSON.stringify(artifact.abi, null, 2)}\n`);
  return file;
}

export type PrepareOptions = {
  network?: string;
  address?: string;
  startBlock?: string;
  out?: string;
  abiDir?: string;
  requireNetwork?: boolean;
  deploymentsDir?: string;
};

export type PrepareResult = { abiFile: string; networksFile?: string; networks: Networks; notice?: string };

export function prepare(options: PrepareOptions = {}): PrepareResult {
  const dir = options.deploymentsDir ?? deploymentsDir;
  let networks: Networks;
  if (options.address !== undefined || options.startBlock !== undefined) {
    if (!options.address || !addressPattern.test(options.address)) {
      throw new PrepareError("--address must be a 0x-prefixed 20-byte address");
    }
    const startBlock = Number(options.startBlock);
    if (options.startBlock === undefined || !Number.isInteger(startBlock) || startBlock < 0) {
      throw new PrepareError("--start-block must be a non-negative integer (with --address)");
    }
    networks = { [options.network ?? "localhost"]: { Troth: { address: options.address, startBlock } } };
  } else {
    networks = networksFromDeployments(dir);
  }
  const missing =
    Object.keys(networks).length === 0
      ? `no deployment found in ${path.relative(repoDir, dir) || dir}/ (run \`npm start\` to deploy locally, or pass --address and --start-block)`
      : options.network && !networks[options.network]
        ? `no deployment for network "${options.network}" (have: ${Object.keys(networks).join(", ")})`
        : undefined;
  if (missing && options.requireNetwork) throw new PrepareError(missing);
  // Inputs are checked: now write.
  const abiFile = copyAbi(options.abiDir ?? path.join(subgraphDir, "abis"));
  if (Object.keys(networks).length === 0) return { abiFile, networks, notice: `networks.json not written: ${missing}` };
  const networksFile = options.out ?? path.join(subgraphDir, "networks.json");
  writeFileSync(networksFile, `${JSON.stringify(networks, null, 2)}\n`);
  return { abiFile, networksFile, networks, notice: missing };
}

function main() {
  const { values } = parseArgs({
    options: {
      network: { type: "string" },
      address: { type: "string" },
      "start-block": { type: "string" },
      out: { type: "string" },
      "require-network": { type: "boolean", default: false },
    },
    strict: true,
  });
  try {
    const result = prepare({
      network: values.network,
      address: values.address,
      startBlock: values["start-block"],
      out: values.out,
      requireNetwork: values["require-network"],
    });
    console.log(`wrote ${path.relative(process.cwd(), result.abiFile)}`);
    if (result.networksFile) {
      console.log(
        `wrote ${path.relative(process.cwd(), result.networksFile)}: ${Object.keys(result.networks).join(", ")}`,
      );
    }
    if (result.notice) console.log(`notice: ${result.notice}`);
  } catch (error) {
    if (!(error instanceof PrepareError)) throw error;
    console.error(`prepare: ${error.message}`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
