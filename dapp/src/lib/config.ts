import { deployments } from "@troth/sdk";
import { type Address, getAddress, isAddress } from "viem";

/** Everything the dApp needs to know about where it runs; served as `/config.json` next to `index.html`. */
export type RuntimeConfig = {
  chainId: number;
  chainName: string;
  /** The first of `rpcUrls` (configs with one endpoint give only this). */
  rpcUrl: string;
  /** The chain's JSON-RPC endpoints, tried in order: a request that fails on one goes to the next. */
  rpcUrls: string[];
  /** Kubo RPC API base (writes: block/put, pin/add). */
  ipfsApiUrl: string;
  /** Trustless gateway base (reads: /ipfs/<cid>?format=raw). */
  ipfsGatewayUrl: string;
  contracts: { troth: Address; lens?: Address };
  /** The block the deployment was made in: log queries start here. */
  startBlock: number;
  /** WalletConnect Cloud project id; WalletConnect is offered only when it is set. */
  walletConnectProjectId?: string;
  blockExplorerUrl?: string;
  /** A Troth subgraph's GraphQL endpoint: continuity and vitality are read from it; without it, from the chain's logs. */
  subgraphUrl?: string;
};

/** The config file is missing a field or holds a value of the wrong kind. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const LOCAL = {
  chainId: 31337,
  rpcUrl: "http://127.0.0.1:8545",
  ipfsApiUrl: "http://127.0.0.1:5001",
  ipfsGatewayUrl: "http://127.0.0.1:8080",
};

function pick(raw: Record<string, unknown>, ...paths: string[]): unknown {
  for (const p of paths) {
    let value: unknown = raw;
    for (const key of p.split(".")) value = (value as Record<string, unknown> | undefined)?.[key];
    if (value !== undefined && value !== null && value !== "") return value;
  }
  return undefined;
}

function url(value: unknown, field: string): string {
  if (typeof value !== "string" || !/^https?:\/\//.test(value))
    throw new ConfigError(`${field} must be an http(s) URL.`);
  return value.replace(/\/+$/, "");
}

/**
 * Validates a runtime config, accepting the few spellings the stack may write (`contracts.troth` or `troth`,
 * `ipfs.api` or `ipfsApiUrl`…). Missing values fall back to the local devnet and the SDK's generated deployments.
 */
export function parseConfig(raw: unknown): RuntimeConfig {
  if (typeof raw !== "object" || raw === null) throw new ConfigError("The config must be a JSON object.");
  const r = raw as Record<string, unknown>;
  const chainId = Number(pick(r, "chainId", "chain.id") ?? LOCAL.chainId);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new ConfigError("chainId must be a positive integer.");
  const known = (deployments as Record<number, { troth: Address; lens: Address; startBlock: number } | undefined>)[
    chainId
  ];
  const troth = pick(r, "contracts.troth", "troth", "deployment.troth", "addresses.troth") ?? known?.troth;
  if (typeof troth !== "string" || !isAddress(troth)) {
    throw new ConfigError(`No Troth contract address for chain ${chainId}: set contracts.troth in config.json.`);
  }
  const lens =
    pick(r, "contracts.lens", "lens", "deployment.lens", "addresses.lens") ??
    (troth === known?.troth ? known?.lens : undefined);
  if (lens !== undefined && (typeof lens !== "string" || !isAddress(lens)))
    throw new ConfigError("contracts.lens must be an address.");
  const startBlock = Number(
    pick(r, "startBlock", "deployment.startBlock", "contracts.startBlock") ?? known?.startBlock ?? 0,
  );
  const projectId = pick(r, "walletConnectProjectId", "walletConnect.projectId");
  const explorer = pick(r, "blockExplorerUrl", "explorerUrl");
  const subgraph = pick(r, "subgraphUrl", "subgraph.url", "subgraph");
  const listed = pick(r, "rpcUrls", "chain.rpcUrls");
  if (listed !== undefined && (!Array.isArray(listed) || listed.length === 0))
    throw new ConfigError("rpcUrls must be a list of http(s) URLs.");
  const rpcUrls = ((listed as unknown[] | undefined) ?? [pick(r, "rpcUrl", "rpc", "chain.rpcUrl") ?? LOCAL.rpcUrl]).map(
    (u, i) => url(u, listed ? `rpcUrls[${i}]` : "rpcUrl"),
  );
  return {
    chainId,
    chainName: String(pick(r, "chainName", "chain.name") ?? (chainId === 31337 ? "Local devnet" : `Chain ${chainId}`)),
    rpcUrl: rpcUrls[0],
    rpcUrls,
    ipfsApiUrl: url(
      pick(r, "ipfsApiUrl", "ipfs.api", "ipfs.apiUrl", "ipfs.rpcUrl", "ipfsApi") ?? LOCAL.ipfsApiUrl,
      "ipfsApiUrl",
    ),
    ipfsGatewayUrl: url(
      pick(r, "ipfsGatewayUrl", "ipfs.gateway", "ipfs.gatewayUrl", "ipfsGateway", "ipfs.rpcUrl") ??
        LOCAL.ipfsGatewayUrl,
      "ipfsGatewayUrl",
    ),
    contracts: { troth: getAddress(troth), lens: lens ? getAddress(lens as string) : undefined },
    startBlock: Number.isSafeInteger(startBlock) && startBlock >= 0 ? startBlock : 0,
    walletConnectProjectId: typeof projectId === "string" ? projectId : undefined,
    blockExplorerUrl: typeof explorer === "string" ? url(explorer, "blockExplorerUrl") : undefined,
    subgraphUrl: subgraph === undefined ? undefined : url(subgraph, "subgraphUrl"),
  };
}

/** Where the config may be served, next to the app: `config.json`, or `troth-config.json` as `npm start` serves it. */
export const CONFIG_FILES = ["config.json", "troth-config.json"] as const;

/** Fetches the runtime config next to the app (relative, so the app can live under any path). */
export async function loadConfig(fetchFn: typeof fetch = fetch): Promise<RuntimeConfig> {
  const failures: string[] = [];
  for (const file of CONFIG_FILES) {
    let response: Response;
    try {
      response = await fetchFn(new URL(file, document.baseURI), { cache: "no-store" });
    } catch (cause) {
      failures.push(`${file}: ${(cause as Error).message}`);
      continue;
    }
    if (response.ok) return parseConfig(await response.json());
    failures.push(`${file}: HTTP ${response.status}`);
  }
  throw new ConfigError(`The app's settings could not be loaded (${failures.join("; ")}).`);
}
