import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { MissingSignerError, StaleKeyringError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import type { ConsentParameters } from "../internal/governance.ts";
import { type PrepareAmendParameters, prepareAmend } from "./prepareAmend.ts";
import { submitAmend } from "./submitAmend.ts";

export type AmendParameters = WriteOptions & ConsentParameters & Omit<PrepareAmendParameters, "store">;
export type AmendReturnType = Hash;
export type AmendErrorType = TrothContractError | MissingSignerError | StaleKeyringError;

async function submit(client: TrothClient, parameters: AmendParameters) {
  const { signers, account, ...preparation } = parameters;
  // Everyone signs now: the covenant is stored only once the preflight passed (by submitAmend).
  const prepared = await prepareAmend(client, { ...preparation, store: false });
  return submitAmend(client, { prepared, signatures: signers, account });
}

/**
 * Amends the pod's terms (cadence, grace, quorum, covenant wording) with every active member's consent, from the
 * next round on. The covenant document is rewritten and re-encrypted under the current key epoch.
 *
 * @example
 * ```ts
 * const hash = await amend(troth, { podId, cadence: 14 * 86_400, identity, signers: [alice, bob, carol] });
 * ```
 */
export async function amend(client: TrothClient, parameters: AmendParameters): Promise<AmendReturnType> {
  return submit(client, parameters);
}

/**
 * {@link amend}, then waits: returns the round the new terms start at.
 *
 * @example
 * ```ts
 * const { fromRound } = await amendSync(troth, { podId, quorum: 2, identity, signers });
 * ```
 */
export async function amendSync(client: TrothClient, parameters: AmendParameters) {
  const result = await waitForEvents(client, await submit(client, parameters));
  return { ...result, fromRound: eventsNamed(result.events, "PodAmended")[0].args.fromRound };
}
