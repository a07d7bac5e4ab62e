import { type Address, type Hex, zeroAddress, zeroHash } from "viem";
import type { DecodedLog } from "./decode.ts";
import { AuditNotFoundError } from "./errors.ts";
import { clock, closedRounds, lived, type MemberStatus, memberFlags, opens, spanEnd } from "./schedule.ts";
import type { AuditClaim, MemberEntry, PodEntry } from "./views.ts";

/** `MemberStatus` and `ClaimKind` as the contract numbers them. */
const memberStatusNames: readonly MemberStatus[] = ["none", "active", "left", "replaced", "burned", "recovered"];
const claimKinds: readonly (AuditClaim["kind"] | undefined)[] = [undefined, "replacement", "recovery"];

/**
 * The audit's fold: each Troth event, in chain order, applied to the pods it concerns, as the contract would change
 * its state. `leaveTimes` holds the time of each block (of the piece being applied) where a member left.
 */
export function createApplier(pods: Map<bigint, PodEntry>, leaveTimes: Map<bigint, number>) {
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

  return { apply, podOf, memberOf };
}
