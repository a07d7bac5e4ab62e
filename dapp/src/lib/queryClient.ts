import { type Query, QueryClient } from "@tanstack/react-query";
import { hashFn } from "wagmi/query";

/**
 * The app's query cache: in memory only (nothing read, least of all anything decrypted, is persisted); keys may hold
 * bigints (wagmi's hash); chain reads are kept current by following the chain (useFollowChain), not by polling.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { queryKeyHashFn: hashFn, staleTime: 2_000, refetchOnWindowFocus: true, retry: 1 } },
  });
}

/**
 * A read of chain state, which anyone's transaction or the passing of time may change. Query keys start with
 * ["troth", chainId] (see queries/index.ts); decrypted documents carry "decrypted" third.
 */
export const isChainRead = (query: Query) => query.queryKey[0] === "troth" && query.queryKey[2] !== "decrypted";

/** Refreshes every chain read; decrypted documents are immutable by digest and stay as they are. */
export const refreshChainReads = (queryClient: QueryClient) =>
  queryClient.invalidateQueries({ predicate: isChainRead });
