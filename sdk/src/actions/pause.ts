import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { type ConsentParameters, writeClockChange } from "../internal/governance.ts";

export type PauseParameters = WriteOptions & ConsentParameters & { podId: bigint };
export type PauseReturnType = Hash;
export type PauseErrorType = TrothContractError | MissingSignerError;

/**
 * Pauses a pod with the consent of every active member: the pod clock stops, no round closes or can be missed.
 *
 * @example
 * ```ts
 * const hash = await pause(troth, { podId, signers: [alice, bob, carol] });
 * ```
 */
export async function pause(client: TrothClient, parameters: PauseParameters): Promise<PauseReturnType> {
  return writeClockChange(client, "pause", parameters);
}

/**
 * {@link pause}, then waits: returns when the clock stopped.
 *
 * @example
 * ```ts
 * const { pausedAt } = await pauseSync(troth, { podId, signers });
 * ```
 */
export async function pauseSync(client: TrothClient, parameters: PauseParameters) {
  const result = await waitForEvents(client, await pause(client, parameters));
  return { ...result, pausedAt: Number(eventsNamed(result.events, "PodPaused")[0].args.at) };
}
