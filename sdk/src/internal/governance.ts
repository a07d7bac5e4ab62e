import { type Account, type Address, isAddressEqual } from "viem";
import type { ConsentSource, TrothClient } from "../client.ts";
import type { TrothPrimaryType } from "../eip712.ts";
import { collectConsents } from "./consent.ts";
import { readTroth, write } from "./contract.ts";
import { activeAccounts, chainTime, membersOf } from "./pod.ts";

export type ConsentParameters = {
  /** One consent per active member (and the newcomer, if any): their wallets, or signatures already made. */
  signers: readonly ConsentSource[];
  /** Last second the consents may be used (default: an hour from the latest block). */
  deadline?: bigint;
};

/** The pod's members, its record (nonce, digests) and the deadline consents are signed for. */
export async function governanceContext(client: TrothClient, podId: bigint, deadline?: bigint) {
  const [members, record, now] = await Promise.all([
    membersOf(client, podId),
    readTroth(client, "podRecord", [podId]),
    deadline === undefined ? chainTime(client) : Promise.resolve(0),
  ]);
  return { members, record, nonce: record.nonce, deadline: deadline ?? BigInt(now + 3600) };
}

/**
 * Consents of every active member in token order (but `skip`), then of `newcomer`: the order the contract checks.
 */
export async function podConsents(
  client: TrothClient,
  {
    members,
    signers,
    primaryType,
    message,
    skip,
    newcomer,
  }: {
    members: Awaited<ReturnType<typeof membersOf>>;
    signers: readonly ConsentSource[];
    primaryType: TrothPrimaryType;
    message: Record<string, unknown>;
    skip?: Address;
    newcomer?: Address;
  },
) {
  const required = activeAccounts(members).filter((a) => !skip || !isAddressEqual(a, skip));
  if (newcomer) required.push(newcomer);
  return collectConsents(client, {
    required,
    sources: signers,
    primaryType,
    message,
    what: `the ${primaryType} consent`,
  });
}

/** Pause and resume: the same consent (`{ podId, nonce, deadline }`) of every active member, and the same call. */
export async function writeClockChange(
  client: TrothClient,
  change: "pause" | "resume",
  { podId, signers, deadline, account }: ConsentParameters & { podId: bigint; account?: Account | Address },
) {
  const context = await governanceContext(client, podId, deadline);
  const message = { podId, nonce: context.nonce, deadline: context.deadline };
  const primaryType = change === "pause" ? "Pause" : "Resume";
  const consents = await podConsents(client, { members: context.members, signers, primaryType, message });
  return write(client, change, change, [podId, context.deadline, consents], account);
}
