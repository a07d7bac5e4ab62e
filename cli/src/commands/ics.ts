import { writeFile } from "node:fs/promises";
import { getPod, getRoundWindows } from "@troth/sdk";
import { type Command, noMorePositionals, parseId, positional } from "../args.ts";
import { idText } from "../format.ts";
import { formatDuration } from "../output.ts";

/** iCalendar text escaping (RFC 5545 §3.3.11). */
function escapeText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** Folds a content line at 75 octets (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = Buffer.from(line, "utf8");
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + (start === 0 ? 75 : 74), bytes.length);
    // Never split a UTF-8 sequence.
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString("utf8"));
    start = end;
  }
  return parts.join("\r\n ");
}

function icsTime(unix: number): string {
  return `${new Date(unix * 1000).toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;
}

export const ics: Command = {
  summary: "a calendar file (.ics) of the pod's rounds and their grace windows",
  usage: "<pod> [--out <file>] [--name <text>]",
  help: `Each round is an event from its opening to the next round's; its grace window (when it can still be checked in)
is a second event with an alarm. Times follow the schedule as it stands (a pause or an amendment moves them:
export again).`,
  options: { out: { type: "string" }, name: { type: "string" } },
  async run(ctx, values, positionals) {
    const podId = parseId(positional(positionals, 0, "pod"), "pod");
    noMorePositionals(positionals, 1);
    const client = await ctx.client();
    const pod = await getPod(client, { podId });
    const windows = await getRoundWindows(client, { podId, rounds: Array.from({ length: pod.rounds }, (_, r) => r) });
    const rounds = windows.map((w, i) => ({
      ...w,
      // Grace starts when the next round opens (the last round: one grace before it closes).
      graceStartsAt: Math.min(w.closesAt, windows[i + 1]?.opensAt ?? w.closesAt - pod.grace),
    }));
    const name = values.name ?? `Troth pod ${idText(podId).slice(0, 10)}…`;
    const stamp = icsTime(Math.floor(Date.now() / 1000));
    const uid = (round: number, kind: string) => `troth-${client.chainId}-${podId}-${round}-${kind}@troth`;
    const lines = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Troth//troth CLI//EN",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      `X-WR-CALNAME:${escapeText(name)}`,
    ];
    for (const r of rounds) {
      lines.push(
        "BEGIN:VEVENT",
        `UID:${uid(r.round, "round")}`,
        `DTSTAMP:${stamp}`,
        `DTSTART:${icsTime(r.opensAt)}`,
        `DTEND:${icsTime(r.graceStartsAt)}`,
        `SUMMARY:${escapeText(`${name}: round ${r.round + 1} of ${pod.rounds}`)}`,
        `DESCRIPTION:${escapeText(`Round ${r.round + 1} is open: check in (troth checkin ${idText(podId)}) and witness your partners. Quorum: ${r.quorum} witness(es).`)}`,
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "BEGIN:VEVENT",
        `UID:${uid(r.round, "grace")}`,
        `DTSTAMP:${stamp}`,
        `DTSTART:${icsTime(r.graceStartsAt)}`,
        `DTEND:${icsTime(r.closesAt)}`,
        `SUMMARY:${escapeText(`${name}: grace for round ${r.round + 1}`)}`,
        `DESCRIPTION:${escapeText(`Round ${r.round + 1} can still be checked in and witnessed for ${formatDuration(r.closesAt - r.graceStartsAt)}; it closes at the end of this window.`)}`,
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        `DESCRIPTION:${escapeText(`Round ${r.round + 1} closes in ${formatDuration(r.closesAt - r.graceStartsAt)}`)}`,
        "TRIGGER:PT0S",
        "END:VALARM",
        "END:VEVENT",
      );
    }
    lines.push("END:VCALENDAR");
    const text = `${lines.map(fold).join("\r\n")}\r\n`;
    if (values.out) await writeFile(values.out, text);
    if (ctx.out.json) return ctx.out.result({ podId, name, file: values.out ?? null, rounds }, "");
    if (values.out)
      return ctx.out.result(null, `Wrote ${rounds.length} rounds of pod ${idText(podId)} to ${values.out}.`);
    process.stdout.write(text);
  },
};
