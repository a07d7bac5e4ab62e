import { type Address, getAddress, type Hash, type Hex, isAddressEqual } from "viem";
import type { ConsentSource, TrothClient } from "../client.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import type { TrothTypedData } from "../eip712.ts";
import { NotARecipientError } from "../errors/crypto.ts";
import { collectConsents } from "./consent.ts";
import { prepareWrite } from "./contract.ts";
import { storeBlobs } from "./covenant.ts";
import { governanceContext } from "./governance.ts";
import { rekey } from "./membership.ts";
import { activeAccounts } from "./pod.ts";
import { openCovenant } from "./read.ts";
import { trothTypedData } from "./typedData.ts";

export type MembershipKind = "AddMember" | "ReplaceMember";

/** A membership change ready for consent: what every required member signs, and what the submit sends. */
export type PreparedMembershipChange<kind extends MembershipKind> = {
  podId: bigint;
  /** The member who is replaced (a replacement only; their consent is not needed). */
  replaced: kind extends "ReplaceMember" ? Address : undefined;
  /** The newcomer, their encrypted commitment and the new key epoch's keyring, as the contract takes them. */
  entry: { member: Address; commitmentDigest: Hex; keyringDigest: Hex };
  nonce: number;
  deadline: bigint;
  /** The accounts whose consent the contract checks, in its order: the active members (but the replaced), then the newcomer. */
  required: Address[];
  /** The EIP-712 message each of them signs (`wallet.signTypedData(prepared.typedData)`). */
  typedData: TrothTypedData<kind>;
  /** The encrypted keyring of the new epoch, the newcomer's encrypted commitment and the covenant sealed for it. */
  blobs: Uint8Array[];
};

/**
 * Builds a membership change (new key epoch with the newcomer, without whoever is replaced; the newcomer's commitment
 * under it) and its consent message; stores the blobs when `store` is set, so the change can wait for consents.
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
  const context = await governanceContext(client, podId, deadline);
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
  const required = activeAccounts(context.members).filter((a) => !replaced || !isAddressEqual(a, replaced));
  required.push(entry.member);
  if (store) await storeBlobs(client, keys.blobs);
  const message = {
    podId,
    ...(kind === "ReplaceMember" ? { replaced: getAddress(replaced!) } : {}),
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
    message: prepared.typedData.message as Record<string, unknown>,
    what: `the ${kind} consent`,
  });
  const { podId, entry, deadline } = prepared;
  const send =
    kind === "ReplaceMember"
      ? await prepareWrite(
          client,
          "replaceMember",
          "replaceMember",
          [podId, prepared.replaced as Address, entry, deadline, consents],
          account,
        )
      : await prepareWrite(client, "addMember", "addMember", [podId, entry, deadline, consents], account);
  await storeBlobs(client, prepared.blobs);
  return send();
}
