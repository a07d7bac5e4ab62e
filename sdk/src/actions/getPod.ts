import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { readLens } from "../internal/contract.ts";
import { membersOf, toPodView } from "../internal/pod.ts";
import type { MemberView, PodView } from "../types.ts";

export type GetPodParameters = { podId: bigint };
export type GetPodReturnType = PodView & { members: MemberView[] };
export type GetPodErrorType = TrothContractError;

/**
 * A pod's parameters, state and every member it ever had (from the lens).
 *
 * @example
 * ```ts
 * const pod = await getPod(troth, { podId });
 * console.log(pod.status, pod.currentRound, pod.members.length);
 * ```
 */
export async function getPod(client: TrothClient, { podId }: GetPodParameters): Promise<GetPodReturnType> {
  const [raw, members] = await Promise.all([readLens(client, "pod", [podId]), membersOf(client, podId)]);
  return { ...toPodView(raw), members };
}
