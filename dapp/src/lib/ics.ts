import type { RoundWindow } from "@troth/sdk";

/** Escapes text for an iCalendar value (RFC 5545 §3.3.11). */
function text(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\n/g, "\\n");
}

function stamp(unixSeconds: number): string {
  return new Date(unixSeconds * 1000)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** Folds lines longer than 75 octets (RFC 5545 §3.1). */
function fold(line: string): string {
  const out: string[] = [];
  for (let i = 0; i < line.length; i += 73) out.push((i === 0 ? "" : " ") + line.slice(i, i + 73));
  return out.join("\r\n");
}

/**
 * A calendar of a pod's rounds: one event per round, from when it opens to when it closes (grace included), with a
 * reminder a day before it closes. Nothing in it is private: the title is the one the member chose for the file.
 */
export function buildIcs({
  podId,
  title,
  windows,
  now = Date.now() / 1000,
}: {
  podId: bigint;
  title: string;
  windows: readonly RoundWindow[];
  now?: number;
}): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Troth//Pod rounds//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${text(title)}`,
  ];
  for (const w of windows) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:troth-${podId.toString(16)}-round-${w.round}@troth`,
      `DTSTAMP:${stamp(now)}`,
      `DTSTART:${stamp(w.opensAt)}`,
      `DTEND:${stamp(w.closesAt)}`,
      `SUMMARY:${text(`${title}: check-in, round ${w.round + 1}`)}`,
      `DESCRIPTION:${text(`Round ${w.round + 1} is open until the end of this event (grace included). Check in, and witness your partners.`)}`,
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      `DESCRIPTION:${text(`Round ${w.round + 1} closes in a day`)}`,
      "TRIGGER;RELATED=END:-P1D",
      "END:VALARM",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(fold).join("\r\n")}\r\n`;
}
