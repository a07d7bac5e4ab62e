/**
 * The subgraph's aggregates side by side with the contract's lens at the same block: a pod's figures are "as of its
 * latest event", so both are read at `Pod.asOfBlock` (the lens through eth_call at that block, whose time is that
 * block's; claims and member records from Troth's own views at that block). The tests compare these objects whole.
 */
import type { TrothFixture } from "../../test/helpers/troth.ts";
import type { Store } from "./harness/store.ts";
import { decimalToString, type EntityData, type StoreValue } from "./harness/values.ts";

const podStatuses = ["None", "Scheduled", "Active", "Paused", "Ended", "Dissolved"];
const commitmentStatuses = [
  "None",
  "Active",
  "Lapsed",
  "Paused",
  "Left",
  "Completed",
  "Graduated",
  "Dissolved",
  "Burned",
  "Replaced",
  "Ended",
];
const memberStatuses = ["None", "Active", "Left", "Replaced", "Burned", "Recovered"];
const claimKinds = [null, "Replacement", "Recovery"];
const roundStates = ["Upcoming", "Open", "Reported", "Witnessed", "Missed", "Paused", "Outside"];

type Plain = string | number | bigint | boolean | null | Plain[];

/** A store value as plain JavaScript: hex strings, bigints, numbers, booleans, arrays, null. */
export function plainValue(v: StoreValue): Plain {
  switch (v.kind) {
    case "Null":
      return null;
    case "Array":
      return v.value.map(plainValue);
    case "BigDecimal":
      return decimalToString(v.value);
    default:
      return v.value;
  }
}

export function plain(data: EntityData): Record<string, Plain> {
  return Object.fromEntries([...data].map(([k, v]) => [k, plainValue(v)]));
}

/** A uint256 as the 32-byte word the subgraph keys pods and commitments by. */
export function wordOf(value: bigint): `0x${string}` {
  return `0x${value.toString(16).padStart(64, "0")}`;
}

export function entity(store: Store, type: string, id: string): Record<string, Plain> {
  const data = store.get(type, id);
  if (!data) throw new Error(`no ${type} ${id} in the store`);
  return plain(data);
}

/** The same figures from the subgraph and from a reference implementation (the lens, or the SDK audit). */
export type Comparison = { subgraph: Record<string, unknown>; reference: Record<string, unknown> };

/** The pod's figures from the subgraph and from `TrothLens.pod` at the pod's as-of block. */
export async function comparePod(f: TrothFixture, store: Store, podId: bigint): Promise<Comparison> {
  const pod = entity(store, "Pod", wordOf(podId));
  const blockNumber = pod.asOfBlock as bigint;
  const v = await f.lens.read.pod([podId], { blockNumber });
  return {
    subgraph: {
      status: pod.status,
      started: pod.started,
      currentRound: pod.currentRound,
      previousPod: pod.previous === null ? 0n : BigInt(pod.previous as string),
      start: pod.start,
      cadence: pod.cadence,
      grace: pod.grace,
      quorum: pod.quorum,
      rounds: pod.rounds,
      cycle: pod.cycle,
      memberCount: pod.memberCount,
      activeCount: pod.activeCount,
      pausedAt: pod.pausedAt ?? 0n,
      pausedTotal: pod.pausedTotal,
      nonce: pod.nonce,
      covenantDigest: pod.covenantDigest,
      keyringDigest: pod.keyringDigest,
    },
    reference: {
      status: podStatuses[v.status],
      started: v.started,
      currentRound: v.currentRound,
      previousPod: v.previousPod,
      start: BigInt(v.start),
      cadence: v.cadence,
      grace: v.grace,
      quorum: v.quorum,
      rounds: v.rounds,
      cycle: v.cycle,
      memberCount: v.memberCount,
      activeCount: v.activeCount,
      pausedAt: BigInt(v.pausedAt),
      pausedTotal: BigInt(v.pausedTotal),
      nonce: v.nonce,
      covenantDigest: v.covenantDigest,
      keyringDigest: v.keyringDigest,
    },
  };
}

/**
 * A commitment's continuity from the subgraph and from `TrothLens.commitment`/`roundStates` at the pod's as-of block.
 * A burned token has no holder on chain, so the lens reports only its status: then only the status is compared.
 */
export async function compareCommitment(f: TrothFixture, store: Store, tokenId: bigint): Promise<Comparison> {
  const c = entity(store, "Commitment", wordOf(tokenId));
  const pod = entity(store, "Pod", c.pod as string);
  const blockNumber = pod.asOfBlock as bigint;
  const [v, states, claimOf] = await Promise.all([
    f.lens.read.commitment([tokenId], { blockNumber }),
    f.lens.read.roundStates([tokenId], { blockNumber }),
    f.troth.read.claimOf([tokenId], { blockNumber }),
  ]);
  if (c.burned) return { subgraph: { status: c.status }, reference: { status: commitmentStatuses[v.status] } };
  const previous = c.previous === null ? 0n : BigInt(c.previous as string);
  const claim = c.claim === null ? null : entity(store, "ClaimMade", c.claim as string);
  return {
    subgraph: {
      claim: claim && {
        kind: claim.kind,
        successor: (claim.successor as string).toLowerCase(),
        notBefore: claim.notBefore,
      },
      account: (c.account as string).toLowerCase(),
      status: c.status,
      cycle: c.cycle,
      previousTokenId: previous,
      commitmentDigest: c.commitmentDigest,
      witnessedRounds: c.witnessedBits,
      reportedRounds: c.reportedBits,
      joinedRound: c.joinedRound,
      endRound: c.endRound,
      witnessed: c.witnessed,
      missed: c.missed,
      open: c.open,
      upcoming: c.upcoming,
      paused: c.paused,
      closed: c.closed,
      currentStreak: c.currentStreak,
      longestStreak: c.longestStreak,
      restarts: c.restarts,
      roundStates: c.roundStates,
    },
    reference: {
      claim:
        claimOf.kind === 0
          ? null
          : {
              kind: claimKinds[claimOf.kind],
              successor: claimOf.successor.toLowerCase(),
              notBefore: BigInt(claimOf.notBefore),
            },
      account: v.account.toLowerCase(),
      status: commitmentStatuses[v.status],
      cycle: v.cycle,
      previousTokenId: v.previousTokenId,
      commitmentDigest: v.commitmentDigest,
      witnessedRounds: v.witnessedRounds,
      reportedRounds: v.reportedRounds,
      joinedRound: v.joinedRound,
      endRound: v.endRound,
      witnessed: v.witnessed,
      missed: v.missed,
      open: v.open,
      upcoming: v.upcoming,
      paused: v.paused,
      closed: v.closed,
      currentStreak: v.currentStreak,
      longestStreak: v.longestStreak,
      restarts: v.restarts,
      roundStates: states.map((s) => roundStates[s]),
    },
  };
}

/**
 * Where every address that held one of the pod's commitments stands, from the subgraph's Membership entities and from
 * `Troth.memberRecord` at the pod's as-of block (Recovered addresses included); plus the holders without one.
 */
export async function compareMemberships(f: TrothFixture, store: Store, podId: bigint): Promise<Comparison> {
  const pod = entity(store, "Pod", wordOf(podId));
  const blockNumber = pod.asOfBlock as bigint;
  const memberships = store
    .all("Membership")
    .map(plain)
    .filter((m) => m.pod === pod.id);
  const subgraph: Record<string, unknown> = {};
  const reference: Record<string, unknown> = {};
  for (const m of memberships) {
    const account = m.account as `0x${string}`;
    const record = await f.troth.read.memberRecord([podId, account], { blockNumber });
    subgraph[account] = m.status;
    reference[account] = memberStatuses[record.status];
  }
  // Every holder of one of the pod's commitments has its Membership.
  for (const c of store.all("Commitment").map(plain)) {
    if (c.pod !== pod.id || (c.account as string) in subgraph) continue;
    subgraph[c.account as string] = null;
    reference[c.account as string] = "a Membership";
  }
  return { subgraph, reference };
}
