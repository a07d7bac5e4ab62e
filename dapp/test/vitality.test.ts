import type { PodView } from "@troth/sdk";
import type { AuditCommitmentView, Vitality } from "@troth/sdk/audit";
import { describe, expect, it } from "vitest";
import type { GetVitalityReturnType } from "../src/actions/getVitality.ts";
import { headlineSignal, vitalityWords } from "../src/lib/vitality.ts";

const ada = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const bo = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const name = (a: string) => (a === ada ? "Ada" : "Bo");
const pod = { status: "active", started: true, currentRound: 5, rounds: 13, cycle: 1 } as PodView;
const quiet: Vitality = {
  podId: 1n,
  decay: [],
  oneSided: { witnessOnly: [], dominantWitness: null },
  renewal: { renewedBy: null, renewable: false },
  graduation: { cycle: 1, graduated: [] },
};
const keeping = ["witnessed", "witnessed", "witnessed", "witnessed", "witnessed", "open"] as const;
const missedLast = ["witnessed", "witnessed", "witnessed", "witnessed", "missed", "open"] as const;
const member = (account: string, status: string, states: readonly string[]) =>
  ({ account, status, roundStates: [...states] }) as unknown as AuditCommitmentView;
const health = (
  commitments: AuditCommitmentView[] = [member(ada, "active", keeping), member(bo, "active", keeping)],
  vitality: Vitality = quiet,
  view: PodView = pod,
): GetVitalityReturnType => ({ pod: view, commitments, vitality });

describe("vitality in plain words", () => {
  it("says all is well only when nobody missed", () => {
    expect(vitalityWords(health(), name)).to.deep.equal([
      { tone: "calm", text: "Everyone is keeping the rhythm. Nothing needs attention." },
    ]);
  });

  it("after both members missed, says so, and never that nothing needs attention (issue 14 §3)", () => {
    const both = health([member(ada, "lapsed", missedLast), member(bo, "lapsed", missedLast)]);
    const signals = vitalityWords(both, name);
    expect(signals).to.deep.equal([
      {
        tone: "notice",
        text: "Nobody was witnessed in round 5. It happens to every pod: each of you can begin again, together, and nothing is lost.",
      },
    ]);
    expect(signals.some((s) => s.text.includes("Nothing needs attention"))).to.equal(false);
    // My pods shows the same words as its one line.
    expect(headlineSignal(both, name)).to.deep.equal(signals[0]);
  });

  it("names one member's miss kindly, and 'You' in the second person", () => {
    const one = health([member(ada, "active", keeping), member(bo, "lapsed", missedLast)]);
    expect(vitalityWords(one, name).map((s) => s.text)).to.deep.equal([
      "Bo missed round 5. Beginning again is open at any time; nothing is lost.",
    ]);
    const you = (a: string) => (a === bo ? "You" : "Ada");
    expect(vitalityWords(one, you)[0].text).to.equal(
      "You missed round 5. Beginning again is open at any time; nothing is lost.",
    );
  });

  it("names two misses in a row once per member, and one-sided witnessing", () => {
    const twice = ["witnessed", "witnessed", "witnessed", "missed", "missed", "open"];
    const signals = vitalityWords(
      health([member(ada, "lapsed", twice), member(bo, "active", keeping)], {
        ...quiet,
        decay: [
          { tokenId: 1n, account: ada, reason: "two-missed-in-a-row", round: 3 },
          { tokenId: 1n, account: ada, reason: "two-missed-in-a-row", round: 4 },
        ],
        oneSided: { witnessOnly: [{ tokenId: 2n, account: bo, attestations: 3 }], dominantWitness: null },
      }),
      name,
    );
    expect(signals.map((s) => s.text)).to.deep.equal([
      "Ada has missed two rounds in a row. A kind word, or beginning again, can help; nothing is lost.",
      "Bo has been witnessing others but hasn't checked in yet. Their turn to be heard matters too.",
    ]);
  });

  it("leaves out members who left", () => {
    const left = health([member(ada, "active", keeping), member(bo, "left", missedLast)]);
    expect(vitalityWords(left, name)[0].text).to.equal("Everyone is keeping the rhythm. Nothing needs attention.");
  });

  it("invites renewal near the end, and celebrates graduation", () => {
    expect(vitalityWords(health(undefined, quiet, { ...pod, currentRound: 11 }), name)[0].text).to.equal(
      "1 round left after this one: time to consider renewing together.",
    );
    const ended = { ...pod, status: "ended" } as PodView;
    expect(
      vitalityWords(health(undefined, { ...quiet, renewal: { renewedBy: null, renewable: true } }, ended), name)[0]
        .tone,
    ).to.equal("celebrate");
    expect(
      vitalityWords(
        health(undefined, { ...quiet, graduation: { cycle: 2, graduated: [5n] } }, { ...ended, cycle: 2 }),
        name,
      )[0].text,
    ).to.contain("graduated");
  });
});
