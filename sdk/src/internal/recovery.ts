import { type Address, getAddress, type Hash, type Hex, isAddressEqual } from "viem";
import type { ConsentSource, TrothClient } from "../client.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { sealGrants } from "../crypto/keyring.ts";
import { type TrothTypedData, trothTypedData } from "../eip712.ts";
import { NotARecipientError } from "../errors/crypto.ts";
import { trothError } from "../errors/troth.ts";
import type { MemberView } from "../types.ts";
import { requireClaimable, requireNewcomer } from "./claims.ts";
import { collectConsents } from "./consent.ts";
import { prepareWrite, readLens, type WriteOptions } from "./contract.ts";
import { storeBlobs } from "./covenant.ts";
import { governanceContext } from "./governance.ts";
import { encryptionKeysOf, epochKey, holdsEpoch, keyringChain, newKeyring } from "./keys.ts";
import { activeAccounts, splitToken, toPodView } from "./pod.ts";

/**
 * The keyring a recovery installs, built by a partner: a new key epoch for the active members with the lost address's
 * seat given to its new address, and, as grants, every earlier epoch the lost address held (and the partner can open)
 * re-wrapped for the new address's identity key, so the recovered member reads the pod's whole history again.
 */
export async function recoveryKeyring(
  client: TrothClient,
  {
    members,
    keyringDigest,
    lost,
    successor,
    identity,
  }: { members: readonly MemberView[]; keyringDigest: Hex; lost: Address; successor: Address; identity: IdentityKey },
) {
  const chain = await keyringChain(client, keyringDigest);
  const current = chain[0].keyring;
  // Only a partner who reads the pod now can hand its keys on.
  if (!holdsEpoch(chain, identity.address, current.epoch))
    throw new NotARecipientError({ member: identity.address, epoch: current.epoch });
  const keys: { epoch: number; contentKey: Uint8Array }[] = [];
  const missingEpochs: number[] = [];
  for (const { keyring } of [...chain].reverse()) {
    if (!holdsEpoch(chain, lost, keyring.epoch)) continue;
    if (!holdsEpoch(chain, identity.address, keyring.epoch)) {
      missingEpochs.push(keyring.epoch);
      continue;
    }
    keys.push({
      epoch: keyring.epoch,
      contentKey: (await epochKey(client, keyringDigest, keyring.epoch, identity)).key,
    });
  }
  const [{ publicKey }] = await encryptionKeysOf(client, [successor]);
  const grants = sealGrants({ pod: current.pod, keys, member: successor, publicKey, random: client.random });
  const recipients = activeAccounts(members).map((a) => (isAddressEqual(a, lost) ? getAddress(successor) : a));
  const next = await newKeyring(client, {
    pod: current.pod,
    previous: { digest: keyringDigest, keyring: current },
    members: recipients,
    grants,
  });
  return {
    keyringDigest: next.digest,
    epoch: next.keyring.epoch,
    blobs: [next.bytes],
    grantedEpochs: keys.map((k) => k.epoch),
    missingEpochs,
  };
}

/** A recovery ready for consent: what the partners and the new address sign, and what the submit sends. */
export type PreparedRecovery = {
  podId: bigint;
  /** The commitment whose seat moves. */
  tokenId: bigint;
  /** The address that lost its wallet (the token's holder now). */
  lost: Address;
  /** The member's new address. */
  successor: Address;
  /** The keyring that takes effect when the recovery completes. */
  keyringDigest: Hex;
  /** The new key epoch it starts. */
  epoch: number;
  /** Earlier epochs handed on to the new address. */
  grantedEpochs: number[];
  /** Epochs the lost address held that the preparer could not open, so could not hand on. */
  missingEpochs: number[];
  nonce: number;
  deadline: bigint;
  /** Who consents, in the contract's order: every active member but the lost address, then the new address. */
  required: Address[];
  /** The EIP-712 `Recover` message each of them signs. */
  typedData: TrothTypedData<"Recover">;
  /** The recovery keyring, encoded. */
  blobs: Uint8Array[];
};

/**
 * Builds a recovery request after checking what the contract would refuse: a pod with another member to vouch
 * (`ClaimPodTooSmall`), a token held by an active member with no claim on them (`PodNotMember`, `ClaimPending`), a new
 * address that never was a member (`PodAlreadyMember`) and published an identity key.
 */
export async function prepareRecovery(
  client: TrothClient,
  {
    tokenId,
    successor,
    identity,
    deadline,
    store,
  }: { tokenId: bigint; successor: Address; identity: IdentityKey; deadline?: bigint; store: boolean },
): Promise<PreparedRecovery> {
  const { podId, index } = splitToken(tokenId);
  const [context, pod] = await Promise.all([
    governanceContext(client, podId, deadline),
    readLens(client, "pod", [podId]).then(toPodView),
  ]);
  if (pod.activeCount < 2) throw trothError("ClaimPodTooSmall", [podId, pod.activeCount], { preflight: true });
  const holder = context.members[index];
  if (!holder || holder.status === "none") throw trothError("ERC721NonexistentToken", [tokenId], { preflight: true });
  const lost = getAddress(holder.account);
  await Promise.all([requireClaimable(client, podId, lost), requireNewcomer(client, podId, successor)]);
  const keys = await recoveryKeyring(client, {
    members: context.members,
    keyringDigest: context.record.keyringDigest,
    lost,
    successor: getAddress(successor),
    identity,
  });
  if (store) await storeBlobs(client, keys.blobs);
  const message = {
    podId,
    lost,
    account: getAddress(successor),
    keyringDigest: keys.keyringDigest,
    nonce: context.nonce,
    deadline: context.deadline,
  };
  return {
    podId,
    tokenId,
    lost,
    successor: getAddress(successor),
    keyringDigest: keys.keyringDigest,
    epoch: keys.epoch,
    grantedEpochs: keys.grantedEpochs,
    missingEpochs: keys.missingEpochs,
    nonce: context.nonce,
    deadline: context.deadline,
    required: [...activeAccounts(context.members).filter((a) => !isAddressEqual(a, lost)), getAddress(successor)],
    typedData: trothTypedData(client, "Recover", message),
    blobs: keys.blobs,
  };
}

/** Sends a prepared recovery with its consents: preflight first, then the keyring is stored, then it is sent. */
export async function submitRecovery(
  client: TrothClient,
  prepared: PreparedRecovery,
  { signatures, account }: { signatures: readonly ConsentSource[] } & WriteOptions,
): Promise<Hash> {
  const consents = await collectConsents(client, {
    required: prepared.required,
    sources: signatures,
    primaryType: "Recover",
    message: prepared.typedData.message,
    what: "the Recover consent",
  });
  const { tokenId, successor, keyringDigest, deadline } = prepared;
  const send = await prepareWrite(
    client,
    "requestRecovery",
    "requestRecovery",
    [tokenId, successor, keyringDigest, deadline, consents],
    account,
  );
  await storeBlobs(client, prepared.blobs);
  return send();
}
