import { describe, expect, it } from "vitest";
import { buildIcs } from "../src/lib/ics.ts";

describe("calendar export", () => {
  const windows = [
    { round: 0, opensAt: 1_800_000_000, closesAt: 1_800_000_000 + 86_400 + 7200, quorum: 1 },
    { round: 1, opensAt: 1_800_086_400, closesAt: 1_800_086_400 + 86_400 + 7200, quorum: 1 },
  ];

  it("has one event per round, from opening to close (grace included), with a reminder", () => {
    const ics = buildIcs({ podId: 0xabcn, title: "Morning pages, together; again", windows, now: 1_799_000_000 });
    expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).to.equal(true);
    expect(ics.endsWith("END:VCALENDAR\r\n")).to.equal(true);
    expect(ics.match(/BEGIN:VEVENT/g)?.length).to.equal(2);
    expect(ics).to.contain("DTSTART:20270115T080000Z");
    expect(ics).to.contain("DTEND:20270116T100000Z");
    expect(ics).to.contain("UID:troth-abc-round-1@troth");
    expect(ics).to.contain("TRIGGER;RELATED=END:-P1D");
    expect(ics).to.contain("Morning pages\\, together\\; again");
  });

  it("folds long lines at 75 octets", () => {
    const ics = buildIcs({ podId: 1n, title: "x".repeat(200), windows: windows.slice(0, 1) });
    for (const line of ics.split("\r\n")) expect(line.length).to.be.at.most(75);
  });
});
