import type { Address, Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { MissingEncryptionKeyError, MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import type { WriteOptions } from "../internal/contract.ts";
import type { ConsentParameters } from "../internal/governance.ts";
import { type PrepareReplaceMemberParameters, prepareReplaceMember } from "./prepareReplaceMember.ts";
import { submitReplaceMember, submitReplaceMemberSync } from "./submitReplaceMember.ts";

export type ReplaceMemberParameters = WriteOptions &
  ConsentParameters &
  Pick<PrepareReplaceMemberParameters, "identity"> & {
    podId: bigint;
    /** The member who is replaced: they consent too (without them, see `proposeReplacement`). */
    replaced: Address;
    newcomer: { address: Address; commitment: string };
  };
export type ReplaceMemberReturnType = Hash;
export type ReplaceMemberErrorType = TrothContractError | MissingSignerError | MissingEncryptionKeyError;

/** Everyone signs now: the blobs are stored only once the preflight passed. */
async function withConsentsNow(client: TrothClient, { signers, account, ...preparation }: ReplaceMemberParameters) {
  const prepared = await prepareReplaceMember(client, { ...preparation, store: false });
  return { prepared, signatures: signers, account };
}

/**
 * Replaces a member by a newcomer, with the consent of every active member (the replaced one too: nobody is pushed out
 * by the others) and the newcomer's. Starts a new key epoch without the replaced member and with the newcomer. To
 * replace a member who no longer answers, see {@link proposeReplacement} (the absence rule).
 *
 * @example
 * ```ts
 * const hash = await replaceMember(troth, { podId, replaced: carol, newcomer: { address: dave, commitment: "…" }, signers: [alice, bob, carol, daveWallet] });
 * ```
 */
export async function replaceMember(
  client: TrothClient,
  parameters: ReplaceMemberParameters,
): Promise<ReplaceMemberReturnType> {
  return submitReplaceMember(client, await withConsentsNow(client, parameters));
}

/**
 * {@link replaceMember}, then waits: returns the newcomer's token and the replaced token.
 *
 * @example
 * ```ts
 * const { tokenId, replacedTokenId } = await replaceMemberSync(troth, { podId, replaced, newcomer, signers });
 * ```
 */
export async function replaceMemberSync(client: TrothClient, parameters: ReplaceMemberParameters) {
  return submitReplaceMemberSync(client, await withConsentsNow(client, parameters));
}
