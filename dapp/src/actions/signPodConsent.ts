import { type TrothClient, trothDomain, trothTypes } from "@troth/sdk";
import type { Hex, WalletClient } from "viem";
import type { AmendmentTerms, MembershipTerms } from "../lib/links.ts";

export type PodConsentKind = "Pause" | "Resume" | "Amend" | "AddMember" | "ReplaceMember";
export type SignPodConsentParameters = {
  kind: PodConsentKind;
  podId: bigint;
  nonce: number;
  deadline: bigint;
  /** The new terms, for an amendment. */
  amendment?: AmendmentTerms;
  /** The newcomer (and who they replace), for an addition or a replacement. */
  membership?: MembershipTerms;
  signer: WalletClient;
};

/** The pod consent is for an amendment without its new terms (or terms were given for a pause or resume). */
export class ConsentTermsError extends Error {
  override name = "ConsentTermsError";
}

/**
 * A member's EIP-712 consent to pause, resume, amend, add or replace (the message the SDK's `pause`, `resume` and
 * `submit…` actions collect), signed on its own so it can travel to the next member in a consent link.
 */
export async function signPodConsent(
  client: TrothClient,
  { kind, podId, nonce, deadline, amendment, membership, signer }: SignPodConsentParameters,
): Promise<Hex> {
  if ((kind === "Amend") !== (amendment !== undefined)) {
    throw new ConsentTermsError(
      kind === "Amend" ? "An amendment needs its new terms." : `A ${kind} consent carries no terms.`,
    );
  }
  const changesMembers = kind === "AddMember" || kind === "ReplaceMember";
  if (
    changesMembers !== (membership !== undefined) ||
    (kind === "ReplaceMember") !== (membership?.replaced !== undefined)
  ) {
    throw new ConsentTermsError(
      changesMembers
        ? "A membership change needs its newcomer (and, to replace, who)."
        : `A ${kind} consent names no newcomer.`,
    );
  }
  return signer.signTypedData({
    account: signer.account!,
    domain: trothDomain(client.chainId, client.address),
    types: trothTypes,
    primaryType: kind,
    message: { podId, ...amendment, ...membership, nonce, deadline },
  } as never);
}
