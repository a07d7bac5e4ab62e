/**
 * The shared schedule vectors (test/vectors/schedule.json, from scripts/vectors/schedule.ts), against the SDK audit's
 * port of the contract's round arithmetic. The Solidity library and the subgraph's port are tested against the same
 * file, so the three cannot drift apart unnoticed.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generated, type ScheduleCase } from "../../scripts/vectors/schedule.ts";
import { clock, closedRounds, closes, currentRound, eraOf, opens, type PodSchedule } from "../src/audit/schedule.ts";

const { cases } = JSON.parse(readFileSync(new URL("../../test/vectors/schedule.json", import.meta.url), "utf8")) as {
  cases: ScheduleCase[];
};

function scheduleOf(c: ScheduleCase): PodSchedule {
  return {
    start: c.start,
    pausedAt: c.pausedAt,
    pausedTotal: c.pausedTotal,
    rounds: c.rounds,
    memberCount: 2,
    activeCount: 2,
    current: c.eras[c.eras.length - 1],
    history: c.eras.slice(0, -1),
  };
}

describe("schedule vectors (SDK audit)", () => {
  it("has the vectors, and they and the Solidity test made from them are current (npm run vectors)", () => {
    expect(cases.length).to.be.greaterThan(40);
    for (const [file, text] of Object.entries(generated())) expect(readFileSync(file, "utf8"), file).to.equal(text);
  });

  for (const c of cases) {
    it(c.name, () => {
      const p = scheduleOf(c);
      const now = clock(p, c.time);
      expect(now, "clock").to.equal(c.expect.clock);
      expect(currentRound(p, now), "current round").to.deep.equal({ started: c.expect.started, round: c.expect.round });
      expect(closedRounds(p, now), "closed rounds").to.equal(c.expect.closed);
      const windows = c.expect.windows.map(({ round }) => {
        const era = eraOf(p, round);
        return { round, opens: opens(era, round), closes: closes(era, round), quorum: era.quorum };
      });
      expect(windows).to.deep.equal(c.expect.windows);
    });
  }
});
