/** Parsing of the values commands take (ids, addresses, rounds, members) into SDK types, with one-line errors. */
import type { ParseArgsOptionDescriptor } from "node:util";
import { getPod, PodNotFoundError, type TrothClient } from "@troth/sdk";
import { MEETING_TERM_MINUTES } from "@troth/sdk/crypto";
import { type Address, getAddress, isAddress, isAddressEqual } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Context } from "./context.ts";
import { CliError, UsageError } from "./errors.ts";
import { idText } from "./format.ts";

export type Options = Record<string, ParseArgsOptionDescriptor>;
// biome-ignore lint/suspicious/noExplicitAny: parseArgs values are typed by each command's option table
export type Values = Record<string, any>;

/** A command: `run` gets the parsed options and positionals. */
export type Command = {
  summary: string;
  /** The arguments after the command's name, e.g. "<pod> [--round <n>]". */
  usage: string;
  /** Longer help: what it does, the options. */
  help?: string;
  options: Options;
  run(ctx: Context, values: Values, positionals: string[]): Promise<void>;
};

/** A pod or token id: decimal, or 0x hex. */
export function parseId(value: string | undefined, what: string): bigint {
  if (value === undefined) throw new UsageError(`Missing ${what}.`);
  if (!/^(0x[0-9a-fA-F]{1,64}|\d{1,78})$/.test(value)) {
    throw new UsageError(`${what} must be a number, decimal or 0x-hex (got "${value}").`);
  }
  const id = BigInt(value);
  if (id >= 1n << 256n) throw new UsageError(`${what} does not fit in 256 bits.`);
  return id;
}

export function parseAddress(value: string | undefined, what: string): Address {
  if (value === undefined) throw new UsageError(`Missing ${what}.`);
  if (!isAddress(value, { strict: false })) throw new UsageError(`${what} must be an address 0x… (got "${value}").`);
  return getAddress(value);
}

/**
 * `--round <n>`: people count rounds from 1 (as the dApp shows them), the contract from 0, so `--round 1` is the
 * contract's round 0. Pass the pod's `rounds` to refuse a round past its cycle.
 */
export function parseRound(value: string | undefined, rounds = 64): number | undefined {
  if (value === undefined) return undefined;
  const round = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(round) || round < 1 || round > rounds) {
    throw new UsageError(`--round must be a round number from 1 to ${rounds} (got "${value}"); rounds count from 1.`);
  }
  return round - 1;
}

/** Refuses a round (the contract's index, from parseRound) past the pod's cycle of `rounds`. */
export async function roundInCycle(client: TrothClient, podId: bigint, round: number | undefined): Promise<void> {
  if (round === undefined) return;
  const { rounds } = await getPod(client, { podId });
  if (round >= rounds) {
    throw new UsageError(
      `--round must be a round number from 1 to ${rounds}, the rounds of this pod's cycle (got "${round + 1}").`,
    );
  }
}

export function parseInteger(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${value}").`);
  }
  return n;
}

/**
 * A meeting term of the covenant (`--turn-length`, `--recording-cap`): whole minutes within its bounds. Where a term
 * can return to its default (`pod amend`), `orDefault` also takes the word "default", read as null.
 */
export function parseMeetingMinutes(value: string, flag: string, orDefault?: false): number;
export function parseMeetingMinutes(value: string, flag: string, orDefault: true): number | null;
export function parseMeetingMinutes(value: string, flag: string, orDefault = false): number | null {
  if (orDefault && value === "default") return null;
  const { min, max } = MEETING_TERM_MINUTES;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) {
    throw new UsageError(
      `${flag} must be a whole number from ${min} to ${max}${orDefault ? ' or "default"' : ""} (got "${value}").`,
    );
  }
  return n;
}

/** `--member <address>=<commitment>`: a member and the commitment they make. */
export function parseMember(value: string): { address: Address; commitment: string } {
  const at = value.indexOf("=");
  if (at < 0 || value.slice(at + 1).trim() === "") {
    throw new UsageError(
      `--member takes <address>=<commitment>, e.g. --member 0xabc…="Run three times a week" (got "${value}").`,
    );
  }
  return {
    address: parseAddress(value.slice(0, at).trim(), "--member's address"),
    commitment: value.slice(at + 1).trim(),
  };
}

/** A unix time from seconds or an ISO date. */
export function parseTime(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`${flag} takes unix seconds or an ISO date (got "${value}").`);
  return Math.floor(ms / 1000);
}

export function positional(positionals: string[], index: number, name: string): string {
  const value = positionals[index];
  if (value === undefined) throw new UsageError(`Missing ${name}.`);
  return value;
}

export function noMorePositionals(positionals: string[], count: number) {
  if (positionals.length > count) throw new UsageError(`Unexpected argument "${positionals[count]}".`);
}

/**
 * A token from what the user typed: the id of a pod they belong to (their token in it), or a token id.
 */
export async function resolveToken(
  client: TrothClient,
  value: bigint,
  account: Address,
): Promise<{ tokenId: bigint; podId: bigint }> {
  try {
    const pod = await getPod(client, { podId: value });
    const mine = pod.members.find((m) => isAddressEqual(m.account, account));
    if (!mine) throw new CliError(`${account} is not a member of pod ${idText(value)}.`);
    return { tokenId: mine.tokenId, podId: value };
  } catch (error) {
    if (!(error instanceof PodNotFoundError)) throw error;
    const podId = value >> 8n;
    const pod = await getPod(client, { podId }).catch((e) => {
      if (e instanceof PodNotFoundError) throw new CliError(`No pod or commitment has the id ${idText(value)}.`);
      throw e;
    });
    if (!pod.members.some((m) => m.tokenId === value))
      throw new CliError(`No pod or commitment has the id ${idText(value)}.`);
    return { tokenId: value, podId };
  }
}

/** Signers for a consent: the user, then every --consent keystore (each unlocked with TROTH_PASSWORD or a prompt). */
export async function consentSigners(ctx: Context, files: readonly string[] = []) {
  const others = [];
  for (const file of files) others.push(privateKeyToAccount(await ctx.unlock(file)));
  return [await ctx.signer(), ...others];
}

export const consentOptions: Options = {
  consent: { type: "string", multiple: true },
  deadline: { type: "string" },
};

export const CONSENT_HELP = `Everyone the change needs (above) must consent. The signer consents; each --consent <keystore> adds the consent of
that keystore's account (unlocked with TROTH_PASSWORD or a prompt). --deadline <duration> bounds how long the
consents stay valid (default 1h).`;
