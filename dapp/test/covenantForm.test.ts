import { COVENANT_BOUNDARY, type CovenantDocument } from "@troth/sdk/crypto";
import { describe, expect, it } from "vitest";
import {
  covenantProblems,
  DEFAULT_RECORDING_CAP_MINUTES,
  DEFAULT_TURN_MINUTES,
  emptyCovenantForm,
  MEETING_MINUTES,
  QUARTERLY,
  renewalForm,
  sentenceCount,
  toCovenantTerms,
} from "../src/lib/covenantForm.ts";

const alice = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const bob = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

describe("covenant form", () => {
  it("a commitment is one or two sentences", () => {
    expect(sentenceCount("Run three times a week.")).to.equal(1);
    expect(sentenceCount("Run. Rest on Sundays!")).to.equal(2);
    expect(sentenceCount("One. Two. Three.")).to.equal(3);
    expect(sentenceCount("   ")).to.equal(0);
  });

  it("names every problem of an empty form in plain words", () => {
    const problems = covenantProblems(emptyCovenantForm(alice));
    expect(problems.title).to.equal("Give the pod a name.");
    expect(problems["member-1-address"]).to.contain("wallet address");
    expect(problems["member-0-commitment"]).to.contain("sentence or two");
    expect(problems.notTherapy).to.contain("agrees");
  });

  it("refuses duplicates, out-of-range terms and long commitments", () => {
    const form = {
      ...emptyCovenantForm(alice),
      title: "Pod",
      notTherapy: true,
      cadenceDays: 93,
      graceHours: 3000,
      quorum: 2,
      members: [
        { address: alice, commitment: "One. Two. Three." },
        { address: alice.toLowerCase(), commitment: "Fine." },
      ],
    };
    const problems = covenantProblems(form);
    expect(problems["member-1-address"]).to.equal("This address is already in the pod.");
    expect(problems["member-0-commitment"]).to.equal("Keep it to one or two sentences.");
    expect(problems.cadence).to.contain("1 to 92");
    expect(problems.grace).to.contain("cadence");
    expect(problems.quorum).to.equal("With two members, each check-in has one witness: the other member. Enter 1.");
  });

  it("turns a valid form into the SDK's terms (seconds, checksummed, trimmed, renewal)", () => {
    const form = {
      ...emptyCovenantForm(alice),
      title: " Morning pages ",
      notTherapy: true,
      members: [
        { address: alice, commitment: " Write. " },
        { address: bob.toLowerCase(), commitment: "Run." },
      ],
      previousPod: "0x10",
    };
    expect(covenantProblems(form)).to.deep.equal({});
    const terms = toCovenantTerms(form);
    expect(terms.title).to.equal("Morning pages");
    expect(terms.members[1].address).to.equal(bob);
    expect(terms.members[0].commitment).to.equal("Write.");
    expect(terms.cadence).to.equal(7 * 86_400);
    expect(terms.grace).to.equal(48 * 3600);
    expect(terms.previousPod).to.equal(16n);
  });

  it("sets the meeting terms only when they differ from the default, within the SDK's bounds", async () => {
    const sdk = await import("@troth/sdk/crypto");
    // The form repeats the SDK's bounds and defaults so the route loads no SDK code: they must agree.
    expect([MEETING_MINUTES, DEFAULT_TURN_MINUTES, DEFAULT_RECORDING_CAP_MINUTES]).to.deep.equal([
      sdk.MEETING_TERM_MINUTES,
      sdk.DEFAULT_TURN_MINUTES,
      sdk.DEFAULT_RECORDING_CAP_MINUTES,
    ]);
    const valid = {
      ...emptyCovenantForm(alice),
      title: "Pod",
      notTherapy: true,
      members: [
        { address: alice, commitment: "Write." },
        { address: bob, commitment: "Run." },
      ],
    };
    expect([valid.turnMinutes, valid.recordingCapMinutes]).to.deep.equal([8, 20]);
    const usual = toCovenantTerms(valid);
    expect(usual).not.to.have.property("turnLength");
    expect(usual).not.to.have.property("recordingCap");
    // A draft saved before the fields existed reads as the defaults.
    const { turnMinutes: _t, recordingCapMinutes: _r, ...older } = valid;
    expect(covenantProblems(older)).to.deep.equal({});
    expect(toCovenantTerms({ ...valid, turnMinutes: 10, recordingCapMinutes: 5 })).to.include({
      turnLength: 10,
      recordingCap: 5,
    });
    for (const bad of [0, 61, 2.5, Number.NaN]) {
      const problems = covenantProblems({ ...valid, turnMinutes: bad, recordingCapMinutes: bad });
      expect(problems.turnMinutes).to.equal("A turn is 1 to 60 minutes.");
      expect(problems.recordingCapMinutes).to.equal("A recording is 1 to 60 minutes at most.");
    }
  });
});

describe("renewalForm", () => {
  const bo = bob;
  const cy = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
  const covenant: CovenantDocument = {
    type: "troth/covenant",
    version: 3,
    title: "Spring pod",
    members: [
      { address: alice, commitment: "Write daily", name: "Ada" },
      { address: bo, commitment: "Run weekly" },
      { address: cy, commitment: "Read nightly" },
    ],
    terms: { cadence: 7 * 86_400, grace: 48 * 3600, rounds: 13, quorum: 1, turnLength: 10 },
    whenSomeoneMisses: "We begin again.",
    boundary: COVENANT_BOUNDARY,
  };
  const pod = { cadence: 7 * 86_400, grace: 48 * 3600, rounds: 13, quorum: 1 };

  it("carries the members still active, their words and names, the rhythm and the meeting terms", () => {
    const form = renewalForm({ covenant, pod, active: [alice, bo], previousPod: "0x1" });
    expect(form.members).to.deep.equal([
      { address: alice, commitment: "Write daily", name: "Ada" },
      { address: bo, commitment: "Run weekly" },
    ]);
    expect([form.cadenceDays, form.graceHours, form.rounds, form.turnMinutes]).to.deep.equal([7, 48, 13, 10]);
    expect([form.previousPod, form.notTherapy]).to.deep.equal(["0x1", false]);
  });

  it("fills in the quarterly rhythm for a graduated pod, which the form (and the contract) accepts", () => {
    const form = renewalForm({ covenant, pod, active: [alice, bo, cy], previousPod: "0x1", quarterly: true });
    expect([form.cadenceDays, form.rounds, form.graceHours]).to.deep.equal([
      QUARTERLY.cadenceDays,
      QUARTERLY.rounds,
      QUARTERLY.graceHours,
    ]);
    expect(covenantProblems({ ...form, notTherapy: true })).to.deep.equal({});
    expect(toCovenantTerms({ ...form, notTherapy: true })).to.include({ cadence: 91 * 86_400, rounds: 4 });
  });
});
