/**
 * The audit's views (pod, members, commitment, vitality) as functions of a pod's entry: the embedded indexer builds
 * entries from logs, the subgraph reader from the subgraph's entities, and both answer through these, so they give
 * the same shapes and the same numbers.
 */
import { type Address, getAddress, type Hex, zeroAddress, zeroHash } from "viem";
import type { CommitmentView, MemberView, PodView, RoundState } from "../types.ts";
import {
  type CommitmentStatus,
  clock,
  continuity,
  currentRound,
  type MemberRecord,
  type MemberStatus,
  type PodSchedule,
  podStatus,
} from "./schedule.ts";

/**
 * A claim standing on an active member's commitment (`Troth.claimOf`, the fields its event carries): after
 * `notBefore` anyone may complete it, unless the member acts first.
 */
export type AuditClaim = {
  /** `replacement`: the member is absent, a newcomer takes their place; `recovery`: the commitment moves. */
  kind: "replacement" | "recovery";
  /** The newcomer (replacement) or the member's new address (recovery). */
  successor: Address;
  /** First second (unix) at which it can be completed. */
  notBefore: number;
};

/** A commitment as the lens's `commitment()` shows it, with its round states and the claim standing on it. */
export type AuditCommitmentView = Omit<CommitmentView, "status"> & {
  status: CommitmentStatus;
  roundStates: RoundState[];
  /** The claim standing on the commitment, or null. */
  claim: AuditClaim | null;
};

/** A member as the lens's `members()` shows them. */
export type AuditMemberView = Omit<MemberView, "status"> & { status: MemberStatus };

export type MemberEntry = {
  /** The address the record belongs to (a completed recovery moves it to the new address). */
  account: Address;
  /** Zero once the token is burned. */
  holder: Address;
  record: MemberRecord;
  commitmentDigest: Hex;
  /** Check-ins this member made. */
  reports: number;
  /** Check-ins of others this member witnessed. */
  attestations: number;
  /** The claim standing on the member's commitment. */
  claim: AuditClaim | null;
};

export type PodEntry = {
  podId: bigint;
  previousPod: bigint;
  cycle: number;
  schedule: PodSchedule;
  nonce: number;
  covenantDigest: Hex;
  keyringDigest: Hex;
  members: MemberEntry[];
  renewedBy: bigint | null;
  /** Addresses whose commitment a completed recovery moved away (each reads `recovered` in the pod). */
  recovered: Address[];
  /** Witness-index bits of each check-in still waiting for witnesses, by `tokenId:round`. */
  pending: Record<string, bigint>;
};

export type DecaySignal = {
  tokenId: bigint;
  account: Address;
  reason: "two-missed-in-a-row" | "streak-broken-after-week-6";
  /** The round where it showed. */
  round: number;
};

/** What accountability partnerships watch for, from adherence alone. */
export type Vitality = {
  podId: bigint;
  /** Two missed rounds in a row, or a streak broken after week 6. */
  decay: DecaySignal[];
  oneSided: {
    /** Members who witness others but have never checked in themselves (with rounds closed in their span). */
    witnessOnly: { tokenId: bigint; account: Address; attestations: number }[];
    /** One witness doing most (over half) of the pod's witnessing, in a pod of three or more. */
    dominantWitness: { account: Address; attestations: number; share: number } | null;
  };
  renewal: {
    renewedBy: bigint | null /** Ended with two or more members still in, and not renewed yet. */;
    renewable: boolean;
  };
  graduation: { cycle: number; graduated: bigint[] };
};

export function podView(pod: PodEntry, time: number): PodView {
  const s = pod.schedule;
  const now = clock(s, time);
  const { started, round } = currentRound(s, now);
  return {
    podId: pod.podId,
    previousPod: pod.previousPod,
    status: podStatus(s, now),
    start: s.start,
    cadence: s.current.cadence,
    grace: s.current.grace,
    quorum: s.current.quorum,
    rounds: s.rounds,
    cycle: pod.cycle,
    memberCount: s.memberCount,
    activeCount: s.activeCount,
    started,
    currentRound: round,
    pausedAt: s.pausedAt,
    pausedTotal: s.pausedTotal,
    nonce: pod.nonce,
    covenantDigest: pod.covenantDigest,
    keyringDigest: pod.keyringDigest,
  };
}

export function commitmentView(pod: PodEntry, index: number, time: number): AuditCommitmentView {
  const member = pod.members[index];
  const tokenId = (pod.podId << 8n) | BigInt(index);
  const s = pod.schedule;
  const base = {
    tokenId,
    podId: pod.podId,
    rounds: s.rounds,
    podSize: s.activeCount,
    cadence: s.current.cadence,
  };
  if (member.holder === zeroAddress) {
    return {
      ...base,
      account: zeroAddress,
      status: "burned",
      cycle: 0,
      previousTokenId: 0n,
      commitmentDigest: zeroHash,
      witnessedRounds: 0n,
      reportedRounds: 0n,
      joinedRound: 0,
      endRound: 0,
      witnessed: 0,
      missed: 0,
      open: 0,
      upcoming: 0,
      paused: 0,
      closed: 0,
      currentStreak: 0,
      longestStreak: 0,
      restarts: 0,
      roundStates: Array.from({ length: s.rounds }, () => "upcoming" as const),
      claim: null,
    };
  }
  const m = member.record;
  const c = continuity(s, m, clock(s, time));
  return {
    ...base,
    account: member.holder,
    status: c.status,
    cycle: m.cycle,
    previousTokenId: m.cycle > 1 ? (pod.previousPod << 8n) | BigInt(m.previousIndex) : 0n,
    commitmentDigest: member.commitmentDigest,
    witnessedRounds: m.witnessed,
    reportedRounds: m.reported,
    joinedRound: m.joinedRound,
    endRound: c.endRound,
    witnessed: c.witnessed,
    missed: c.missed,
    open: c.open,
    upcoming: c.upcoming,
    paused: c.paused,
    closed: c.closed,
    currentStreak: c.currentStreak,
    longestStreak: c.longestStreak,
    restarts: m.restarts,
    roundStates: c.states,
    claim: member.claim,
  };
}

export function membersView(pod: PodEntry): AuditMemberView[] {
  return pod.members.map((m, i) => {
    const tokenId = (pod.podId << 8n) | BigInt(i);
    return m.holder === zeroAddress
      ? { account: zeroAddress, tokenId, status: "none", joinedRound: 0 }
      : { account: m.holder, tokenId, status: m.record.status, joinedRound: m.record.joinedRound };
  });
}

/** The pod's vitality signals at `time` (see `Vitality`), from its entry alone. */
export function vitalityOf(pod: PodEntry, time: number): Vitality {
  const podId = pod.podId;
  const view = podView(pod, time);
  const commitments = pod.members.map((_, i) => commitmentView(pod, i, time));
  const decay: DecaySignal[] = [];
  for (const c of commitments) {
    // One signal per episode: a run of misses is flagged once, at its second round.
    let misses = 0;
    c.roundStates.forEach((state, r) => {
      if (state !== "missed") {
        if (state === "witnessed") misses = 0;
        return;
      }
      if (misses === 0 && r >= 6 && c.roundStates[r - 1] === "witnessed") {
        decay.push({ tokenId: c.tokenId, account: c.account, reason: "streak-broken-after-week-6", round: r });
      }
      misses += 1;
      if (misses === 2) decay.push({ tokenId: c.tokenId, account: c.account, reason: "two-missed-in-a-row", round: r });
    });
  }
  const witnessOnly = pod.members.flatMap((m, i) =>
    m.attestations > 0 && m.reports === 0 && commitments[i].closed > 0
      ? [{ tokenId: commitments[i].tokenId, account: m.account, attestations: m.attestations }]
      : [],
  );
  const total = pod.members.reduce((sum, m) => sum + m.attestations, 0);
  const top = pod.members.reduce((best, m) => (m.attestations > best.attestations ? m : best), pod.members[0]);
  const dominantWitness =
    pod.members.length >= 3 && total >= 4 && top.attestations * 2 > total
      ? { account: top.account, attestations: top.attestations, share: top.attestations / total }
      : null;
  return {
    podId,
    decay,
    oneSided: { witnessOnly, dominantWitness },
    renewal: { renewedBy: pod.renewedBy, renewable: view.status === "ended" && pod.renewedBy === null },
    graduation: {
      cycle: pod.cycle,
      graduated: commitments.filter((c) => c.status === "graduated").map((c) => c.tokenId),
    },
  };
}

/**
 * The record of `account` in the pod (`Troth.memberRecord`, without the pending check-in cache): status `none` and
 * zeros for an address that never was a member, `recovered` and zeros for one whose record moved to a new address.
 */
export function memberRecordOf(pod: PodEntry, account: Address): MemberRecord {
  const who = getAddress(account);
  const member = pod.members.find((m) => m.account === who);
  if (member) return { ...member.record };
  return {
    witnessed: 0n,
    reported: 0n,
    restarts: 0,
    flags: 0,
    index: 0,
    status: pod.recovered.includes(who) ? "recovered" : "none",
    joinedRound: 0,
    endRound: 0,
    restartFrom: 0,
    cycle: 0,
    previousIndex: 0,
  };
}

/** The active members in speaking order at `round` (the lens's `speakingOrder()`). */
export function speakingOrderOf(pod: PodEntry, round: number): Address[] {
  const active = pod.members
    .filter((m) => m.holder !== zeroAddress && m.record.status === "active")
    .map((m) => m.holder);
  return active.map((_, i) => active[(i + round) % active.length]);
}
