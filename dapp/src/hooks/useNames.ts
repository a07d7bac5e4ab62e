import { useQuery } from "@tanstack/react-query";
import { type Address, isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { hasEns, lookUpEnsNames } from "../lib/ens.ts";
import { shortAddress } from "../lib/format.ts";
import { useTroth } from "../lib/troth.tsx";
import { useCovenant } from "./reads.ts";

/** ENS names of `addresses` where the chain has ENS; an empty answer, with no request, where it has not. */
export function useEnsNames(addresses: readonly Address[]) {
  const { client, config } = useTroth();
  const sorted = [...new Set(addresses.map((a) => a.toLowerCase()))].sort() as Address[];
  return useQuery({
    queryKey: ["ens", config.chainId, sorted],
    queryFn: () => lookUpEnsNames(client.publicClient, config.chainId, sorted),
    enabled: hasEns(config.chainId) && sorted.length > 0,
    staleTime: 60 * 60_000,
  });
}

/**
 * How each member of a pod appears: "You" for the connected account, else the name they chose for the pod (carried
 * encrypted in the covenant, so only members see it), else their ENS name, else their shortened address.
 */
export function useNames(podId: bigint | undefined, addresses: readonly Address[] = []): (a: Address) => string {
  const { address } = useAccount();
  const covenant = useCovenant(podId);
  const members = covenant.data?.members ?? [];
  const ens = useEnsNames([...addresses, ...members.map((m) => m.address)]);
  return (a: Address) => {
    if (address && isAddressEqual(a, address)) return "You";
    const chosen = members.find((m) => isAddressEqual(m.address, a))?.name;
    return chosen ?? ens.data?.[a.toLowerCase()] ?? shortAddress(a);
  };
}
