import type { Address, Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { MissingEncryptionKeyError, MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import type { WriteOptions } from "../internal/contract.ts";
import type { ConsentParameters } from "../internal/governance.ts";
import { type PrepareProposeReplacementParameters, prepareProposeReplacement } from "./prepareProposeReplacement.ts";
import { submitProposeReplacement, submitProposeReplacementSync } from "./submitProposeReplacement.ts";

export type ProposeReplacementParameters = WriteOptions &
  ConsentParameters &
  Pick<PrepareProposeReplacementParameters, "identity"> & {
    podId: bigint;
    /** The absent member (their consent is not asked: they are replaced only if they do not act in the window). */
    replaced: Address;
    newcomer: { address: Address; commitment: string };
  };
export type ProposeReplacementReturnType = Hash;
export type ProposeReplacementErrorType = TrothContractError | MissingSignerError | MissingEncryptionKeyError;

/** Everyone signs now: the blobs are stored only once the preflight passed. */
async function withConsentsNow(
  client: TrothClient,
  { signers, account, ...preparation }: ProposeReplacementParameters,
) {
  const prepared = await prepareProposeReplacement(client, { ...preparation, store: false });
  return { prepared, signatures: signers, account };
}

/**
 * Proposes to replace an absent member by a newcomer (the absence rule), with the consent of every other active
 * member and the newcomer's: a claim that anyone completes with {@link completeClaim} after its objection window,
 * unless the absent member acts first. See {@link prepareProposeReplacement} for the rule and its errors.
 *
 * @example
 * ```ts
 * const { notBefore } = await proposeReplacementSync(troth, { podId, replaced: carol, newcomer: { address: dave, commitment: "…" }, signers: [alice, bob, daveWallet] });
 * ```
 */
export async function proposeReplacement(
  client: TrothClient,
  parameters: ProposeReplacementParameters,
): Promise<ProposeReplacementReturnType> {
  return submitProposeReplacement(client, await withConsentsNow(client, parameters));
}

/**
 * {@link proposeReplacement}, then waits: returns the claimed token, the newcomer and `notBefore`.
 *
 * @example
 * ```ts
 * const { tokenId, notBefore } = await proposeReplacementSync(troth, { podId, replaced, newcomer, signers });
 * ```
 */
export async function proposeReplacementSync(client: TrothClient, parameters: ProposeReplacementParameters) {
  return submitProposeReplacementSync(client, await withConsentsNow(client, parameters));
}
