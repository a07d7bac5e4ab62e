import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, readTroth, type WriteOptions, waitForEvents, write } from "../internal/contract.ts";
import { membersOf, splitToken } from "../internal/pod.ts";
import { toContractSignature } from "../internal/report.ts";
import {
  requireWitnesses,
  type WitnessSource,
  witnessAddresses,
  witnessContext,
  witnessSignatures,
} from "../internal/witness.ts";
import { encodeWitnessList } from "../witnessList.ts";

export type WitnessBySigParameters = WriteOptions & {
  tokenId: bigint;
  round: number;
  /** Witnesses who sign now (their wallets) or signed already. */
  witnesses: readonly WitnessSource[];
};
export type WitnessBySigReturnType = Hash;
export type WitnessBySigErrorType = TrothContractError;

/**
 * Submits other members' witness signatures for a pending check-in (anyone may submit).
 *
 * @example
 * ```ts
 * const hash = await witnessBySig(aliceTroth, { tokenId, round: 0, witnesses: [bob, carol] });
 * ```
 */
export async function witnessBySig(
  client: TrothClient,
  parameters: WitnessBySigParameters,
): Promise<WitnessBySigReturnType> {
  const { tokenId, round } = parameters;
  const [members, [reportDigest]] = await Promise.all([
    membersOf(client, splitToken(tokenId).podId),
    readTroth(client, "pendingReport", [tokenId, round]),
  ]);
  const { active, holder } = witnessContext(members, tokenId);
  requireWitnesses(active, holder, tokenId, round, witnessAddresses(parameters.witnesses));
  const signatures = await witnessSignatures(client, { tokenId, round, reportDigest, witnesses: parameters.witnesses });
  return write(
    client,
    "witnessBySig",
    "witnessBySig",
    [tokenId, round, encodeWitnessList(signatures.map(toContractSignature))],
    parameters.account,
  );
}

/**
 * {@link witnessBySig}, then waits: `witnessed` is true when quorum was reached.
 *
 * @example
 * ```ts
 * const { witnessed } = await witnessBySigSync(aliceTroth, { tokenId, round: 0, witnesses: [bob] });
 * ```
 */
export async function witnessBySigSync(client: TrothClient, parameters: WitnessBySigParameters) {
  const result = await waitForEvents(client, await witnessBySig(client, parameters));
  const witnessed = eventsNamed(result.events, "CheckInWitnessed").some((e) => e.args.witnessed);
  return { ...result, witnessed };
}
