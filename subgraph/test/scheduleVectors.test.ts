/**
 * The shared schedule vectors (test/vectors/schedule.json, from scripts/vectors/schedule.ts), against the subgraph's
 * AssemblyScript port of the contract's round arithmetic (src/schedule.ts), compiled here by the same AssemblyScript
 * compiler as the mapping. The Solidity library and the SDK audit are tested against the same file.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScheduleCase } from "../../scripts/vectors/schedule.ts";
import { subgraphDir } from "./build.ts";

const { cases } = JSON.parse(readFileSync(path.resolve(subgraphDir, "../test/vectors/schedule.json"), "utf8")) as {
  cases: ScheduleCase[];
};

type Schedule = {
  reset(start: bigint, pausedAt: bigint, pausedTotal: bigint, rounds: number): void;
  addEra(fromRound: number, fromClock: bigint, cadence: bigint, grace: bigint, quorum: number): void;
  clockAt(time: bigint): bigint;
  currentRoundAt(now: bigint): number;
  closedRoundsAt(now: bigint): number;
  opensOf(round: number): bigint;
  closesOf(round: number): bigint;
  quorumOf(round: number): number;
};

let schedule: Schedule;
let workDir: string;
beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "troth-schedule-vectors-"));
  const wasm = path.join(workDir, "schedule.wasm");
  execFileSync("npx", ["asc", "test/as/scheduleVectors.ts", "--outFile", wasm, "--runtime", "stub"], {
    cwd: subgraphDir,
    stdio: "inherit",
  });
  const { instance } = await WebAssembly.instantiate(readFileSync(wasm), {
    env: {
      abort: () => {
        throw new Error("AssemblyScript abort");
      },
    },
  });
  schedule = instance.exports as unknown as Schedule;
}, 120_000);
afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("schedule vectors (subgraph)", () => {
  it("has the vectors", () => {
    expect(cases.length).to.be.greaterThan(40);
  });

  for (const c of cases) {
    it(c.name, () => {
      schedule.reset(BigInt(c.start), BigInt(c.pausedAt), BigInt(c.pausedTotal), c.rounds);
      for (const e of c.eras) {
        schedule.addEra(e.fromRound, BigInt(e.fromClock), BigInt(e.cadence), BigInt(e.grace), e.quorum);
      }
      const now = schedule.clockAt(BigInt(c.time));
      expect(Number(now), "clock").to.equal(c.expect.clock);
      // The subgraph says -1 before round 0 opens where the contract says (started: false, round: 0).
      const round = schedule.currentRoundAt(now);
      expect({ started: round >= 0, round: Math.max(round, 0) }, "current round").to.deep.equal({
        started: c.expect.started,
        round: c.expect.round,
      });
      expect(schedule.closedRoundsAt(now), "closed rounds").to.equal(c.expect.closed);
      const windows = c.expect.windows.map(({ round }) => ({
        round,
        opens: Number(schedule.opensOf(round)),
        closes: Number(schedule.closesOf(round)),
        quorum: schedule.quorumOf(round),
      }));
      expect(windows).to.deep.equal(c.expect.windows);
    });
  }
});
