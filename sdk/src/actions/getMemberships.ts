import { type Address, getAddress } from "viem";
import type { TrothClient } from "../client.ts";
import { isRpcUnavailable } from "../client.ts";
import type { LogQueryError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { readLens } from "../internal/contract.ts";
import { readTrothEvents } from "../internal/logs.ts";
import { splitToken } from "../internal/pod.ts";

export type GetMembershipsParameters = { account: Address };
export type Membership = { podId: bigint; tokenId: bigint };
export type GetMembershipsReturnType = Membership[];
export type GetMembershipsErrorType = TrothContractError | LogQueryError;

/** Pods per `membershipsOf` call: a few million gas of `eth_call`, under every provider's cap. */
const PAGE = 256n;

/**
 * Every seat `account` has or had, newest pod first: one per pod it joined, plus any seat a recovery moved to it.
 * Read from the lens (`membershipsOf`, paging through the pods in creation order: a handful of calls whatever the
 * chain's age); against a deployment whose lens predates that view, from the `Transfer` logs filtered by the `to`
 * topic (split into ranges the provider accepts).
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
  const holder = getAddress(account);
  let tokenIds: bigint[];
  try {
    const [total, first] = await readLens(client, "membershipsOf", [holder, 0n, PAGE]);
    const pages = await Promise.all(
      Array.from({ length: Number((total - 1n) / PAGE) }, (_, i) =>
        readLens(client, "membershipsOf", [holder, PAGE * BigInt(i + 1), PAGE]).then(([, ids]) => ids),
      ),
    );
    tokenIds = [...first, ...pages.flat()].reverse();
  } catch (error) {
    if (isRpcUnavailable(error)) throw error;
    tokenIds = await membershipsFromLogs(client, holder);
  }
  return tokenIds.map((tokenId) => ({ podId: splitToken(tokenId).podId, tokenId }));
}

/** The tokens transferred to `holder` (minted, or moved by a recovery), newest first, each once. */
async function membershipsFromLogs(client: TrothClient, holder: Address): Promise<bigint[]> {
  const received = await readTrothEvents(client, { eventName: "Transfer", args: { to: holder } });
  return [...new Set(received.reverse().map((log) => log.args.tokenId))];
}
