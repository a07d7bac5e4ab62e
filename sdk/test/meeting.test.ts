/**
 * The meeting timeline is a pure function of the link and the clock: every device (a reload, a late joiner, one
 * offline) lands on the same speaker, and a damaged link says what is wrong.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_TURN_SECONDS,
  formatClock,
  InvalidMeetingLinkError,
  LISTENING_SECONDS,
  meetingMoment,
  meetingPath,
  meetingSchedule,
  parseMeetingLink,
} from "./helpers/exports.ts";

const link = { podId: 0x6bf924aa9680n, round: 3, start: 1_767_000_000, turn: DEFAULT_TURN_SECONDS };
const slot = DEFAULT_TURN_SECONDS + LISTENING_SECONDS;

describe("meeting links", () => {
  it("round-trip through the path, a full URL and the hash part", () => {
    const path = meetingPath(link);
    expect(path).to.equal("/meeting/0x6bf924aa9680/3/1767000000/480");
    expect(parseMeetingLink(path)).to.deep.equal(link);
    expect(parseMeetingLink(`https://troth.example/app/#${path}`)).to.deep.equal(link);
    expect(parseMeetingLink(`#${path}?from=chat`)).to.deep.equal(link);
  });

  it.each([
    ["/pod/0x12", "no /meeting/ part"],
    ["/meeting/12/3/1767000000/480", "pod id is not 0x-hex"],
    ["/meeting/0x12/64/1767000000/480", "round 64 is outside"],
    ["/meeting/0x12/3/soon/480", "start time is not a whole number"],
    ["/meeting/0x12/3/1767000000/5", "turn length 5 is outside"],
    ["/meeting/0x12/3/1767000000/480/extra", "more parts"],
  ])("refuses %s (%s)", (text, reason) => {
    expect(() => parseMeetingLink(text)).toThrow(InvalidMeetingLinkError);
    expect(() => parseMeetingLink(text)).toThrow(reason);
  });
});

describe("the timeline", () => {
  it("runs before, each speaker then the listeners, and ends", () => {
    expect(meetingMoment(link, 3, link.start - 30)).to.deep.equal({ phase: "before", startsIn: 30 });
    const first = meetingMoment(link, 3, link.start);
    expect(first).to.include({ phase: "speaking", speaker: 0, remaining: DEFAULT_TURN_SECONDS, elapsed: 0 });
    expect(meetingMoment(link, 3, link.start + DEFAULT_TURN_SECONDS)).to.include({
      phase: "listening",
      speaker: 0,
      remaining: LISTENING_SECONDS,
    });
    expect(meetingMoment(link, 3, link.start + slot)).to.include({ phase: "speaking", speaker: 1 });
    expect(meetingMoment(link, 3, link.start + 3 * slot - 0.5)).to.include({ phase: "listening", speaker: 2 });
    expect(meetingMoment(link, 3, link.start + 3 * slot)).to.deep.equal({
      phase: "ended",
      endedAt: link.start + 3 * slot,
    });
    expect(meetingSchedule(link, 2).map((t) => t.speaksAt - link.start)).to.deep.equal([0, slot]);
  });

  it("a reload or a second device at the same instant derives the same moment", () => {
    for (let t = link.start - 10; t < link.start + 3 * slot + 10; t += 37.25) {
      expect(meetingMoment({ ...link }, 3, t)).to.deep.equal(meetingMoment(parseMeetingLink(meetingPath(link)), 3, t));
    }
  });

  it("a late joiner lands on the speaker who has the floor, with the time they have left", () => {
    // Joins 2 minutes into the second turn.
    const late = meetingMoment(link, 3, link.start + slot + 120);
    expect(late).to.include({ phase: "speaking", speaker: 1, remaining: DEFAULT_TURN_SECONDS - 120, elapsed: 120 });
  });

  it("shows minutes and seconds, rounded up", () => {
    expect([formatClock(480), formatClock(425.2), formatClock(0.3), formatClock(-4)]).to.deep.equal([
      "8:00",
      "7:06",
      "0:01",
      "0:00",
    ]);
  });
});
