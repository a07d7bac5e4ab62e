/** The consent screen's sentence for each kind of change an amendment can make to the covenant. */
import type { CovenantChange } from "@troth/sdk";
import { describe, expect, it } from "vitest";
import { changeWords } from "../src/lib/covenantChanges.ts";
import { meetingTermChange } from "../src/ui/AmendTerms.tsx";

const bo = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as const;
const nameOf = (a: string) => (a === bo ? "Bo" : a);

describe("changeWords", () => {
  it("says every change in plain words, quoting what members wrote", () => {
    const cases: [CovenantChange, string][] = [
      [{ field: "title", before: "Spring", after: "Summer" }, "The pod's name: “Spring” becomes “Summer”."],
      [
        { field: "whenSomeoneMisses", before: "We ask.", after: "We wait." },
        "When someone misses: “We ask.” becomes “We wait.”.",
      ],
      [{ field: "cadence", before: 7 * 86_400, after: 14 * 86_400 }, "Meet every 7 days becomes every 14 days."],
      [{ field: "grace", before: 48 * 3600, after: 86_400 }, "Grace to reschedule: 2 days becomes 1 day."],
      // No grace at all is said as such (it once read "1 minute").
      [{ field: "grace", before: 0, after: 90 * 60 }, "Grace to reschedule: 0 minutes becomes 2 hours."],
      [{ field: "quorum", before: 1, after: 2 }, "Each check-in needs one witness; it will need 2 witnesses."],
      [
        { field: "turnLength", before: undefined, after: 12 },
        "Each speaker's turn: 8 minutes (the usual) becomes 12 minutes.",
      ],
      [
        { field: "recordingCap", before: 30, after: undefined },
        "Longest recorded reflection: 30 minutes becomes 20 minutes (the usual).",
      ],
      [{ field: "name", member: bo, before: "Bo", after: "Bob" }, "Bo appears as “Bob” instead of “Bo”."],
    ];
    for (const [change, words] of cases) expect(changeWords(change, nameOf)).to.equal(words);
  });

  it("warns that a commitment is its member's own words", () => {
    const words = changeWords({ field: "commitment", member: bo, before: "Run weekly", after: "Pay Ada" }, nameOf);
    expect(words).to.equal(
      "Bo's commitment: “Run weekly” becomes “Pay Ada”. A commitment is its member's own words: agree only if they asked for this.",
    );
  });
});

describe("meetingTermChange", () => {
  it("is undefined when the term stays, null when it goes back to the usual, else the minutes", () => {
    expect(meetingTermChange(undefined, 8, 8)).to.equal(undefined);
    expect(meetingTermChange(12, 12, 8)).to.equal(undefined);
    expect(meetingTermChange(12, 8, 8)).to.equal(null);
    expect(meetingTermChange(undefined, 10, 8)).to.equal(10);
    expect(meetingTermChange(12, 15, 8)).to.equal(15);
  });
});
