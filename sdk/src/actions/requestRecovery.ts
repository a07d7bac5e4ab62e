import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { MissingEncryptionKeyError, MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import type { WriteOptions } from "../internal/contract.ts";
import type { ConsentParameters } from "../internal/governance.ts";
import { type PrepareRequestRecoveryParameters, prepareRequestRecovery } from "./prepareRequestRecovery.ts";
import { submitRequestRecovery, submitRequestRecoverySync } from "./submitRequestRecovery.ts";

export type RequestRecoveryParameters = WriteOptions &
  ConsentParameters &
  Pick<PrepareRequestRecoveryParameters, "tokenId" | "successor" | "identity">;
export type RequestRecoveryReturnType = Hash;
export type RequestRecoveryErrorType = TrothContractError | MissingSignerError | MissingEncryptionKeyError;

/** Everyone signs now: the keyring is stored only once the preflight passed. */
async function withConsentsNow(client: TrothClient, { signers, account, ...preparation }: RequestRecoveryParameters) {
  const prepared = await prepareRequestRecovery(client, { ...preparation, store: false });
  return { prepared, signatures: signers, account };
}

/**
 * Asks to move a commitment whose holder lost their wallet to the member's new address, with the consent of every
 * other active member and the new address's: a claim anyone completes with `completeClaim` after the objection window.
 * The client is a partner's (`identity` theirs): see {@link prepareRequestRecovery}.
 *
 * @example
 * ```ts
 * const { notBefore } = await requestRecoverySync(alice, { tokenId: bobToken, successor: bobNew, identity: aliceIdentity, signers: [aliceWallet, bobNewWallet] });
 * ```
 */
export async function requestRecovery(
  client: TrothClient,
  parameters: RequestRecoveryParameters,
): Promise<RequestRecoveryReturnType> {
  return submitRequestRecovery(client, await withConsentsNow(client, parameters));
}

/**
 * {@link requestRecovery}, then waits: returns the claimed token, the new address and `notBefore`.
 *
 * @example
 * ```ts
 * const { notBefore } = await requestRecoverySync(alice, { tokenId, successor, identity, signers });
 * ```
 */
export async function requestRecoverySync(client: TrothClient, parameters: RequestRecoveryParameters) {
  return submitRequestRecoverySync(client, await withConsentsNow(client, parameters));
}
