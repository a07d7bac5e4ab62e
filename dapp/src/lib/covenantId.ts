import { type Covenant, podIdFromDigest, trothTypedData } from "@troth/sdk";
import { type Address, hashTypedData } from "viem";

/** The pod id a covenant will have: its EIP-712 digest (the one members sign) shifted right by 8 bits. */
export function podIdOfCovenant(covenant: Covenant, chainId: number, troth: Address): bigint {
  return podIdFromDigest(hashTypedData(trothTypedData({ chainId, address: troth }, "Covenant", covenant)));
}
