/**
 * The contract's round arithmetic and continuity rules, ported line for line from `contracts/libraries/Schedule.sol`,
 * `contracts/libraries/Continuity.sol` and the computed views of `contracts/TrothLens.sol`, so the audit and the
 * lens give the same numbers. Keep the two in step: the property test compares them on random pod histories.
 */
import type {
  CommitmentStatus as LensCommitmentStatus,
  MemberStatus as LensMemberStatus,
  PodStatus,
  RoundState,
} from "../types.ts";

/**
 * A member's status as the contract names it (`MemberStatus`), protocol v2's `burned` (an active member burned the
 * token after the end) and `recovered` (this address lost its wallet; its record moved) spelled out.
 */
export type MemberStatus = LensMemberStatus | "burned" | "recovered";

/**
 * A commitment's status as the contract names it (`CommitmentStatus`), protocol v2's `replaced` (the member was
 * replaced) and `ended` (the cycle ended with fewer than half of the member's rounds witnessed) spelled out.
 */
export type CommitmentStatus = LensCommitmentStatus | "replaced" | "ended";

/** Bits of `MemberRecord.flags` (`MemberFlags` in `contracts/libraries/PackedSlots.sol`). */
export const memberFlags = {
  /** A claim stands against this active member (any action of theirs cancels it). */
  claimed: 1,
  /** The record was renewed into a next cycle. */
  renewed: 2,
  /** The member left after the pod had ended (they may still renew it). */
  leftAfterEnd: 4,
  /** The member's previous cycle was completed (a cycle lived): a graduation needs it. */
  previousCompleted: 8,
} as const;

/** A stretch of rounds sharing cadence, grace and quorum; times on the pod clock (seconds since start, unpaused). */
export type Era = { fromRound: number; fromClock: number; cadence: number; grace: number; quorum: number };

/** A pod's schedule state (the contract's `PodState` with the earlier eras alongside). */
export type PodSchedule = {
  start: number;
  pausedAt: number;
  pausedTotal: number;
  rounds: number;
  memberCount: number;
  activeCount: number;
  /** The current era (the contract keeps it flattened in `PodState`). */
  current: Era;
  /** Earlier eras, oldest first. */
  history: Era[];
};

/** A member's record (the contract's `Member`, without its pending check-in cache), round bitmaps as bigints. */
export type MemberRecord = {
  witnessed: bigint;
  reported: bigint;
  restarts: number;
  /** `memberFlags` bits. */
  flags: number;
  index: number;
  status: MemberStatus;
  joinedRound: number;
  endRound: number;
  restartFrom: number;
  cycle: number;
  previousIndex: number;
};

/**
 * Pod clock at `timestamp`: negative before round 0 opens; stands still while paused.
 *
 * @example
 * ```ts
 * const now = clock(schedule, Math.floor(Date.now() / 1000));
 * ```
 */
export function clock(p: PodSchedule, timestamp: number): number {
  const effective = p.pausedAt !== 0 ? p.pausedAt : timestamp;
  return effective - p.start - p.pausedTotal;
}

/**
 * The era `round` belongs to.
 *
 * @example
 * ```ts
 * const { cadence, grace } = eraOf(schedule, 3);
 * ```
 */
export function eraOf(p: PodSchedule, round: number): Era {
  if (round >= p.current.fromRound) return p.current;
  for (let i = p.history.length; i > 0; --i) {
    const era = p.history[i - 1];
    if (round >= era.fromRound) return era;
  }
  // Solidity returns a zeroed era here; unreachable while history[0].fromRound is 0.
  return { fromRound: 0, fromClock: 0, cadence: 0, grace: 0, quorum: 0 };
}

/**
 * When `round` opens, on the pod clock.
 *
 * @example
 * ```ts
 * const opensAt = schedule.start + schedule.pausedTotal + opens(eraOf(schedule, 3), 3);
 * ```
 */
export function opens(era: Era, round: number): number {
  return era.fromClock + (round - era.fromRound) * era.cadence;
}

/**
 * When `round` closes, on the pod clock (the first second it is no longer open).
 *
 * @example
 * ```ts
 * const closesAt = schedule.start + schedule.pausedTotal + closes(eraOf(schedule, 3), 3);
 * ```
 */
export function closes(era: Era, round: number): number {
  return opens(era, round) + era.cadence + era.grace;
}

/**
 * Whether `round` is open at pod clock `now` (never before round 0 opens).
 *
 * @example
 * ```ts
 * if (isOpen(eraOf(schedule, round), round, clock(schedule, now))) console.log("round open");
 * ```
 */
export function isOpen(era: Era, round: number, now: number): boolean {
  if (now < 0) return false;
  return opens(era, round) <= now && now < closes(era, round);
}

/**
 * The latest round that has opened by pod clock `now`.
 *
 * @example
 * ```ts
 * const { started, round } = currentRound(schedule, clock(schedule, now));
 * ```
 */
export function currentRound(p: PodSchedule, now: number): { started: boolean; round: number } {
  if (now < 0) return { started: false, round: 0 };
  let era = p.current;
  for (let i = p.history.length + 1; i > 0; --i) {
    if (i <= p.history.length) era = p.history[i - 1];
    if (now >= era.fromClock) {
      const r = era.fromRound + Math.floor((now - era.fromClock) / era.cadence);
      return { started: true, round: r >= p.rounds ? p.rounds - 1 : r };
    }
  }
  return { started: true, round: 0 };
}

/**
 * How many rounds have closed by pod clock `now` (rounds 0..n−1).
 *
 * @example
 * ```ts
 * const closed = closedRounds(schedule, clock(schedule, now)); // rounds 0..closed-1 have closed
 * ```
 */
export function closedRounds(p: PodSchedule, now: number): number {
  if (now < 0) return 0;
  let end = p.rounds;
  let era = p.current;
  for (let i = p.history.length + 1; i > 0; --i) {
    if (i <= p.history.length) era = p.history[i - 1];
    if (now >= era.fromClock + era.grace) {
      const n = Math.floor((now - era.fromClock - era.grace) / era.cadence);
      if (n > 0) {
        const closed = era.fromRound + n;
        return Math.min(closed, end);
      }
    }
    end = era.fromRound;
  }
  return 0;
}

/**
 * A pod has ended when its last round has closed, or when fewer than two active members remain.
 *
 * @example
 * ```ts
 * if (hasEnded(schedule, clock(schedule, now))) console.log("the cycle is over");
 * ```
 */
export function hasEnded(p: PodSchedule, now: number): boolean {
  return p.activeCount < 2 || closedRounds(p, now) === p.rounds;
}

/**
 * Exclusive end of a member's span.
 *
 * @example
 * ```ts
 * const end = spanEnd(member, schedule.rounds);
 * ```
 */
export function spanEnd(m: MemberRecord, rounds: number): number {
  // A burned record was active when the pod ended (burning is allowed only then): its span runs to the end.
  const end = m.status === "active" || m.status === "burned" ? rounds : m.endRound;
  return Math.max(end, m.joinedRound);
}

/**
 * A cycle lived (`Continuity.lived`): at least half of the rounds of the span [joined, end) witnessed. Completed and
 * Graduated need it.
 *
 * @example
 * ```ts
 * const lived_ = lived(member.witnessed, member.joinedRound, spanEnd(member, schedule.rounds));
 * ```
 */
export function lived(witnessed: bigint, joined: number, end: number): boolean {
  if (end <= joined) return false;
  const span = end - joined;
  let inSpan = (witnessed >> BigInt(joined)) & ((1n << BigInt(span)) - 1n);
  let count = 0;
  for (; inSpan !== 0n; inSpan &= inSpan - 1n) ++count;
  return 2 * count >= span;
}

/**
 * Bits of the member's closed rounds that were not witnessed.
 *
 * @example
 * ```ts
 * const missed = missedRounds(member, spanEnd(member, schedule.rounds), closedRounds(schedule, clock(schedule, now)));
 * ```
 */
export function missedRounds(m: MemberRecord, end: number, closed: number): bigint {
  const last = Math.min(end, closed);
  if (last <= m.joinedRound) return 0n;
  const span = (1n << BigInt(last)) - (1n << BigInt(m.joinedRound));
  return span & ~m.witnessed;
}

/**
 * The state of one round of a member's commitment at pod clock `now` (`Continuity.roundState`).
 *
 * @example
 * ```ts
 * const state = roundState(schedule, member, spanEnd(member, schedule.rounds), 2, clock(schedule, now));
 * ```
 */
export function roundState(p: PodSchedule, m: MemberRecord, end: number, round: number, now: number): RoundState {
  if ((m.witnessed >> BigInt(round)) & 1n) return "witnessed";
  if (round < m.joinedRound || round >= end) return "outside";
  const era = eraOf(p, round);
  if (now < 0 || now < opens(era, round)) return "upcoming";
  if (now >= closes(era, round)) return "missed";
  if (p.pausedAt !== 0) return "paused";
  return (m.reported >> BigInt(round)) & 1n ? "reported" : "open";
}

/**
 * The pod's status (`TrothLens._podStatus`).
 *
 * @example
 * ```ts
 * const status = podStatus(schedule, clock(schedule, now)); // "active", "paused", "ended"…
 * ```
 */
export function podStatus(p: PodSchedule, now: number): PodStatus {
  const { started } = currentRound(p, now);
  if (p.activeCount < 2) return "dissolved";
  if (hasEnded(p, now)) return "ended";
  if (p.pausedAt !== 0) return "paused";
  return started ? "active" : "scheduled";
}

export type Continuity = {
  states: RoundState[];
  endRound: number;
  witnessed: number;
  missed: number;
  open: number;
  upcoming: number;
  paused: number;
  closed: number;
  currentStreak: number;
  longestStreak: number;
  status: CommitmentStatus;
};

/**
 * Round states, counts, streaks and status of one member (`TrothLens._count` and `_commitmentStatus`).
 *
 * @example
 * ```ts
 * const { states, currentStreak, status } = continuity(schedule, member, clock(schedule, now));
 * ```
 */
export function continuity(p: PodSchedule, m: MemberRecord, now: number): Continuity {
  const endRound = spanEnd(m, p.rounds);
  const closed = closedRounds(p, now);
  const c: Continuity = {
    states: [],
    endRound,
    witnessed: 0,
    missed: 0,
    open: 0,
    upcoming: 0,
    paused: 0,
    closed: 0,
    currentStreak: 0,
    longestStreak: 0,
    status: "active",
  };
  let run = 0;
  for (let r = 0; r < p.rounds; ++r) {
    const state = roundState(p, m, endRound, r, now);
    c.states.push(state);
    if (state === "witnessed") {
      ++c.witnessed;
      ++run;
      if (run > c.longestStreak) c.longestStreak = run;
    } else if (state === "missed") {
      ++c.missed;
      run = 0;
    } else if (state === "open" || state === "reported") {
      ++c.open;
    } else if (state === "upcoming") {
      ++c.upcoming;
    } else if (state === "paused") {
      ++c.paused;
    }
    if (state !== "outside" && r < closed) ++c.closed;
  }
  c.currentStreak = run;
  c.status = commitmentStatus(p, m, c, now);
  return c;
}

function commitmentStatus(p: PodSchedule, m: MemberRecord, c: Continuity, now: number): CommitmentStatus {
  if (m.status === "replaced") return "replaced";
  if (m.status !== "active") return "left";
  if (p.activeCount < 2) return "dissolved";
  if (hasEnded(p, now)) {
    // Completed means a cycle lived; graduating needs two in a row (the previous one recorded at renewal).
    if (!lived(m.witnessed, m.joinedRound, c.endRound)) return "ended";
    return m.cycle >= 2 && (m.flags & memberFlags.previousCompleted) !== 0 ? "graduated" : "completed";
  }
  if (p.pausedAt !== 0) return "paused";
  for (let r = c.endRound; r > m.joinedRound; --r) {
    const state = c.states[r - 1];
    if (state === "witnessed") return "active";
    if (state === "missed") return r - 1 >= m.restartFrom ? "lapsed" : "active";
  }
  return "active";
}

/**
 * Opening and closing times (unix seconds) of a round as the schedule stands (`TrothLens.roundWindow`).
 *
 * @example
 * ```ts
 * const { opensAt, closesAt, quorum } = roundWindow(schedule, 3, now);
 * ```
 */
export function roundWindow(
  p: PodSchedule,
  round: number,
  timestamp: number,
): { opensAt: number; closesAt: number; quorum: number } {
  const era = eraOf(p, round);
  const base = p.start + p.pausedTotal + (p.pausedAt !== 0 ? timestamp - p.pausedAt : 0);
  const witnesses = p.activeCount > 0 ? p.activeCount - 1 : 0;
  return {
    opensAt: base + opens(era, round),
    closesAt: base + closes(era, round),
    quorum: Math.min(era.quorum, witnesses),
  };
}
