import { type Address, getAddress, isAddressEqual } from "viem";
import type { ReportDocument, WitnessReplyText } from "./crypto/documents.ts";

/**
 * The pod's private mirror: signs of a pod's life that need what members wrote, computed on a member's own device from
 * the reports and replies it decrypted. Nothing here touches the network or storage; the caller shows the result to
 * the member and keeps it in memory only.
 */

export type MirrorReport = {
  member: Address;
  round: number;
  report: Pick<ReportDocument, "said" | "blocked" | "next" | "struggleFirst">;
};
export type MirrorReply = { from: Address; round: number; reply: WitnessReplyText };

export type PodMirror = {
  /** Per round with reports: how many led with the struggle (as their authors marked it), of how many reports. */
  struggle: { round: number; led: number; of: number }[];
  /** The reader's own latest check-ins read much alike (shown to them only); null when they do not. */
  ownAlike: { rounds: number[]; similarity: number } | null;
  /** One member asked most of the questions lately; null when the asking is shared (or too little to tell). */
  oneAsking: { member: Address; questions: number; of: number } | null;
};

/** How many of the reader's latest check-ins are compared, and how alike (0–1) they must read. */
export const ALIKE_REPORTS = 3;
export const ALIKE_THRESHOLD = 0.6;
/** At least this many questions before one member's share means anything, and the share that counts as "most". */
export const ASKING_MIN_QUESTIONS = 4;
export const ASKING_SHARE = 0.6;

function words(report: MirrorReport["report"]): Set<string> {
  return new Set(
    `${report.said} ${report.blocked} ${report.next}`
      .toLowerCase()
      .split(/[^\p{L}\p{N}']+/u)
      .filter((w) => w.length > 2),
  );
}

/** Jaccard similarity of two word sets: shared words over all words. */
function alike(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Computes the mirror for `reader` from decrypted reports and replies (any order).
 *
 * @example
 * ```ts
 * const mirror = podMirror({ reader: me, reports, replies });
 * if (mirror.ownAlike) console.log("your last check-ins read alike");
 * ```
 */
export function podMirror({
  reader,
  reports,
  replies,
}: {
  reader: Address;
  reports: readonly MirrorReport[];
  replies: readonly MirrorReply[];
}): PodMirror {
  const rounds = [...new Set(reports.map((r) => r.round))].sort((a, b) => a - b);
  const struggle = rounds.map((round) => {
    const these = reports.filter((r) => r.round === round);
    return { round, led: these.filter((r) => r.report.struggleFirst === true).length, of: these.length };
  });

  const own = reports
    .filter((r) => isAddressEqual(r.member, reader))
    .sort((a, b) => b.round - a.round)
    .slice(0, ALIKE_REPORTS);
  let ownAlike: PodMirror["ownAlike"] = null;
  if (own.length === ALIKE_REPORTS) {
    const sets = own.map((r) => words(r.report));
    const pairs: number[] = [];
    for (let i = 0; i < sets.length; i++) for (let j = i + 1; j < sets.length; j++) pairs.push(alike(sets[i], sets[j]));
    const similarity = pairs.reduce((sum, x) => sum + x, 0) / pairs.length;
    if (similarity >= ALIKE_THRESHOLD) ownAlike = { rounds: own.map((r) => r.round).sort((a, b) => a - b), similarity };
  }

  const questions = replies.filter((r) => r.reply === "What did you notice?");
  const byMember = new Map<string, number>();
  for (const q of questions) byMember.set(getAddress(q.from), (byMember.get(getAddress(q.from)) ?? 0) + 1);
  let oneAsking: PodMirror["oneAsking"] = null;
  for (const [member, count] of byMember) {
    if (questions.length >= ASKING_MIN_QUESTIONS && count / questions.length > ASKING_SHARE) {
      oneAsking = { member: member as Address, questions: count, of: questions.length };
    }
  }
  return { struggle, ownAlike, oneAsking };
}

/**
 * The mirror in words that describe and never grade, for the reader. `name` turns an address into how the pod knows
 * the member ("You" for the reader).
 *
 * @example
 * ```ts
 * for (const line of mirrorWords(mirror, name)) console.log(line);
 * ```
 */
export function mirrorWords(
  mirror: PodMirror,
  name: (member: Address) => string,
  roundLabel = (r: number) => `round ${r + 1}`,
): string[] {
  const lines: string[] = [];
  const latest = mirror.struggle.at(-1);
  if (latest) {
    lines.push(
      latest.led === 0
        ? `In ${roundLabel(latest.round)}, nobody marked leading with the struggle. It is welcome here, whenever it is true.`
        : `In ${roundLabel(latest.round)}, ${latest.led} of ${latest.of} check-ins led with the struggle.`,
    );
  }
  if (mirror.ownAlike) {
    lines.push(
      `Your last ${mirror.ownAlike.rounds.length} check-ins read much alike. Is something staying the same that you would like to name?`,
    );
  }
  if (mirror.oneAsking) {
    lines.push(
      `${name(mirror.oneAsking.member)} asked ${mirror.oneAsking.questions} of the last ${mirror.oneAsking.of} questions. Anyone may ask what they noticed.`,
    );
  }
  return lines;
}
