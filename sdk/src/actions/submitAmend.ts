import type { Hash } from "viem";
import type { ConsentSource, TrothClient } from "../client.ts";
import type { MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { collectConsents } from "../internal/consent.ts";
import { eventsNamed, prepareWrite, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import type { PreparedAmend } from "./prepareAmend.ts";

export type SubmitAmendParameters = WriteOptions & {
  /** What {@link prepareAmend} returned. */
  prepared: PreparedAmend;
  /** One consent per active member: signatures collected in advance, or wallets that sign now. */
  signatures: readonly ConsentSource[];
};
export type SubmitAmendReturnType = Hash;
export type SubmitAmendErrorType = TrothContractError | MissingSignerError;

async function submit(client: TrothClient, { prepared, signatures, account }: SubmitAmendParameters) {
  const { podId, amendment, deadline, required, typedData } = prepared;
  const consents = await collectConsents(client, {
    required,
    sources: signatures,
    primaryType: "Amend",
    message: typedData.message,
    what: "the Amend consent",
  });
  // The preflight runs before the covenant is stored: a refused amendment (a signature from someone who is not a
  // member, a deadline passed, a nonce spent by another change) stores nothing more.
  const send = await prepareWrite(client, "amend", "amend", [podId, amendment, deadline, consents], account);
  await client.store.put(prepared.covenant);
  return send();
}

/**
 * The second half of a two-phase amendment: sends what {@link prepareAmend} prepared with every active member's
 * consent (signatures made in advance on their own devices, or wallets that sign now). Stale consents (another
 * change spent the nonce, or the deadline passed) are refused by the preflight as the contract's named errors.
 *
 * @example
 * ```ts
 * const hash = await submitAmend(troth, { prepared, signatures: [aliceWallet, { signer: bob, signature }] });
 * ```
 */
export async function submitAmend(
  client: TrothClient,
  parameters: SubmitAmendParameters,
): Promise<SubmitAmendReturnType> {
  return submit(client, parameters);
}

/**
 * {@link submitAmend}, then waits: returns the round the new terms start at.
 *
 * @example
 * ```ts
 * const { fromRound } = await submitAmendSync(troth, { prepared, signatures });
 * ```
 */
export async function submitAmendSync(client: TrothClient, parameters: SubmitAmendParameters) {
  const result = await waitForEvents(client, await submit(client, parameters));
  return { ...result, fromRound: eventsNamed(result.events, "PodAmended")[0].args.fromRound };
}
