/**
 * What a member's record means over time, ported from `contracts/libraries/Continuity.sol` and the counting of
 * `TrothLens.commitment`: a round of the member's span that closed without quorum is a miss; a streak runs over
 * witnessed rounds and only a miss breaks it. Plus the subgraph's vitality flags, computed from the same round states.
 */
import { clock, closedRounds, closes, eraOf, opens, Timeline } from "./schedule";

export namespace RoundState {
  export const Upcoming = "Upcoming";
  export const Open = "Open";
  export const Reported = "Reported";
  export const Witnessed = "Witnessed";
  export const Missed = "Missed";
  export const Paused = "Paused";
  export const Outside = "Outside";
}

export namespace CommitmentStatus {
  export const Active = "Active";
  export const Lapsed = "Lapsed";
  export const Paused = "Paused";
  export const Left = "Left";
  export const Completed = "Completed";
  export const Graduated = "Graduated";
  export const Dissolved = "Dissolved";
  export const Burned = "Burned";
  export const Replaced = "Replaced";
  export const Ended = "Ended";
}

export namespace Membership {
  export const Active = "Active";
  export const Left = "Left";
  export const Replaced = "Replaced";
  export const Burned = "Burned";
  export const Recovered = "Recovered";
}

/** The protocol's MemberStatus values as MembershipStatus names (None has none). */
export function membershipOf(status: i32): string {
  if (status == 1) return Membership.Active;
  if (status == 2) return Membership.Left;
  if (status == 3) return Membership.Replaced;
  if (status == 4) return Membership.Burned;
  if (status == 5) return Membership.Recovered;
  throw new Error("unknown member status " + status.toString());
}

export namespace ClaimKind {
  export const Replacement = "Replacement";
  export const Recovery = "Recovery";
}

/** The protocol's ClaimKind values as names (None is never emitted). */
export function claimKindOf(kind: i32): string {
  if (kind == 1) return ClaimKind.Replacement;
  if (kind == 2) return ClaimKind.Recovery;
  throw new Error("unknown claim kind " + kind.toString());
}

export namespace PodStatus {
  export const Scheduled = "Scheduled";
  export const Active = "Active";
  export const Paused = "Paused";
  export const Ended = "Ended";
  export const Dissolved = "Dissolved";
}

export namespace DecayReason {
  export const TwoMissedInARow = "TwoMissedInARow";
  export const StreakBrokenAfterWeek6 = "StreakBrokenAfterWeek6";
}

// Vitality thresholds, as the SDK audit (sdk/src/audit/indexer.ts `vitality`) defines them.
/** A streak broken at this round or later counts as broken "after week 6". */
export const LATE_ROUND: i32 = 6;
/** A dominant witness needs a pod of at least this many members… */
export const DOMINANT_MIN_MEMBERS: i32 = 3;
/** …and at least this many attestations in the pod, over half of them its own. */
export const DOMINANT_MIN_ATTESTATIONS: i32 = 4;

/** A decay signal: a missed round right after a missed round, or right after a witnessed round late in the cycle. */
export class Decay {
  constructor(
    public round: i32,
    public reason: string,
  ) {}
}

/** A member's raw record in a pod, as the events left it. */
export class Record {
  constructor(
    public witnessedBits: u64,
    public reportedBits: u64,
    public joinedRound: i32,
    public endRound: i32, // recorded at leaving; ignored while active
    public restartFrom: i32,
    public active: boolean, // still in the pod (a burn after the end keeps the record as it was)
    public replaced: boolean,
    public cycle: i32,
    public previousCompleted: boolean, // the previous cycle was lived (MemberFlags.PREVIOUS_COMPLETED)
    public burned: boolean,
  ) {}
}

/** A commitment's continuity at one moment (the lens's CommitmentView counts, plus vitality flags). */
export class Evaluation {
  states: string[] = [];
  endRound: i32 = 0;
  witnessed: i32 = 0;
  missed: i32 = 0;
  open: i32 = 0;
  upcoming: i32 = 0;
  paused: i32 = 0;
  closed: i32 = 0;
  currentStreak: i32 = 0;
  longestStreak: i32 = 0;
  status: string = CommitmentStatus.Active;
  /** Completed a second (or later) cycle; a burn after graduating does not undo it. */
  graduated: boolean = false;
  /** Decay signals in round order (none for a burned token, whose rounds the audit no longer sees). */
  decay: Decay[] = [];
}

/** A pod ends when its last round has closed, or when fewer than two active members remain. */
export function hasEnded(t: Timeline, activeCount: i32, now: i64): boolean {
  return activeCount < 2 || closedRounds(t, now) == t.rounds;
}

/** Exclusive end of a member's span: the cycle's end while active, the recorded end after leaving. */
export function spanEnd(r: Record, rounds: i32): i32 {
  const end = r.active ? rounds : r.endRound;
  return end < r.joinedRound ? r.joinedRound : end;
}

/**
 * A cycle lived (`Continuity.lived`): at least half of the rounds of the span [joined, end) witnessed. Completed and
 * Graduated need it.
 */
export function lived(bits: u64, joined: i32, end: i32): boolean {
  if (end <= joined) return false;
  const span = end - joined;
  const mask: u64 = span >= 64 ? U64.MAX_VALUE : ((1 as u64) << (span as u64)) - 1;
  const inSpan = (bits >> (joined as u64)) & mask;
  return 2 * (popcnt<u64>(inSpan) as i32) >= span;
}

function bit(bits: u64, round: i32): boolean {
  return ((bits >> (round as u64)) & 1) == 1;
}

export function roundState(t: Timeline, r: Record, end: i32, round: i32, now: i64): string {
  if (bit(r.witnessedBits, round)) return RoundState.Witnessed;
  if (round < r.joinedRound || round >= end) return RoundState.Outside;
  const era = eraOf(t, round);
  if (now < 0 || now < opens(era, round)) return RoundState.Upcoming;
  if (now >= closes(era, round)) return RoundState.Missed;
  if (t.pausedAt != 0) return RoundState.Paused;
  return bit(r.reportedBits, round) ? RoundState.Reported : RoundState.Open;
}

/** Evaluates a commitment at block time `timestamp`, exactly as `TrothLens.commitment` does at that block. */
export function evaluate(t: Timeline, activeCount: i32, r: Record, timestamp: i64): Evaluation {
  const e = new Evaluation();
  const now = clock(t, timestamp);
  const closed = closedRounds(t, now);
  e.endRound = spanEnd(r, t.rounds);
  let run: i32 = 0;
  // Misses in the current episode: a witnessed round ends an episode; undecided and outside rounds do not.
  let misses: i32 = 0;
  for (let round = 0; round < t.rounds; round++) {
    const state = roundState(t, r, e.endRound, round, now);
    e.states.push(state);
    if (state == RoundState.Witnessed) {
      e.witnessed++;
      run++;
      if (run > e.longestStreak) e.longestStreak = run;
      misses = 0;
    } else if (state == RoundState.Missed) {
      e.missed++;
      run = 0;
      // One decay signal per episode of misses, as the SDK audit gives them (none once the token is burned).
      if (!r.burned) {
        const late = round >= LATE_ROUND && e.states[round - 1] == RoundState.Witnessed;
        if (misses == 0 && late) e.decay.push(new Decay(round, DecayReason.StreakBrokenAfterWeek6));
        if (misses == 1) e.decay.push(new Decay(round, DecayReason.TwoMissedInARow));
      }
      misses++;
    } else if (state == RoundState.Open || state == RoundState.Reported) {
      e.open++;
    } else if (state == RoundState.Upcoming) {
      e.upcoming++;
    } else if (state == RoundState.Paused) {
      e.paused++;
    }
    if (state != RoundState.Outside && round < closed) e.closed++;
  }
  e.currentStreak = run;
  const standing = status(t, activeCount, r, e, now);
  e.graduated = standing == CommitmentStatus.Graduated;
  e.status = r.burned ? CommitmentStatus.Burned : standing;
  return e;
}

/** The lens's status, but for a burn (which the lens checks first, as the holder is gone). */
function status(t: Timeline, activeCount: i32, r: Record, e: Evaluation, now: i64): string {
  if (r.replaced) return CommitmentStatus.Replaced;
  if (!r.active) return CommitmentStatus.Left;
  if (activeCount < 2) return CommitmentStatus.Dissolved;
  if (hasEnded(t, activeCount, now)) {
    // Completed means a cycle lived; graduating needs two in a row (the previous one recorded at renewal).
    if (!lived(r.witnessedBits, r.joinedRound, e.endRound)) return CommitmentStatus.Ended;
    return r.cycle >= 2 && r.previousCompleted ? CommitmentStatus.Graduated : CommitmentStatus.Completed;
  }
  if (t.pausedAt != 0) return CommitmentStatus.Paused;
  // Lapsed: the latest decided round of the span was missed, and no restart has answered it yet.
  for (let round = e.endRound; round > r.joinedRound; round--) {
    const state = e.states[round - 1];
    if (state == RoundState.Witnessed) return CommitmentStatus.Active;
    if (state == RoundState.Missed) {
      return round - 1 >= r.restartFrom ? CommitmentStatus.Lapsed : CommitmentStatus.Active;
    }
  }
  return CommitmentStatus.Active;
}

/** The pod's status at block time `timestamp`, as `TrothLens.pod` computes it. */
export function podStatus(t: Timeline, activeCount: i32, started: boolean, timestamp: i64): string {
  const now = clock(t, timestamp);
  if (activeCount < 2) return PodStatus.Dissolved;
  if (hasEnded(t, activeCount, now)) return PodStatus.Ended;
  if (t.pausedAt != 0) return PodStatus.Paused;
  return started ? PodStatus.Active : PodStatus.Scheduled;
}

/** One-sided witnessing by one member: witnesses others, never checked in, with rounds of the span closed. */
export function isWitnessOnly(given: i32, checkIns: i32, closed: i32, burned: boolean): boolean {
  return !burned && given > 0 && checkIns == 0 && closed > 0;
}

/**
 * The member doing over half of a pod's witnessing (the first such member in token order), in a pod of three or
 * more members with four attestations or more; -1 when there is none.
 */
export function dominantWitness(given: i32[]): i32 {
  let total = 0;
  let top = 0;
  for (let i = 0; i < given.length; i++) {
    total += given[i];
    if (given[i] > given[top]) top = i;
  }
  if (given.length < DOMINANT_MIN_MEMBERS || total < DOMINANT_MIN_ATTESTATIONS) return -1;
  return given[top] * 2 > total ? top : -1;
}
