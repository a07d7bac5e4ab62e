import type { Address } from "viem";

const HOUR = 3600;
const DAY = 86_400;

/** "7 days", "48 hours", "1 day and 12 hours"; "0 minutes" for none (a pod may have no grace at all). */
export function duration(seconds: number): string {
  if (seconds <= 0) return "0 minutes";
  if (seconds >= DAY && seconds % DAY === 0) return plural(seconds / DAY, "day");
  if (seconds >= DAY)
    return `${plural(Math.floor(seconds / DAY), "day")} and ${plural(Math.round((seconds % DAY) / HOUR), "hour")}`;
  if (seconds >= HOUR) return plural(Math.round(seconds / HOUR), "hour");
  return plural(Math.max(1, Math.round(seconds / 60)), "minute");
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "Tue 14 May, 18:00" in the reader's locale and time zone. */
export function when(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
}

export function shortAddress(address: Address | string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** Rounds are counted from 1 for people (round 0 on-chain is "week 1"). */
export const roundLabel = (round: number) => `round ${round + 1}`;

/** Whether a commitment still has a seat in its pod (not left, replaced or burned): whose rings and turns show. */
export function stillSeated(commitment: { status: string }): boolean {
  return commitment.status !== "left" && commitment.status !== "replaced" && commitment.status !== "burned";
}
