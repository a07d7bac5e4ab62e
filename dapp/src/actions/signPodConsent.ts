import { type TrothClient, trothDomain, trothTypes } from "@troth/sdk";
import type { Hex, WalletClient } from "viem";
import {
  type AmendmentTerms,
  type ConsentKind,
  type MembershipTerms,
  membershipKinds,
  type RecoveryTerms,
  replacementKinds,
} from "../lib/links.ts";

export type PodConsentKind = ConsentKind;
export type SignPodConsentParameters = {
  kind: PodConsentKind;
  podId: bigint;
  nonce: number;
  deadline: bigint;
  /** The new terms, for an amendment. */
  amendment?: AmendmentTerms;
  /** The newcomer (and who they replace), for an addition or a replacement. */
  membership?: MembershipTerms;
  /** The seat that moves, for a recovery. */
  recovery?: RecoveryTerms;
  signer: WalletClient;
};

/** The pod consent is for an amendment without its new terms (or terms were given for a pause or resume). */
export class ConsentTermsError extends Error {
  override name = "ConsentTermsError";
}

/**
 * A member's EIP-712 consent to pause, resume, amend, add, replace or recover (the message the SDK's `pause`,
 * `resume` and `submit…` actions collect), signed on its own so it can travel to the next member in a consent link.
 */
export async function signPodConsent(
  client: TrothClient,
  { kind, podId, nonce, deadline, amendment, membership, recovery, signer }: SignPodConsentParameters,
): Promise<Hex> {
  if ((kind === "Amend") !== (amendment !== undefined)) {
    throw new ConsentTermsError(
      kind === "Amend" ? "An amendment needs its new terms." : `A ${kind} consent carries no terms.`,
    );
  }
  const changesMembers = membershipKinds.includes(kind);
  if (
    changesMembers !== (membership !== undefined) ||
    replacementKinds.includes(kind) !== (membership?.replaced !== undefined)
  ) {
    throw new ConsentTermsError(
      changesMembers
        ? "A membership change needs its newcomer (and, to replace, who)."
        : `A ${kind} consent names no newcomer.`,
    );
  }
  if ((kind === "Recover") !== (recovery !== undefined)) {
    throw new ConsentTermsError(
      kind === "Recover" ? "A recovery needs the seat that moves." : `A ${kind} consent moves no seat.`,
    );
  }
  // A recovery signs the pod, the lost address, the new one and the keyring (not the token id, which the pod and
  // the lost address name).
  const seat = recovery
    ? { lost: recovery.lost, account: recovery.account, keyringDigest: recovery.keyringDigest }
    : undefined;
  return signer.signTypedData({
    account: signer.account!,
    domain: trothDomain(client.chainId, client.address),
    types: trothTypes,
    primaryType: kind,
    message: { podId, ...amendment, ...membership, ...seat, nonce, deadline },
  } as never);
}
