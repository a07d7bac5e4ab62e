import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { TrothClient } from "@troth/sdk";
import type { Hash, TransactionReceipt } from "viem";
import { transact } from "../lib/notify.tsx";
import { refreshChainReads } from "../lib/queryClient.ts";
import { useTroth, writeClient } from "../lib/troth.tsx";

/**
 * A write as a mutation: `action` calls one SDK write action with the wallet's client (the SDK checks it against the
 * chain before the wallet is asked); the one notification helper follows it to confirmation; then every chain read
 * is refreshed.
 */
export function useTrothWrite<V>(
  label: string | ((variables: V) => string),
  action: (client: TrothClient, variables: V) => Promise<Hash>,
) {
  const troth = useTroth();
  const queryClient = useQueryClient();
  return useMutation<TransactionReceipt, Error, V>({
    mutationFn: async (variables) => {
      const client = await writeClient(troth);
      return transact(client, typeof label === "function" ? label(variables) : label, () => action(client, variables));
    },
    onSettled: () => refreshChainReads(queryClient),
  });
}
