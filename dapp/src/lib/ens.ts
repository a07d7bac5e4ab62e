import type { Address, PublicClient } from "viem";

/**
 * Chains where ENS lives (a universal resolver viem knows): mainnet and Sepolia. Anywhere else (the local chain, an
 * L2) no ENS request is made at all, so a page never waits on, or errors from, a lookup that cannot succeed.
 */
const ensChains = new Set([1, 11_155_111]);

export const hasEns = (chainId: number) => ensChains.has(chainId);

/** How long a page waits for ENS before showing addresses as they are. */
const ENS_TIMEOUT_MS = 3_000;

/**
 * The primary ENS name of each address (reverse record, checked forward by the universal resolver), or null. Never
 * throws: a lookup that fails or is slow leaves that address unnamed.
 */
export async function lookUpEnsNames(
  publicClient: PublicClient,
  chainId: number,
  addresses: readonly Address[],
): Promise<Record<string, string | null>> {
  if (!hasEns(chainId)) return {};
  const { getEnsName, mainnet, sepolia } = await import("./lazyEns.ts");
  const universalResolverAddress = (chainId === 1 ? mainnet : sepolia).contracts.ensUniversalResolver.address;
  const names = await Promise.all(
    addresses.map((address) =>
      Promise.race([
        getEnsName(publicClient, { address, universalResolverAddress }).catch(() => null),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), ENS_TIMEOUT_MS)),
      ]),
    ),
  );
  return Object.fromEntries(addresses.map((a, i) => [a.toLowerCase(), names[i]]));
}
