import { type Address, getAddress } from "viem";
import type { TrothClient } from "../client.ts";
import type { LogQueryError } from "../errors/client.ts";
import { readTrothEvents } from "../internal/logs.ts";
import { splitToken } from "../internal/pod.ts";

export type GetMembershipsParameters = { account: Address };
export type Membership = { podId: bigint; tokenId: bigint };
export type GetMembershipsReturnType = Membership[];
export type GetMembershipsErrorType = LogQueryError;

/**
 * Every commitment `account` received, newest first: one per pod it joined, plus any seat a recovery moved to it.
 * Read from the `Transfer` logs filtered by the `to` topic (split into ranges the provider accepts; later calls on the
 * same client read only the blocks since).
 *
 * @example
 * ```ts
 * for (const { podId, tokenId } of await getMemberships(troth, { account: alice })) console.log(podId, tokenId);
 * ```
 */
export async function getMemberships(
  client: TrothClient,
  { account }: GetMembershipsParameters,
): Promise<GetMembershipsReturnType> {
  const received = await readTrothEvents(client, { eventName: "Transfer", args: { to: getAddress(account) } });
  const seen = new Set<bigint>();
  const memberships: Membership[] = [];
  for (const log of received.reverse()) {
    const tokenId = log.args.tokenId;
    if (seen.has(tokenId)) continue;
    seen.add(tokenId);
    memberships.push({ podId: splitToken(tokenId).podId, tokenId });
  }
  return memberships;
}
