/** Consent-gated changes to a running pod: pause, resume, amend its terms. */
import {
  prepareAmend,
  preparePause,
  prepareResume,
  submitAmendSync,
  submitPauseSync,
  submitResumeSync,
} from "@troth/sdk";
import { parseInteger } from "../args.ts";
import { idText, roundLabel } from "../format.ts";
import { parseDuration } from "../output.ts";
import { twoPhaseCommand } from "./pod-two-phase.ts";

export const podPause = twoPhaseCommand({
  action: "pause",
  summary: "pause the pod clock (every active member consents)",
  help: "",
  options: {},
  terms: "",
  preparing: "preparing the consent request",
  prepare: (client, podId, deadline) => preparePause(client, { podId, deadline }),
  async submit(client, prepared, signatures) {
    const { pausedAt, hash } = await submitPauseSync(client, { prepared, signatures });
    return {
      data: { podId: prepared.podId, pausedAt, transaction: hash },
      lines: [`Paused pod ${idText(prepared.podId)}.`, `Transaction ${hash}`],
    };
  },
});

export const podResume = twoPhaseCommand({
  action: "resume",
  summary: "resume a paused pod (every active member consents)",
  help: "",
  options: {},
  terms: "",
  preparing: "preparing the consent request",
  prepare: (client, podId, deadline) => prepareResume(client, { podId, deadline }),
  async submit(client, prepared, signatures) {
    const { pausedFor, hash } = await submitResumeSync(client, { prepared, signatures });
    return {
      data: { podId: prepared.podId, pausedFor, transaction: hash },
      lines: [`Resumed pod ${idText(prepared.podId)} after ${pausedFor} s.`, `Transaction ${hash}`],
    };
  },
});

export const podAmend = twoPhaseCommand({
  action: "amend",
  summary: "change cadence, grace, quorum or wording from the next round on (every active member consents)",
  help: "  --cadence <duration> --grace <duration> --quorum <n> --title <text> --misses <text>: the new terms\n",
  terms: " [terms]",
  preparing: "preparing the change and storing it on IPFS",
  options: {
    cadence: { type: "string" },
    grace: { type: "string" },
    quorum: { type: "string" },
    title: { type: "string" },
    misses: { type: "string" },
  },
  async prepare(client, podId, deadline, ctx, values) {
    return prepareAmend(client, {
      podId,
      deadline,
      identity: await ctx.identity(),
      ...(values.cadence ? { cadence: parseDuration(values.cadence, "--cadence") } : {}),
      ...(values.grace ? { grace: parseDuration(values.grace, "--grace") } : {}),
      ...(values.quorum ? { quorum: parseInteger(values.quorum, "--quorum", 1, 7) } : {}),
      changes: {
        ...(values.title ? { title: values.title } : {}),
        ...(values.misses ? { whenSomeoneMisses: values.misses } : {}),
      },
    });
  },
  async submit(client, prepared, signatures) {
    const { fromRound, hash } = await submitAmendSync(client, { prepared, signatures });
    return {
      data: { podId: prepared.podId, fromRound, amendment: prepared.amendment, transaction: hash },
      lines: [`Amended pod ${idText(prepared.podId)} from ${roundLabel(fromRound)}.`, `Transaction ${hash}`],
    };
  },
});
