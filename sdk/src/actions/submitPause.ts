import type { Hash } from "viem";
import type { ConsentSource, TrothClient } from "../client.ts";
import type { MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { submitClockChange } from "../internal/governance.ts";
import type { PreparedPause } from "./preparePause.ts";

export type SubmitPauseParameters = WriteOptions & {
  /** What {@link preparePause} returned. */
  prepared: PreparedPause;
  /** One consent per active member: signatures collected in advance, or wallets that sign now. */
  signatures: readonly ConsentSource[];
};
export type SubmitPauseReturnType = Hash;
export type SubmitPauseErrorType = TrothContractError | MissingSignerError;

/**
 * The second half of a two-phase pause: sends what {@link preparePause} prepared with every active member's consent
 * (signatures made in advance on their own devices, or wallets that sign now). A consent missing is refused as
 * `MissingSignerError`; one that is not the member's valid signature of this message (`InvalidSignatureError`), one
 * made stale by another change spending the nonce (the same), or a deadline passed (`ConsentExpiredError`) is refused
 * by the preflight as the contract's named error, and nothing is sent.
 *
 * @example
 * ```ts
 * const hash = await submitPause(troth, { prepared, signatures: [aliceWallet, { signer: bob, signature }] });
 * ```
 */
export async function submitPause(
  client: TrothClient,
  { prepared, signatures, account }: SubmitPauseParameters,
): Promise<SubmitPauseReturnType> {
  return submitClockChange(client, "Pause", prepared, { signatures, account });
}

/**
 * {@link submitPause}, then waits: returns when the clock stopped.
 *
 * @example
 * ```ts
 * const { pausedAt } = await submitPauseSync(troth, { prepared, signatures });
 * ```
 */
export async function submitPauseSync(client: TrothClient, parameters: SubmitPauseParameters) {
  const result = await waitForEvents(client, await submitPause(client, parameters));
  return { ...result, pausedAt: Number(eventsNamed(result.events, "PodPaused")[0].args.at) };
}
