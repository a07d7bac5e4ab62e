import { type Address, getAddress, type Hex, zeroHash } from "viem";
import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { readTroth } from "../internal/contract.ts";

export type GetPublishedIdentityKeyParameters = { account: Address };
/** The public identity key `account` published (the key registry's bytes32), or null if it published none. */
export type GetPublishedIdentityKeyReturnType = Hex | null;
export type GetPublishedIdentityKeyErrorType = TrothContractError;

/**
 * The identity key an account published in the contract's key registry (what partners wrap pod keys for), or null.
 *
 * @example
 * ```ts
 * const published = await getPublishedIdentityKey(troth, { account });
 * if (published !== identity.publicKeyHex) await publishIdentityKey(troth, { identity });
 * ```
 */
export async function getPublishedIdentityKey(
  client: TrothClient,
  { account }: GetPublishedIdentityKeyParameters,
): Promise<GetPublishedIdentityKeyReturnType> {
  const key = await readTroth(client, "encryptionKey", [getAddress(account)]);
  return key === zeroHash ? null : key;
}
