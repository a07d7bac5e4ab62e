import { type Chain, defineChain } from "viem";
import { type Config, type CreateConnectorFn, createConfig, fallback, http } from "wagmi";
import type { RuntimeConfig } from "./config.ts";

/** The chain the config names, as viem describes it. */
export function chainOf(config: RuntimeConfig): Chain {
  return defineChain({
    id: config.chainId,
    name: config.chainName,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: config.rpcUrls } },
    blockExplorers: config.blockExplorerUrl
      ? { default: { name: "Explorer", url: config.blockExplorerUrl } }
      : undefined,
    testnet: config.chainId === 31337 || undefined,
  });
}

/**
 * wagmi for the configured chain. Injected wallets are discovered by EIP-6963 (`multiInjectedProviderDiscovery`);
 * WalletConnect is added only when the config carries a project id (its module is loaded only then).
 */
export async function createWagmiConfig(config: RuntimeConfig): Promise<Config> {
  const connectors: CreateConnectorFn[] = [];
  if (config.walletConnectProjectId) {
    const { walletConnect } = await import("wagmi/connectors/walletConnect");
    connectors.push(
      walletConnect({
        projectId: config.walletConnectProjectId,
        showQrModal: true,
        // What the phone's wallet shows when asked to connect: who is asking, from where.
        metadata: {
          name: "Troth",
          description: "Accountability pods: a few peers witness each other's commitments.",
          url: window.location.origin,
          icons: [],
        },
      }),
    );
  }
  const chain = chainOf(config);
  return createConfig({
    chains: [chain],
    connectors,
    multiInjectedProviderDiscovery: true,
    // Several endpoints: a request that fails on one (down, rate-limited, refusing) goes to the next, in order.
    // Calls made together go in one HTTP request, 16 at most (what the SDK's log reader has in flight; providers
    // accept batches at least that large): a browser opens only six connections to a host.
    transports: {
      [chain.id]:
        config.rpcUrls.length > 1
          ? fallback(config.rpcUrls.map((url) => http(url, { batch: { batchSize: 16 } })))
          : http(config.rpcUrl, { batch: { batchSize: 16 } }),
    },
    pollingInterval: config.chainId === 31337 ? 500 : 4000,
  });
}
