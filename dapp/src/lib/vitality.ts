import type { PodView } from "@troth/sdk";
import type { Vitality } from "@troth/sdk/audit";
import type { Address } from "viem";

export type Signal = { tone: "calm" | "notice" | "celebrate"; text: string };

/**
 * The SDK audit's vitality signals in plain words. Never a judgement: an invitation for the pod to talk.
 */
export function vitalityWords(pod: PodView, vitality: Vitality, name: (a: Address) => string): Signal[] {
  const signals: Signal[] = [];
  const decayed = new Map<string, (typeof vitality.decay)[number]>();
  for (const d of vitality.decay) decayed.set(d.account, d);
  for (const d of decayed.values()) {
    signals.push({
      tone: "notice",
      text:
        d.reason === "two-missed-in-a-row"
          ? `${name(d.account)} has missed two rounds in a row. A kind word, or beginning again, can help; nothing is lost.`
          : `${name(d.account)}'s long streak was broken. That happens; beginning again is always open.`,
    });
  }
  for (const w of vitality.oneSided.witnessOnly) {
    signals.push({
      tone: "notice",
      text: `${name(w.account)} has been witnessing others but hasn't checked in yet. Their turn to be heard matters too.`,
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
