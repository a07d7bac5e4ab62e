import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { type PreparedClockChange, prepareClockChange } from "../internal/governance.ts";

export type PreparePauseParameters = {
  podId: bigint;
  /** Last second the consents may be used (default: an hour from the latest block). */
  deadline?: bigint;
};
/** A pause ready for consent: what every active member signs, and what {@link submitPause} sends. */
export type PreparedPause = PreparedClockChange<"Pause">;
export type PreparePauseReturnType = PreparedPause;
export type PreparePauseErrorType = TrothContractError;

/**
 * The first half of a two-phase pause: returns the typed-data message every active member signs, on their own device
 * and in their own time (until the deadline), with the nonce it binds and the accounts whose consent is required;
 * {@link submitPause} then sends it with the signatures collected. {@link pause} does both at once. A pod that has
 * ended or is paused already is refused here (`PodNotLiveError`, `PodPausedError`), and so is a deadline already past
 * (`ConsentExpiredError`), before anyone is asked to sign.
 *
 * @example
 * ```ts
 * const prepared = await preparePause(troth, { podId, deadline });
 * const bobSignature = await bobWallet.signTypedData({ account: bob, ...prepared.typedData }); // on Bob's device
 * const hash = await submitPause(troth, { prepared, signatures: [aliceWallet, { signer: bob, signature: bobSignature }] });
 * ```
 */
export async function preparePause(
  client: TrothClient,
  parameters: PreparePauseParameters,
): Promise<PreparePauseReturnType> {
  return prepareClockChange(client, "Pause", parameters);
}
