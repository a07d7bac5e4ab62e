import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import type { TrothClient } from "@troth/sdk";
import { useEffect } from "react";
import { watchChainChanges } from "../actions/watchChainChanges.ts";
import { refreshChainReads } from "../lib/queryClient.ts";
import { useTroth } from "../lib/troth.tsx";

/** Rounds open and grace runs out with no transaction at all: the screens look again this often. */
export const CLOCK_REFRESH_MS = 60_000;

/**
 * Keeps every chain read in `queryClient` current: refreshed when the Troth contract emits anything (a partner's
 * witness shows on your ring as it is mined) and every `clockMs` for what time alone changes (a round opening or
 * closing). Only the queries a screen shows are fetched again. Returns a function that stops following.
 */
export function followChain(
  client: TrothClient,
  queryClient: QueryClient,
  { clockMs = CLOCK_REFRESH_MS }: { clockMs?: number } = {},
): () => void {
  const refresh = () => void refreshChainReads(queryClient);
  const unwatch = watchChainChanges(client, { onChange: refresh });
  const clock = setInterval(refresh, clockMs);
  return () => {
    unwatch();
    clearInterval(clock);
  };
}

/** {@link followChain} for as long as the app is mounted. */
export function useFollowChain() {
  const { client } = useTroth();
  const queryClient = useQueryClient();
  useEffect(() => followChain(client, queryClient), [client, queryClient]);
}
