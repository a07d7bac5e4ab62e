/** Human renderings of the SDK's views, shared by `pod show` and `audit`. */
import { type Claim, type CommitmentView, formatId, formatTokenId, type PodView, type RoundState } from "@troth/sdk";
import { isAddressEqual } from "viem";
import { formatDuration, formatTime, shortAddress } from "./output.ts";

/** A round as people count it: the contract's round 0 is "round 1" (as in the dApp). */
export const roundLabel = (round: number) => `round ${round + 1}`;
/** A pod or token id as the dApp's URLs show it: 0x hex (the SDK's one formatting, as in the dApp). */
export const idText = formatId;

const ROUND_SYMBOLS: Record<RoundState, string> = {
  witnessed: "✓",
  missed: "✗",
  reported: "◐",
  open: "○",
  upcoming: "·",
  paused: "‖",
  outside: " ",
};

export const ROUND_LEGEND = "✓ witnessed  ✗ missed  ◐ checked in, awaiting witnesses  ○ open  · upcoming  ‖ paused";

/** One character per round of the cycle. */
export function roundStrip(states: readonly RoundState[]): string {
  return states.map((s) => ROUND_SYMBOLS[s]).join("");
}

export function podLines(pod: PodView): string[] {
  const round = pod.started ? `round ${pod.currentRound + 1} of ${pod.rounds}` : `starts ${formatTime(pod.start)}`;
  return [
    `Pod ${idText(pod.podId)}`,
    `  ${pod.status}, ${round}, cycle ${pod.cycle}${pod.previousPod ? ` (renews ${idText(pod.previousPod)})` : ""}`,
    `  every ${formatDuration(pod.cadence)}, grace ${formatDuration(pod.grace)}, quorum ${pod.quorum}; round 1 opened ${formatTime(pod.start)}`,
    `  ${pod.activeCount} active of ${pod.memberCount} members${pod.pausedAt ? `; paused since ${formatTime(pod.pausedAt)}` : ""}`,
  ];
}

export function commitmentLines(c: CommitmentView & { roundStates: readonly RoundState[] }, label: string): string[] {
  return [
    `  ${label}  ${c.status}`,
    `    ${roundStrip(c.roundStates)}`,
    `    witnessed ${c.witnessed}, missed ${c.missed}, open ${c.open}, upcoming ${c.upcoming}; streak ${c.currentStreak} (longest ${c.longestStreak}); restarts ${c.restarts}`,
    `    token ${idText(c.tokenId)} (${formatTokenId(c.tokenId)})`,
  ];
}

/** An address as a short label, marked when it is the user's. */
export function label(address: string, me?: string): string {
  return me && isAddressEqual(address as `0x${string}`, me as `0x${string}`)
    ? `${shortAddress(address)} (you)`
    : shortAddress(address);
}

/** A standing claim: what it asks, and where its window stands (the countdown, or what to do now). */
export function claimLines(claim: Claim): string[] {
  const token = idText(claim.tokenId);
  const what =
    claim.kind === "recovery"
      ? `recovery: the seat of ${claim.member} moves to ${claim.successor} (a lost wallet)`
      : `replacement: ${claim.member} (absent) by ${claim.successor}`;
  const state = claim.stale
    ? "stale: the pod's keyring changed since it was made, so it can never be completed (make it again)"
    : claim.windowOpen
      ? `completable from ${formatTime(claim.notBefore)} (in ${formatDuration(claim.secondsLeft)}); any action of ${shortAddress(claim.member)} in the pod cancels it before then (\`troth claim cancel ${token}\`)`
      : claim.completable
        ? `completable now: anyone runs \`troth claim complete ${token}\``
        : "its window has passed, but the pod can no longer take it (ended, or too few members)";
  return [`#${Number(claim.tokenId & 0xffn)} token ${token}: ${what}`, `  ${state}`];
}
