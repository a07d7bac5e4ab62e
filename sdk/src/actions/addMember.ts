import { type Address, getAddress, type Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { MissingEncryptionKeyError, MissingSignerError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, prepareWrite, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { storeBlobs } from "../internal/covenant.ts";
import { type ConsentParameters, governanceContext, podConsents } from "../internal/governance.ts";
import { rekey } from "../internal/membership.ts";

export type AddMemberParameters = WriteOptions &
  ConsentParameters & {
    podId: bigint;
    /** The newcomer and the commitment they make (they must have published an identity key). */
    newcomer: { address: Address; commitment: string };
  };
export type AddMemberReturnType = Hash;
export type AddMemberErrorType = TrothContractError | MissingSignerError | MissingEncryptionKeyError;

async function submit(client: TrothClient, { podId, newcomer, signers, deadline, account }: AddMemberParameters) {
  const context = await governanceContext(client, podId, deadline);
  const keys = await rekey(client, { members: context.members, keyringDigest: context.record.keyringDigest, newcomer });
  const entry = {
    member: getAddress(newcomer.address),
    commitmentDigest: keys.commitmentDigest!,
    keyringDigest: keys.keyringDigest,
  };
  const message = { podId, ...entry, nonce: context.nonce, deadline: context.deadline };
  const consents = await podConsents(client, {
    members: context.members,
    signers,
    primaryType: "AddMember",
    message,
    newcomer: entry.member,
  });
  const send = await prepareWrite(
    client,
    "addMember",
    "addMember",
    [podId, entry, context.deadline, consents],
    account,
  );
  await storeBlobs(client, keys.blobs);
  return send();
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
  return submit(client, parameters);
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
  const result = await waitForEvents(client, await submit(client, parameters));
  const [added] = eventsNamed(result.events, "MemberAdded");
  return { ...result, tokenId: added.args.tokenId, joinedRound: added.args.joinedRound };
}
