import { type Address, getAddress } from "viem";
import { clock, continuity, type MemberRecord, roundWindow } from "../audit/schedule.ts";
import type { TrothClient } from "../client.ts";
import { readTroth } from "../internal/contract.ts";
import { chainTime, splitToken } from "../internal/pod.ts";
import { readSchedule } from "../internal/schedule.ts";
import { memberStatuses } from "../types.ts";
import { getMemberships } from "./getMemberships.ts";

export type GetDueCheckInsParameters = {
  account: Address;
  /** Unix seconds (default: the latest block's time). */
  time?: number;
};
export type DueCheckIn = { tokenId: bigint; podId: bigint; round: number; opensAt: number; closesAt: number };
export type GetDueCheckInsReturnType = DueCheckIn[];

/**
 * The check-ins `account` owes at `time`: every round open for one of its active commitments and not yet checked in,
 * earliest closing first.
 *
 * @example
 * ```ts
 * const due = await getDueCheckIns(troth, { account: alice });
 * for (const d of due) console.log(`round ${d.round} of pod ${d.podId} closes at ${new Date(d.closesAt * 1000)}`);
 * ```
 */
export async function getDueCheckIns(
  client: TrothClient,
  { account, time }: GetDueCheckInsParameters,
): Promise<GetDueCheckInsReturnType> {
  const holder = getAddress(account);
  // Tokens come minted, or moved to a recovered seat's new address (commitments move no other way).
  const [memberships, now] = await Promise.all([
    getMemberships(client, { account: holder }),
    time === undefined ? chainTime(client) : Promise.resolve(time),
  ]);
  const tokenIds = memberships.map((m) => m.tokenId);
  const due = await Promise.all(
    tokenIds.map(async (tokenId) => {
      const { podId } = splitToken(tokenId);
      const [schedule, raw] = await Promise.all([
        readSchedule(client, podId),
        readTroth(client, "memberRecord", [podId, holder]),
      ]);
      const member: MemberRecord = { ...raw, status: memberStatuses[raw.status] };
      if (member.status !== "active") return [];
      const { states } = continuity(schedule, member, clock(schedule, now));
      return states.flatMap((state, round) =>
        state === "open" ? [{ tokenId, podId, round, ...roundWindow(schedule, round, now) }] : [],
      );
    }),
  );
  return due
    .flat()
    .map(({ quorum: _, ...d }) => d)
    .sort((a, b) => a.closesAt - b.closesAt);
}
