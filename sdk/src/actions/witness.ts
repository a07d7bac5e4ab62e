import type { Hash, Hex } from "viem";
import { requireAccount, type TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, readTroth, type WriteOptions, waitForEvents, write } from "../internal/contract.ts";
import { membersOf, splitToken } from "../internal/pod.ts";
import { requireWitnesses, witnessContext } from "../internal/witness.ts";

export type WitnessParameters = WriteOptions & {
  tokenId: bigint;
  round: number;
  /** The report being attested; defaults to the pending check-in's. */
  reportDigest?: Hex;
};
export type WitnessReturnType = Hash;
export type WitnessErrorType = TrothContractError;

/**
 * Witnesses a pending check-in by transaction (the caller is the witness).
 *
 * @example
 * ```ts
 * const hash = await witness(bobTroth, { tokenId, round: 0 });
 * ```
 */
export async function witness(client: TrothClient, parameters: WitnessParameters): Promise<WitnessReturnType> {
  const { tokenId, round } = parameters;
  const account = requireAccount(client, parameters.account, "witness");
  const [members, pending] = await Promise.all([
    membersOf(client, splitToken(tokenId).podId),
    parameters.reportDigest ? undefined : readTroth(client, "pendingReport", [tokenId, round]),
  ]);
  const { active, holder } = witnessContext(members, tokenId);
  requireWitnesses(active, holder, tokenId, round, [typeof account === "string" ? account : account.address]);
  const reportDigest = parameters.reportDigest ?? (pending as readonly [Hex, bigint])[0];
  return write(client, "witness", "witness", [tokenId, round, reportDigest], account);
}

/**
 * {@link witness}, then waits: `witnessed` is true when this attestation reached quorum.
 *
 * @example
 * ```ts
 * const { witnessed } = await witnessSync(bobTroth, { tokenId, round: 0 });
 * ```
 */
export async function witnessSync(client: TrothClient, parameters: WitnessParameters) {
  const result = await waitForEvents(client, await witness(client, parameters));
  const [event] = eventsNamed(result.events, "CheckInWitnessed");
  return { ...result, witnessed: event.args.witnessed };
}
