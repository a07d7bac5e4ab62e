/**
 * The shared schedule test vectors: `test/vectors/schedule.json`, which the Solidity library (through the generated
 * `test/solidity/ScheduleVectors.t.sol`), the SDK audit's port and the subgraph's AssemblyScript port are all tested
 * against. The expected values come from the rules themselves, applied round by round (no shortcut formula shared with
 * any of the three): round r of its era opens at fromClock + (r − fromRound)·cadence and closes cadence + grace later;
 * the current round is the last one opened; the closed rounds are those whose close has passed, a prefix.
 *
 *   node scripts/vectors/schedule.ts           writes both files
 *   node scripts/vectors/schedule.ts --check   fails if either is not what this script writes
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const vectorsFile = path.join(root, "test/vectors/schedule.json");
export const solidityFile = path.join(root, "test/solidity/ScheduleVectors.t.sol");

const DAY = 86_400;
const HOUR = 3_600;
const START = 1_800_000_000;

export type Era = { fromRound: number; fromClock: number; cadence: number; grace: number; quorum: number };
export type ScheduleCase = {
  name: string;
  start: number;
  rounds: number;
  pausedAt: number;
  pausedTotal: number;
  /** Oldest first; the last is the current era. */
  eras: Era[];
  /** Unix seconds. */
  time: number;
  expect: {
    /** Pod clock at `time`: seconds since start, less time paused; frozen while paused. */
    clock: number;
    /** Whether round 0 has opened. */
    started: boolean;
    /** The latest round that has opened (0 before the start), numbered from 0 as the contract does. */
    round: number;
    /** How many rounds have closed: rounds 0 … closed − 1. */
    closed: number;
    /** Every round's window on the pod clock. */
    windows: { round: number; opens: number; closes: number; quorum: number }[];
  };
};

/** The era round `r` belongs to: the last one starting at or before it. */
function eraFor(eras: readonly Era[], r: number): Era {
  return [...eras].reverse().find((e) => r >= e.fromRound) ?? eras[0];
}

function expected(c: Omit<ScheduleCase, "expect">): ScheduleCase["expect"] {
  const clock = (c.pausedAt !== 0 ? c.pausedAt : c.time) - c.start - c.pausedTotal;
  const windows = [];
  for (let r = 0; r < c.rounds; r++) {
    const era = eraFor(c.eras, r);
    const opens = era.fromClock + (r - era.fromRound) * era.cadence;
    windows.push({ round: r, opens, closes: opens + era.cadence + era.grace, quorum: era.quorum });
  }
  const opened = windows.filter((w) => clock >= 0 && w.opens <= clock);
  let closed = 0;
  while (closed < c.rounds && clock >= 0 && windows[closed].closes <= clock) closed++;
  return { clock, started: clock >= 0, round: opened.length ? opened[opened.length - 1].round : 0, closed, windows };
}

/** A small deterministic generator (the vectors never change unless this script does). */
function random(seed: number) {
  let s = seed >>> 0;
  return (max: number) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % (max + 1);
  };
}

/** A pod with amendments: each era starts at a round, at the clock its opening round would have opened. */
function amended(rounds: number, terms: { from: number; cadence: number; grace: number; quorum: number }[]): Era[] {
  const eras: Era[] = [];
  for (const t of terms) {
    const previous = eras.at(-1);
    const fromClock = previous ? previous.fromClock + (t.from - previous.fromRound) * previous.cadence : 0;
    eras.push({ fromRound: t.from, fromClock, cadence: t.cadence, grace: t.grace, quorum: t.quorum });
  }
  if (eras.some((e) => e.fromRound >= rounds)) throw new Error("an era past the last round");
  return eras;
}

function cases(): ScheduleCase[] {
  const weekly = [{ fromRound: 0, fromClock: 0, cadence: 7 * DAY, grace: 2 * DAY, quorum: 2 }];
  const out: Omit<ScheduleCase, "expect">[] = [];
  const pod = (name: string, time: number, more: Partial<Omit<ScheduleCase, "expect">> = {}) =>
    out.push({ name, start: START, rounds: 6, pausedAt: 0, pausedTotal: 0, eras: weekly, time, ...more });
  // Boundaries of one plain weekly pod.
  pod("a second before the start", START - 1);
  pod("a day before the start", START - DAY);
  pod("the second round 0 opens", START);
  pod("the last second before round 1 opens", START + 7 * DAY - 1);
  pod("the second round 1 opens (round 0 in grace)", START + 7 * DAY);
  pod("the last second of round 0's grace", START + 9 * DAY - 1);
  pod("the second round 0 closes", START + 9 * DAY);
  pod("the last round open", START + 5 * 7 * DAY + HOUR);
  pod("the second the last round closes", START + 6 * 7 * DAY + 2 * DAY);
  pod("a year after the end", START + 365 * DAY);
  // Grace edge values.
  const graceless = [{ fromRound: 0, fromClock: 0, cadence: DAY, grace: 0, quorum: 1 }];
  pod("no grace: a round closes as the next opens", START + DAY, { eras: graceless, rounds: 3 });
  pod("no grace, the last second of round 0", START + DAY - 1, { eras: graceless, rounds: 3 });
  const fullGrace = [{ fromRound: 0, fromClock: 0, cadence: DAY, grace: DAY, quorum: 1 }];
  pod("grace a whole cadence: two rounds open at once", START + DAY + 1, { eras: fullGrace, rounds: 4 });
  pod("a pod of one round, in its grace", START + 8 * DAY, { rounds: 1 });
  pod("a pod of one round, closed", START + 9 * DAY, { rounds: 1 });
  pod("the most rounds (64), the last closing", START + 64 * 7 * DAY + 2 * DAY, { rounds: 64 });
  pod("the most rounds (64), the last open", START + 64 * 7 * DAY, { rounds: 64 });
  // The longest cadence, a quarter (a graduated pod's next cycle), with a week of grace.
  const quarterly = [{ fromRound: 0, fromClock: 0, cadence: 92 * DAY, grace: 7 * DAY, quorum: 1 }];
  pod("quarterly: round 1 open, round 0 in its week of grace", START + 95 * DAY, { eras: quarterly, rounds: 4 });
  pod("quarterly: a year on, every round closed", START + 4 * 92 * DAY + 7 * DAY, { eras: quarterly, rounds: 4 });
  // Pauses: the clock stands still while paused, and time paused before is taken off.
  pod("paused in round 2", START + 20 * DAY, { pausedAt: START + 15 * DAY });
  pod("paused before round 1's grace ended", START + 30 * DAY, { pausedAt: START + 8 * DAY });
  pod("resumed after 10 days away", START + 30 * DAY, { pausedTotal: 10 * DAY });
  pod("resumed, then paused again", START + 60 * DAY, { pausedAt: START + 40 * DAY, pausedTotal: 10 * DAY });
  pod("paused before the start", START + 3 * DAY, { pausedAt: START - DAY });
  // Amendments: an era from the next round on, earlier rounds keep their terms.
  const faster = amended(8, [
    { from: 0, cadence: 7 * DAY, grace: 2 * DAY, quorum: 2 },
    { from: 3, cadence: DAY, grace: HOUR, quorum: 1 },
  ]);
  for (const [name, t] of [
    ["faster from round 3: round 2 in its grace as round 3 runs", START + 21 * DAY + 12 * HOUR],
    ["faster from round 3: round 2 closes after round 3", START + 23 * DAY],
    ["faster from round 3: the end", START + 30 * DAY],
  ] as const)
    pod(name, t, { rounds: 8, eras: faster });
  const slower = amended(10, [
    { from: 0, cadence: DAY, grace: 12 * HOUR, quorum: 1 },
    { from: 2, cadence: 14 * DAY, grace: 3 * DAY, quorum: 3 },
    { from: 5, cadence: 2 * DAY, grace: 0, quorum: 2 },
  ]);
  for (const t of [
    START + DAY + 6 * HOUR,
    START + 2 * DAY + 12 * HOUR,
    START + 44 * DAY,
    START + 47 * DAY,
    START + 58 * DAY,
  ])
    pod(`three eras at +${(t - START) / HOUR} h`, t, { rounds: 10, eras: slower });
  // Random pods: random eras, pauses and times (the same every run).
  const rand = random(12);
  for (let i = 0; i < 24; i++) {
    const rounds = 1 + rand(20);
    const terms = [];
    let from = 0;
    while (from < rounds && terms.length < 4) {
      const cadence = HOUR + rand(35 * DAY);
      terms.push({ from, cadence, grace: rand(cadence), quorum: 1 + rand(7) });
      from += 1 + rand(6);
    }
    const eras = amended(rounds, terms);
    const last = eras.at(-1)!;
    const span = last.fromClock + (rounds - last.fromRound + 1) * last.cadence + last.grace;
    const pausedTotal = rand(1) ? rand(30 * DAY) : 0;
    const time = START - DAY + rand(span + 2 * DAY);
    const pausedAt = rand(3) === 0 ? Math.max(1, time - rand(5 * DAY)) : 0;
    pod(`random pod ${i + 1}`, time, { rounds, eras, pausedTotal, pausedAt });
  }
  return out.map((c) => ({ ...c, expect: expected(c) }));
}

/** JSON with each flat object (an era, a window) on one line. */
const toJson = (all: ScheduleCase[]) =>
  `${JSON.stringify(
    {
      description:
        "Shared schedule vectors (scripts/vectors/schedule.ts writes them): pod state, unix time -> pod clock, current round, closed rounds and every round's window on the pod clock. Rounds are numbered from 0 as the contract does (people see round + 1). Eras are oldest first; the last is the current era. Checked by test/solidity/ScheduleVectors.t.sol (generated), sdk/test/scheduleVectors.test.ts and subgraph/test/scheduleVectors.test.ts.",
      cases: all,
    },
    null,
    2,
  ).replace(/\{\n\s+("[^{}[\]]*?)\n\s+\}/g, (_, body: string) => `{ ${body.replace(/,\n\s+/g, ", ")} }`)}\n`;

function toSolidity(all: ScheduleCase[]): string {
  const tests = all.map((c, i) => {
    const history = c.eras.slice(0, -1);
    const current = c.eras.at(-1)!;
    const era = (e: Era) =>
      `Era({fromRound: ${e.fromRound}, fromClock: ${e.fromClock}, cadence: ${e.cadence}, grace: ${e.grace}, quorum: ${e.quorum}})`;
    const windows = c.expect.windows
      .map((w) => `        _window(p, history, ${w.round}, ${w.opens}, ${w.closes}, ${w.quorum});`)
      .join("\n");
    return `    /// ${c.name}
    function test_vector_${String(i + 1).padStart(3, "0")}() public pure {
        PodState memory p = _pod(${c.start}, ${c.pausedAt}, ${c.pausedTotal}, ${c.rounds}, ${era(current)});
        Era[] memory history = new Era[](${history.length});
${history.map((e, j) => `        history[${j}] = ${era(e)};`).join("\n")}
        _check(p, history, ${c.time}, ${c.expect.clock}, ${c.expect.started}, ${c.expect.round}, ${c.expect.closed});
${windows}
    }`;
  });
  return `// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// GENERATED by scripts/vectors/schedule.ts from test/vectors/schedule.json: do not edit (npm run vectors).
// A vector of a 64-round pod checks 64 windows, one line each.
// solhint-disable function-max-lines

import {Schedule} from "../../contracts/libraries/Schedule.sol";
import {Era, PodState} from "../../contracts/types/TrothTypes.sol";
import {vm} from "./utils/Vm.sol";

/// @title The shared schedule vectors, against the contract's round arithmetic (\`Schedule\`)
/// @notice The SDK audit and the subgraph are tested against the same vectors.
contract ScheduleVectorsTest {
    function _pod(uint40 start, uint40 pausedAt, uint32 pausedTotal, uint8 rounds, Era memory current)
        internal
        pure
        returns (PodState memory p)
    {
        p.start = start;
        p.pausedAt = pausedAt;
        p.pausedTotal = pausedTotal;
        p.rounds = rounds;
        p.fromRound = current.fromRound;
        p.fromClock = current.fromClock;
        p.cadence = current.cadence;
        p.grace = current.grace;
        p.quorum = current.quorum;
    }

    function _check(
        PodState memory p,
        Era[] memory history,
        uint256 time,
        int256 clock,
        bool started,
        uint8 round,
        uint8 closed
    ) internal pure {
        int256 now_ = Schedule.clock(p, time);
        vm.assertEq(now_, clock, "clock");
        (bool isStarted, uint8 current) = Schedule.currentRound(p, history, now_);
        vm.assertEq(isStarted, started, "started");
        vm.assertEq(current, round, "current round");
        vm.assertEq(Schedule.closedRounds(p, history, now_), closed, "closed rounds");
    }

    function _window(PodState memory p, Era[] memory history, uint8 round, uint256 opens, uint256 closes, uint8 quorum)
        internal
        pure
    {
        Era memory era = Schedule.eraOf(p, history, round);
        vm.assertEq(Schedule.opens(era, round), opens, "opens");
        vm.assertEq(Schedule.closes(era, round), closes, "closes");
        vm.assertEq(era.quorum, quorum, "quorum");
    }

${tests.join("\n\n")}
}
`;
}

/** What the script writes, by file. */
export function generated(): Record<string, string> {
  const all = cases();
  return { [vectorsFile]: toJson(all), [solidityFile]: toSolidity(all) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const [file, text] of Object.entries(generated())) {
    const current = (() => {
      try {
        return readFileSync(file, "utf8");
      } catch {
        return "";
      }
    })();
    if (current === text) continue;
    if (check) {
      console.error(`${path.relative(root, file)} is not current: run npm run vectors`);
      stale++;
    } else {
      writeFileSync(file, text);
      console.log(`wrote ${path.relative(root, file)}`);
    }
  }
  process.exitCode = stale ? 1 : 0;
}
