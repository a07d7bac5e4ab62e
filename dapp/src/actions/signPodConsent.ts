import { type TrothClient, trothDomain, trothTypes } from "@troth/sdk";
import type { Hex, WalletClient } from "viem";

export type PodConsentKind = "Pause" | "Resume";
export type SignPodConsentParameters = {
  kind: PodConsentKind;
  podId: bigint;
  nonce: number;
  deadline: bigint;
  signer: WalletClient;
};

/**
 * A member's EIP-712 consent to pause or resume (the message the SDK's `pause`/`resume` collect), signed on its own
 * so it can travel to the next member in a consent link.
 */
export async function signPodConsent(
  client: TrothClient,
  { kind, podId, nonce, deadline, signer }: SignPodConsentParameters,
): Promise<Hex> {
  return signer.signTypedData({
    account: signer.account!,
    domain: trothDomain(client.chainId, client.address),
    types: trothTypes,
    primaryType: kind,
    message: { podId, nonce, deadline },
  } as never);
}
