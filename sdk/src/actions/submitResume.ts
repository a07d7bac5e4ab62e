import type { Hash } from "viem";
import type { ConsentSource, TrothClient } from "../client.ts";
import type { MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { submitClockChange } from "../internal/governance.ts";
import type { PreparedResume } from "./prepareResume.ts";

export type SubmitResumeParameters = WriteOptions & {
  /** What {@link prepareResume} returned. */
  prepared: PreparedResume;
  /** One consent per active member: signatures collected in advance, or wallets that sign now. */
  signatures: readonly ConsentSource[];
};
export type SubmitResumeReturnType = Hash;
export type SubmitResumeErrorType = TrothContractError | MissingSignerError;

/**
 * The second half of a two-phase resume: sends what {@link prepareResume} prepared with every active member's consent
 * (signatures made in advance on their own devices, or wallets that sign now). A consent missing is refused as
 * `MissingSignerError`; one that is not the member's valid signature of this message (`InvalidSignatureError`), one
 * made stale by another change spending the nonce (the same), or a deadline passed (`ConsentExpiredError`) is refused
 * by the preflight as the contract's named error, and nothing is sent.
 *
 * @example
 * ```ts
 * const hash = await submitResume(troth, { prepared, signatures: [aliceWallet, { signer: bob, signature }] });
 * ```
 */
export async function submitResume(
  client: TrothClient,
  { prepared, signatures, account }: SubmitResumeParameters,
): Promise<SubmitResumeReturnType> {
  return submitClockChange(client, "Resume", prepared, { signatures, account });
}

/**
 * {@link submitResume}, then waits: returns how long the pod was paused.
 *
 * @example
 * ```ts
 * const { pausedFor } = await submitResumeSync(troth, { prepared, signatures });
 * ```
 */
export async function submitResumeSync(client: TrothClient, parameters: SubmitResumeParameters) {
  const result = await waitForEvents(client, await submitResume(client, parameters));
  return { ...result, pausedFor: eventsNamed(result.events, "PodResumed")[0].args.pausedFor };
}
