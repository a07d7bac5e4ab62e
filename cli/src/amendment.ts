/**
 * What an amendment changes in the covenant, read before anyone signs it: the chain checks only the amended covenant's
 * digest, so the member is shown the amended document itself (its wording, rhythm, meeting terms, every member's
 * commitment and name) in plain words, and an amendment whose covenant disagrees with what it says is refused.
 */
import {
  AmendmentMismatchError,
  type AmendmentTerms,
  type CovenantChange,
  readAmendment,
  type TrothClient,
} from "@troth/sdk";
import { type CovenantDocument, DEFAULT_RECORDING_CAP_MINUTES, DEFAULT_TURN_MINUTES } from "@troth/sdk/crypto";
import { isAddressEqual } from "viem";
import type { Context } from "./context.ts";
import { CliError } from "./errors.ts";
import { idText } from "./format.ts";
import { formatDuration, shortAddress } from "./output.ts";

/** A text as typed, quoted and escaped (a control character in a covenant never reaches the terminal as one). */
const quoted = (text: string | undefined) => (text === undefined ? "(none)" : JSON.stringify(text));
const duration = (seconds: number | undefined) => (seconds === undefined ? "(none)" : formatDuration(seconds));
const minutes = (value: number | undefined, fallback: number) =>
  value === undefined ? `${fallback} min (default)` : `${value} min`;

/** One change in plain words: `title: "A" → "B"`, `each turn: 8 min (default) → 12 min`, `Bo's commitment: …`. */
export function changeLine(change: CovenantChange, members: CovenantDocument["members"]): string {
  switch (change.field) {
    case "title":
      return `title: ${quoted(change.before)} → ${quoted(change.after)}`;
    case "whenSomeoneMisses":
      return `when someone misses: ${quoted(change.before)} → ${quoted(change.after)}`;
    case "cadence":
      return `a round every: ${duration(change.before)} → ${duration(change.after)}`;
    case "grace":
      return `grace to reschedule: ${duration(change.before)} → ${duration(change.after)}`;
    case "quorum":
      return `witnesses per check-in: ${change.before ?? "(none)"} → ${change.after ?? "(none)"}`;
    case "turnLength":
      return `each turn: ${minutes(change.before, DEFAULT_TURN_MINUTES)} → ${minutes(change.after, DEFAULT_TURN_MINUTES)}`;
    case "recordingCap":
      return `longest recording: ${minutes(change.before, DEFAULT_RECORDING_CAP_MINUTES)} → ${minutes(change.after, DEFAULT_RECORDING_CAP_MINUTES)}`;
    case "commitment":
    case "name": {
      const name = members.find((m) => isAddressEqual(m.address, change.member))?.name;
      const who = name ? `${quoted(name)} (${shortAddress(change.member)})` : change.member;
      return `${who}'s ${change.field}: ${quoted(change.before)} → ${quoted(change.after)}`;
    }
  }
}

/**
 * Reads what `amendment` changes in the pod's covenant (as the signer, a member) and words it; an amended covenant that
 * disagrees with what the amendment says (or is sealed under an earlier key) is refused in one sentence.
 */
export async function reviewAmendment(
  ctx: Context,
  client: TrothClient,
  podId: bigint,
  amendment: AmendmentTerms,
): Promise<{ changes: CovenantChange[]; lines: string[] }> {
  ctx.out.progress("reading what the amendment changes in the covenant");
  try {
    const { before, after, changes } = await readAmendment(client, {
      podId,
      amendment,
      identity: await ctx.identity(),
    });
    const members = [...after.members, ...before.members];
    return {
      changes,
      lines: changes.length
        ? ["It changes the covenant:", ...changes.map((change) => `  ${changeLine(change, members)}`)]
        : ["It changes nothing in the covenant."],
    };
  } catch (error) {
    if (!(error instanceof AmendmentMismatchError)) throw error;
    throw new CliError(
      `Refusing to sign: the amendment of pod ${idText(podId)} does not match what it says (${error.reason}); ask whoever prepared it to prepare it again.`,
    );
  }
}
