import { type Address, getAddress, type Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { MissingEncryptionKeyError, MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, prepareWrite, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { storeBlobs } from "../internal/covenant.ts";
import { type ConsentParameters, governanceContext, podConsents } from "../internal/governance.ts";
import { rekey } from "../internal/membership.ts";

export type ReplaceMemberParameters = WriteOptions &
  ConsentParameters & {
    podId: bigint;
    /** The member who is replaced (their consent is not needed). */
    replaced: Address;
    newcomer: { address: Address; commitment: string };
  };
export type ReplaceMemberReturnType = Hash;
export type ReplaceMemberErrorType = TrothContractError | MissingSignerError | MissingEncryptionKeyError;

async function submit(
  client: TrothClient,
  { podId, replaced, newcomer, signers, deadline, account }: ReplaceMemberParameters,
) {
  const context = await governanceContext(client, podId, deadline);
  const keys = await rekey(client, {
    members: context.members,
    keyringDigest: context.record.keyringDigest,
    leaving: replaced,
    newcomer,
  });
  const entry = {
    member: getAddress(newcomer.address),
    commitmentDigest: keys.commitmentDigest!,
    keyringDigest: keys.keyringDigest,
  };
  const message = { podId, replaced, ...entry, nonce: context.nonce, deadline: context.deadline };
  const consents = await podConsents(client, {
    members: context.members,
    signers,
    primaryType: "ReplaceMember",
    message,
    skip: replaced,
    newcomer: entry.member,
  });
  const send = await prepareWrite(
    client,
    "replaceMember",
    "replaceMember",
    [podId, replaced, entry, context.deadline, consents],
    account,
  );
  await storeBlobs(client, keys.blobs);
  return send();
}

/**
 * Replaces a member by a newcomer, with the consent of every other active member and the newcomer's. Starts a new key
 * epoch without the replaced member and with the newcomer.
 *
 * @example
 * ```ts
 * const hash = await replaceMember(troth, { podId, replaced: carol, newcomer: { address: dave, commitment: "…" }, signers: [alice, bob, daveWallet] });
 * ```
 */
export async function replaceMember(
  client: TrothClient,
  parameters: ReplaceMemberParameters,
): Promise<ReplaceMemberReturnType> {
  return submit(client, parameters);
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
  const result = await waitForEvents(client, await submit(client, parameters));
  const [added] = eventsNamed(result.events, "MemberAdded");
  return {
    ...result,
    tokenId: added.args.tokenId,
    replacedTokenId: added.args.replacedTokenId,
    joinedRound: added.args.joinedRound,
  };
}
