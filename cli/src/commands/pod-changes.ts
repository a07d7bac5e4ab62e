/** Consent-gated changes to a running pod: pause, resume, amend its terms. */
import {
  type PrepareAmendParameters,
  prepareAmend,
  preparePause,
  prepareResume,
  submitAmendSync,
  submitPauseSync,
  submitResumeSync,
} from "@troth/sdk";
import { reviewAmendment } from "../amendment.ts";
import { parseInteger, parseMeetingMinutes } from "../args.ts";
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
  summary:
    "change cadence, grace, quorum, meeting terms or wording from the next round on (every active member consents)",
  help: `  --cadence <duration> --grace <duration> --quorum <n> --title <text> --misses <text>: the new terms
  --turn-length <minutes> --recording-cap <minutes>: the new meeting terms, 1-60, or "default" (8 and 20 minutes)
What the amendment changes in the covenant is printed (and in --json, "changes") before anyone consents.
`,
  terms: " [terms]",
  preparing: "preparing the change and storing it on IPFS",
  options: {
    cadence: { type: "string" },
    grace: { type: "string" },
    quorum: { type: "string" },
    title: { type: "string" },
    misses: { type: "string" },
    "turn-length": { type: "string" },
    "recording-cap": { type: "string" },
  },
  parse(values): Omit<PrepareAmendParameters, "podId" | "deadline" | "identity"> {
    // Left out, a term stays as it is; "default" returns a meeting term to the default (null).
    const meetingTerm = (flag: "turn-length" | "recording-cap") =>
      values[flag] === undefined ? undefined : parseMeetingMinutes(values[flag], `--${flag}`, true);
    return {
      cadence: values.cadence ? parseDuration(values.cadence, "--cadence") : undefined,
      grace: values.grace ? parseDuration(values.grace, "--grace") : undefined,
      quorum: parseInteger(values.quorum || undefined, "--quorum", 1, 7),
      turnLength: meetingTerm("turn-length"),
      recordingCap: meetingTerm("recording-cap"),
      changes: {
        ...(values.title ? { title: values.title } : {}),
        ...(values.misses ? { whenSomeoneMisses: values.misses } : {}),
      },
    };
  },
  async prepare(client, podId, deadline, ctx, terms) {
    return prepareAmend(client, { podId, deadline, identity: await ctx.identity(), ...terms });
  },
  async review(client, prepared, ctx) {
    const { changes, lines } = await reviewAmendment(ctx, client, prepared.podId, prepared.amendment);
    return { data: { changes }, lines };
  },
  async submit(client, prepared, signatures) {
    const { fromRound, hash } = await submitAmendSync(client, { prepared, signatures });
    return {
      data: { podId: prepared.podId, fromRound, amendment: prepared.amendment, transaction: hash },
      lines: [`Amended pod ${idText(prepared.podId)} from ${roundLabel(fromRound)}.`, `Transaction ${hash}`],
    };
  },
});
