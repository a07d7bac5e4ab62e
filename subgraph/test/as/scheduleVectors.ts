// AssemblyScript (compiled by subgraph/test/scheduleVectors.test.ts, not by tsc): the subgraph's schedule functions
// behind an interface of plain numbers, so the shared vectors can drive them from JavaScript.
import { clock, closedRounds, closes, currentRound, eraOf, opens, Term, Timeline } from "../../src/schedule";

let timeline = new Timeline(0, 0, 0, 0, []);

export function reset(start: i64, pausedAt: i64, pausedTotal: i64, rounds: i32): void {
  timeline = new Timeline(start, pausedAt, pausedTotal, rounds, []);
}

export function addEra(fromRound: i32, fromClock: i64, cadence: i64, grace: i64, quorum: i32): void {
  timeline.eras.push(new Term(fromRound, fromClock, cadence, grace, quorum));
}

export function clockAt(time: i64): i64 {
  return clock(timeline, time);
}

export function currentRoundAt(now: i64): i32 {
  return currentRound(timeline, now);
}

export function closedRoundsAt(now: i64): i32 {
  return closedRounds(timeline, now);
}

export function opensOf(round: i32): i64 {
  return opens(eraOf(timeline, round), round);
}

export function closesOf(round: i32): i64 {
  return closes(eraOf(timeline, round), round);
}

export function quorumOf(round: i32): i32 {
  return eraOf(timeline, round).quorum;
}
