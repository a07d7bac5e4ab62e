import type { Address, Hex } from "viem";
import type { TrothClient } from "../client.ts";
import { NO_SLOT } from "../crypto/envelope.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { MembershipChangeMismatchError } from "../errors/client.ts";
import { NotARecipientError } from "../errors/crypto.ts";
import type { IntegrityError } from "../errors/storage.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { readTroth } from "../internal/contract.ts";
import { verifyProposedKeyring } from "../internal/keyringCheck.ts";
import { openCovenant, openPodDocument } from "../internal/read.ts";

export type VerifyMembershipChangeParameters = {
  podId: bigint;
  /** The newcomer, and the new epoch's keyring the change installs (as in the consent message). */
  entry: { member: Address; keyringDigest: Hex };
  /** The member who steps out, for a replacement (with their consent, or proposed by the absence rule). */
  replaced?: Address;
  /** The verifier's identity key: with it, a covenant the keyring carries is compared with the pod's. */
  identity?: IdentityKey;
};
export type VerifyMembershipChangeReturnType = {
  /** Who the new key epoch is for: the members who stay and the newcomer. */
  recipients: Address[];
  /**
   * The covenant carried for the newcomer: "same" as the pod's (checked), "none" carried, or "unchecked" (no identity
   * was given, or the verifier cannot read the pod's covenant themselves).
   */
  covenant: "same" | "none" | "unchecked";
};
export type VerifyMembershipChangeErrorType = MembershipChangeMismatchError | IntegrityError | TrothContractError;

/**
 * Checks, before consenting, that a proposed add or replace does what it says: the new keyring follows the pod's
 * current one and wraps the pod key for exactly the members who stay and the newcomer (each under the identity key they
 * published), and a covenant it carries for the newcomer is the pod's covenant word for word. It serves an absence-rule
 * proposal (`prepareProposeReplacement`) too: pass the absent member as `replaced`. Consenting members sign the keyring's digest, not its contents:
 * this is where they see them.
 *
 * @example
 * ```ts
 * await verifyMembershipChange(bobTroth, { podId, entry: prepared.entry, identity: bobIdentity });
 * const signature = await bobWallet.signTypedData({ account: bob, ...prepared.typedData });
 * ```
 */
export async function verifyMembershipChange(
  client: TrothClient,
  { podId, entry, replaced, identity }: VerifyMembershipChangeParameters,
): Promise<VerifyMembershipChangeReturnType> {
  const fail = (reason: string) => new MembershipChangeMismatchError({ podId, reason });
  const [record, { keyring: proposed, recipients }] = await Promise.all([
    readTroth(client, "podRecord", [podId]),
    verifyProposedKeyring(
      client,
      { podId, keyringDigest: entry.keyringDigest, leaving: replaced, joining: entry.member },
      fail,
    ),
  ]);
  if (!proposed.covenant) return { recipients, covenant: "none" };
  if (!identity) return { recipients, covenant: "unchecked" };
  let now: unknown;
  try {
    now = await openCovenant(client, {
      podId,
      identity,
      covenantDigest: record.covenantDigest,
      keyringDigest: record.keyringDigest,
    });
  } catch (error) {
    // A verifier who cannot read the pod's covenant (the newcomer) has nothing to compare it with.
    if (error instanceof NotARecipientError) return { recipients, covenant: "unchecked" };
    throw error;
  }
  const carried = await openPodDocument(client, {
    podId,
    digest: proposed.covenant,
    kind: "covenant",
    member: NO_SLOT,
    round: NO_SLOT,
    identity,
    keyringDigest: entry.keyringDigest,
    proposed: true,
  }).catch(() => undefined);
  if (JSON.stringify(carried) !== JSON.stringify(now))
    throw fail("the covenant it carries for the newcomer is not the pod's");
  return { recipients, covenant: "same" };
}
