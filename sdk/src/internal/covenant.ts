import { type Address, getAddress, type Hex, hashTypedData, toHex } from "viem";
import { memberFlags } from "../audit/schedule.ts";
import type { TrothClient } from "../client.ts";
import {
  COVENANT_BOUNDARY,
  type CovenantDocument,
  covenantVersionFor,
  sealDocument,
  validateDocument,
} from "../crypto/documents.ts";
import { NO_SLOT } from "../crypto/envelope.ts";
import { type Covenant, podIdFromDigest, trothTypedData } from "../eip712.ts";
import { trothError } from "../errors/troth.ts";
import { blobRef } from "../storage/cid.ts";
import { readLens, readTroth } from "./contract.ts";
import { newKeyring } from "./keys.ts";
import { chainTime, toPodView } from "./pod.ts";

const DAY = 86_400;

export type CovenantTerms = {
  /**
   * Each member in token order, with the commitment they make and, optionally, the name they appear under to the pod
   * (sealed in the covenant: only members read it; at most `DISPLAY_NAME_MAX_LENGTH` characters).
   */
  members: readonly { address: Address; commitment: string; name?: string }[];
  title: string;
  /** What the pod does when someone misses a round. */
  whenSomeoneMisses: string;
  /** Seconds between rounds (default 7 days). */
  cadence?: number;
  /** Seconds a round stays open after the next opens (default 48 hours). */
  grace?: number;
  /** Rounds in the cycle (default 13). */
  rounds?: number;
  /** Witnesses a check-in needs (default 1). */
  quorum?: number;
  /**
   * Minutes each speaker has in a meeting, 1–60 (`MEETING_TERM_MINUTES`; default 8, left out of the document). Set,
   * it makes the covenant version 3.
   */
  turnLength?: number;
  /** The longest recorded reflection in minutes, 1–60 (default 20, left out of the document); version 3 when set. */
  recordingCap?: number;
  /**
   * When round 0 opens, unix seconds (default: the latest block's time, i.e. when the covenant is drafted). The pod must
   * be created within an hour of it (`PodStartInPastError` otherwise: draft the covenant again).
   */
  start?: number;
  /** Last second the consents may be used (default: 7 days from the latest block). */
  deadline?: bigint;
  /** The pod this one renews (default 0: a first cycle). */
  previousPod?: bigint;
};

export type BuiltCovenant = {
  covenant: Covenant;
  /** The EIP-712 digest members sign; the pod id is this shifted right by 8 bits. */
  digest: Hex;
  podId: bigint;
  document: CovenantDocument;
  /** Every blob the covenant names, to store before anyone reads it. */
  blobs: Uint8Array[];
};

/** How far before its creation a pod's start may lie (`START_TOLERANCE` in the contract). */
export const START_TOLERANCE = 3600;

/**
 * Preflight of a covenant against the chain now, as the contract would judge it when the pod is created: a start no
 * more than an hour in the past (`PodStartInPast`: the covenant must be drafted again), a deadline not passed
 * (`ConsentExpired`), and for a renewal, a previous pod that has ended (`PodNotEnded`) whose every renewing member was
 * active at its end (`PodNotRenewable`) and has not renewed it already (`PodAlreadyRenewed`).
 */
export async function preflightCovenant(client: TrothClient, covenant: Covenant, now?: number): Promise<void> {
  const time = now ?? (await chainTime(client));
  if (covenant.start + START_TOLERANCE < time)
    throw trothError("PodStartInPast", [covenant.start, BigInt(time - START_TOLERANCE)], { preflight: true });
  if (BigInt(time) > covenant.deadline)
    throw trothError("ConsentExpired", [covenant.deadline, BigInt(time)], { preflight: true });
  const previousPod = covenant.previousPod;
  if (previousPod === 0n) return;
  const [pod, records] = await Promise.all([
    readLens(client, "pod", [previousPod]).then(toPodView),
    Promise.all(covenant.members.map((m) => readTroth(client, "memberRecord", [previousPod, m]))),
  ]);
  if (pod.status !== "ended" && pod.status !== "dissolved")
    throw trothError("PodNotEnded", [previousPod], { preflight: true });
  records.forEach((record, i) => {
    const member = covenant.members[i];
    // Active when the pod ended: still active, burned after the end, or left after it.
    const eligible = record.status === 1 || record.status === 4 || (record.flags & memberFlags.leftAfterEnd) !== 0;
    if (!eligible) throw trothError("PodNotRenewable", [previousPod, member], { preflight: true });
    if ((record.flags & memberFlags.renewed) !== 0)
      throw trothError("PodAlreadyRenewed", [previousPod, member], { preflight: true });
  });
}

/**
 * Builds the covenant: documents encrypted under a fresh epoch-0 key wrapped for every member. Stores nothing. Its
 * start defaults to now, the moment it is drafted (the contract accepts it for an hour after: gather the consents
 * within it, or draft again); it is checked first (see {@link preflightCovenant}).
 */
export async function buildCovenant(client: TrothClient, terms: CovenantTerms): Promise<BuiltCovenant> {
  const now = await chainTime(client);
  const members = terms.members.map((m) => ({
    address: getAddress(m.address),
    commitment: m.commitment,
    ...(m.name?.trim() ? { name: m.name.trim() } : {}),
  }));
  const cadence = terms.cadence ?? 7 * DAY;
  const grace = terms.grace ?? 2 * DAY;
  const rounds = terms.rounds ?? 13;
  const quorum = terms.quorum ?? 1;
  const meeting = {
    ...(terms.turnLength !== undefined ? { turnLength: terms.turnLength } : {}),
    ...(terms.recordingCap !== undefined ? { recordingCap: terms.recordingCap } : {}),
  };
  // Checked before any key is made: a bad term throws DocumentValidationError naming it (e.g. terms.recordingCap).
  const document = validateDocument("covenant", {
    type: "troth/covenant",
    // The lowest version that holds what it carries (2 for names, 3 for meeting terms), so a covenant without them
    // stays readable by SDKs that know only the older versions.
    version: covenantVersionFor(members, meeting),
    title: terms.title,
    members,
    terms: { cadence, grace, rounds, quorum, ...meeting },
    whenSomeoneMisses: terms.whenSomeoneMisses,
    boundary: COVENANT_BOUNDARY,
  } satisfies CovenantDocument);
  // The salt is the pod's reference in every envelope: random, and known before the pod id exists.
  const salt = toHex(client.random(32));
  const {
    bytes: keyringBytes,
    digest: keyringDigest,
    key,
  } = await newKeyring(client, {
    pod: salt,
    previous: null,
    members: members.map((m) => m.address),
  });
  const covenantBlob = sealDocument(document, {
    key,
    slot: { pod: salt, epoch: 0, kind: "covenant", member: NO_SLOT, round: NO_SLOT },
    random: client.random,
  });
  const commitmentBlobs = members.map((m, index) =>
    sealDocument(
      { type: "troth/commitment", version: 1, member: m.address, commitment: m.commitment },
      { key, slot: { pod: salt, epoch: 0, kind: "commitment", member: index, round: NO_SLOT }, random: client.random },
    ),
  );
  const start = terms.start ?? now;
  const covenant: Covenant = {
    members: members.map((m) => m.address),
    commitmentDigests: commitmentBlobs.map((b) => blobRef(b).digest),
    cadence,
    grace,
    rounds,
    quorum,
    start,
    covenantDigest: blobRef(covenantBlob).digest,
    keyringDigest,
    previousPod: terms.previousPod ?? 0n,
    deadline: terms.deadline ?? BigInt(now + 7 * DAY),
    salt,
  };
  await preflightCovenant(client, covenant, now);
  const digest = hashTypedData(trothTypedData(client, "Covenant", covenant));
  return {
    covenant,
    digest,
    podId: podIdFromDigest(digest),
    document,
    blobs: [keyringBytes, covenantBlob, ...commitmentBlobs],
  };
}

/** Stores every blob (in parallel); their digests are already in the covenant. */
export async function storeBlobs(client: TrothClient, blobs: readonly Uint8Array[]): Promise<void> {
  await Promise.all(blobs.map((b) => client.store.put(b)));
}
