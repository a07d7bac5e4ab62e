import type { Hash } from "viem";
import type { ConsentSource, TrothClient } from "../client.ts";
import type { MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { submitRecovery } from "../internal/recovery.ts";
import type { PreparedRequestRecovery } from "./prepareRequestRecovery.ts";
import { claimMadeOf } from "./submitProposeReplacement.ts";

export type SubmitRequestRecoveryParameters = WriteOptions & {
  /** What {@link prepareRequestRecovery} returned. */
  prepared: PreparedRequestRecovery;
  /** One consent per active member but the lost address, then the new address's: signatures or wallets. */
  signatures: readonly ConsentSource[];
};
export type SubmitRequestRecoveryReturnType = Hash;
export type SubmitRequestRecoveryErrorType = TrothContractError | MissingSignerError;

/**
 * The second half of a wallet recovery: sends what {@link prepareRequestRecovery} prepared with the consents
 * collected (anyone may send it, the new address too), which makes a recovery claim on the commitment. Stale or
 * invalid consents are refused by the preflight as the contract's named errors, and nothing is sent.
 *
 * @example
 * ```ts
 * await submitRequestRecovery(bobNew, { prepared, signatures: [aliceSignature, bobNewWallet] });
 * ```
 */
export async function submitRequestRecovery(
  client: TrothClient,
  { prepared, signatures, account }: SubmitRequestRecoveryParameters,
): Promise<SubmitRequestRecoveryReturnType> {
  return submitRecovery(client, prepared, { signatures, account });
}

/**
 * {@link submitRequestRecovery}, then waits: returns the claimed token, the new address and `notBefore`, the first
 * second at which anyone may complete it (`completeClaim`).
 *
 * @example
 * ```ts
 * const { notBefore } = await submitRequestRecoverySync(bobNew, { prepared, signatures });
 * ```
 */
export async function submitRequestRecoverySync(client: TrothClient, parameters: SubmitRequestRecoveryParameters) {
  return claimMadeOf(await waitForEvents(client, await submitRequestRecovery(client, parameters)));
}
