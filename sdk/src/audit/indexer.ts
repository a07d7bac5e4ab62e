import {
  type Address,
  type Chain,
  getAddress,
  type Hex,
  type PublicClient,
  type Transport,
  toHex,
  zeroAddress,
  zeroHash,
} from "viem";
import { BaseError } from "../errors/base.ts";
import type { PodView } from "../types.ts";
import { createLogDecoder, type DecodedLog, type RawLog } from "./decode.ts";
import {
  clock,
  closedRounds,
  lived,
  type MemberRecord,
  type MemberStatus,
  memberFlags,
  opens,
  spanEnd,
} from "./schedule.ts";
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

/** `MemberStatus` and `ClaimKind` as the contract numbers them. */
const memberStatusNames: readonly MemberStatus[] = ["none", "active", "left", "replaced", "burned", "recovered"];
const claimKinds: readonly (AuditClaim["kind"] | undefined)[] = [undefined, "replacement", "recovery"];

/**
 * A resumable audit position: the last block read and everything built from the logs up to it. Version 2: protocol
 * v2's records (flags, claims, recovered addresses); a version 1 checkpoint was made from protocol v1's events.
 */
type AuditState = { version: 2; address: Address; block: bigint; time: number; pods: PodEntry[] };

/** The checkpoint is for another contract or another format. */
export class AuditCheckpointError extends BaseError {
  override name = "AuditCheckpointError" as const;
  constructor({ reason }: { reason: string }) {
    super(`Cannot resume the audit from this checkpoint: ${reason}.`);
  }
}

/** The audit has no such pod or commitment (not created, or not synced yet). */
export class AuditNotFoundError extends BaseError {
  override name = "AuditNotFoundError" as const;
  constructor({ what }: { what: string }) {
    super(`The audit has no ${what}: it was not created, or the audit has not synced that far.`);
  }
}

export type CreateAuditParameters = {
  publicClient: PublicClient<Transport, Chain | undefined>;
  /** The Troth contract. */
  address: Address;
  /** First block to read (the deployment's); ignored when resuming. */
  startBlock?: bigint;
  /** Blocks per `eth_getLogs` request (default 5,000). */
  batchSize?: bigint;
  /** A string from `audit.checkpoint()`, to resume where it stopped. */
  checkpoint?: string;
};

const bigintTag = "$bigint";

function serialize(state: AuditState): string {
  return JSON.stringify(state, (_, value) => (typeof value === "bigint" ? { [bigintTag]: value.toString() } : value));
}

function deserialize(text: string): AuditState {
  return JSON.parse(text, (_, value) =>
    value && typeof value === "object" && bigintTag in value ? BigInt(value[bigintTag]) : value,
  ) as AuditState;
}

/**
 * An embedded indexer: rebuilds every pod's and commitment's continuity from the Troth contract's logs alone, in
 * block batches, resumable from a checkpoint. Its views give the same numbers as the lens (a property test holds it
 * to that), plus the vitality signals.
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
  batchSize = 5_000n,
  checkpoint,
}: CreateAuditParameters) {
  const state: AuditState = checkpoint
    ? deserialize(checkpoint)
    : { version: 2, address: getAddress(address), block: startBlock - 1n, time: 0, pods: [] };
  if (state.version !== 2) throw new AuditCheckpointError({ reason: `unknown version ${state.version}` });
  if (getAddress(state.address) !== getAddress(address)) {
    throw new AuditCheckpointError({ reason: `it was made for ${state.address}, not ${address}` });
  }
  const pods = new Map<bigint, PodEntry>(state.pods.map((p) => [p.podId, p]));

  /** Times of the blocks in the current batch where a member left (not replaced), by block number. */
  const leaveTimes = new Map<bigint, number>();

  function podOf(podId: bigint): PodEntry {
    const pod = pods.get(podId);
    if (!pod) throw new AuditNotFoundError({ what: `pod ${podId}` });
    return pod;
  }

  function memberOf(tokenId: bigint): { pod: PodEntry; member: MemberEntry } {
    const pod = podOf(tokenId >> 8n);
    const member = pod.members[Number(tokenId & 0xffn)];
    if (!member) throw new AuditNotFoundError({ what: `commitment ${tokenId}` });
    return { pod, member };
  }

  function indexOf(pod: PodEntry, account: Address): number {
    return pod.members.findIndex((m) => m.account === account);
  }

  function enrol(
    pod: PodEntry,
    account: Address,
    commitmentDigest: Hex,
    joinedRound: number,
    cycle: number,
    previousIndex: number,
    flags: number,
  ) {
    pod.members.push({
      account,
      holder: account,
      commitmentDigest,
      reports: 0,
      attestations: 0,
      claim: null,
      record: {
        witnessed: 0n,
        reported: 0n,
        restarts: 0,
        flags,
        index: pod.members.length,
        status: "active",
        joinedRound,
        endRound: 0,
        restartFrom: joinedRound,
        cycle,
        previousIndex,
      },
    });
  }

  function apply(log: DecodedLog) {
    const args = log.args;
    switch (log.eventName) {
      case "PodCreated": {
        const previous = args.previousPod === 0n ? undefined : pods.get(args.previousPod);
        const pod: PodEntry = {
          podId: args.podId,
          previousPod: args.previousPod,
          cycle: args.cycle,
          nonce: 0,
          covenantDigest: args.covenantDigest,
          keyringDigest: args.keyringDigest,
          members: [],
          renewedBy: null,
          recovered: [],
          pending: {},
          schedule: {
            start: args.start,
            pausedAt: 0,
            pausedTotal: 0,
            rounds: args.rounds,
            memberCount: args.members.length,
            activeCount: args.members.length,
            current: { fromRound: 0, fromClock: 0, cadence: args.cadence, grace: args.grace, quorum: args.quorum },
            history: [],
          },
        };
        args.members.forEach((account: Address, i: number) => {
          const before = previous?.members.find((m) => m.account === account);
          let flags = 0;
          if (previous && before) {
            // TrothGovernance._enrol: the previous record is marked renewed; its cycle was completed if the pod ended
            // whole and the member lived it (the span as the contract computes it from the record).
            before.record.flags |= memberFlags.renewed;
            const s = previous.schedule;
            const r = before.record;
            if (s.activeCount >= 2 && lived(r.witnessed, r.joinedRound, spanEnd(r, s.rounds))) {
              flags = memberFlags.previousCompleted;
            }
          }
          enrol(
            pod,
            account,
            args.commitmentDigests[i],
            0,
            before ? before.record.cycle + 1 : 1,
            before?.record.index ?? 0,
            flags,
          );
        });
        if (previous) previous.renewedBy = pod.podId;
        pods.set(pod.podId, pod);
        return;
      }
      case "CheckedIn": {
        const { pod, member } = memberOf(args.tokenId);
        const bit = 1n << BigInt(args.round);
        member.record.reported |= bit;
        if (args.witnessed) member.record.witnessed |= bit;
        member.reports += 1;
        for (let i = 0, bits = args.witnessIndexes as bigint; bits !== 0n; ++i, bits >>= 1n) {
          if (bits & 1n) pod.members[i].attestations += 1;
        }
        // A check-in still waiting for witnesses remembers who attested it, so each witness counts once.
        if (!args.witnessed) pod.pending[`${args.tokenId}:${args.round}`] = args.witnessIndexes;
        return;
      }
      case "CheckInWitnessed": {
        const { pod, member } = memberOf(args.tokenId);
        if (args.witnessed) member.record.witnessed |= 1n << BigInt(args.round);
        const index = indexOf(pod, args.witness);
        const key = `${args.tokenId}:${args.round}`;
        const seen = pod.pending[key] ?? 0n;
        // A witness already recorded may attest again only to settle a shrunk quorum: the same attestation.
        if (index >= 0 && ((seen >> BigInt(index)) & 1n) === 0n) pod.members[index].attestations += 1;
        if (args.witnessed) delete pod.pending[key];
        else if (index >= 0) pod.pending[key] = seen | (1n << BigInt(index));
        return;
      }
      case "Restarted": {
        const { member } = memberOf(args.tokenId);
        member.record.restartFrom = args.round;
        member.record.restarts = args.restarts;
        if (args.commitmentDigest !== zeroHash) member.commitmentDigest = args.commitmentDigest;
        return;
      }
      case "PodPaused":
        podOf(args.podId).schedule.pausedAt = args.at;
        podOf(args.podId).nonce += 1;
        return;
      case "PodResumed": {
        const pod = podOf(args.podId);
        pod.schedule.pausedTotal += args.pausedFor;
        pod.schedule.pausedAt = 0;
        pod.nonce += 1;
        return;
      }
      case "PodAmended": {
        // The governance module's amend, replayed: the current era keeps the rounds already open, unless an
        // amendment was already scheduled for the same round (then it is replaced).
        const pod = podOf(args.podId);
        const s = pod.schedule;
        if (args.fromRound > s.current.fromRound) {
          s.history.push({ ...s.current });
          s.current = { ...s.current, fromClock: opens(s.current, args.fromRound), fromRound: args.fromRound };
        }
        s.current = { ...s.current, cadence: args.cadence, grace: args.grace, quorum: args.quorum };
        pod.covenantDigest = args.covenantDigest;
        pod.nonce += 1;
        return;
      }
      case "MemberLeft": {
        const { pod, member } = memberOf(args.tokenId);
        // Left (2) or Replaced (3).
        member.record.status = memberStatusNames[args.status];
        member.record.endRound = args.endRound;
        // Leaving a pod that has ended (or dissolved) leaves the pod as it was (`Troth.leave`) and keeps the right to
        // renew it; a replacement always happens in a live pod. Whether it had ended depends on the time of the block.
        const time = leaveTimes.get(log.blockNumber);
        const s = pod.schedule;
        const asItWas = time !== undefined && (closedRounds(s, clock(s, time)) === s.rounds || s.activeCount < 2);
        if (asItWas) member.record.flags |= memberFlags.leftAfterEnd;
        else s.activeCount -= 1;
        return;
      }
      case "MemberAdded": {
        const pod = podOf(args.podId);
        const replaced = args.replacedTokenId !== 0n ? memberOf(args.replacedTokenId).member : undefined;
        if (replaced?.claim) {
          // A replacement claim completed (`completeClaim`): its nonce was spent when the claim was made.
          answer(replaced);
        } else {
          // `addMember` or `replaceMember`: a consent-gated change (a claim on the replaced was answered by consenting).
          pod.nonce += 1;
        }
        enrol(pod, args.member, args.commitmentDigest, args.joinedRound, 1, 0, 0);
        pod.schedule.memberCount += 1;
        pod.schedule.activeCount += 1;
        return;
      }
      case "ClaimMade": {
        const { pod, member } = memberOf(args.tokenId);
        member.claim = {
          kind: claimKinds[args.kind] as AuditClaim["kind"],
          successor: args.successor,
          notBefore: args.notBefore,
        };
        member.record.flags |= memberFlags.claimed;
        // `proposeReplacement` and `requestRecovery` spend the pod's nonce.
        pod.nonce += 1;
        return;
      }
      case "ClaimCancelled":
        answer(memberOf(args.tokenId).member);
        return;
      case "CommitmentRecovered": {
        // The record moves whole (history, streaks, restarts, lineage) to the new address; the lost one reads
        // `recovered` and can never act in the pod again.
        const { pod, member } = memberOf(args.tokenId);
        answer(member);
        pod.recovered.push(args.lost);
        member.account = args.account;
        member.holder = args.account;
        return;
      }
      case "KeyringRotated":
        podOf(args.podId).keyringDigest = args.keyringDigest;
        return;
      case "PodAtRisk":
        podOf(args.podId).schedule.current.quorum = args.quorum;
        return;
      case "Transfer": {
        // Mints are recorded by PodCreated and MemberAdded, a recovery by CommitmentRecovered; a burn forgets the
        // holder, as the contract does, and an active member's record reads `burned`.
        if (args.to !== zeroAddress || args.from === zeroAddress) return;
        const { member } = memberOf(args.tokenId);
        member.holder = zeroAddress;
        if (member.record.status === "active") member.record.status = "burned";
        return;
      }
    }
  }

  /** The claim on `member` is gone: the member acted, or it was completed. */
  function answer(member: MemberEntry) {
    member.claim = null;
    member.record.flags &= ~memberFlags.claimed;
  }

  const audit = {
    /** The last block read. */
    get block(): bigint {
      return state.block;
    },
    /** The time of the last block read: the default `time` of every view. */
    get time(): number {
      return state.time;
    },

    /**
     * Reads the logs from where the audit stopped up to `toBlock` (default: the latest block), in batches.
     *
     * @example
     * ```ts
     * const { logs } = await audit.sync();
     * ```
     */
    async sync({ toBlock }: { toBlock?: bigint } = {}): Promise<{ fromBlock: bigint; toBlock: bigint; logs: number }> {
      const target = toBlock ?? (await publicClient.getBlockNumber());
      const fromBlock = state.block + 1n;
      let logs = 0;
      for (let from = fromBlock; from <= target; from += batchSize) {
        const to = from + batchSize - 1n < target ? from + batchSize - 1n : target;
        const raw = (await publicClient.request({
          method: "eth_getLogs",
          params: [{ address: state.address, topics: [logDecoder.topics], fromBlock: toHex(from), toBlock: toHex(to) }],
        })) as RawLog[];
        const batch = raw.flatMap((log) => logDecoder.decode(log) ?? []);
        // A plain leave (not the first half of a replacement) needs its block's time; fetch those few headers first.
        const leaves = batch.filter(
          (log, i) =>
            log.eventName === "MemberLeft" &&
            !batch
              .slice(i + 1)
              .some(
                (next) =>
                  next.transactionHash === log.transactionHash &&
                  next.eventName === "MemberAdded" &&
                  next.args.replacedTokenId === log.args.tokenId,
              ),
        );
        leaveTimes.clear();
        await Promise.all(
          [...new Set(leaves.map((log) => log.blockNumber))].map(async (blockNumber) => {
            leaveTimes.set(blockNumber, Number((await publicClient.getBlock({ blockNumber })).timestamp));
          }),
        );
        for (const log of batch) apply(log);
        logs += batch.length;
        // Only a batch fully applied moves the checkpoint.
        state.block = to;
      }
      if (target >= fromBlock || state.time === 0) {
        state.time = Number((await publicClient.getBlock({ blockNumber: target })).timestamp);
      }
      return { fromBlock, toBlock: target, logs };
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
      return serialize({ ...state, pods: [...pods.values()] });
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
      return podView(podOf(podId), time);
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
      return membersView(podOf(podId));
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
      return memberRecordOf(podOf(podId), account);
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
      const { pod } = memberOf(tokenId);
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
      const pod = podOf(podId);
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
      return speakingOrderOf(podOf(podId), round);
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
      return vitalityOf(podOf(podId), time);
    },
  };
  return audit;
}

export type Audit = ReturnType<typeof createAudit>;
