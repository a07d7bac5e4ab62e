import { type Account, type Address, getAddress, type Hex, isAddressEqual } from "viem";
import type { TrothClient } from "../client.ts";
import { sealDocument } from "../crypto/documents.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { StaleKeyringError } from "../errors/client.ts";
import { trothError } from "../errors/troth.ts";
import { blobRef } from "../storage/cid.ts";
import type { MemberView, ReportInput, WitnessSignature } from "../types.ts";
import { encodeWitnessList } from "../witnessList.ts";
import { readTroth } from "./contract.ts";
import { keyringMatches, loadKeyring, unlock } from "./keys.ts";
import { activeAccounts, membersOf, splitToken } from "./pod.ts";
import { requireWitnesses, type WitnessSource, witnessAddresses, witnessSignatures } from "./witness.ts";

/** The pod's members and its current writing key; refuses a keyring that still includes someone who left. */
export async function writingKey(
  client: TrothClient,
  podId: bigint,
  identity: IdentityKey,
  preflight?: (members: MemberView[]) => void,
) {
  const [members, record] = await Promise.all([membersOf(client, podId), readTroth(client, "podRecord", [podId])]);
  // Who may write is checked before any key is touched, so an outsider gets the protocol's error.
  preflight?.(members);
  const keyring = await loadKeyring(client, record.keyringDigest);
  if (!keyringMatches(keyring, activeAccounts(members))) throw new StaleKeyringError({ podId });
  return { members, record, podKey: unlock(client, keyring, identity) };
}

/** Everything a check-in transaction carries, built and checked locally; nothing is stored yet. */
export async function buildCheckIn(
  client: TrothClient,
  {
    tokenId,
    round,
    report,
    identity,
    holder,
    witnesses = [],
  }: {
    tokenId: bigint;
    round: number;
    report: ReportInput;
    identity: IdentityKey;
    holder: Address | Account;
    witnesses?: readonly WitnessSource[];
  },
) {
  const { podId, index } = splitToken(tokenId);
  const { podKey } = await writingKey(client, podId, identity, (members) => {
    requireHolder(members, tokenId, typeof holder === "string" ? holder : holder.address);
    requireWitnesses(members, tokenId, round, witnessAddresses(witnesses));
  });
  const blob = sealDocument(
    { type: "troth/report", version: 1, ...report },
    {
      key: podKey.key,
      slot: { pod: podKey.pod, epoch: podKey.epoch, kind: "report", member: index, round },
      random: client.random,
    },
  );
  const reportDigest = blobRef(blob).digest;
  const signatures = await witnessSignatures(client, { tokenId, round, reportDigest, witnesses });
  return {
    blob,
    reportDigest,
    witnessList: encodeWitnessList(signatures.map(toContractSignature)),
    witnesses: signatures,
  };
}

/** The contract's `Signature` struct (the reply digest travels off-chain). */
export function toContractSignature(w: WitnessSignature): { signer: Address; signature: Hex } {
  return { signer: getAddress(w.signer), signature: w.signature };
}

/** Preflight: only the holder of an active commitment checks in. */
export function requireHolder(members: readonly MemberView[], tokenId: bigint, account: Address): MemberView {
  const member = members[Number(tokenId & 0xffn)];
  if (!member || member.account === "0x0000000000000000000000000000000000000000") {
    throw trothError("ERC721NonexistentToken", [tokenId], { preflight: true });
  }
  if (!isAddressEqual(member.account, account))
    throw trothError("CommitmentNotOwner", [tokenId, getAddress(account)], { preflight: true });
  if (member.status !== "active") throw trothError("CommitmentInactive", [tokenId], { preflight: true });
  return member;
}
