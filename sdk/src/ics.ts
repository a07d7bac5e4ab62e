/**
 * The one iCalendar (RFC 5545) writer for a pod's rounds, for every app: the same events, UIDs and round numbers
 * (people see rounds from 1) from the CLI's `troth ics` and the dApp's calendar button.
 */
import type { RoundWindow } from "./actions/getRoundWindows.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Escapes text for an iCalendar TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma are escaped, every line
 * break becomes `\n`, and other control characters (which TEXT may not hold) are dropped.
 *
 * @example
 * ```ts
 * escapeIcsText("Run; swim, rest"); // "Run\\; swim\\, rest"
 * ```
 */
export function escapeIcsText(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n")
    .replace(/[^\P{Cc}\t]/gu, "");
}

/**
 * Folds a content line so no line is longer than 75 octets of UTF-8 (RFC 5545 §3.1): each continuation starts with a
 * space (which counts), and a multi-byte character is never split.
 *
 * @example
 * ```ts
 * foldIcsLine(`SUMMARY:${"☀".repeat(40)}`).split("\r\n"); // lines of at most 75 octets
 * ```
 */
export function foldIcsLine(line: string): string {
  const bytes = encoder.encode(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + (start === 0 ? 75 : 74), bytes.length);
    // A UTF-8 continuation byte (10xxxxxx) is never the first of a part.
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
    parts.push(decoder.decode(bytes.subarray(start, end)));
    start = end;
  }
  return parts.join("\r\n ");
}

/** A UTC date-time in iCalendar's basic form (`20270115T080000Z`). */
export function icsDateTime(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;
}

/**
 * A file name for a pod's calendar: its name, kept readable in any script (letters, digits, spaces, `-` and `_`),
 * with `.ics`; `troth-pod.ics` when nothing is left.
 *
 * @example
 * ```ts
 * icsFileName("朝のページ / Morning pages"); // "朝のページ Morning pages.ics"
 * ```
 */
export function icsFileName(name: string): string {
  const kept = name
    .normalize("NFC")
    .replace(/[^\p{L}\p{M}\p{N} _-]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 80)
    .trim();
  return `${kept || "troth-pod"}.ics`;
}

export type PodCalendarParameters = {
  /** The chain the pod lives on: UIDs are unique per chain, pod and round. */
  chainId: number;
  podId: bigint;
  /** The pod's name (its covenant's title): the calendar's name, and the start of every event's summary. */
  name: string;
  /** Every round's window, as `getRoundWindows` returns them (rounds numbered from 0, as the contract does). */
  windows: readonly RoundWindow[];
  /** The pod's number of rounds (for "round 2 of 12"). */
  rounds: number;
  /** The pod's grace period in seconds: where the last round's grace window starts. */
  grace: number;
  /** Where a member checks in (the dApp's pod page), added to each event. */
  url?: string;
  /** When the calendar is written (DTSTAMP; default now), unix seconds. */
  now?: number;
};

/**
 * A calendar of a pod's rounds: for each, an event while it is open and an event for its grace window (when it can
 * still be checked in and witnessed) with an alarm as the grace starts. UIDs are stable per chain, pod, round and
 * event, so importing an updated calendar (after a pause or an amendment moved the rounds) updates the events in
 * place. Nothing in it is private beyond the name the member chose to give it.
 *
 * @example
 * ```ts
 * const windows = await getRoundWindows(troth, { podId, rounds: [...Array(pod.rounds).keys()] });
 * const text = podCalendar({ chainId, podId, name: covenant.title, windows, rounds: pod.rounds, grace: pod.grace });
 * ```
 */
export function podCalendar({
  chainId,
  podId,
  name,
  windows,
  rounds,
  grace,
  url,
  now = Math.floor(Date.now() / 1000),
}: PodCalendarParameters): string {
  const stamp = icsDateTime(now);
  const uid = (round: number, event: string) =>
    `troth-${chainId}-0x${podId.toString(16)}-round-${round}-${event}@troth`;
  const link = url ? [`URL:${url}`] : [];
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Troth//Troth SDK//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeIcsText(name)}`,
  ];
  windows.forEach((w, i) => {
    // Grace starts when the next round opens (the last round: one grace before it closes).
    const graceStartsAt = Math.min(w.closesAt, windows[i + 1]?.opensAt ?? w.closesAt - grace);
    const round = w.round + 1;
    const witnesses = w.quorum === 1 ? "1 witness" : `${w.quorum} witnesses`;
    lines.push(
      "BEGIN:VEVENT",
      `UID:${uid(round, "open")}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${icsDateTime(w.opensAt)}`,
      `DTEND:${icsDateTime(graceStartsAt)}`,
      `SUMMARY:${escapeIcsText(`${name}: round ${round} of ${rounds}`)}`,
      `DESCRIPTION:${escapeIcsText(`Round ${round} is open: check in, and witness your partners. Each check-in needs ${witnesses}.`)}`,
      ...link,
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
      "BEGIN:VEVENT",
      `UID:${uid(round, "grace")}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${icsDateTime(graceStartsAt)}`,
      `DTEND:${icsDateTime(w.closesAt)}`,
      `SUMMARY:${escapeIcsText(`${name}: grace for round ${round}`)}`,
      `DESCRIPTION:${escapeIcsText(`Round ${round} can still be checked in and witnessed until the end of this event; then it closes.`)}`,
      ...link,
      "TRANSP:TRANSPARENT",
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      `DESCRIPTION:${escapeIcsText(`${name}: round ${round} is in its grace window`)}`,
      "TRIGGER;RELATED=START:PT0S",
      "END:VALARM",
      "END:VEVENT",
    );
  });
  lines.push("END:VCALENDAR");
  return `${lines.map(foldIcsLine).join("\r\n")}\r\n`;
}
