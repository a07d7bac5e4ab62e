import { type Address, getAddress, zeroAddress } from "viem";
import { clock, continuity, type MemberRecord, type PodSchedule, roundWindow } from "../audit/schedule.ts";
import type { TrothClient } from "../client.ts";
import { trothAbi } from "../generated/abis.ts";
import { readTroth } from "../internal/contract.ts";
import { chainTime, splitToken } from "../internal/pod.ts";
import { memberStatuses } from "../types.ts";

export type GetDueCheckInsParameters = {
  account: Address;
  /** Unix seconds (default: the latest block's time). */
  time?: number;
};
export type DueCheckIn = { tokenId: bigint; podId: bigint; round: number; opensAt: number; closesAt: number };
export type GetDueCheckInsReturnType = DueCheckIn[];

/** A pod's schedule from its raw state (`podState` and `eras`). */
export async function readSchedule(client: TrothClient, podId: bigint): Promise<PodSchedule> {
  const [state, eras] = await Promise.all([readTroth(client, "podState", [podId]), readTroth(client, "eras", [podId])]);
  return {
    start: state.start,
    pausedAt: state.pausedAt,
    pausedTotal: state.pausedTotal,
    rounds: state.rounds,
    memberCount: state.memberCount,
    activeCount: state.activeCount,
    current: {
      fromRound: state.fromRound,
      fromClock: state.fromClock,
      cadence: state.cadence,
      grace: state.grace,
      quorum: state.quorum,
    },
    history: eras.map((e) => ({ ...e })),
  };
}

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
  const [minted, now] = await Promise.all([
    client.publicClient.getContractEvents({
      address: client.address,
      abi: trothAbi,
      eventName: "Transfer",
      args: { from: zeroAddress, to: holder },
      fromBlock: client.startBlock,
    }),
    time === undefined ? chainTime(client) : Promise.resolve(time),
  ]);
  const due = await Promise.all(
    minted.map(async (log) => {
      const tokenId = log.args.tokenId as bigint;
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
