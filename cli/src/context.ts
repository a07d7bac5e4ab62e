/**
 * Where the CLI connects and who signs: --rpc/--ipfs (or TROTH_RPC/TROTH_IPFS, default the `npm start` ports), the
 * deployment record, and the signer — TROTH_PRIVATE_KEY, or the keystore file unlocked with TROTH_PASSWORD or a
 * prompt. A key is never taken from the command line (it would land in the shell history and the process list).
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTrothClient, getIdentityKey, RpcUnavailableError, rpcTransport, type TrothClient } from "@troth/sdk";
import type { IdentityKey } from "@troth/sdk/crypto";
import {
  type ContentStore,
  createGatewayStore,
  createKuboStore,
  createPinningService,
  createStoreList,
  parseStorageSecret,
  type StorageAuth,
} from "@troth/sdk/storage";
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  type Hex,
  isHex,
  type PublicClient,
  type Transport,
} from "viem";
import { type LocalAccount, privateKeyToAccount } from "viem/accounts";
import { CliError, UsageError } from "./errors.ts";
import { decryptKeystore, readKeystore } from "./keystore.ts";
import { createPrinter, type Printer } from "./output.ts";
import { promptPassword } from "./prompt.ts";

export const DEFAULT_RPC = "http://127.0.0.1:8545";
export const DEFAULT_IPFS = "http://127.0.0.1:5001";
export const DEFAULT_KEYSTORE = path.join(homedir(), ".troth", "keystore.json");
/** The repository's deployment records (deployments/<chainId>.json), next to this workspace. */
const repoDeployments = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "deployments");

/** Options every command takes. */
export const globalOptions = {
  rpc: { type: "string" },
  ipfs: { type: "string" },
  gateway: { type: "string", multiple: true },
  "pin-service": { type: "string" },
  json: { type: "boolean", default: false },
  keystore: { type: "string" },
  deployment: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

export type GlobalValues = {
  rpc?: string;
  ipfs?: string;
  gateway?: string[];
  "pin-service"?: string;
  json?: boolean;
  keystore?: string;
  deployment?: string;
};

type Deployment = { troth: Address; lens: Address; startBlock: bigint };

function url(value: string, what: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new UsageError(`${what} must be an http(s) URL (got "${value}").`);
  }
  return value.replace(/\/+$/, "");
}

/**
 * Credentials for the IPFS node, from the environment only (like keys, never an argument): TROTH_IPFS_TOKEN is a
 * bearer token, or `basic:<user>:<password>` as in Kubo's `API.Authorizations`.
 */
export function ipfsAuthFromEnv(env: NodeJS.ProcessEnv): StorageAuth | undefined {
  const secret = env.TROTH_IPFS_TOKEN?.trim();
  if (!secret) return undefined;
  try {
    return parseStorageSecret(secret);
  } catch (error) {
    throw new UsageError(`TROTH_IPFS_TOKEN: ${(error as { shortMessage?: string }).shortMessage ?? error}`);
  }
}

/** One command's connections and signer, each made on first use. */
export class Context {
  /** The RPC endpoints as given (comma-separated), for messages. */
  readonly rpc: string;
  /** The chain's RPC endpoints, tried in order (viem `fallback`). */
  readonly rpcUrls: string[];
  readonly ipfs: string;
  /** Gateways blobs are read from after the node (--gateway, TROTH_GATEWAYS comma-separated). */
  readonly gateways: readonly string[];
  /** A Pinning Service API endpoint asked for a second copy of every blob written (--pin-service, TROTH_PIN_SERVICE). */
  readonly pinService?: string;
  readonly #ipfsAuth?: StorageAuth;
  readonly #pinToken?: string;
  readonly keystore: string;
  readonly out: Printer;
  readonly #deploymentFile?: string;
  #chain?: Promise<{ publicClient: PublicClient<Transport, Chain>; chain: Chain; deployment?: Deployment }>;
  #signer?: Promise<LocalAccount>;
  #identity?: Promise<IdentityKey>;

  constructor(values: GlobalValues, env: NodeJS.ProcessEnv = process.env) {
    this.rpcUrls = (values.rpc ?? env.TROTH_RPC ?? DEFAULT_RPC)
      .split(",")
      .map((u) => u.trim())
      .filter(Boolean)
      .map((u) => url(u, "--rpc"));
    if (this.rpcUrls.length === 0) throw new UsageError("--rpc must name at least one http(s) URL.");
    this.rpc = this.rpcUrls.join(", ");
    this.ipfs = url(values.ipfs ?? env.TROTH_IPFS ?? DEFAULT_IPFS, "--ipfs");
    const gateways = values.gateway?.length ? values.gateway : (env.TROTH_GATEWAYS?.split(",").filter(Boolean) ?? []);
    this.gateways = gateways.map((gateway) => url(gateway.trim(), "--gateway"));
    const pinService = values["pin-service"] ?? env.TROTH_PIN_SERVICE;
    this.pinService = pinService ? url(pinService, "--pin-service") : undefined;
    this.#pinToken = env.TROTH_PIN_TOKEN?.trim() || undefined;
    if (this.pinService && !this.#pinToken)
      throw new UsageError("--pin-service needs the service's access token in TROTH_PIN_TOKEN.");
    this.#ipfsAuth = ipfsAuthFromEnv(env);
    this.keystore = path.resolve(values.keystore ?? env.TROTH_KEYSTORE ?? DEFAULT_KEYSTORE);
    this.#deploymentFile = values.deployment ?? env.TROTH_DEPLOYMENT;
    this.out = createPrinter(values.json ?? false);
  }

  /** The chain (its id asked from the RPC) and the deployment of Troth on it. */
  chain() {
    this.#chain ??= (async () => {
      const probe = createPublicClient({ transport: rpcTransport(this.rpcUrls, { retryCount: 0, timeout: 10 }) });
      const chainId = await probe.getChainId().catch((cause) => {
        throw new RpcUnavailableError({ urls: this.rpcUrls, cause });
      });
      const chain = defineChain({
        id: chainId,
        name: `chain ${chainId}`,
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: this.rpcUrls } },
      });
      const publicClient = createPublicClient({
        chain,
        transport: rpcTransport(this.rpcUrls, { retryCount: 1, timeout: 30 }),
        pollingInterval: 200,
      }) as PublicClient<Transport, Chain>;
      const deployment = this.#readDeployment(chainId);
      if (deployment && (await publicClient.getCode({ address: deployment.troth })) === undefined) {
        throw new CliError(
          `No Troth contract at ${deployment.troth} on chain ${chainId}: the deployment record is stale (restart \`npm start\`, or pass --deployment).`,
        );
      }
      return { publicClient, chain, deployment };
    })();
    return this.#chain;
  }

  /** --deployment, TROTH_DEPLOYMENT, or the repository's record for this chain (else the SDK's known deployments). */
  #readDeployment(chainId: number): Deployment | undefined {
    const file = this.#deploymentFile ?? path.join(repoDeployments, `${chainId}.json`);
    if (!existsSync(file)) {
      if (this.#deploymentFile) throw new CliError(`No deployment record at ${file}.`);
      return undefined;
    }
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      throw new CliError(`${file} is not a deployment record (not JSON).`);
    }
    if (Number(raw.chainId) !== chainId) {
      throw new CliError(`${file} is a deployment on chain ${raw.chainId}, but ${this.rpc} is chain ${chainId}.`);
    }
    try {
      return {
        troth: getAddress(String(raw.troth)),
        lens: getAddress(String(raw.lens)),
        startBlock: BigInt(Number(raw.startBlock ?? 0)),
      };
    } catch {
      throw new CliError(`${file} is not a deployment record (troth and lens must be addresses).`);
    }
  }

  /** The signer: TROTH_PRIVATE_KEY, else the keystore (TROTH_PASSWORD or a prompt). */
  signer(env: NodeJS.ProcessEnv = process.env): Promise<LocalAccount> {
    this.#signer ??= (async () => {
      const key = env.TROTH_PRIVATE_KEY?.trim();
      if (key) {
        const hex = (key.startsWith("0x") ? key : `0x${key}`) as Hex;
        if (!isHex(hex) || hex.length !== 66) throw new CliError("TROTH_PRIVATE_KEY is not a 32-byte hex private key.");
        return privateKeyToAccount(hex);
      }
      return privateKeyToAccount(await this.unlock(this.keystore, env));
    })();
    return this.#signer;
  }

  /** Decrypts a keystore file with TROTH_PASSWORD or a prompt. */
  async unlock(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Hex> {
    const keystore = await readKeystore(file);
    const password = env.TROTH_PASSWORD ?? (await promptPassword(`Password for ${file}: `));
    this.out.progress("unlocking the keystore");
    return decryptKeystore(keystore, password, file);
  }

  /** The signer's Troth identity key (derived from its signature of a fixed message). */
  identity(): Promise<IdentityKey> {
    this.#identity ??= this.signer().then((account) => getIdentityKey(account));
    return this.#identity;
  }

  /**
   * Where blobs go and come from: written to the node (--ipfs, with TROTH_IPFS_TOKEN), a copy asked of the pinning
   * service (a failure there is a warning: the blob is on the node), read from the node then each --gateway, every
   * block verified against its CID.
   */
  store(): ContentStore {
    const kubo = createKuboStore({ url: this.ipfs, auth: this.#ipfsAuth });
    if (this.gateways.length === 0 && !this.pinService) return kubo;
    return createStoreList({
      write: kubo,
      pinning: this.pinService ? [createPinningService({ url: this.pinService, token: this.#pinToken ?? "" })] : [],
      read: [kubo, ...this.gateways.map((gateway) => createGatewayStore({ url: gateway }))],
      onReplicaError: (error, target) =>
        process.stderr.write(
          `troth: warning: ${target} did not take a copy (${(error as { shortMessage?: string }).shortMessage ?? error.message}); the blob is on ${this.ipfs}.\n`,
        ),
    });
  }

  /** A Troth client; with `write`, the signer's wallet sends transactions. */
  async client({ write = false } = {}): Promise<TrothClient> {
    const { publicClient, chain, deployment } = await this.chain();
    const account = write ? await this.signer() : undefined;
    const walletClient = account
      ? createWalletClient({ chain, transport: rpcTransport(this.rpcUrls, { retryCount: 1, timeout: 30 }), account })
      : undefined;
    return createTrothClient({
      publicClient,
      walletClient,
      store: this.store(),
      ...(deployment ? { address: deployment.troth, lens: deployment.lens, startBlock: deployment.startBlock } : {}),
    });
  }
}
