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
export type ReplantAdvice = { kind: "replant"; reason: ReplantReason; fixes: string[] } | { kind: "graduate" } | null;

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
  const fixes = [
    pod.cadence < 14 * DAY ? "meet every two weeks instead" : "meet at another time that suits everyone",
    pod.grace < 3 * DAY ? "allow a longer grace, three days" : "keep the grace, change the day",
    pod.activeCount < 3 ? "invite a third person" : "ask whether everyone still wants this rhythm",
  ];
  if (vitality.decay.some((d) => d.round < EARLY_ROUNDS)) return { kind: "replant", reason: "decay", fixes };
  const elapsed = now - pod.start;
  const checkpoint = CHECKPOINTS.find((c) => elapsed >= c.at && elapsed < c.at + pod.cadence);
  return checkpoint ? { kind: "replant", reason: checkpoint.reason, fixes } : null;
}
