import type { CovenantTerms } from "@troth/sdk";
import type { CovenantDocument } from "@troth/sdk/crypto";
import { type Address, getAddress, isAddress, isAddressEqual } from "viem";

/** The covenant as the creator writes it (kept as a draft while written). */
export type CovenantForm = {
  title: string;
  /** `name`: how the member appears to the pod (sealed in the covenant); empty or absent for none. */
  members: { address: string; commitment: string; name?: string }[];
  cadenceDays: number;
  graceHours: number;
  rounds: number;
  quorum: number;
  /** Each speaker's turn in a meeting, in minutes (absent in drafts saved before it existed: the default). */
  turnMinutes?: number;
  /** The longest recorded reflection, in minutes (absent in older drafts: the default). */
  recordingCapMinutes?: number;
  whenSomeoneMisses: string;
  notTherapy: boolean;
  /** The pod this covenant renews (hex id), for a second cycle. */
  previousPod?: string;
  /**
   * Proposed while a partner had no published key yet: the covenant waits here (saved, encrypted) and is made as soon
   * as every partner's key appears.
   */
  awaitingKeys?: boolean;
};

/** The longest name a member may appear under (the SDK's DISPLAY_NAME_MAX_LENGTH, without loading the SDK here). */
export const DISPLAY_NAME_MAX = 40;

export const defaultWhenSomeoneMisses =
  "We ask what got in the way, without blame, and the member begins again at the next round. Nobody is shamed for a miss.";

/**
 * The covenant's meeting terms as the SDK bounds them (MEETING_TERM_MINUTES, DEFAULT_TURN_MINUTES and
 * DEFAULT_RECORDING_CAP_MINUTES in @troth/sdk/crypto, repeated so this form loads no SDK code).
 */
export const MEETING_MINUTES = { min: 1, max: 60 } as const;
export const DEFAULT_TURN_MINUTES = 8;
export const DEFAULT_RECORDING_CAP_MINUTES = 20;

/**
 * The next cycle of a graduated pod that keeps the thread quarterly: every 13 weeks, four rounds (a year), a week of
 * grace to reschedule (the contract's longest cadence is a quarter, 92 days).
 */
export const QUARTERLY = { cadenceDays: 91, rounds: 4, graceHours: 7 * 24 } as const;

/** What to say of a quorum outside 1 to `witnesses` (the members but the one checking in), in plain numbers. */
export function quorumProblem(witnesses: number): string {
  return witnesses <= 1
    ? "With two members, each check-in has one witness: the other member. Enter 1."
    : `Between 1 and ${witnesses} witnesses (everyone but the one checking in).`;
}

/**
 * What is wrong with a rhythm, as the contract bounds it (`_validateTerms`): a cadence of 1 to 92 days, a grace of at
 * most one cadence, 1 to `witnesses` witnesses. The new-pod form and the amend form both ask it.
 */
export function rhythmProblems(
  rhythm: { cadenceDays: number; graceHours: number; quorum: number },
  witnesses: number,
): { cadence?: string; grace?: string; quorum?: string } {
  const p: { cadence?: string; grace?: string; quorum?: string } = {};
  const { cadenceDays, graceHours, quorum } = rhythm;
  if (!Number.isInteger(cadenceDays) || cadenceDays < 1 || cadenceDays > 92)
    p.cadence = "Meet every 1 to 92 days (92: quarterly).";
  if (!Number.isInteger(graceHours) || graceHours < 0 || graceHours > cadenceDays * 24)
    p.grace = "Grace is 0 hours up to one full cadence.";
  if (!Number.isInteger(quorum) || quorum < 1 || quorum > witnesses) p.quorum = quorumProblem(witnesses);
  return p;
}

/** What is wrong with the meeting terms (minutes; absent means the default). */
export function meetingProblems(terms: { turnMinutes?: number; recordingCapMinutes?: number }): {
  turnMinutes?: string;
  recordingCapMinutes?: string;
} {
  const minutes = (value: number | undefined) =>
    value === undefined || (Number.isInteger(value) && value >= MEETING_MINUTES.min && value <= MEETING_MINUTES.max);
  return {
    ...(!minutes(terms.turnMinutes) && {
      turnMinutes: `A turn is ${MEETING_MINUTES.min} to ${MEETING_MINUTES.max} minutes.`,
    }),
    ...(!minutes(terms.recordingCapMinutes) && {
      recordingCapMinutes: `A recording is ${MEETING_MINUTES.min} to ${MEETING_MINUTES.max} minutes at most.`,
    }),
  };
}

export function emptyCovenantForm(me: Address): CovenantForm {
  return {
    title: "",
    members: [
      { address: me, commitment: "" },
      { address: "", commitment: "" },
    ],
    cadenceDays: 7,
    graceHours: 48,
    rounds: 13,
    quorum: 1,
    turnMinutes: DEFAULT_TURN_MINUTES,
    recordingCapMinutes: DEFAULT_RECORDING_CAP_MINUTES,
    whenSomeoneMisses: defaultWhenSomeoneMisses,
    notTherapy: false,
  };
}

/** Sentences in a commitment: a commitment is one or two. */
export function sentenceCount(text: string): number {
  return text
    .trim()
    .split(/(?<=[.!?])\s+/)
    .filter((s) => s.trim().length > 0).length;
}

export type FormProblems = Partial<Record<string, string>>;

/** Everything wrong with the form, by field name, in plain words (empty when it can be proposed). */
export function covenantProblems(form: CovenantForm): FormProblems {
  const p: FormProblems = {};
  if (!form.title.trim()) p.title = "Give the pod a name.";
  else if (form.title.length > 120) p.title = "Keep the name under 120 characters.";
  form.members.forEach((m, i) => {
    if (!isAddress(m.address)) p[`member-${i}-address`] = "Enter the partner's wallet address (0x…).";
    else if (
      form.members.slice(0, i).some((o) => isAddress(o.address) && isAddressEqual(o.address, m.address as Address))
    )
      p[`member-${i}-address`] = "This address is already in the pod.";
    const name = m.name?.trim() ?? "";
    if (name.length > DISPLAY_NAME_MAX)
      p[`member-${i}-name`] = `Keep the name to ${DISPLAY_NAME_MAX} characters or fewer.`;
    else if (/[\r\n]/.test(name)) p[`member-${i}-name`] = "Keep the name on one line.";
    const n = sentenceCount(m.commitment);
    if (n === 0) p[`member-${i}-commitment`] = "Write the commitment in a sentence or two.";
    else if (n > 2) p[`member-${i}-commitment`] = "Keep it to one or two sentences.";
    else if (m.commitment.length > 500) p[`member-${i}-commitment`] = "Keep it under 500 characters.";
  });
  if (form.members.length < 2 || form.members.length > 8) p.members = "A pod has 2 to 8 members.";
  Object.assign(p, rhythmProblems(form, form.members.length - 1), meetingProblems(form));
  if (!Number.isInteger(form.rounds) || form.rounds < 1 || form.rounds > 64) p.rounds = "A cycle has 1 to 64 rounds.";
  if (!form.whenSomeoneMisses.trim()) p.whenSomeoneMisses = "Say what the pod does when someone misses.";
  if (!form.notTherapy) p.notTherapy = "Everyone agrees to this before the pod begins.";
  return p;
}

/**
 * The SDK's covenant terms for a valid form. A meeting term is written only when it differs from the default, so a
 * covenant with the usual meetings keeps its older version (readable by SDKs that predate meeting terms).
 */
export function toCovenantTerms(form: CovenantForm): CovenantTerms {
  return {
    title: form.title.trim(),
    members: form.members.map((m) => ({
      address: getAddress(m.address),
      commitment: m.commitment.trim(),
      ...(m.name?.trim() ? { name: m.name.trim() } : {}),
    })),
    cadence: form.cadenceDays * 86_400,
    grace: form.graceHours * 3600,
    rounds: form.rounds,
    quorum: form.quorum,
    ...(form.turnMinutes !== undefined && form.turnMinutes !== DEFAULT_TURN_MINUTES
      ? { turnLength: form.turnMinutes }
      : {}),
    ...(form.recordingCapMinutes !== undefined && form.recordingCapMinutes !== DEFAULT_RECORDING_CAP_MINUTES
      ? { recordingCap: form.recordingCapMinutes }
      : {}),
    whenSomeoneMisses: form.whenSomeoneMisses.trim(),
    ...(form.previousPod ? { previousPod: BigInt(form.previousPod) } : {}),
  };
}

/**
 * The renewal covenant's draft, for the new-pod form: the members still active with the commitments and names they
 * had, this cycle's rhythm (or the quarterly one, {@link QUARTERLY}) and its meeting terms, the same words.
 */
export function renewalForm({
  covenant,
  pod,
  active,
  previousPod,
  quarterly = false,
}: {
  covenant: CovenantDocument;
  pod: { cadence: number; grace: number; rounds: number; quorum: number };
  active: readonly Address[];
  previousPod: string;
  quarterly?: boolean;
}): CovenantForm {
  return {
    title: covenant.title,
    members: active.map((address) => {
      const was = covenant.members.find((d) => isAddressEqual(d.address, address));
      return { address, commitment: was?.commitment ?? "", ...(was?.name ? { name: was.name } : {}) };
    }),
    cadenceDays: Math.max(1, Math.round(pod.cadence / 86_400)),
    graceHours: Math.round(pod.grace / 3600),
    rounds: pod.rounds,
    quorum: pod.quorum,
    ...(quarterly ? QUARTERLY : {}),
    // The next cycle meets as this one did, unless the creator changes it.
    ...(covenant.terms.turnLength !== undefined ? { turnMinutes: covenant.terms.turnLength } : {}),
    ...(covenant.terms.recordingCap !== undefined ? { recordingCapMinutes: covenant.terms.recordingCap } : {}),
    whenSomeoneMisses: covenant.whenSomeoneMisses,
    notTherapy: false,
    previousPod,
  };
}
