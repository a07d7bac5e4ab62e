import { type Address, getAddress, type Hash, type Hex, isAddressEqual } from "viem";
import type { ConsentSource, TrothClient } from "../client.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { type TrothTypedData, trothTypedData } from "../eip712.ts";
import { NotARecipientError } from "../errors/crypto.ts";
import { trothError } from "../errors/troth.ts";
import { requireAbsent, requireClaimable, requireNewcomer } from "./claims.ts";
import { collectConsents } from "./consent.ts";
import { prepareWrite, readLens } from "./contract.ts";
import { storeBlobs } from "./covenant.ts";
import { governanceContext } from "./governance.ts";
import { rekey } from "./membership.ts";
import { activeAccounts, toPodView } from "./pod.ts";
import { openCovenant } from "./read.ts";

/**
 * A membership change: add a member, replace one with their consent, or propose to replace an absent one (the absence
 * rule: a claim completed after an objection window, unless the absent member acts first).
 */
export type MembershipKind = "AddMember" | "ReplaceMember" | "ReplaceAbsentMember";

/** A membership change ready for consent: what every required member signs, and what the submit sends. */
export type PreparedMembershipChange<kind extends MembershipKind> = {
  podId: bigint;
  /**
   * The member who is replaced (a replacement only): they consent too, or, for an absence-rule proposal, they do not and
   * are replaced only if they do not act during the objection window.
   */
  replaced: kind extends "ReplaceMember" | "ReplaceAbsentMember" ? Address : undefined;
  /** The newcomer, their encrypted commitment and the new key epoch's keyring, as the contract takes them. */
  entry: { member: Address; commitmentDigest: Hex; keyringDigest: Hex };
  nonce: number;
  deadline: bigint;
  /**
   * The accounts whose consent the contract checks, in its order: every active member (the replaced one too; not for an
   * absence-rule proposal), then the newcomer.
   */
  required: Address[];
  /** The EIP-712 message each of them signs (`wallet.signTypedData(prepared.typedData)`). */
  typedData: TrothTypedData<kind>;
  /** The encrypted keyring of the new epoch, the newcomer's encrypted commitment and the covenant sealed for it. */
  blobs: Uint8Array[];
};

/**
 * Builds a membership change (new key epoch with the newcomer, without whoever is replaced; the newcomer's commitment
 * under it) and its consent message; stores the blobs when `store` is set, so the change can wait for consents. The
 * rules the contract would refuse it for are checked first, before anyone is asked to sign: a live pod, a newcomer who
 * never was a member, room for them (add), a replaced member who is active (replace) and, for the absence rule, a pod
 * of three or more, no claim standing on them already, and their absence.
 */
export async function prepareMembershipChange<kind extends MembershipKind>(
  client: TrothClient,
  kind: kind,
  {
    podId,
    replaced,
    newcomer,
    deadline,
    store,
    identity,
  }: {
    podId: bigint;
    replaced?: Address;
    newcomer: { address: Address; commitment: string };
    deadline?: bigint;
    store: boolean;
    identity?: IdentityKey;
  },
): Promise<PreparedMembershipChange<kind>> {
  const [context, pod] = await Promise.all([
    governanceContext(client, podId, deadline),
    readLens(client, "pod", [podId]).then(toPodView),
  ]);
  if (pod.status === "ended" || pod.status === "dissolved")
    throw trothError("PodNotLive", [podId], { preflight: true });
  if (kind === "AddMember" && pod.activeCount >= 8)
    throw trothError("PodInvalidMemberCount", [BigInt(pod.activeCount + 1)], { preflight: true });
  if (kind === "ReplaceAbsentMember" && pod.activeCount < 3)
    throw trothError("ClaimPodTooSmall", [podId, pod.activeCount], { preflight: true });
  if (replaced) {
    if (kind === "ReplaceAbsentMember") {
      const { record } = await requireClaimable(client, podId, replaced);
      await requireAbsent(client, podId, replaced, record);
    } else if (!activeAccounts(context.members).some((a) => isAddressEqual(a, replaced))) {
      throw trothError("PodNotMember", [podId, getAddress(replaced)], { preflight: true });
    }
  }
  await requireNewcomer(client, podId, getAddress(newcomer.address));
  // The proposer reads the covenant as it stands and seals it for the new epoch: the newcomer's only way to read it.
  // A proposer who cannot read it either (they joined with no copy) still proposes the change, without one.
  const covenant = identity
    ? await openCovenant(client, {
        podId,
        identity,
        covenantDigest: context.record.covenantDigest,
        keyringDigest: context.record.keyringDigest,
      }).catch((error) => {
        if (error instanceof NotARecipientError) return undefined;
        throw error;
      })
    : undefined;
  const keys = await rekey(client, {
    members: context.members,
    keyringDigest: context.record.keyringDigest,
    leaving: replaced,
    newcomer,
    covenant,
  });
  const entry = {
    member: getAddress(newcomer.address),
    commitmentDigest: keys.commitmentDigest!,
    keyringDigest: keys.keyringDigest,
  };
  // The replaced member consents too (nobody is pushed out by the others); the absence rule is the one exception.
  const required = activeAccounts(context.members).filter(
    (a) => kind !== "ReplaceAbsentMember" || !isAddressEqual(a, replaced as Address),
  );
  required.push(entry.member);
  if (store) await storeBlobs(client, keys.blobs);
  const message = {
    podId,
    ...(kind !== "AddMember" ? { replaced: getAddress(replaced as Address) } : {}),
    ...entry,
    nonce: context.nonce,
    deadline: context.deadline,
  };
  return {
    podId,
    replaced: (replaced ? getAddress(replaced) : undefined) as PreparedMembershipChange<kind>["replaced"],
    entry,
    nonce: context.nonce,
    deadline: context.deadline,
    required,
    typedData: trothTypedData(client, kind, message),
    blobs: keys.blobs,
  };
}

/**
 * Sends a prepared membership change with its consents: the preflight runs first, then the blobs are stored (again,
 * if the preparation stored them), then the transaction is sent.
 */
export async function submitMembershipChange(
  client: TrothClient,
  prepared: PreparedMembershipChange<MembershipKind>,
  { signatures, account }: { signatures: readonly ConsentSource[]; account?: Parameters<typeof prepareWrite>[4] },
): Promise<Hash> {
  const kind = prepared.typedData.primaryType as MembershipKind;
  const consents = await collectConsents(client, {
    required: prepared.required,
    sources: signatures,
    primaryType: kind,
    message: prepared.typedData.message,
    what: `the ${kind} consent`,
  });
  const { podId, entry, deadline } = prepared;
  const send =
    kind === "AddMember"
      ? await prepareWrite(client, "addMember", "addMember", [podId, entry, deadline, consents], account)
      : await prepareWrite(
          client,
          kind === "ReplaceMember" ? "replaceMember" : "proposeReplacement",
          kind === "ReplaceMember" ? "replaceMember" : "proposeReplacement",
          [podId, prepared.replaced as Address, entry, deadline, consents],
          account,
        );
  await storeBlobs(client, prepared.blobs);
  return send();
}
