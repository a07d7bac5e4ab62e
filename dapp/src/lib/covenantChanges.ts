/**
 * An amendment's changes to the covenant, one plain sentence each, for the consent screen: a member sees everything
 * the amended covenant says differently (not only the rhythm the chain checks) before agreeing.
 */
import type { CovenantChange } from "@troth/sdk";
import type { Address } from "viem";
import { DEFAULT_RECORDING_CAP_MINUTES, DEFAULT_TURN_MINUTES } from "./covenantForm.ts";
import { duration, plural } from "./format.ts";

const quoted = (text: string | undefined) => (text === undefined ? "nothing" : `“${text}”`);
const minutes = (value: number | undefined, fallback: number) =>
  value === undefined ? `${plural(fallback, "minute")} (the usual)` : plural(value, "minute");
const witnesses = (n: number | undefined) => (n === 1 ? "one witness" : `${n} witnesses`);

/** One sentence for one change; `nameOf` says who a member is (their name in the pod, or a short address). */
export function changeWords(change: CovenantChange, nameOf: (member: Address) => string): string {
  switch (change.field) {
    case "title":
      return `The pod's name: ${quoted(change.before)} becomes ${quoted(change.after)}.`;
    case "whenSomeoneMisses":
      return `When someone misses: ${quoted(change.before)} becomes ${quoted(change.after)}.`;
    case "cadence":
      return `Meet every ${duration(change.before ?? 0)} becomes every ${duration(change.after ?? 0)}.`;
    case "grace":
      return `Grace to reschedule: ${duration(change.before ?? 0)} becomes ${duration(change.after ?? 0)}.`;
    case "quorum":
      return `Each check-in needs ${witnesses(change.before)}; it will need ${witnesses(change.after)}.`;
    case "turnLength":
      return `Each speaker's turn: ${minutes(change.before, DEFAULT_TURN_MINUTES)} becomes ${minutes(change.after, DEFAULT_TURN_MINUTES)}.`;
    case "recordingCap":
      return `Longest recorded reflection: ${minutes(change.before, DEFAULT_RECORDING_CAP_MINUTES)} becomes ${minutes(change.after, DEFAULT_RECORDING_CAP_MINUTES)}.`;
    case "commitment":
      return `${nameOf(change.member)}'s commitment: ${quoted(change.before)} becomes ${quoted(change.after)}. A commitment is its member's own words: agree only if they asked for this.`;
    case "name":
      return `${nameOf(change.member)} appears as ${quoted(change.after)} instead of ${quoted(change.before)}.`;
  }
}
