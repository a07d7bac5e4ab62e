import { deployments } from "@troth/sdk";
import { type Address, getAddress, isAddress } from "viem";

/**
 * Everything the dApp needs to know about where it runs: `troth-config.json` (or `config.json`) next to `index.html`,
 * or, for a build published without one, URL parameters (see {@link loadConfig}). It is public: it never holds a
 * credential (a member's storage token lives in the app's settings, encrypted on their device).
 */
export type RuntimeConfig = {
  chainId: number;
  chainName: string;
  /** The first of `rpcUrls` (configs with one endpoint give only this). */
  rpcUrl: string;
  /** The chain's JSON-RPC endpoints, tried in order: a request that fails on one goes to the next. */
  rpcUrls: string[];
  /** Kubo RPC API base (writes: block/put, pin/add). */
  ipfsApiUrl: string;
  /** Trustless gateway base (reads: /ipfs/<cid>?format=raw): the first of {@link RuntimeConfig.ipfsGatewayUrls}. */
  ipfsGatewayUrl: string;
  /** Every gateway blobs are read from, in order (`ipfs.gateways`); each answer is checked against its CID. */
  ipfsGatewayUrls: string[];
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

/** Names of fields that hold a secret; a served config must have none. */
const SECRET_FIELD = /token|secret|passw(or)?d|authori[sz]ation|api[-_]?key|jwt|credential|bearer/i;

/**
 * The paths of every credential in a config: a field named like one (token, password, secret…) or a URL with a user
 * name or password in it. A config is served to anyone who opens the app, so it must hold none.
 *
 * @example
 * ```ts
 * findCredentials({ ipfs: { api: "https://u:p@ipfs.example" } }); // ["ipfs.api"]
 * ```
 */
export function findCredentials(raw: unknown, at = ""): string[] {
  if (typeof raw === "string") {
    if (!URL.canParse(raw)) return [];
    const parsed = new URL(raw);
    return parsed.username || parsed.password ? [at || "(value)"] : [];
  }
  if (typeof raw !== "object" || raw === null) return [];
  return Object.entries(raw).flatMap(([key, value]) => {
    const where = at ? `${at}.${key}` : key;
    if (SECRET_FIELD.test(key) && value !== null && value !== "" && value !== undefined) return [where];
    return findCredentials(value, where);
  });
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
  const leaked = findCredentials(raw);
  if (leaked.length > 0) {
    throw new ConfigError(
      `The app's public settings hold a credential (${leaked.join(", ")}): whoever runs this app must remove it and change it. Members set their storage credentials in Settings, on their own device.`,
    );
  }
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
  const ipfsGatewayUrl = url(
    pick(r, "ipfsGatewayUrl", "ipfs.gateway", "ipfs.gatewayUrl", "ipfsGateway", "ipfs.rpcUrl") ?? LOCAL.ipfsGatewayUrl,
    "ipfsGatewayUrl",
  );
  const gatewayList = pick(r, "ipfsGatewayUrls", "ipfs.gateways");
  if (gatewayList !== undefined && !Array.isArray(gatewayList))
    throw new ConfigError("ipfs.gateways must be a list of URLs.");
  const ipfsGatewayUrls = [
    ...new Set([ipfsGatewayUrl, ...(gatewayList ?? []).map((g: unknown) => url(g, "ipfs.gateways"))]),
  ];
  return {
    chainId,
    chainName: String(pick(r, "chainName", "chain.name") ?? (chainId === 31337 ? "Local devnet" : `Chain ${chainId}`)),
    rpcUrl: rpcUrls[0],
    rpcUrls,
    ipfsApiUrl: url(
      pick(r, "ipfsApiUrl", "ipfs.api", "ipfs.apiUrl", "ipfs.rpcUrl", "ipfsApi") ?? LOCAL.ipfsApiUrl,
      "ipfsApiUrl",
    ),
    ipfsGatewayUrl,
    ipfsGatewayUrls,
    contracts: { troth: getAddress(troth), lens: lens ? getAddress(lens as string) : undefined },
    startBlock: Number.isSafeInteger(startBlock) && startBlock >= 0 ? startBlock : 0,
    walletConnectProjectId: typeof projectId === "string" ? projectId : undefined,
    blockExplorerUrl: typeof explorer === "string" ? url(explorer, "blockExplorerUrl") : undefined,
    subgraphUrl: subgraph === undefined ? undefined : url(subgraph, "subgraphUrl"),
  };
}

/**
 * Where the config may be served, next to the app: `troth-config.json` (what `npm start` serves and
 * `npm run publish:dapp --config` adds), else `config.json`.
 */
export const CONFIG_FILES = ["troth-config.json", "config.json"] as const;

/** URL parameters a commons may publish instead of a config file, and the config field each sets. */
export const CONFIG_PARAMETERS = {
  chain: "chainId",
  chainName: "chainName",
  rpc: "rpcUrl",
  troth: "contracts.troth",
  lens: "contracts.lens",
  startBlock: "startBlock",
  ipfsApi: "ipfsApiUrl",
  gateway: "ipfs.gateways",
  subgraph: "subgraphUrl",
  explorer: "blockExplorerUrl",
} as const;

/** The config given by URL parameters (`?chain=8453&rpc=…&troth=0x…&gateway=…`), or undefined when there are none. */
export function configFromParameters(search: string): Record<string, unknown> | undefined {
  const params = new URLSearchParams(search);
  const raw: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(CONFIG_PARAMETERS)) {
    const values = params.getAll(name);
    if (values.length === 0) continue;
    if (field === "ipfs.gateways") raw.ipfs = { gateway: values[0], gateways: values };
    else if (field === "contracts.troth" || field === "contracts.lens")
      raw.contracts = { ...(raw.contracts as object), [field.split(".")[1]]: values[0] };
    else raw[field] = values[0];
  }
  return Object.keys(raw).length > 0 ? raw : undefined;
}

/**
 * The runtime config, from the first of:
 * 1. `troth-config.json`, then `config.json`, next to the app (relative, so the app can live under any path, such as
 *    `/ipfs/<cid>/`). A config published with the app wins over anything in the URL, so nobody can send a member a
 *    link that points the app at another contract;
 * 2. for a build published without one, `?config=<url>` (a config file elsewhere), or the parameters of
 *    {@link CONFIG_PARAMETERS} (`?chain=…&rpc=…&troth=…`).
 */
export async function loadConfig(
  fetchFn: typeof fetch = fetch,
  location: { search: string; baseURI: string } = { search: window.location.search, baseURI: document.baseURI },
): Promise<RuntimeConfig> {
  const failures: string[] = [];
  const fetchJson = async (target: URL, label: string): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetchFn(target, { cache: "no-store" });
    } catch (cause) {
      failures.push(`${label}: ${(cause as Error).message}`);
      return undefined;
    }
    if (!response.ok) {
      failures.push(`${label}: HTTP ${response.status}`);
      return undefined;
    }
    return response.json();
  };
  for (const file of CONFIG_FILES) {
    const raw = await fetchJson(new URL(file, location.baseURI), file);
    if (raw !== undefined) return parseConfig(raw);
  }
  const configUrl = new URLSearchParams(location.search).get("config");
  if (configUrl) {
    if (!URL.canParse(configUrl, location.baseURI) || !/^https?:$/.test(new URL(configUrl, location.baseURI).protocol))
      throw new ConfigError(`?config= must be an http(s) URL (got "${configUrl}").`);
    const raw = await fetchJson(new URL(configUrl, location.baseURI), configUrl);
    if (raw !== undefined) return parseConfig(raw);
  }
  const fromParameters = configFromParameters(location.search);
  if (fromParameters) return parseConfig(fromParameters);
  throw new ConfigError(`The app's settings could not be loaded (${failures.join("; ")}).`);
}
