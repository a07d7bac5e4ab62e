/**
 * The one .ics writer (CLI and dApp), against RFC 5545's rules: CRLF lines of at most 75 octets folded without
 * splitting a UTF-8 character (emoji and CJK included), TEXT escaping, DTSTAMP and UTC times in basic form, UIDs unique
 * within a calendar and stable from one export to the next, rounds numbered from 1.
 */
import { describe, expect, it } from "vitest";
import { escapeIcsText, foldIcsLine, icsFileName, podCalendar, type RoundWindow } from "./helpers/exports.ts";

const DAY = 86_400;
const windows: RoundWindow[] = Array.from({ length: 4 }, (_, round) => ({
  round,
  opensAt: 1_800_000_000 + round * 7 * DAY,
  closesAt: 1_800_000_000 + round * 7 * DAY + 7 * DAY + 2 * DAY,
  quorum: round === 3 ? 2 : 1,
}));
const name = "朝のページ 🌅 Morning pages, together; again \\ with a very long name that must fold";
const calendar = (now = 1_799_000_000) =>
  podCalendar({ chainId: 31337, podId: 0xabcdefn, name, windows, rounds: 4, grace: 2 * DAY, now });

/** RFC 5545 §3.1 unfolding: a CRLF followed by one space or tab is removed. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, "");

/** The value of each property named `name`, unfolded. */
const values = (text: string, property: string) =>
  unfold(text)
    .split("\r\n")
    .filter((line) => line.startsWith(`${property}:`) || line.startsWith(`${property};`))
    .map((line) => line.slice(line.indexOf(":") + 1));

/** Undoes TEXT escaping (§3.3.11). */
const unescapeText = (value: string) =>
  value.replace(/\\([\\;,nN])/g, (_, c: string) => (c.toLowerCase() === "n" ? "\n" : c));

describe("iCalendar writer", () => {
  it("ends every line with CRLF, none longer than 75 octets, and never splits a character", () => {
    const text = calendar();
    expect(text.endsWith("END:VCALENDAR\r\n")).to.equal(true);
    expect(text.replace(/\r\n/g, "")).not.to.match(/[\r\n]/);
    for (const line of text.split("\r\n")) {
      expect(new TextEncoder().encode(line).length, line).to.be.at.most(75);
      expect(line).not.to.contain("\uFFFD");
    }
    expect(text.split("\r\n").some((line) => line.startsWith(" "))).to.equal(true);
  });

  it("folds at octets, not UTF-16 units: every split lands between characters, and unfolding restores the line", () => {
    for (const filler of ["x", "é", "朝", "🌅", "👩‍👩‍👧", "a朝🌅é"]) {
      for (let n = 1; n < 120; n += 7) {
        const line = `SUMMARY:${filler.repeat(n)}`;
        const folded = foldIcsLine(line);
        for (const part of folded.split("\r\n")) {
          const octets = new TextEncoder().encode(part);
          expect(octets.length).to.be.at.most(75);
          // A part decodes on its own: it starts and ends on character boundaries.
          expect(new TextDecoder("utf-8", { fatal: true }).decode(octets)).to.equal(part);
        }
        expect(unfold(folded)).to.equal(line);
      }
    }
  });

  it("escapes backslash, semicolon, comma and line breaks in TEXT, and drops other control characters", () => {
    expect(escapeIcsText("a\\b;c,d\r\ne\nf\rg\u0007h\ti")).to.equal("a\\\\b\\;c\\,d\\ne\\nf\\ng" + "h\ti");
    expect(unescapeText(values(calendar(), "X-WR-CALNAME")[0])).to.equal(name);
    expect(unescapeText(values(calendar(), "SUMMARY")[0])).to.equal(`${name}: round 1 of 4`);
  });

  it("numbers rounds from 1, with an open and a grace event each, and an alarm as the grace starts", () => {
    const text = calendar();
    expect(text.match(/BEGIN:VEVENT/g)).to.have.length(8);
    expect(text.match(/BEGIN:VALARM/g)).to.have.length(4);
    expect(values(text, "SUMMARY").map(unescapeText)).to.deep.equal(
      [1, 2, 3, 4].flatMap((r) => [`${name}: round ${r} of 4`, `${name}: grace for round ${r}`]),
    );
    expect(values(text, "DTSTART")[0]).to.equal("20270115T080000Z");
    // Round 1 is open until round 2 opens; its grace window runs from there to its close.
    expect(values(text, "DTEND")[0]).to.equal(values(text, "DTSTART")[2]);
    expect(values(text, "DTEND")[1]).to.equal("20270124T080000Z");
    // The last round's grace starts one grace before it closes.
    expect(values(text, "DTSTART").at(-1)).to.equal("20270212T080000Z");
    expect(unescapeText(values(text, "DESCRIPTION")[9])).to.match(/needs 2 witnesses/);
  });

  it("stamps every event (DTSTAMP, UTC), with UIDs unique in the calendar and stable from one export to the next", () => {
    const first = calendar(1_799_000_000);
    const later = calendar(1_799_500_000);
    const stamps = values(first, "DTSTAMP");
    expect(stamps).to.have.length(8);
    for (const stamp of stamps) expect(stamp).to.equal("20270103T181320Z");
    const uids = values(first, "UID");
    expect(new Set(uids).size).to.equal(uids.length);
    expect(values(later, "UID")).to.deep.equal(uids);
    expect(uids[0]).to.equal("troth-31337-0xabcdef-round-1-open@troth");
    // Another pod, or the same pod id on another chain, has other UIDs.
    const other = podCalendar({ chainId: 1, podId: 0xabcdefn, name, windows, rounds: 4, grace: 2 * DAY });
    expect(values(other, "UID").some((uid) => uids.includes(uid))).to.equal(false);
  });

  it("names the file after the pod, in any script", () => {
    expect(icsFileName("朝のページ / Morning pages")).to.equal("朝のページ Morning pages.ics");
    expect(icsFileName("Café ☕ club")).to.equal("Café club.ics");
    expect(icsFileName("../../etc/passwd")).to.equal("etc passwd.ics");
    expect(icsFileName("🌅🌅")).to.equal("troth-pod.ics");
  });
});
