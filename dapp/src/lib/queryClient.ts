import { QueryClient } from "@tanstack/react-query";
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
