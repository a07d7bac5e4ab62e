import type { TrothClient } from "../client.ts";
import { type TrothPrimaryType, type TrothTypedData, trothDomain, trothTypes } from "../eip712.ts";

/** The EIP-712 typed data of one Troth message, bound to this client's chain and contract: what a wallet signs. */
export function trothTypedData<primaryType extends TrothPrimaryType>(
  client: Pick<TrothClient, "chainId" | "address">,
  primaryType: primaryType,
  message: Record<string, unknown>,
): TrothTypedData<primaryType> {
  return {
    domain: trothDomain(client.chainId, client.address),
    types: trothTypes,
    primaryType,
    message,
  } as unknown as TrothTypedData<primaryType>;
}
