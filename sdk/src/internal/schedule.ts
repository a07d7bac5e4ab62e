import type { PodSchedule } from "../audit/schedule.ts";
import type { TrothClient } from "../client.ts";
import { readTroth } from "./contract.ts";

/** A pod's schedule from its raw state (`podState` and `eras`), for the contract's round arithmetic in the SDK. */
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
