import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { icsFileName, podCalendar } from "../ics.ts";
import { readLens } from "../internal/contract.ts";
import { toPodView } from "../internal/pod.ts";
import { getRoundWindows, type RoundWindow } from "./getRoundWindows.ts";

export type GetPodCalendarParameters = {
  podId: bigint;
  /** The pod's name (its covenant's title, which only members read): the calendar and its file are named after it. */
  name: string;
  /** Where a member checks in (the dApp's pod page), added to each event. */
  url?: string;
};
export type GetPodCalendarReturnType = {
  /** The iCalendar text (CRLF lines folded at 75 octets). */
  ics: string;
  /** A file name for it, after the pod's name. */
  fileName: string;
  /** The windows it was written from (rounds numbered from 0, as the contract does). */
  windows: RoundWindow[];
};
export type GetPodCalendarErrorType = TrothContractError;

/**
 * A calendar (.ics) of every round of a pod as its schedule stands now (see `podCalendar`): an event while each round
 * is open and one for its grace window, with an alarm. Export it again after a pause or an amendment: the events keep
 * their UIDs and move.
 *
 * @example
 * ```ts
 * const { ics, fileName } = await getPodCalendar(troth, { podId, name: covenant.title });
 * await writeFile(fileName, ics);
 * ```
 */
export async function getPodCalendar(
  client: TrothClient,
  { podId, name, url }: GetPodCalendarParameters,
): Promise<GetPodCalendarReturnType> {
  const pod = toPodView(await readLens(client, "pod", [podId]));
  const windows = await getRoundWindows(client, { podId, rounds: Array.from({ length: pod.rounds }, (_, r) => r) });
  const ics = podCalendar({ chainId: client.chainId, podId, name, windows, rounds: pod.rounds, grace: pod.grace, url });
  return { ics, fileName: icsFileName(name), windows };
}
