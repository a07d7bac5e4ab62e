import {
  type Account,
  type Address,
  type Chain,
  fallback,
  getAddress,
  type Hex,
  HttpRequestError,
  http,
  type PublicClient,
  TimeoutError,
  type Transport,
  type TypedData,
  type TypedDataDefinition,
  type WalletClient,
} from "viem";
import { defaultRandom, type RandomSource } from "./crypto/random.ts";
import { AccountNotFoundError, DeploymentNotFoundError, RpcUnavailableError } from "./errors/client.ts";
import { deployments } from "./generated/deployments.ts";
import type { ContentStore } from "./storage/types.ts";

/**
 * Everything the actions need: a public client for reads, optionally a wallet for writes, the Troth deployment, the
 * content store and the random source (injected so tests and benchmarks can be reproducible).
 */
export type TrothClient = {
  publicClient: PublicClient<Transport, Chain | undefined>;
  walletClient?: WalletClient;
  chainId: number;
  /** The Troth contract. */
  address: Address;
  /** Its lens (continuity views). */
  lens: Address;
  /** The block the deployment was made in: log queries start here. */
  startBlock: bigint;
  store: ContentStore;
  random: RandomSource;
  /** Immutable, content-addressed blobs already fetched (keyrings), by digest. */
  cache: Map<string, unknown>;
};

export type CreateTrothClientParameters = {
  publicClient: PublicClient<Transport, Chain | undefined>;
  walletClient?: WalletClient;
  store: ContentStore;
  /** The Troth contract; defaults to the generated deployment of the client's chain. */
  address?: Address;
  /** The lens; defaults to the deployment's, or `troth.lens()`. */
  lens?: Address;
  startBlock?: bigint;
  random?: RandomSource;
};

/**
 * Creates the client every action takes.
 *
 * @example
 * ```ts
 * const troth = await createTrothClient({
 *   publicClient,
 *   walletClient,
 *   store: await createHeliaStore({ directory: ".troth/ipfs" }),
 * });
 * ```
 */
export async function createTrothClient(parameters: CreateTrothClientParameters): Promise<TrothClient> {
  const { publicClient, walletClient, store, random = defaultRandom } = parameters;
  const chainId = publicClient.chain?.id ?? (await publicClient.getChainId().catch(unreachable(publicClient)));
  const deployment = (deployments as Record<number, { troth: Address; lens: Address; startBlock: number } | undefined>)[
    chainId
  ];
  const address = parameters.address ?? deployment?.troth;
  if (!address) throw new DeploymentNotFoundError({ chainId });
  const lens =
    parameters.lens ??
    (parameters.address ? undefined : deployment?.lens) ??
    ((await publicClient
      .readContract({
        address,
        abi: [{ type: "function", name: "lens", inputs: [], outputs: [{ type: "address" }], stateMutability: "view" }],
        functionName: "lens",
      })
      .catch(unreachable(publicClient))) as Address);
  const startBlock = parameters.startBlock ?? (parameters.address ? 0n : BigInt(deployment?.startBlock ?? 0));
  return {
    publicClient,
    walletClient,
    chainId,
    address: getAddress(address),
    lens: getAddress(lens),
    startBlock,
    store,
    random,
    cache: new Map(),
  };
}

export type RpcTransportParameters = {
  /** Seconds before a request is given up on (default 20). */
  timeout?: number;
  /** Retries per endpoint, on top of moving to the next one (default 1). */
  retryCount?: number;
  /** JSON-RPC batching: calls made together go in one HTTP request (default off). */
  batch?: boolean | { batchSize?: number; wait?: number };
};

/**
 * The transport to a chain through one or several RPC endpoints: with several, a request that fails on one (down,
 * rate-limited, refusing) goes to the next, in order (viem's `fallback`).
 *
 * @example
 * ```ts
 * const publicClient = createPublicClient({ chain: base, transport: rpcTransport(["https://a.example", "https://b.example"]) });
 * ```
 */
export function rpcTransport(
  urls: readonly string[],
  { timeout = 20, retryCount = 1, batch }: RpcTransportParameters = {},
) {
  if (urls.length === 0) throw new RpcUnavailableError({ urls });
  const one = (url: string) => http(url, { timeout: timeout * 1000, retryCount, batch: batch ?? false });
  return urls.length === 1 ? one(urls[0]) : fallback(urls.map(one), { retryCount: 0 });
}

/** The RPC URLs a client's transport goes to (those of each transport of a `fallback`). */
function transportUrls(publicClient: PublicClient<Transport, Chain | undefined>): string[] {
  const transport = publicClient.transport as { url?: string; transports?: { value?: { url?: string } }[] };
  if (transport.url) return [transport.url];
  return (transport.transports ?? []).flatMap((t) => (t.value?.url ? [t.value.url] : []));
}

/** Rethrows a failure to reach the chain as {@link RpcUnavailableError}, anything else as it is. */
function unreachable(publicClient: PublicClient<Transport, Chain | undefined>) {
  return (error: unknown): never => {
    if (isRpcUnavailable(error)) throw new RpcUnavailableError({ urls: transportUrls(publicClient), cause: error });
    throw error;
  };
}

/** The error, or one it wraps, says the chain's RPC could not be reached (network, timeout, HTTP failure). */
export function isRpcUnavailable(error: unknown): boolean {
  for (let e = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if (e instanceof RpcUnavailableError || e instanceof TimeoutError) return true;
    if (e instanceof HttpRequestError && (e.status === undefined || e.status >= 500 || e.status === 429)) return true;
  }
  return false;
}

/**
 * Who signs: a wallet client (its account signs), or a viem account (a local private key, a smart account…).
 */
export type TrothSigner = WalletClient | Account;

/** A signature already made, or an empty one standing for an on-chain `approveHash`/`acceptCovenant`. */
export type SignatureInput = { signer: Address; signature: Hex };

/** Anyone whose consent is collected: a signer, or a signature already made. */
export type ConsentSource = TrothSigner | SignatureInput;

function isWalletClient(signer: TrothSigner): signer is WalletClient {
  return "transport" in signer && "request" in signer;
}

/** The address a signer signs as. */
export function signerAddress(signer: TrothSigner | SignatureInput): Address {
  if ("signature" in signer && typeof signer.signature === "string") return getAddress(signer.signer);
  const s = signer as TrothSigner;
  if (isWalletClient(s)) {
    if (!s.account) throw new AccountNotFoundError({ action: "Signing" });
    return getAddress(s.account.address);
  }
  return getAddress(s.address);
}

/** Signs EIP-712 typed data with a wallet client or an account. */
export async function signTypedDataWith<
  const typedData extends TypedData | Record<string, unknown>,
  primaryType extends keyof typedData | "EIP712Domain",
>(signer: TrothSigner, typedData: TypedDataDefinition<typedData, primaryType>): Promise<Hex> {
  if (isWalletClient(signer)) {
    if (!signer.account) throw new AccountNotFoundError({ action: "Signing" });
    return signer.signTypedData({ ...typedData, account: signer.account } as Parameters<
      WalletClient["signTypedData"]
    >[0]);
  }
  if (!signer.signTypedData) throw new AccountNotFoundError({ action: "Signing typed data" });
  return signer.signTypedData(typedData as Parameters<NonNullable<Account["signTypedData"]>>[0]);
}

/** Signs a text message (EIP-191) with a wallet client or an account. */
export async function signMessageWith(signer: TrothSigner, message: string): Promise<Hex> {
  if (isWalletClient(signer)) {
    if (!signer.account) throw new AccountNotFoundError({ action: "Signing" });
    return signer.signMessage({ account: signer.account, message });
  }
  if (!signer.signMessage) throw new AccountNotFoundError({ action: "Signing messages" });
  return signer.signMessage({ message });
}

/** The account a write is sent from: the one given, or the wallet's. */
export function requireAccount(
  client: TrothClient,
  account: Account | Address | undefined,
  action: string,
): Account | Address {
  const resolved = account ?? client.walletClient?.account;
  if (!resolved || !client.walletClient) throw new AccountNotFoundError({ action });
  return resolved;
}
