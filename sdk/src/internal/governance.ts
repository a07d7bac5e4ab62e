import type { Account, Address, Hash } from "viem";
import type { ConsentSource, TrothClient } from "../client.ts";
import { type TrothTypedData, trothTypedData } from "../eip712.ts";
import { trothError } from "../errors/troth.ts";
import { collectConsents } from "./consent.ts";
import { readLens, readTroth, write } from "./contract.ts";
import { activeAccounts, chainTime, membersOf, toPodView } from "./pod.ts";

export type ConsentParameters = {
  /** One consent per active member (and the newcomer, if any): their wallets, or signatures already made. */
  signers: readonly ConsentSource[];
  /** Last second the consents may be used (default: an hour from the latest block). */
  deadline?: bigint;
};

/**
 * The pod's members, its record (nonce, digests) and the deadline consents are signed for. A deadline already past is
 * refused here (`ConsentExpired`), before anyone is asked to sign.
 */
export async function governanceContext(client: TrothClient, podId: bigint, deadline?: bigint) {
  const [members, record, now] = await Promise.all([
    membersOf(client, podId),
    readTroth(client, "podRecord", [podId]),
    chainTime(client),
  ]);
  if (deadline !== undefined && deadline < BigInt(now))
    throw trothError("ConsentExpired", [deadline, BigInt(now)], { preflight: true });
  return { members, record, nonce: record.nonce, deadline: deadline ?? BigInt(now + 3600) };
}

export type ClockChange = "Pause" | "Resume";

/** A pause or resume ready for consent: what every active member signs, and what the submit sends. */
export type PreparedClockChange<kind extends ClockChange> = {
  podId: bigint;
  nonce: number;
  deadline: bigint;
  /** The accounts whose consent the contract checks, in its order: every active member. */
  required: Address[];
  /** The EIP-712 message each of them signs (`wallet.signTypedData(prepared.typedData)`). */
  typedData: TrothTypedData<kind>;
};

/**
 * Builds the consent message of a pause or resume (`{ podId, nonce, deadline }`, the same for both) after checking
 * the pod can take it now: live, and running (to pause) or paused (to resume), so nobody signs for a change the
 * contract would refuse. The contract checks the same again when it is sent.
 */
export async function prepareClockChange<kind extends ClockChange>(
  client: TrothClient,
  kind: kind,
  { podId, deadline }: { podId: bigint; deadline?: bigint },
): Promise<PreparedClockChange<kind>> {
  const [context, pod] = await Promise.all([
    governanceContext(client, podId, deadline),
    readLens(client, "pod", [podId]).then(toPodView),
  ]);
  if (pod.status === "ended" || pod.status === "dissolved")
    throw trothError("PodNotLive", [podId], { preflight: true });
  if (kind === "Pause" && pod.status === "paused") throw trothError("PodIsPaused", [podId], { preflight: true });
  if (kind === "Resume" && pod.status !== "paused") throw trothError("PodNotPaused", [podId], { preflight: true });
  return {
    podId,
    nonce: context.nonce,
    deadline: context.deadline,
    required: activeAccounts(context.members),
    typedData: trothTypedData(client, kind, { podId, nonce: context.nonce, deadline: context.deadline }),
  };
}

/**
 * Sends a prepared pause or resume with every required consent (signatures made in advance, or wallets that sign
 * now). Stale consents (another change spent the nonce, the deadline passed) and invalid ones are refused by the gas
 * estimate as the contract's named errors, and nothing is sent.
 */
export async function submitClockChange<kind extends ClockChange>(
  client: TrothClient,
  kind: kind,
  prepared: PreparedClockChange<kind>,
  { signatures, account }: { signatures: readonly ConsentSource[]; account?: Account | Address },
): Promise<Hash> {
  // Wallets sign exactly what was prepared: a resume's message handed to a pause (types aside) is refused by the
  // contract, never signed anew as a pause.
  const consents = await collectConsents(client, {
    required: prepared.required,
    sources: signatures,
    primaryType: prepared.typedData.primaryType,
    message: prepared.typedData.message,
    what: `the ${kind} consent`,
  });
  const functionName = kind === "Pause" ? "pause" : "resume";
  return write(client, functionName, functionName, [prepared.podId, prepared.deadline, consents], account);
}
