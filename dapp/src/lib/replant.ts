import type { PodView } from "@troth/sdk";
import type { Vitality } from "@troth/sdk/audit";

const DAY = 86_400;
/** The pattern's checkpoints: decay is looked for in month three and month six. */
export const CHECKPOINTS = [
  { reason: "month-3", at: 90 * DAY },
  { reason: "month-6", at: 180 * DAY },
] as const;
/** Decay that shows by round 6 (the contract's rounds 0–5) is a reason to pause and redesign. */
export const EARLY_ROUNDS = 6;

export type ReplantReason = (typeof CHECKPOINTS)[number]["reason"] | "decay";
/**
 * What a fix fills in when a member chooses it: new terms for the amend form (days between rounds, hours of grace), or
 * the add-member form. Nothing is proposed until the member reviews it and everyone consents.
 */
export type ReplantPrefill =
  | { amend: { cadenceDays?: number; graceHours?: number } }
  | { addMember: true }
  | { renewQuarterly: true };

export type ReplantFix = { words: string; prefill?: ReplantPrefill };
export type ReplantAdvice =
  | { kind: "replant"; reason: ReplantReason; fixes: ReplantFix[] }
  | { kind: "graduate" }
  | null;

/**
 * What pod home offers, from the pod and its chain signs alone: to replant (pause and redesign the covenant) during
 * the round that holds the three- or six-month mark, or when decay showed by round 6; after two strong cycles, to
 * graduate or meet quarterly next cycle. The usual fixes come with it, in words.
 */
export function replantAdvice({
  pod,
  vitality,
  now,
}: {
  pod: PodView;
  vitality: Vitality;
  now: number;
}): ReplantAdvice {
  if (vitality.graduation.graduated.length > 0 && pod.status === "ended") return { kind: "graduate" };
  if (pod.status !== "active") return null;
  const fixes: ReplantFix[] = [
    pod.cadence < 14 * DAY
      ? { words: "meet every two weeks instead", prefill: { amend: { cadenceDays: 14 } } }
      : { words: "meet at another time that suits everyone" },
    pod.grace < 3 * DAY
      ? { words: "allow a longer grace, three days", prefill: { amend: { graceHours: 72 } } }
      : { words: "keep the grace, change the day" },
    pod.activeCount < 3
      ? { words: "invite a third person", prefill: { addMember: true } }
      : { words: "ask whether everyone still wants this rhythm" },
  ];
  if (vitality.decay.some((d) => d.round < EARLY_ROUNDS)) return { kind: "replant", reason: "decay", fixes };
  const elapsed = now - pod.start;
  const checkpoint = CHECKPOINTS.find((c) => elapsed >= c.at && elapsed < c.at + pod.cadence);
  return checkpoint ? { kind: "replant", reason: checkpoint.reason, fixes } : null;
}

/**
 * The query a fix adds to the manage page's path (`?cadence-days=14`, `?grace-hours=72`, `?add-member`,
 * `?renew=quarterly`): a plain link
 * a member can follow, reload or share, that the page reads back with {@link readReplantPrefill}.
 */
export function replantQuery(prefill: ReplantPrefill): string {
  if ("addMember" in prefill) return "?add-member";
  if ("renewQuarterly" in prefill) return "?renew=quarterly";
  const query = new URLSearchParams();
  if (prefill.amend.cadenceDays !== undefined) query.set("cadence-days", String(prefill.amend.cadenceDays));
  if (prefill.amend.graceHours !== undefined) query.set("grace-hours", String(prefill.amend.graceHours));
  return `?${query}`;
}

/** The prefill a path's query names (see {@link replantQuery}); values that are not whole numbers are ignored. */
export function readReplantPrefill(path: string): ReplantPrefill | undefined {
  const at = path.indexOf("?");
  if (at < 0) return undefined;
  const query = new URLSearchParams(path.slice(at + 1));
  if (query.has("add-member")) return { addMember: true };
  if (query.get("renew") === "quarterly") return { renewQuarterly: true };
  const whole = (name: string) => {
    const value = query.get(name);
    return value !== null && /^\d{1,4}$/.test(value) ? Number(value) : undefined;
  };
  const amend = {
    ...(whole("cadence-days") !== undefined ? { cadenceDays: whole("cadence-days") } : {}),
    ...(whole("grace-hours") !== undefined ? { graceHours: whole("grace-hours") } : {}),
  };
  return Object.keys(amend).length ? { amend } : undefined;
}
