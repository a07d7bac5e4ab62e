import type { PodView } from "@troth/sdk";
import type { Vitality } from "@troth/sdk/audit";
import { describe, expect, it } from "vitest";
import { vitalityWords } from "../src/lib/vitality.ts";

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

describe("vitality in plain words", () => {
  it("says all is well when nothing needs attention", () => {
    expect(vitalityWords(pod, quiet, name)).to.deep.equal([
      { tone: "calm", text: "Everyone is keeping the rhythm. Nothing needs attention." },
    ]);
  });

  it("names two misses in a row kindly, once per member, and one-sided witnessing", () => {
    const signals = vitalityWords(
      pod,
      {
        ...quiet,
        decay: [
          { tokenId: 1n, account: ada, reason: "two-missed-in-a-row", round: 3 },
          { tokenId: 1n, account: ada, reason: "two-missed-in-a-row", round: 4 },
        ],
        oneSided: { witnessOnly: [{ tokenId: 2n, account: bo, attestations: 3 }], dominantWitness: null },
      },
      name,
    );
    expect(signals.map((s) => s.text)).to.deep.equal([
      "Ada has missed two rounds in a row. A kind word, or beginning again, can help; nothing is lost.",
      "Bo has been witnessing others but hasn't checked in yet. Their turn to be heard matters too.",
    ]);
  });

  it("invites renewal near the end, and celebrates graduation", () => {
    expect(vitalityWords({ ...pod, currentRound: 11 }, quiet, name)[0].text).to.equal(
      "1 round left after this one: time to consider renewing together.",
    );
    expect(
      vitalityWords({ ...pod, status: "ended" }, { ...quiet, renewal: { renewedBy: null, renewable: true } }, name)[0]
        .tone,
    ).to.equal("celebrate");
    expect(
      vitalityWords(
        { ...pod, status: "ended", cycle: 2 },
        { ...quiet, graduation: { cycle: 2, graduated: [5n] } },
        name,
      )[0].text,
    ).to.contain("graduated");
  });
});
