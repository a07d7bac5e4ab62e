import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { readLens } from "../internal/contract.ts";

export type GetRoundWindowsParameters = { podId: bigint; rounds: readonly number[] };
/** One round's window: when it opens and closes (grace included, unix seconds), and the quorum it needs. */
export type RoundWindow = { round: number; opensAt: number; closesAt: number; quorum: number };
export type GetRoundWindowsReturnType = RoundWindow[];
export type GetRoundWindowsErrorType = TrothContractError;

/**
 * When each of `rounds` opens and closes (grace included), as the pod's schedule stands now (the lens's
 * `roundWindow`: each round in the terms of the era it belongs to).
 *
 * @example
 * ```ts
 * const [w] = await getRoundWindows(troth, { podId, rounds: [2] });
 * console.log(new Date(w.closesAt * 1000));
 * ```
 */
export async function getRoundWindows(
  client: TrothClient,
  { podId, rounds }: GetRoundWindowsParameters,
): Promise<GetRoundWindowsReturnType> {
  return Promise.all(
    rounds.map(async (round) => {
      const w = await readLens(client, "roundWindow", [podId, round]);
      return { round, opensAt: Number(w.opensAt), closesAt: Number(w.closesAt), quorum: Number(w.quorum) };
    }),
  );
}
