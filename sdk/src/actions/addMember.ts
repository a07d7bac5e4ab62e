import type { Address, Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { MissingEncryptionKeyError, MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import type { WriteOptions } from "../internal/contract.ts";
import type { ConsentParameters } from "../internal/governance.ts";
import { type PrepareAddMemberParameters, prepareAddMember } from "./prepareAddMember.ts";
import { submitAddMember, submitAddMemberSync } from "./submitAddMember.ts";

export type AddMemberParameters = WriteOptions &
  ConsentParameters &
  Pick<PrepareAddMemberParameters, "identity"> & {
    podId: bigint;
    /** The newcomer and the commitment they make (they must have published an identity key). */
    newcomer: { address: Address; commitment: string };
  };
export type AddMemberReturnType = Hash;
export type AddMemberErrorType = TrothContractError | MissingSignerError | MissingEncryptionKeyError;

/** Everyone signs now: the blobs are stored only once the preflight passed. */
async function withConsentsNow(client: TrothClient, { signers, account, ...preparation }: AddMemberParameters) {
  const prepared = await prepareAddMember(client, { ...preparation, store: false });
  return { prepared, signatures: signers, account };
}

/**
 * Adds a member to a live pod with every active member's consent and the newcomer's. Starts a new key epoch that
 * includes the newcomer (who reads from it on).
 *
 * @example
 * ```ts
 * const hash = await addMember(troth, {
 *   podId,
 *   newcomer: { address: dave.account.address, commitment: "Practise piano daily" },
 *   signers: [alice, bob, dave],
 * });
 * ```
 */
export async function addMember(client: TrothClient, parameters: AddMemberParameters): Promise<AddMemberReturnType> {
  return submitAddMember(client, await withConsentsNow(client, parameters));
}

/**
 * {@link addMember}, then waits: returns the newcomer's token and first round.
 *
 * @example
 * ```ts
 * const { tokenId, joinedRound } = await addMemberSync(troth, { podId, newcomer, signers });
 * ```
 */
export async function addMemberSync(client: TrothClient, parameters: AddMemberParameters) {
  return submitAddMemberSync(client, await withConsentsNow(client, parameters));
}
