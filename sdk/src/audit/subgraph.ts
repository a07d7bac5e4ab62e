/**
 * A reader of the Troth subgraph (subgraph/) that answers in the embedded audit's shapes. The subgraph keeps each
 * pod's schedule (eras, pauses) and each commitment's record (round bitmaps, span, restarts); the reader rebuilds the
 * audit's pod entry from them and answers through the audit's own views, so both give the same numbers at any time,
 * not only at the pod's latest event.
 */
import { type Address, getAddress, type Hex, zeroAddress } from "viem";
import { BaseError } from "../errors/base.ts";
import type { PodView } from "../types.ts";
import { AuditNotFoundError } from "./indexer.ts";
import { type Era, type MemberRecord, type MemberStatus, memberFlags } from "./schedule.ts";
import {
  type AuditClaim,
  type AuditCommitmentView,
  type AuditMemberView,
  commitmentView,
  type MemberEntry,
  memberRecordOf,
  membersView,
  type PodEntry,
  podView,
  speakingOrderOf,
  type Vitality,
  vitalityOf,
} from "./views.ts";

/** The subgraph could not be reached, or answered with something other than a GraphQL response. */
export class SubgraphRequestError extends BaseError {
  override name = "SubgraphRequestError" as const;
  readonly url: string;
  readonly status: number | undefined;
  constructor({ url, status, cause }: { url: string; status?: number; cause?: unknown }) {
    super(`The subgraph at ${url} did not answer${status === undefined ? "" : ` (HTTP ${status})`}.`, {
      cause,
      metaMessages: status === undefined ? [] : [`HTTP status: ${status}`],
    });
    this.url = url;
    this.status = status;
  }
}

/** The subgraph answered the query with GraphQL errors (a wrong URL, an older schema, an indexing failure…). */
export class SubgraphQueryError extends BaseError {
  override name = "SubgraphQueryError" as const;
  readonly errors: string[];
  constructor({ url, errors }: { url: string; errors: string[] }) {
    super(`The subgraph at ${url} refused the query.`, { metaMessages: errors });
    this.errors = errors;
  }
}

export type CreateSubgraphReaderParameters = {
  /** The subgraph's GraphQL endpoint, e.g. `https://api.studio.thegraph.com/query/<id>/troth/version/latest`. */
  url: string;
  /** The fetch to use (default: the global one). */
  fetch?: typeof globalThis.fetch;
  /** Extra request headers (an API key, for example). */
  headers?: Record<string, string>;
};

/** The fields of a pod and its commitments the audit's views need; nothing else is fetched. */
const podQuery = `query TrothPod($id: ID!) {
  _meta { block { number timestamp } }
  pod(id: $id) {
    podId cycle start rounds cadence grace quorum fromRound fromClock eraCount
    pausedAt pausedTotal memberCount activeCount covenantDigest keyringDigest nonce
    previous { podId }
    renewedBy { podId }
    eras(first: 1000, orderBy: index, orderDirection: asc) { index fromRound fromClock cadence grace quorum }
    commitments(first: 256, orderBy: index, orderDirection: asc) {
      index membership burned cycle commitmentDigest joinedRound endRound restartFrom restarts
      witnessedBits reportedBits checkIns witnessesGiven previousCompleted leftAfterEnd
      account { id }
      previous { id }
      next(first: 1) { id }
      claim { kind successor notBefore }
    }
    memberships(first: 1000) { status account { id } }
  }
}`;

const podIdsQuery = `query TrothPodIds($first: Int!, $skip: Int!) {
  pods(first: $first, skip: $skip, orderBy: createdAtBlock, orderDirection: asc) { podId }
}`;

const metaQuery = `query TrothMeta { _meta { block { number timestamp } } }`;

type Meta = { block: { number: number; timestamp: number | null } };

type PodEntity = {
  podId: string;
  cycle: number;
  start: string;
  rounds: number;
  cadence: number;
  grace: number;
  quorum: number;
  fromRound: number;
  fromClock: string;
  eraCount: number;
  pausedAt: string | null;
  pausedTotal: string;
  memberCount: number;
  activeCount: number;
  covenantDigest: Hex;
  keyringDigest: Hex;
  nonce: number;
  previous: { podId: string } | null;
  renewedBy: { podId: string } | null;
  eras: { index: number; fromRound: number; fromClock: string; cadence: number; grace: number; quorum: number }[];
  commitments: {
    index: number;
    membership: "Active" | "Left" | "Replaced" | "Burned";
    burned: boolean;
    cycle: number;
    commitmentDigest: Hex;
    joinedRound: number;
    endRound: number;
    restartFrom: number;
    restarts: number;
    witnessedBits: string;
    reportedBits: string;
    checkIns: number;
    witnessesGiven: number;
    previousCompleted: boolean;
    leftAfterEnd: boolean;
    account: { id: Hex };
    previous: { id: Hex } | null;
    next: { id: Hex }[];
    claim: { kind: "Replacement" | "Recovery"; successor: Hex; notBefore: string } | null;
  }[];
  memberships: { status: string; account: { id: Hex } }[];
};

/** Pods per page when listing them (graph-node's maximum `first`). */
const pageSize = 1000;

/** A uint256 as the 32-byte word the subgraph keys pods by. */
function wordOf(value: bigint): Hex {
  return `0x${value.toString(16).padStart(64, "0")}`;
}

/** The audit's pod entry, rebuilt from the subgraph's Pod and its commitments. */
function entryOf(pod: PodEntity): PodEntry {
  const current: Era = {
    fromRound: pod.fromRound,
    fromClock: Number(pod.fromClock),
    cadence: pod.cadence,
    grace: pod.grace,
    quorum: pod.quorum,
  };
  const members: MemberEntry[] = pod.commitments.map((c) => {
    const account = getAddress(c.account.id);
    const status = c.membership.toLowerCase() as MemberStatus;
    const claim: AuditClaim | null = c.claim && {
      kind: c.claim.kind === "Replacement" ? "replacement" : "recovery",
      successor: getAddress(c.claim.successor),
      notBefore: Number(c.claim.notBefore),
    };
    const flags =
      (claim ? memberFlags.claimed : 0) |
      (c.next.length > 0 ? memberFlags.renewed : 0) |
      (c.leftAfterEnd ? memberFlags.leftAfterEnd : 0) |
      (c.previousCompleted ? memberFlags.previousCompleted : 0);
    return {
      account,
      holder: c.burned ? zeroAddress : account,
      commitmentDigest: c.commitmentDigest,
      reports: c.checkIns,
      attestations: c.witnessesGiven,
      claim,
      record: {
        witnessed: BigInt(c.witnessedBits),
        reported: BigInt(c.reportedBits),
        restarts: c.restarts,
        flags,
        index: c.index,
        status,
        joinedRound: c.joinedRound,
        // The contract records an end only when a member leaves (a burn records none); while active the span runs to
        // the cycle's end.
        endRound: status === "active" || status === "burned" ? 0 : c.endRound,
        restartFrom: c.restartFrom,
        cycle: c.cycle,
        previousIndex: c.previous ? Number(BigInt(c.previous.id) & 0xffn) : 0,
      },
    };
  });
  return {
    podId: BigInt(pod.podId),
    previousPod: pod.previous ? BigInt(pod.previous.podId) : 0n,
    cycle: pod.cycle,
    nonce: pod.nonce,
    covenantDigest: pod.covenantDigest,
    keyringDigest: pod.keyringDigest,
    members,
    renewedBy: pod.renewedBy ? BigInt(pod.renewedBy.podId) : null,
    recovered: pod.memberships.filter((m) => m.status === "Recovered").map((m) => getAddress(m.account.id)),
    pending: {},
    schedule: {
      start: Number(pod.start),
      pausedAt: pod.pausedAt === null ? 0 : Number(pod.pausedAt),
      pausedTotal: Number(pod.pausedTotal),
      rounds: pod.rounds,
      memberCount: pod.memberCount,
      activeCount: pod.activeCount,
      current,
      // The Pod holds the current era's terms (with a shrunk quorum); the Era entities before it are history.
      history: pod.eras
        .filter((e) => e.index < pod.eraCount - 1)
        .map((e) => ({
          fromRound: e.fromRound,
          fromClock: Number(e.fromClock),
          cadence: e.cadence,
          grace: e.grace,
          quorum: e.quorum,
        })),
    },
  };
}

/**
 * Reads pods and commitments from a Troth subgraph, in the same shapes (and with the same numbers) as the embedded
 * audit (`createAudit`), for networks that have outgrown reading logs themselves. Every view is async (one GraphQL
 * request); `time` defaults to the time of the subgraph's latest indexed block.
 *
 * @example
 * ```ts
 * const reader = createSubgraphReader({ url: "https://api.studio.thegraph.com/query/1234/troth/version/latest" });
 * const { pod, commitments } = await reader.continuity(podId);
 * const { decay } = await reader.vitality(podId);
 * ```
 */
export function createSubgraphReader({
  url,
  fetch: fetchImpl = globalThis.fetch,
  headers,
}: CreateSubgraphReaderParameters) {
  async function query<T>(text: string, variables: Record<string, unknown> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", ...headers },
        body: JSON.stringify({ query: text, variables }),
      });
    } catch (cause) {
      throw new SubgraphRequestError({ url, cause });
    }
    let body: { data?: T; errors?: { message: string }[] };
    try {
      body = await response.json();
    } catch (cause) {
      throw new SubgraphRequestError({ url, status: response.status, cause });
    }
    if (body.errors?.length) throw new SubgraphQueryError({ url, errors: body.errors.map((e) => e.message) });
    if (!response.ok || !body.data) throw new SubgraphRequestError({ url, status: response.status });
    return body.data;
  }

  function timeOf(meta: Meta): number {
    if (meta.block.timestamp === null) {
      throw new SubgraphQueryError({ url, errors: ["the subgraph does not report its latest block's timestamp"] });
    }
    return Number(meta.block.timestamp);
  }

  async function load(podId: bigint): Promise<{ pod: PodEntry; time: number }> {
    const data = await query<{ _meta: Meta; pod: PodEntity | null }>(podQuery, { id: wordOf(podId) });
    if (!data.pod) throw new AuditNotFoundError({ what: `pod ${podId}` });
    return { pod: entryOf(data.pod), time: timeOf(data._meta) };
  }

  function indexOf(pod: PodEntry, tokenId: bigint): number {
    const index = Number(tokenId & 0xffn);
    if (!pod.members[index]) throw new AuditNotFoundError({ what: `commitment ${tokenId}` });
    return index;
  }

  return {
    /** The endpoint read. */
    url,

    /**
     * The time of the subgraph's latest indexed block: the default `time` of every view.
     *
     * @example
     * ```ts
     * const indexedUpTo = await reader.time();
     * ```
     */
    async time(): Promise<number> {
      return timeOf((await query<{ _meta: Meta }>(metaQuery))._meta);
    },

    /**
     * Every pod indexed, in creation order.
     *
     * @example
     * ```ts
     * const ids = await reader.podIds();
     * ```
     */
    async podIds(): Promise<bigint[]> {
      const ids: bigint[] = [];
      for (let skip = 0; ; skip += pageSize) {
        const { pods } = await query<{ pods: { podId: string }[] }>(podIdsQuery, { first: pageSize, skip });
        ids.push(...pods.map((p) => BigInt(p.podId)));
        if (pods.length < pageSize) return ids;
      }
    },

    /**
     * A pod as the lens's `pod()` shows it, at `time` (default: the subgraph's latest block).
     *
     * @example
     * ```ts
     * const { status, currentRound } = await reader.pod(podId);
     * ```
     */
    async pod(podId: bigint, time?: number): Promise<PodView> {
      const loaded = await load(podId);
      return podView(loaded.pod, time ?? loaded.time);
    },

    /**
     * Every member the pod ever had, as the lens's `members()` shows them.
     *
     * @example
     * ```ts
     * const members = await reader.members(podId);
     * ```
     */
    async members(podId: bigint): Promise<AuditMemberView[]> {
      return membersView((await load(podId)).pod);
    },

    /**
     * The record of `account` in the pod, as the audit's `memberRecord()` gives it (`recovered` for an address whose
     * commitment moved to a new one).
     *
     * @example
     * ```ts
     * const { status } = await reader.memberRecord(podId, account);
     * ```
     */
    async memberRecord(podId: bigint, account: Address): Promise<MemberRecord> {
      return memberRecordOf((await load(podId)).pod, account);
    },

    /**
     * A commitment's continuity (the lens's `commitment()`) with its round states and the claim standing on it.
     *
     * @example
     * ```ts
     * const { witnessed, missed, roundStates, claim } = await reader.commitment(tokenId);
     * ```
     */
    async commitment(tokenId: bigint, time?: number): Promise<AuditCommitmentView> {
      const loaded = await load(tokenId >> 8n);
      return commitmentView(loaded.pod, indexOf(loaded.pod, tokenId), time ?? loaded.time);
    },

    /**
     * A whole pod's continuity, in the shape `getContinuity` gives from the contract.
     *
     * @example
     * ```ts
     * const { pod, members, commitments } = await reader.continuity(podId);
     * ```
     */
    async continuity(podId: bigint, time?: number) {
      const loaded = await load(podId);
      const at = time ?? loaded.time;
      return {
        pod: podView(loaded.pod, at),
        members: membersView(loaded.pod),
        commitments: loaded.pod.members.map((_, i) => commitmentView(loaded.pod, i, at)),
      };
    },

    /**
     * The active members in speaking order at `round`.
     *
     * @example
     * ```ts
     * const order = await reader.speakingOrder(podId, 3);
     * ```
     */
    async speakingOrder(podId: bigint, round: number): Promise<Address[]> {
      return speakingOrderOf((await load(podId)).pod, round);
    },

    /**
     * The pod's vitality signals at `time`: decay, one-sided witnessing, renewal and graduation.
     *
     * @example
     * ```ts
     * const { decay, oneSided } = await reader.vitality(podId);
     * ```
     */
    async vitality(podId: bigint, time?: number): Promise<Vitality> {
      const loaded = await load(podId);
      return vitalityOf(loaded.pod, time ?? loaded.time);
    },
  };
}

export type SubgraphReader = ReturnType<typeof createSubgraphReader>;
