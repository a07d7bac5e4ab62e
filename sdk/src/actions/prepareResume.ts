import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { type PreparedClockChange, prepareClockChange } from "../internal/governance.ts";

export type PrepareResumeParameters = {
  podId: bigint;
  /** Last second the consents may be used (default: an hour from the latest block). */
  deadline?: bigint;
};
/** A resume ready for consent: what every active member signs, and what {@link submitResume} sends. */
export type PreparedResume = PreparedClockChange<"Resume">;
export type PrepareResumeReturnType = PreparedResume;
export type PrepareResumeErrorType = TrothContractError;

/**
 * The first half of a two-phase resume: returns the typed-data message every active member signs, on their own
 * device and in their own time (until the deadline), with the nonce it binds and the accounts whose consent is
 * required; {@link submitResume} then sends it with the signatures collected. {@link resume} does both at once. A pod
 * that has ended or is not paused is refused here (`PodNotLiveError`, `PodNotPausedError`), and so is a deadline
 * already past (`ConsentExpiredError`), before anyone is asked to sign.
 *
 * @example
 * ```ts
 * const prepared = await prepareResume(troth, { podId });
 * const bobSignature = await bobWallet.signTypedData({ account: bob, ...prepared.typedData }); // on Bob's device
 * const hash = await submitResume(troth, { prepared, signatures: [aliceWallet, { signer: bob, signature: bobSignature }] });
 * ```
 */
export async function prepareResume(
  client: TrothClient,
  parameters: PrepareResumeParameters,
): Promise<PrepareResumeReturnType> {
  return prepareClockChange(client, "Resume", parameters);
}
