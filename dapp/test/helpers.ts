import { type IdentityKey, identityKeyFromSignature } from "@troth/sdk/crypto";
import type { Hex } from "viem";

/** A real identity key, derived by the SDK from a fixed 65-byte signature (as a wallet's would be). */
export function testIdentity(
  seed = 1,
  address: `0x${string}` = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
): IdentityKey {
  const byte = seed.toString(16).padStart(2, "0");
  return identityKeyFromSignature(address, `0x${byte.repeat(64)}1b` as Hex);
}
