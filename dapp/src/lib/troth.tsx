import type { TrothClient } from "@troth/sdk";
import { createContext, type ReactNode, use, useContext } from "react";
import type { PublicClient } from "viem";
import type { Config } from "wagmi";
import { getAccount, getPublicClient, getWalletClient, switchChain } from "wagmi/actions";
import type { ContinuitySource } from "../actions/getVitality.ts";
import type { RuntimeConfig } from "./config.ts";

export type Runtime = { config: RuntimeConfig; wagmiConfig: Config };

export type TrothContextValue = Runtime & {
  /** Reads only: the public client, the store, the deployment (its code is loaded after the first paint). */
  client: Promise<TrothClient>;
  /** Where continuity and vitality are read (the subgraph when configured, else the embedded audit), on first use. */
  audit: () => Promise<ContinuitySource>;
};

const TrothContext = createContext<TrothContextValue | null>(null);

/** The read client for the configured chain (no wallet: anyone can read continuity). */
export async function createReadClient({ config, wagmiConfig }: Runtime): Promise<TrothClient> {
  const [{ createTrothClient }, { createBrowserStore }] = await Promise.all([
    import("./lazySdk.ts"),
    import("./store.ts"),
  ]);
  const publicClient = getPublicClient(wagmiConfig, { chainId: config.chainId }) as PublicClient;
  return createTrothClient({
    publicClient,
    store: createBrowserStore(config),
    address: config.contracts.troth,
    lens: config.contracts.lens,
    startBlock: BigInt(config.startBlock),
  });
}

/**
 * The continuity source, created on first use: the subgraph reader when `config.subgraphUrl` is set (a network that
 * outgrew reading logs), else the SDK's embedded audit over the chain's logs from the deployment block.
 */
export function createAppAudit(
  client: Promise<TrothClient>,
  config: Pick<RuntimeConfig, "subgraphUrl">,
): () => Promise<ContinuitySource> {
  let source: Promise<ContinuitySource> | undefined;
  return () => {
    const { subgraphUrl } = config;
    source ??= subgraphUrl
      ? import("./lazySdk.ts").then(({ createSubgraphReader }) => ({
          kind: "subgraph" as const,
          reader: createSubgraphReader({ url: subgraphUrl }),
        }))
      : Promise.all([client, import("./lazySdk.ts")]).then(([c, { createAudit }]) => ({
          kind: "embedded" as const,
          audit: createAudit({ publicClient: c.publicClient, address: c.address, startBlock: c.startBlock }),
        }));
    return source;
  };
}

/**
 * The client with the connected wallet, for a write: the wallet is moved to the configured chain first, so nothing is
 * ever signed for another chain.
 */
export async function writeClient({
  client,
  config,
  wagmiConfig,
}: Runtime & { client: TrothClient }): Promise<TrothClient> {
  const account = getAccount(wagmiConfig);
  if (account.chainId !== config.chainId) await switchChain(wagmiConfig, { chainId: config.chainId });
  const walletClient = await getWalletClient(wagmiConfig, { chainId: config.chainId });
  return { ...client, walletClient };
}

export function TrothProvider({ value, children }: { value: TrothContextValue; children: ReactNode }) {
  return <TrothContext.Provider value={value}>{children}</TrothContext.Provider>;
}

function useContextValue(): TrothContextValue {
  const value = useContext(TrothContext);
  if (!value) throw new Error("useTroth must be used inside <TrothProvider>");
  return value;
}

/** The config and wagmi, available at once. */
export function useRuntime(): Runtime {
  const { config, wagmiConfig } = useContextValue();
  return { config, wagmiConfig };
}

/** Everything, the read client included (suspends until its code has loaded). */
export function useTroth(): Runtime & { client: TrothClient; audit: () => Promise<ContinuitySource> } {
  const value = useContextValue();
  return { ...value, client: use(value.client) };
}
