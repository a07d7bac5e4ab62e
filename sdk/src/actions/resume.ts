import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { type ConsentParameters, writeClockChange } from "../internal/governance.ts";

export type ResumeParameters = WriteOptions & ConsentParameters & { podId: bigint };
export type ResumeReturnType = Hash;
export type ResumeErrorType = TrothContractError | MissingSignerError;

/**
 * Resumes a paused pod with the consent of every active member: the pod clock runs again.
 *
 * @example
 * ```ts
 * const hash = await resume(troth, { podId, signers: [alice, bob, carol] });
 * ```
 */
export async function resume(client: TrothClient, parameters: ResumeParameters): Promise<ResumeReturnType> {
  return writeClockChange(client, "resume", parameters);
}

/**
 * {@link resume}, then waits: returns how long the pod was paused.
 *
 * @example
 * ```ts
 * const { pausedFor } = await resumeSync(troth, { podId, signers });
 * ```
 */
export async function resumeSync(client: TrothClient, parameters: ResumeParameters) {
  const result = await waitForEvents(client, await resume(client, parameters));
  return { ...result, pausedFor: eventsNamed(result.events, "PodResumed")[0].args.pausedFor };
}
