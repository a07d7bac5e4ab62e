import { type Account, type Address, getAddress, type Hex, isAddressEqual } from "viem";
import type { TrothClient } from "../client.ts";
import { sealDocument } from "../crypto/documents.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { StaleKeyringError } from "../errors/client.ts";
import { trothError } from "../errors/troth.ts";
import { blobRef } from "../storage/cid.ts";
import type { ReportInput, WitnessSignature } from "../types.ts";
import { encodeWitnessList } from "../witnessList.ts";
import { readLens, readTroth } from "./contract.ts";
import { verifyInstalledKeyring } from "./keyringCheck.ts";
import { type PodKey, unlock } from "./keys.ts";
import { splitToken } from "./pod.ts";
import { requireRecordingFor } from "./recording.ts";
import { requireWitnesses, type WitnessSource, witnessAddresses, witnessSignatures } from "./witness.ts";

export type PodSnapshot = { keyringDigest: Hex; activeCount: number; memberCount: number; paused: boolean };

/** Raised when a speculative write finds the pod changed since the snapshot it used; the write starts over. */
export class PodChangedSignal extends Error {}

async function readSnapshot(client: TrothClient, podId: bigint): Promise<PodSnapshot> {
  const pod = await readLens(client, "pod", [podId]);
  const snapshot = {
    keyringDigest: pod.keyringDigest,
    activeCount: pod.activeCount,
    memberCount: pod.memberCount,
    paused: pod.pausedAt !== 0,
  };
  client.cache.set(`pod:${podId}`, snapshot);
  return snapshot;
}

/**
 * Whether the snapshot still holds, from the pod's hot state alone: every change that could let someone outside the
 * snapshot's keyring read (a leave, an addition, a replacement) changes the active or the total member count. A key
 * rotation that changes neither keeps the same readers, so writing under the snapshot's epoch stays private.
 */
export async function snapshotHolds(client: TrothClient, podId: bigint, snapshot: PodSnapshot): Promise<boolean> {
  const state = await readTroth(client, "podState", [podId]);
  return (
    state.activeCount === snapshot.activeCount &&
    state.memberCount === snapshot.memberCount &&
    (state.pausedAt !== 0) === snapshot.paused
  );
}

/**
 * The pod's current writing key. The keyring is checked before any key is touched (`verifyInstalledKeyring`: it wraps
 * the key for every active member and for nobody who never was one), so its recipients are the active members and
 * serve the preflight checks; a keyring with more recipients than active members still includes someone who left, and
 * is refused (`StaleKeyringError`).
 *
 * `speculative` uses the snapshot of the pod this client saw last, so the key is ready without a read; the caller
 * then runs `confirm` alongside its own preflight, and starts over on {@link PodChangedSignal}.
 */
export async function writingKey(
  client: TrothClient,
  podId: bigint,
  identity: IdentityKey,
  preflight?: (active: Address[], pod: PodSnapshot) => void,
  { speculative = false }: { speculative?: boolean } = {},
) {
  const cached = speculative ? (client.cache.get(`pod:${podId}`) as PodSnapshot | undefined) : undefined;
  const pod = cached ?? (await readSnapshot(client, podId));
  // The keyring is checked once per client (follows the one it replaced; every active member a recipient, nobody but
  // members who left since besides); a recipient beyond the active members is someone who left: rotate first.
  const keyring = await verifyInstalledKeyring(client, podId, pod.keyringDigest);
  if (keyring.recipients.length !== pod.activeCount) throw new StaleKeyringError({ podId });
  // Who may write is checked before any key is touched, so an outsider gets the protocol's error.
  preflight?.(
    keyring.recipients.map((r) => r.member),
    pod,
  );
  // The confirming read starts now, alongside the caller's encryption and signing.
  const confirmed = cached
    ? snapshotHolds(client, podId, pod).then((holds) => {
        if (!holds) throw new PodChangedSignal();
      })
    : Promise.resolve();
  // Handled where the caller awaits `confirm`; never an unhandled rejection meanwhile.
  confirmed.catch(() => {});
  const confirm = () => confirmed;
  return { podKey: unlock(client, keyring, identity), confirm, pod, active: keyring.recipients.map((r) => r.member) };
}

/** A report encrypted under the pod key for its slot (this member, this round), and its on-chain digest. */
export function sealReport(client: TrothClient, podKey: PodKey, member: number, round: number, report: ReportInput) {
  const blob = sealDocument(
    { type: "troth/report", version: 1, ...report },
    {
      key: podKey.key,
      slot: { pod: podKey.pod, epoch: podKey.epoch, kind: "report", member, round },
      random: client.random,
    },
  );
  return { blob, reportDigest: blobRef(blob).digest };
}

/** Everything a check-in transaction carries, built and checked locally, with its encrypted report being stored. */
export async function buildCheckIn(
  client: TrothClient,
  {
    tokenId,
    round,
    report,
    identity,
    holder,
    witnesses = [],
    speculative = false,
  }: {
    tokenId: bigint;
    round: number;
    report: ReportInput;
    identity: IdentityKey;
    holder: Address | Account;
    witnesses?: readonly WitnessSource[];
    speculative?: boolean;
  },
) {
  const { podId, index } = splitToken(tokenId);
  const account = getAddress(typeof holder === "string" ? holder : holder.address);
  const { podKey, confirm } = await writingKey(
    client,
    podId,
    identity,
    (active, pod) => {
      requireActive(active, podId, account);
      if (pod.paused) throw trothError("PodIsPaused", [podId], { preflight: true });
      requireWitnesses(active, account, tokenId, round, witnessAddresses(witnesses));
    },
    { speculative },
  );
  await requireRecordingFor(client, podKey, { member: index, round, report });
  const { blob, reportDigest } = sealReport(client, podKey, index, round, report);
  // The encrypted report goes to the store while the witnesses sign and the chain is asked (a report whose
  // transaction then fails its preflight stays there, encrypted and referenced by nothing), but never before the
  // snapshot its key came from is confirmed: nothing is written under a key someone who left still holds.
  const stored = confirm().then(() => client.store.put(blob));
  stored.catch(() => {});
  const signatures = await witnessSignatures(client, { tokenId, round, reportDigest, witnesses });
  return {
    confirm,
    stored,
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

/** Preflight: only an active member writes. */
export function requireActive(active: readonly Address[], podId: bigint, account: Address): void {
  if (!active.some((a) => isAddressEqual(a, account)))
    throw trothError("PodNotMember", [podId, getAddress(account)], { preflight: true });
}

/**
 * The last steps of a check-in: confirm the pod snapshot and run the preflight while the encrypted report is stored,
 * then send.
 * A pod that changed since the snapshot starts the check-in over from fresh state.
 */
export async function sendCheckIn<B extends { confirm: () => Promise<void>; stored: Promise<unknown> }, T>(
  attempt: (speculative: boolean) => Promise<{ built: B; send: Promise<() => Promise<T>> }>,
): Promise<{ result: T; built: B }> {
  for (const speculative of [true, false]) {
    let attempted: Awaited<ReturnType<typeof attempt>>;
    try {
      attempted = await attempt(speculative);
    } catch (error) {
      // A preflight that failed against a snapshot may pass against the pod as it is now (someone joined): only a
      // fresh attempt's error stands.
      if (speculative) continue;
      throw error;
    }
    const { built, send } = attempted;
    const [confirmed, prepared, stored] = await Promise.allSettled([built.confirm(), send, built.stored]);
    if (confirmed.status === "rejected") {
      if (confirmed.reason instanceof PodChangedSignal && speculative) continue;
      throw confirmed.reason;
    }
    if (prepared.status === "rejected") throw prepared.reason;
    if (stored.status === "rejected") throw stored.reason;
    return { result: await prepared.value(), built };
  }
  throw new PodChangedSignal();
}
