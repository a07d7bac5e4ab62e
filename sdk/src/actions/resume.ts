import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import type { WriteOptions } from "../internal/contract.ts";
import type { ConsentParameters } from "../internal/governance.ts";
import { prepareResume } from "./prepareResume.ts";
import { submitResume, submitResumeSync } from "./submitResume.ts";

export type ResumeParameters = WriteOptions & ConsentParameters & { podId: bigint };
export type ResumeReturnType = Hash;
export type ResumeErrorType = TrothContractError | MissingSignerError;

/** Everyone signs now: the two phases back to back. */
async function submission(client: TrothClient, { podId, deadline, signers, account }: ResumeParameters) {
  return { prepared: await prepareResume(client, { podId, deadline }), signatures: signers, account };
}

/**
 * Resumes a paused pod with the consent of every active member: the pod clock runs again.
 * {@link prepareResume} and {@link submitResume} do the same in two phases, when members sign on their own devices.
 *
 * @example
 * ```ts
 * const hash = await resume(troth, { podId, signers: [alice, bob, carol] });
 * ```
 */
export async function resume(client: TrothClient, parameters: ResumeParameters): Promise<ResumeReturnType> {
  return submitResume(client, await submission(client, parameters));
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
  return submitResumeSync(client, await submission(client, parameters));
}
