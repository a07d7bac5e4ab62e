import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import type { WriteOptions } from "../internal/contract.ts";
import type { ConsentParameters } from "../internal/governance.ts";
import { preparePause } from "./preparePause.ts";
import { submitPause, submitPauseSync } from "./submitPause.ts";

export type PauseParameters = WriteOptions & ConsentParameters & { podId: bigint };
export type PauseReturnType = Hash;
export type PauseErrorType = TrothContractError | MissingSignerError;

/** Everyone signs now: the two phases back to back. */
async function submission(client: TrothClient, { podId, deadline, signers, account }: PauseParameters) {
  return { prepared: await preparePause(client, { podId, deadline }), signatures: signers, account };
}

/**
 * Pauses a pod with the consent of every active member: the pod clock stops, no round closes or can be missed.
 * {@link preparePause} and {@link submitPause} do the same in two phases, when members sign on their own devices.
 *
 * @example
 * ```ts
 * const hash = await pause(troth, { podId, signers: [alice, bob, carol] });
 * ```
 */
export async function pause(client: TrothClient, parameters: PauseParameters): Promise<PauseReturnType> {
  return submitPause(client, await submission(client, parameters));
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
  return submitPauseSync(client, await submission(client, parameters));
}
