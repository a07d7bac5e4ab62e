import { UsageError } from "./errors.ts";

/** What the CLI prints: human lines by default, one JSON document with --json (bigints as decimal strings). */

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

export type Printer = {
  json: boolean;
  /** Prints the result: `human` lines, or `data` as JSON. */
  result(data: unknown, human: string | readonly string[]): void;
  /** A progress note on a long step (stderr, only on a terminal, never with --json). */
  progress(message: string): void;
};

export function createPrinter(json: boolean): Printer {
  return {
    json,
    result(data, human) {
      if (json) process.stdout.write(`${toJson(data)}\n`);
      else process.stdout.write(`${(typeof human === "string" ? [human] : human).join("\n")}\n`);
    },
    progress(message) {
      if (!json && process.stderr.isTTY) process.stderr.write(`… ${message}\n`);
    },
  };
}

/** "2 d 4 h", "35 min", "12 s": a duration for people. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return `${minutes} min`;
  return `${s} s`;
}

/** A unix time as an ISO date and time (UTC, to the minute). */
export function formatTime(unix: number): string {
  return `${new Date(unix * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** An address shortened for tables: 0x1234…abcd. */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** Parses a duration flag: seconds, or a number with s, m, h, d or w ("7d", "48h"). */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+)\s*(s|m|min|h|d|w)?$/.exec(value.trim());
  if (!match)
    throw new UsageError(`${flag} takes a duration such as 7d, 48h, 30m or a number of seconds (got "${value}").`);
  const unit = { s: 1, m: 60, min: 60, h: 3_600, d: 86_400, w: 604_800 }[match[2] ?? "s"] ?? 1;
  return Number(match[1]) * unit;
}
