/** When pod home offers to replant or graduate: at month three and six, on early decay, after two strong cycles. */
import type { PodView } from "@troth/sdk";
import type { Vitality } from "@troth/sdk/audit";
import { describe, expect, it } from "vitest";
import { readReplantPrefill, replantAdvice, replantQuery } from "../src/lib/replant.ts";

const DAY = 86_400;
const start = 1_700_000_000;
const pod = { start, cadence: 7 * DAY, grace: 2 * DAY, status: "active", activeCount: 2 } as PodView;
const calm: Vitality = {
  podId: 1n,
  decay: [],
  oneSided: { witnessOnly: [], dominantWitness: null },
  renewal: { renewedBy: null, renewable: false },
  graduation: { cycle: 1, graduated: [] },
};

describe("replant advice", () => {
  it("offers to replant in the round that holds the three- and six-month marks, not between", () => {
    expect(replantAdvice({ pod, vitality: calm, now: start + 89 * DAY })).to.equal(null);
    expect(replantAdvice({ pod, vitality: calm, now: start + 91 * DAY })).to.deep.include({ reason: "month-3" });
    expect(replantAdvice({ pod, vitality: calm, now: start + 100 * DAY })).to.equal(null);
    expect(replantAdvice({ pod, vitality: calm, now: start + 181 * DAY })).to.deep.include({ reason: "month-6" });
  });

  it("offers it when decay shows by round 6, with the usual fixes", () => {
    const decay = {
      ...calm,
      decay: [
        {
          tokenId: 1n,
          account: "0x1111111111111111111111111111111111111111" as const,
          reason: "two-missed-in-a-row" as const,
          round: 4,
        },
      ],
    };
    expect(replantAdvice({ pod, vitality: decay, now: start + 30 * DAY })).to.deep.equal({
      kind: "replant",
      reason: "decay",
      fixes: [
        { words: "meet every two weeks instead", prefill: { amend: { cadenceDays: 14 } } },
        { words: "allow a longer grace, three days", prefill: { amend: { graceHours: 72 } } },
        { words: "invite a third person", prefill: { addMember: true } },
      ],
    });
    const late = { ...decay, decay: [{ ...decay.decay[0], round: 8 }] };
    expect(replantAdvice({ pod, vitality: late, now: start + 60 * DAY })).to.equal(null);
  });

  it("suggests graduating after two strong cycles, and nothing for a paused pod", () => {
    const graduated = { ...calm, graduation: { cycle: 2, graduated: [1n] } };
    expect(replantAdvice({ pod: { ...pod, status: "ended" }, vitality: graduated, now: start })).to.deep.equal({
      kind: "graduate",
    });
    expect(replantAdvice({ pod: { ...pod, status: "paused" }, vitality: calm, now: start + 91 * DAY })).to.equal(null);
  });

  it("carries each fix to the manage page in its query, and reads back only what it wrote", () => {
    const manage = "/pod/0x1/manage";
    for (const prefill of [
      { amend: { cadenceDays: 14 } },
      { amend: { graceHours: 72 } },
      { amend: { cadenceDays: 14, graceHours: 72 } },
      { addMember: true as const },
      { renewQuarterly: true as const },
    ]) {
      expect(readReplantPrefill(manage + replantQuery(prefill))).to.deep.equal(prefill);
    }
    expect(replantQuery({ amend: { cadenceDays: 14 } })).to.equal("?cadence-days=14");
    expect(replantQuery({ renewQuarterly: true })).to.equal("?renew=quarterly");
    expect(readReplantPrefill(`${manage}?renew=weekly`)).to.equal(undefined);
    expect(readReplantPrefill(manage)).to.equal(undefined);
    expect(readReplantPrefill(`${manage}?cadence-days=-3&grace-hours=1e9`)).to.equal(undefined);
    expect(readReplantPrefill(`${manage}?cadence-days=two`)).to.equal(undefined);
  });

  it("offers another time, the same grace and an open question when the quick fixes do not apply", () => {
    const fortnightly = { ...pod, cadence: 14 * DAY, grace: 3 * DAY, activeCount: 4 } as PodView;
    const advice = replantAdvice({ pod: fortnightly, vitality: calm, now: start + 91 * DAY });
    expect(advice && advice.kind === "replant" && advice.fixes.every((f) => f.prefill === undefined)).to.equal(true);
  });
});
