import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { readLens } from "../internal/contract.ts";
import { toCommitmentView } from "../internal/pod.ts";
import { type CommitmentView, type MemberView, type PodView, type RoundState, roundStates } from "../types.ts";
import { getPod } from "./getPod.ts";

export type GetContinuityParameters = { podId: bigint };
export type CommitmentContinuity = CommitmentView & { roundStates: RoundState[] };
export type GetContinuityReturnType = { pod: PodView; members: MemberView[]; commitments: CommitmentContinuity[] };
export type GetContinuityErrorType = TrothContractError;

/**
 * The continuity of a whole pod as the contract's views give it: the pod, and for every token the counts, streaks,
 * status and the state of each round. The audit computes the same thing from logs alone.
 *
 * @example
 * ```ts
 * const { pod, commitments } = await getContinuity(troth, { podId });
 * for (const c of commitments) console.log(c.account, c.roundStates.join(" "));
 * ```
 */
export async function getContinuity(
  client: TrothClient,
  { podId }: GetContinuityParameters,
): Promise<GetContinuityReturnType> {
  const { members, ...pod } = await getPod(client, { podId });
  const commitments = await Promise.all(
    members.map(async ({ tokenId }) => {
      const [view, states] = await Promise.all([
        readLens(client, "commitment", [tokenId]),
        readLens(client, "roundStates", [tokenId]),
      ]);
      return { ...toCommitmentView(view), roundStates: states.map((s) => roundStates[s]) };
    }),
  );
  return { pod, members, commitments };
}
