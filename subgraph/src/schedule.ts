/**
 * Round arithmetic on a pod's clock, ported from `contracts/libraries/Schedule.sol` (same names, same steps).
 *
 * The pod clock counts seconds since `start`, stopped while paused. Round r of an era opens at
 * `fromClock + (r − fromRound)·cadence` and closes `grace` after the next round opens. An amendment starts a new era at
 * the next round; older eras keep the terms their rounds opened with, so the closed rounds are always a prefix.
 * Misses are never evented, so the subgraph evaluates this schedule at each event's block time.
 */

/** A stretch of rounds under one set of terms. Times are on the pod clock. */
export class Term {
  constructor(
    public fromRound: i32,
    public fromClock: i64,
    public cadence: i64,
    public grace: i64,
    public quorum: i32,
  ) {}
}

/** What the schedule needs of a pod: its timing and its eras, oldest first (the last one is the current era). */
export class Timeline {
  constructor(
    public start: i64,
    public pausedAt: i64, // 0 while running
    public pausedTotal: i64,
    public rounds: i32,
    public eras: Term[],
  ) {}

  current(): Term {
    return this.eras[this.eras.length - 1];
  }
}

/** Pod clock at `timestamp`: negative before round 0 opens; frozen while paused. */
export function clock(t: Timeline, timestamp: i64): i64 {
  const effective = t.pausedAt != 0 ? t.pausedAt : timestamp;
  return effective - t.start - t.pausedTotal;
}

/** The era round `round` belongs to. */
export function eraOf(t: Timeline, round: i32): Term {
  for (let i = t.eras.length - 1; i >= 0; i--) {
    if (round >= t.eras[i].fromRound) return t.eras[i];
  }
  return t.eras[0];
}

/** When `round` opens, on the pod clock. */
export function opens(era: Term, round: i32): i64 {
  return era.fromClock + ((round - era.fromRound) as i64) * era.cadence;
}

/** When `round` closes, on the pod clock (the first second it is no longer open). */
export function closes(era: Term, round: i32): i64 {
  return opens(era, round) + era.cadence + era.grace;
}

/** The latest round that has opened by pod clock `now`, or -1 before round 0 opens. */
export function currentRound(t: Timeline, now: i64): i32 {
  if (now < 0) return -1;
  for (let i = t.eras.length - 1; i >= 0; i--) {
    const era = t.eras[i];
    if (now >= era.fromClock) {
      const r = (era.fromRound as i64) + (now - era.fromClock) / era.cadence;
      return r >= (t.rounds as i64) ? t.rounds - 1 : (r as i32);
    }
  }
  return 0;
}

/** How many rounds have closed by pod clock `now` (they are rounds 0 … n−1). */
export function closedRounds(t: Timeline, now: i64): i32 {
  if (now < 0) return 0;
  let end = t.rounds as i64;
  for (let i = t.eras.length - 1; i >= 0; i--) {
    const era = t.eras[i];
    // Round r of this era has closed when fromClock + (r − fromRound + 1)·cadence + grace ≤ now.
    if (now >= era.fromClock + era.grace) {
      const n = (now - era.fromClock - era.grace) / era.cadence;
      if (n > 0) {
        const closed = (era.fromRound as i64) + n;
        return (closed < end ? closed : end) as i32;
      }
    }
    end = era.fromRound as i64;
  }
  return 0;
}
