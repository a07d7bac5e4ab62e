/**
 * `troth meeting`: meeting mode in the terminal, for a member without a browser. The same link as the dApp's
 * (`/meeting/<pod>/<round>/<start>/<turn>`), the round's speaking order, and a timer derived from the link and the
 * clock (the SDK's `meetingMoment`), so it shows the same speaker as every other device.
 */
import {
  DEFAULT_TURN_SECONDS,
  formatClock,
  getPod,
  getSpeakingOrder,
  MAX_TURN_SECONDS,
  type MeetingLink,
  type MeetingMoment,
  MIN_TURN_SECONDS,
  meetingMoment,
  meetingPath,
  meetingSchedule,
  parseMeetingLink,
  readCovenant,
  type TrothClient,
} from "@troth/sdk";
import { meetingTermsOf } from "@troth/sdk/crypto";
import { renderUnicodeCompact } from "uqr";
import type { Address } from "viem";
import { type Command, noMorePositionals, parseId, parseRound, positional, type Values } from "../args.ts";
import type { Context } from "../context.ts";
import { UsageError } from "../errors.ts";
import { idText, roundLabel } from "../format.ts";
import { formatTime, parseDuration } from "../output.ts";

/** What the terminal shows at one moment, in words (the same words every redraw). */
export function momentLine(moment: MeetingMoment, order: readonly Address[]): string {
  switch (moment.phase) {
    case "before":
      return `Starts in ${formatClock(moment.startsIn)}.`;
    case "speaking":
      return `${order[moment.speaker]} has the floor: ${formatClock(moment.remaining)} left. No interruptions.`;
    case "listening":
      return `${order[moment.speaker]} finished. Answer only "Thank you" or "What did you notice?" (${formatClock(moment.remaining)}).`;
    case "ended":
      return "Everyone has spoken. Partners now sign each check-in (in the app, or troth witness).";
  }
}

/** Where a meeting's turn comes from: the link followed, `--turn`, the covenant (`--read`), or the default. */
type TurnSource = "link" | "--turn" | "covenant" | "default";

/** `--turn` and `--start` of a new meeting, checked before the network is asked. */
function startFlags(values: Values): { turn?: number; start: number } {
  const turn = values.turn ? parseDuration(values.turn, "--turn") : undefined;
  if (turn !== undefined && (turn < MIN_TURN_SECONDS || turn > MAX_TURN_SECONDS)) {
    throw new UsageError(`--turn must be from ${MIN_TURN_SECONDS / 60} to ${MAX_TURN_SECONDS / 60} minutes.`);
  }
  const start = values.start === undefined ? Math.ceil(Date.now() / 1000) + 10 : Number(values.start);
  if (!Number.isSafeInteger(start) || start <= 0)
    throw new UsageError(`--start takes unix seconds (got "${values.start}").`);
  return { turn, start };
}

/**
 * A new meeting of the pod: its open round (or `--round`), starting in 10 s (or `--start`), turns of `--turn`, else
 * (`--read`) the covenant's turn length, else the default.
 */
async function startLink(
  ctx: Context,
  client: TrothClient,
  values: Values,
  { podId, turn, start }: { podId: bigint; turn?: number; start: number },
): Promise<{ link: MeetingLink; turnSource: TurnSource }> {
  const pod = await getPod(client, { podId });
  const round = parseRound(values.round, pod.rounds) ?? pod.currentRound;
  if (turn !== undefined) return { link: { podId, round, start, turn }, turnSource: "--turn" };
  if (!values.read) return { link: { podId, round, start, turn: DEFAULT_TURN_SECONDS }, turnSource: "default" };
  // How the pod's meetings run is in its covenant, off the chain: only a member decrypts it.
  ctx.out.progress("reading the turn length from the covenant");
  const { terms } = await readCovenant(client, { podId, identity: await ctx.identity() });
  return { link: { podId, round, start, turn: meetingTermsOf(terms).turnSeconds }, turnSource: "covenant" };
}

/** The first line: the meeting, each turn (whole minutes as "8 min"), and where that turn comes from. */
function headline(link: MeetingLink, turnSource: TurnSource): string {
  const turn = link.turn % 60 === 0 ? `${link.turn / 60} min` : formatClock(link.turn);
  const from = {
    link: "",
    "--turn": "",
    covenant: ", the covenant's turn length",
    default: ", the default turn (--read takes the covenant's)",
  }[turnSource];
  return `Meeting for ${roundLabel(link.round)} of pod ${idText(link.podId)}: ${turn} each${from}.`;
}

export const meeting: Command = {
  summary: "meeting mode: the speaking order and a timer in step with every device (the app's meeting link)",
  usage: "<pod> [--turn <duration> | --read] [--start <unix seconds>] [--round <n>] | <meeting link>",
  help: `Starts a meeting for a pod's open round (prints the link for the others: open it in the app, or pass it to
troth meeting), or follows a meeting someone started, given its link (a full URL, or /meeting/…).
  --turn <duration>  each speaker's turn (default 8m; 1m to 60m)
  --read             take the turn length from the covenant instead (you must be a member; --turn wins)
  --start <unix>     when the first turn starts (default: in 10 seconds)
  --round <n>        the round (default: the open one), counted from 1
  --app <url>        the app's address, to print a full URL (TROTH_APP_URL)
  --qr               print the link as a QR code too
On a terminal the timer runs until the meeting ends (a soft bell at the end of each turn; Ctrl-C leaves). Without a
terminal (a pipe, a script), it prints the schedule and where the meeting stands, then exits.`,
  options: {
    turn: { type: "string" },
    read: { type: "boolean", default: false },
    start: { type: "string" },
    round: { type: "string" },
    app: { type: "string" },
    qr: { type: "boolean", default: false },
  },
  async run(ctx, values, positionals) {
    const first = positional(positionals, 0, "pod or meeting link");
    noMorePositionals(positionals, 1);
    // A link is read before anything is asked of the network: a damaged one says so at once.
    const given = first.includes("/meeting/") ? parseMeetingLink(first) : undefined;
    if (given && (values.turn || values.read || values.start || values.round)) {
      throw new UsageError("A meeting link already names its round, start and turn: give the link alone.");
    }
    // So are a new meeting's pod, turn and start.
    const starting = given ? undefined : { podId: parseId(first, "pod"), ...startFlags(values) };
    const client = await ctx.client();
    const { link, turnSource } = starting
      ? await startLink(ctx, client, values, starting)
      : { link: given as MeetingLink, turnSource: "link" as const };
    const order = await getSpeakingOrder(client, { podId: link.podId, round: link.round });
    const path = meetingPath(link);
    const app = (values.app ?? process.env.TROTH_APP_URL)?.replace(/\/$/, "");
    // The app's address from --app, or from the link that was given, so the others can open it as it is.
    const givenApp = given && first.includes("://") ? first.slice(0, first.indexOf("#")).replace(/\/$/, "") : undefined;
    const base = app ?? givenApp;
    const url = base ? `${base}/#${path}` : path;
    const schedule = meetingSchedule(link, order.length);
    const now = () => Date.now() / 1000;
    if (ctx.out.json) {
      return ctx.out.result(
        {
          link: { ...link, path, url },
          turnSource,
          order,
          schedule,
          moment: meetingMoment(link, order.length, now()),
        },
        "",
      );
    }
    const lines = [
      headline(link, turnSource),
      `Link for the others: ${url}`,
      ...(values.qr ? ["", renderUnicodeCompact(url)] : []),
      "",
      "Speaking order:",
      ...schedule.map((t) => `  ${t.speaker + 1}. ${order[t.speaker]}  from ${formatTime(Math.floor(t.speaksAt))}`),
      "",
    ];
    if (!process.stdout.isTTY) {
      return ctx.out.result(null, [...lines, momentLine(meetingMoment(link, order.length, now()), order)]);
    }
    process.stdout.write(`${lines.join("\n")}\n`);
    await new Promise<void>((resolve) => {
      let phase = "";
      const tick = () => {
        const moment = meetingMoment(link, order.length, now());
        // A soft bell when a turn ends; a new line for each phase, the clock redrawn in place.
        if (phase === "speaking" && moment.phase === "listening") process.stdout.write("\x07");
        if (moment.phase !== phase && phase !== "") process.stdout.write("\n");
        process.stdout.write(`\r\x1b[2K${momentLine(moment, order)}`);
        phase = moment.phase;
        if (moment.phase === "ended") {
          clearInterval(timer);
          process.stdout.write("\n");
          resolve();
        }
      };
      const timer = setInterval(tick, 1000);
      tick();
      process.once("SIGINT", () => {
        clearInterval(timer);
        process.stdout.write("\nLeft the meeting; it goes on for the others.\n");
        resolve();
      });
    });
  },
};
