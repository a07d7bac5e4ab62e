import type { Address } from "viem";
import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { readLens } from "../internal/contract.ts";

export type GetSpeakingOrderParameters = { podId: bigint /** Default: the pod's current round. */; round?: number };
export type GetSpeakingOrderReturnType = Address[];
export type GetSpeakingOrderErrorType = TrothContractError;

/**
 * The active members in the order they speak at a round (it rotates by one each round).
 *
 * @example
 * ```ts
 * const order = await getSpeakingOrder(troth, { podId, round: 3 });
 * ```
 */
export async function getSpeakingOrder(
  client: TrothClient,
  { podId, round }: GetSpeakingOrderParameters,
): Promise<GetSpeakingOrderReturnType> {
  const r = round ?? (await readLens(client, "pod", [podId])).currentRound;
  return [...(await readLens(client, "speakingOrder", [podId, r]))];
}
