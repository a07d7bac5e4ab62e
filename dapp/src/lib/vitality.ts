import type { Address } from "viem";
import type { GetVitalityReturnType } from "../actions/getVitality.ts";
import { roundLabel, stillSeated } from "./format.ts";

export type Signal = { tone: "calm" | "notice" | "celebrate"; text: string };

/** "You" is the one name that takes another verb form. */
const has = (who: string) => (who === "You" ? "have" : "has");

/**
 * The pod's health in plain words: who missed the last round, the SDK audit's vitality signals, renewal. Never a
 * judgement: an invitation for the pod to talk. Read from one source (see `getVitality`), so pod home, My pods and the
 * audit page say the same thing; "Nothing needs attention" only when nobody missed.
 */
export function vitalityWords(
  { pod, commitments, vitality }: GetVitalityReturnType,
  name: (a: Address) => string,
): Signal[] {
  const signals: Signal[] = [];
  const seated = commitments.filter(stillSeated);
  const lapsed = seated.filter((c) => c.status === "lapsed");
  const twoInARow = new Set(
    vitality.decay.filter((d) => d.reason === "two-missed-in-a-row").map((d) => d.account.toLowerCase()),
  );
  // The round the misses were in: the last one a lapsed member missed.
  const missedRound = Math.max(-1, ...lapsed.map((c) => c.roundStates.lastIndexOf("missed")));
  if (lapsed.length > 1 && lapsed.length === seated.length && missedRound >= 0) {
    signals.push({
      tone: "notice",
      text: `Nobody was witnessed in ${roundLabel(missedRound)}. It happens to every pod: each of you can begin again, together, and nothing is lost.`,
    });
  } else {
    for (const c of lapsed) {
      const who = name(c.account);
      const round = c.roundStates.lastIndexOf("missed");
      signals.push({
        tone: "notice",
        text: twoInARow.has(c.account.toLowerCase())
          ? `${who} ${has(who)} missed two rounds in a row. A kind word, or beginning again, can help; nothing is lost.`
          : `${who} missed ${round >= 0 ? roundLabel(round) : "the last round"}. Beginning again is open at any time; nothing is lost.`,
      });
    }
  }
  const named = new Set(lapsed.map((c) => c.account.toLowerCase()));
  const decayed = new Map<string, (typeof vitality.decay)[number]>();
  for (const d of vitality.decay) if (!named.has(d.account.toLowerCase())) decayed.set(d.account, d);
  for (const d of decayed.values()) {
    const who = name(d.account);
    signals.push({
      tone: "notice",
      text:
        d.reason === "two-missed-in-a-row"
          ? `${who} ${has(who)} missed two rounds in a row. A kind word, or beginning again, can help; nothing is lost.`
          : `${who}'s long streak was broken. That happens; beginning again is always open.`,
    });
  }
  for (const w of vitality.oneSided.witnessOnly) {
    signals.push({
      tone: "notice",
      text:
        name(w.account) === "You"
          ? "You have been witnessing others but haven't checked in yet. Your turn to be heard matters too."
          : `${name(w.account)} has been witnessing others but hasn't checked in yet. Their turn to be heard matters too.`,
    });
  }
  if (vitality.oneSided.dominantWitness) {
    signals.push({
      tone: "notice",
      text: `${name(vitality.oneSided.dominantWitness.account)} is doing most of the witnessing. Sharing it keeps the pod balanced.`,
    });
  }
  if (vitality.graduation.graduated.length > 0) {
    signals.push({
      tone: "celebrate",
      text: "Two cycles kept together: this pod has graduated. Well done, all of you.",
    });
  } else if (vitality.renewal.renewable) {
    signals.push({
      tone: "celebrate",
      text: "This cycle is complete. If it helped, consider renewing together for another.",
    });
  } else if (pod.started && pod.status === "active" && pod.rounds - pod.currentRound <= 2) {
    const left = pod.rounds - pod.currentRound - 1;
    signals.push({
      tone: "calm",
      text: `${left === 0 ? "This is the last round" : `${left} round${left === 1 ? "" : "s"} left after this one`}: time to consider renewing together.`,
    });
  }
  if (pod.status === "paused")
    signals.push({ tone: "calm", text: "The pod is paused: no round closes and nobody can miss while it rests." });
  if (signals.length === 0) {
    signals.push({
      tone: "calm",
      text: pod.started
        ? "Everyone is keeping the rhythm. Nothing needs attention."
        : "The first round hasn't opened yet.",
    });
  }
  return signals;
}

/** The one line a pod's card shows: what most needs attention, else the calm word. */
export function headlineSignal(health: GetVitalityReturnType, name: (a: Address) => string): Signal {
  const signals = vitalityWords(health, name);
  return signals.find((s) => s.tone === "notice") ?? signals[0];
}
