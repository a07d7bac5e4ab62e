import { type Address, type Chain, getAddress, type Hex, type PublicClient, type Transport } from "viem";
import type { PodView } from "../types.ts";
import { createApplier } from "./apply.ts";
import { createLogDecoder } from "./decode.ts";
import { AuditCheckpointError } from "./errors.ts";
import type { MemberRecord } from "./schedule.ts";
import { type AuditState, deserialize, serialize } from "./state.ts";
import { applyLogs, hashAt, type SafeBlockOption, type SyncContext, safeHead } from "./sync.ts";
import {
  type AuditCommitmentView,
  type AuditMemberView,
  commitmentView,
  memberRecordOf,
  membersView,
  type PodEntry,
  podView,
  speakingOrderOf,
  type Vitality,
  vitalityOf,
} from "./views.ts";

export { AuditCheckpointError, AuditNotFoundError } from "./errors.ts";
export type { SafeBlockOption } from "./sync.ts";
export type { AuditClaim, AuditCommitmentView, AuditMemberView, DecaySignal, Vitality } from "./views.ts";

/** The events the audit reads; every number it gives comes from these alone (no contract calls). */
const logDecoder = createLogDecoder([
  "PodCreated",
  "CheckedIn",
  "CheckInWitnessed",
  "Restarted",
  "PodPaused",
  "PodResumed",
  "PodAmended",
  "MemberLeft",
  "MemberAdded",
  "KeyringRotated",
  "PodAtRisk",
  "ClaimMade",
  "ClaimCancelled",
  "CommitmentRecovered",
  "Transfer",
]);

/** Earlier positions kept in memory to rewind to after a reorganisation (beyond them, the audit starts again). */
const SNAPSHOTS = 8;

export type CreateAuditParameters = {
  publicClient: PublicClient<Transport, Chain | undefined>;
  /** The Troth contract. */
  address: Address;
  /** First block to read (the deployment's); ignored when resuming. */
  startBlock?: bigint;
  /** The widest block range per `eth_getLogs` request (default: what the provider accepts, learned from refusals). */
  batchSize?: bigint;
  /** `eth_getLogs` requests in flight at once (default 16). */
  concurrency?: number;
  /**
   * The newest block applied: the chain's `finalized` block (default; else its `safe` block, else `confirmations`
   * below the latest), its `safe` block, or always `confirmations` below the latest.
   */
  safeBlock?: SafeBlockOption;
  /** Blocks kept back from the latest when the chain has no finalized or safe block (default 12). */
  confirmations?: number;
  /** A string from `audit.checkpoint()`, to resume where it stopped. */
  checkpoint?: string;
  /** Called as each piece of the range is applied. */
  onProgress?: (progress: { block: bigint; target: bigint }) => void;
};

export type AuditSyncReturnType = {
  fromBlock: bigint;
  toBlock: bigint;
  logs: number;
  /** The block the audit went back to after finding its checkpoint block replaced by a reorganisation (else null). */
  rewoundTo: bigint | null;
};

/**
 * An embedded indexer: rebuilds every pod's and commitment's continuity from the Troth contract's logs alone,
 * resumable from a checkpoint. Its views give the same numbers as the lens (a property test holds it to that), plus
 * the vitality signals. It applies logs only up to a safe block and keeps the hash of the block it stopped at: when a
 * reorganisation replaces that block, it rewinds to an earlier position still on the chain and reads again.
 *
 * @example
 * ```ts
 * const audit = createAudit({ publicClient, address: troth, startBlock });
 * await audit.sync();
 * for (const podId of audit.podIds()) console.log(audit.pod(podId).status, audit.vitality(podId).decay);
 * localStorage.setItem("troth-audit", audit.checkpoint());
 * ```
 */
export function createAudit({
  publicClient,
  address,
  startBlock = 0n,
  batchSize,
  concurrency,
  safeBlock = "finalized",
  confirmations = 12,
  checkpoint,
  onProgress,
}: CreateAuditParameters) {
  const fresh = (): AuditState => ({
    version: 3,
    address: getAddress(address),
    startBlock,
    block: startBlock - 1n,
    hash: null,
    time: 0,
    pods: [],
  });
  const state: AuditState = checkpoint ? deserialize(checkpoint) : fresh();
  // A version 2 checkpoint did not record where the audit began.
  if (checkpoint && !checkpoint.includes('"startBlock"')) state.startBlock = startBlock;
  if (getAddress(state.address) !== getAddress(address)) {
    throw new AuditCheckpointError({ reason: `it was made for ${state.address}, not ${address}` });
  }
  const pods = new Map<bigint, PodEntry>(state.pods.map((p) => [p.podId, p]));
  state.pods = [];
  /** Times of the blocks in the piece being applied where a member left (not replaced), by block number. */
  const leaveTimes = new Map<bigint, number>();
  const applier = createApplier(pods, leaveTimes);
  const ctx: SyncContext = {
    publicClient,
    address: state.address,
    state,
    decoder: logDecoder,
    applier,
    leaveTimes,
    safeBlock,
    confirmations: BigInt(confirmations),
    maxSpan: batchSize,
    concurrency,
    onProgress,
  };
  /** Earlier positions (checkpoint strings with the block and hash they were made at), oldest first. */
  const snapshots: { block: bigint; hash: Hex; text: string }[] = [];

  const save = () => serialize({ ...state, pods: [...pods.values()] });

  function restore(next: AuditState) {
    Object.assign(state, next, { pods: [] });
    pods.clear();
    for (const pod of next.pods) pods.set(pod.podId, pod);
  }

  /** Back to the newest snapshot whose block the chain still has, or to the start. */
  async function rewind(): Promise<bigint> {
    while (snapshots.length > 0) {
      const snapshot = snapshots.pop() as (typeof snapshots)[number];
      if ((await hashAt(ctx, snapshot.block)) === snapshot.hash) {
        restore(deserialize(snapshot.text));
        return state.block;
      }
    }
    restore({ ...fresh(), startBlock: state.startBlock, block: state.startBlock - 1n });
    return state.block;
  }

  const audit = {
    /** The last block applied. */
    get block(): bigint {
      return state.block;
    },
    /** The time of the last block applied: the default `time` of every view. */
    get time(): number {
      return state.time;
    },

    /**
     * Reads the logs from where the audit stopped up to `toBlock` (default, and at most: the safe block), the ranges
     * split as the provider needs and several read at once. If the block it stopped at is no longer the chain's (a
     * reorganisation), it first rewinds.
     *
     * @example
     * ```ts
     * const { logs, rewoundTo } = await audit.sync();
     * ```
     */
    async sync({ toBlock }: { toBlock?: bigint } = {}): Promise<AuditSyncReturnType> {
      let rewoundTo: bigint | null = null;
      if (state.hash !== null && (await hashAt(ctx, state.block)) !== state.hash) rewoundTo = await rewind();
      const head = await safeHead(ctx);
      const target = toBlock !== undefined && toBlock < head ? toBlock : head;
      const fromBlock = state.block + 1n;
      if (target < fromBlock && state.time !== 0) return { fromBlock, toBlock: state.block, logs: 0, rewoundTo };
      // The target's hash is taken before its logs are read: if it is replaced meanwhile, the next sync rewinds.
      const end = await publicClient.getBlock({ blockNumber: target < fromBlock ? state.block : target });
      if (state.hash !== null) {
        snapshots.push({ block: state.block, hash: state.hash, text: save() });
        if (snapshots.length > SNAPSHOTS) snapshots.shift();
      }
      let logs = 0;
      try {
        if (target >= fromBlock) logs = await applyLogs(ctx, target);
      } catch (error) {
        // Stopped part-way: the pieces applied stand, checked from the next sync on like any position.
        state.hash = await hashAt(ctx, state.block);
        throw error;
      }
      state.hash = end.hash;
      state.time = Number(end.timestamp);
      return { fromBlock, toBlock: state.block, logs, rewoundTo };
    },

    /**
     * The audit's position and everything it built, as a string: pass it to `createAudit` to resume.
     *
     * @example
     * ```ts
     * const saved = audit.checkpoint();
     * const resumed = createAudit({ publicClient, address, checkpoint: saved });
     * ```
     */
    checkpoint(): string {
      return save();
    },
    /**
     * Every pod seen so far, in creation order.
     *
     * @example
     * ```ts
     * const ids = audit.podIds();
     * ```
     */
    podIds(): bigint[] {
      return [...pods.keys()];
    },

    /**
     * A pod as the lens's `pod()` shows it, at `time` (default: the last block read).
     *
     * @example
     * ```ts
     * const { status, currentRound } = audit.pod(podId);
     * ```
     */
    pod(podId: bigint, time = state.time): PodView {
      return podView(applier.podOf(podId), time);
    },

    /**
     * Every member the pod ever had, as the lens's `members()` shows them.
     *
     * @example
     * ```ts
     * const members = audit.members(podId);
     * ```
     */
    members(podId: bigint): AuditMemberView[] {
      return membersView(applier.podOf(podId));
    },

    /**
     * The record of `account` in the pod (the contract's `memberRecord()`, without its pending check-in cache):
     * status `none` if it never was a member, `recovered` if its commitment moved to a new address.
     *
     * @example
     * ```ts
     * const { status, flags } = audit.memberRecord(podId, account);
     * ```
     */
    memberRecord(podId: bigint, account: Address): MemberRecord {
      return memberRecordOf(applier.podOf(podId), account);
    },

    /**
     * A commitment's continuity (the lens's `commitment()`) with its round states (`roundStates()`) and the claim
     * standing on it (`claimOf()`: kind, successor, notBefore), or null.
     *
     * @example
     * ```ts
     * const { witnessed, missed, roundStates, claim } = audit.commitment(tokenId);
     * ```
     */
    commitment(tokenId: bigint, time = state.time): AuditCommitmentView {
      const { pod } = applier.memberOf(tokenId);
      return commitmentView(pod, Number(tokenId & 0xffn), time);
    },

    /**
     * A whole pod's continuity, in the shape `getContinuity` gives from the contract.
     *
     * @example
     * ```ts
     * const { pod, commitments } = audit.continuity(podId);
     * ```
     */
    continuity(podId: bigint, time = state.time) {
      const pod = applier.podOf(podId);
      return {
        pod: podView(pod, time),
        members: membersView(pod),
        commitments: pod.members.map((_, i) => commitmentView(pod, i, time)),
      };
    },

    /**
     * The active members in speaking order at `round` (the lens's `speakingOrder()`).
     *
     * @example
     * ```ts
     * const order = audit.speakingOrder(podId, 3);
     * ```
     */
    speakingOrder(podId: bigint, round: number): Address[] {
      return speakingOrderOf(applier.podOf(podId), round);
    },

    /**
     * The pod's vitality signals at `time`: decay, one-sided witnessing, renewal and graduation.
     *
     * @example
     * ```ts
     * const { decay, oneSided } = audit.vitality(podId);
     * if (decay.length) console.log("check in with", decay.map((d) => d.account));
     * ```
     */
    vitality(podId: bigint, time = state.time): Vitality {
      return vitalityOf(applier.podOf(podId), time);
    },
  };
  return audit;
}

export type Audit = ReturnType<typeof createAudit>;
