import { DEFAULT_TURN_MINUTES } from "./crypto/documents.ts";
import { BaseError } from "./errors/base.ts";

/**
 * A meeting without a server: whoever starts it makes a link naming the pod, the round, the start time and the turn
 * length, and every device that opens it derives the same timeline from the link and its own clock (a pure function),
 * so they stay in step after a reload, a late join, or while offline.
 */

/** The peer-circle form: 8 minutes each, uninterrupted (unless the covenant sets another turn length). */
export const DEFAULT_TURN_SECONDS = DEFAULT_TURN_MINUTES * 60;
/** After each turn, a minute for the listeners' answer ("Thank you" or "What did you notice?"), then the next. */
export const LISTENING_SECONDS = 60;
/** Shortest and longest turn a link may name. */
export const MIN_TURN_SECONDS = 60;
export const MAX_TURN_SECONDS = 60 * 60;

export type MeetingLink = {
  podId: bigint;
  /** The round the meeting is for (the protocol's index, from 0). */
  round: number;
  /** When the first turn starts (unix seconds). */
  start: number;
  /** Seconds each speaker has. */
  turn: number;
};

/** A meeting link that cannot be read: it names what is wrong. */
export class InvalidMeetingLinkError extends BaseError {
  override name = "InvalidMeetingLinkError" as const;
  constructor({ link, reason }: { link: string; reason: string }) {
    super(`This meeting link is damaged: ${reason}. Ask whoever started the meeting to send it again.`, {
      metaMessages: [`Link: ${link.slice(0, 120)}`],
    });
  }
}

/**
 * The link's path, the same in the dApp (after `#`) and the CLI: `/meeting/<pod id>/<round>/<start>/<turn>`.
 *
 * @example
 * ```ts
 * meetingPath({ podId, round: 3, start: 1_767_000_000, turn: 480 }); // "/meeting/0x6bf9…/3/1767000000/480"
 * ```
 */
export function meetingPath({ podId, round, start, turn }: MeetingLink): string {
  return `/meeting/0x${podId.toString(16)}/${round}/${start}/${turn}`;
}

/**
 * Reads a meeting link: a full dApp URL, its `#/meeting/…` part or the bare path. Throws
 * {@link InvalidMeetingLinkError} saying what is wrong.
 *
 * @example
 * ```ts
 * const link = parseMeetingLink("https://troth.example/#/meeting/0x6bf9…/3/1767000000/480");
 * ```
 */
export function parseMeetingLink(text: string): MeetingLink {
  const fail = (reason: string): never => {
    throw new InvalidMeetingLinkError({ link: text, reason });
  };
  const at = text.indexOf("/meeting/");
  if (at < 0) fail("it has no /meeting/ part");
  const [pod, round, start, turn, ...rest] = text
    .slice(at + "/meeting/".length)
    .split(/[?#]/)[0]
    .split("/");
  if (rest.some((part) => part !== "")) fail("it has more parts than a meeting link");
  if (!/^0x[0-9a-fA-F]{1,64}$/.test(pod ?? "")) fail("the pod id is not 0x-hex");
  const integer = (value: string | undefined, what: string, min: number, max: number) => {
    if (!/^\d{1,12}$/.test(value ?? "")) fail(`the ${what} is not a whole number`);
    const n = Number(value);
    if (n < min || n > max) fail(`the ${what} ${n} is outside ${min}–${max}`);
    return n;
  };
  return {
    podId: BigInt(pod),
    round: integer(round, "round", 0, 63),
    start: integer(start, "start time", 1, 2 ** 40),
    turn: integer(turn, "turn length", MIN_TURN_SECONDS, MAX_TURN_SECONDS),
  };
}

/** One speaker's place in the meeting (unix seconds). */
export type MeetingTurn = { speaker: number; speaksAt: number; listensAt: number; endsAt: number };

/**
 * The meeting's timeline for `speakers` speakers in order: each speaks for `turn` seconds, then the listeners have
 * {@link LISTENING_SECONDS} to answer.
 */
export function meetingSchedule({ start, turn }: Pick<MeetingLink, "start" | "turn">, speakers: number): MeetingTurn[] {
  const slot = turn + LISTENING_SECONDS;
  return Array.from({ length: speakers }, (_, speaker) => {
    const speaksAt = start + speaker * slot;
    return { speaker, speaksAt, listensAt: speaksAt + turn, endsAt: speaksAt + slot };
  });
}

/** Where a meeting stands at one moment. */
export type MeetingMoment =
  | { phase: "before"; startsIn: number }
  | { phase: "speaking"; speaker: number; remaining: number; elapsed: number; turn: MeetingTurn }
  | { phase: "listening"; speaker: number; remaining: number; turn: MeetingTurn }
  | { phase: "ended"; endedAt: number };

/**
 * Where the meeting stands at `now` (unix seconds, fractions allowed): before it, someone speaking (and for how much
 * longer), the listeners answering the one who just spoke, or over. A pure function of the link, the number of
 * speakers and the time: every device, a reloaded one or one that joins late, lands on the same speaker.
 *
 * @example
 * ```ts
 * const moment = meetingMoment(link, order.length, Date.now() / 1000);
 * if (moment.phase === "speaking") console.log(order[moment.speaker], moment.remaining);
 * ```
 */
export function meetingMoment(link: Pick<MeetingLink, "start" | "turn">, speakers: number, now: number): MeetingMoment {
  if (now < link.start) return { phase: "before", startsIn: link.start - now };
  const schedule = meetingSchedule(link, speakers);
  const current = schedule.find((t) => now < t.endsAt);
  if (!current) return { phase: "ended", endedAt: schedule.at(-1)?.endsAt ?? link.start };
  if (now < current.listensAt) {
    return {
      phase: "speaking",
      speaker: current.speaker,
      remaining: current.listensAt - now,
      elapsed: now - current.speaksAt,
      turn: current,
    };
  }
  return { phase: "listening", speaker: current.speaker, remaining: current.endsAt - now, turn: current };
}

/** "7:05": minutes and seconds left, rounded up so a turn never shows 0:00 while it lasts. */
export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}
