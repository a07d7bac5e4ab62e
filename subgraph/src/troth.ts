/**
 * Mappings of the Troth contract: one immutable entity per event, and the aggregates each event moves.
 * No contract calls: the events carry everything (see ITrothEvents), and time-dependent figures come from the ported
 * schedule, evaluated at each event's block time (aggregates.ts).
 */
import { Address, BigInt, Bytes, Entity, ethereum, Value } from "@graphprotocol/graph-ts";
import {
  Activity,
  Attestation,
  CheckedIn,
  CheckInWitnessed,
  ClaimCancelled,
  ClaimMade,
  Commitment,
  CommitmentBurned,
  CommitmentRecovered,
  CovenantAccepted,
  EncryptionKeyPublished,
  HashApproved,
  HashRevoked,
  KeyringRotated,
  Member,
  MemberAdded,
  MemberLeft,
  Noted,
  Pod,
  PodAmended,
  PodAtRisk,
  PodCreated,
  PodPaused,
  PodResumed,
  Report,
  Restarted,
} from "../generated/schema";
import {
  CheckedIn as CheckedInEvent,
  CheckInWitnessed as CheckInWitnessedEvent,
  ClaimCancelled as ClaimCancelledEvent,
  ClaimMade as ClaimMadeEvent,
  CommitmentRecovered as CommitmentRecoveredEvent,
  CovenantAccepted as CovenantAcceptedEvent,
  EncryptionKeyPublished as EncryptionKeyPublishedEvent,
  HashApproved as HashApprovedEvent,
  HashRevoked as HashRevokedEvent,
  KeyringRotated as KeyringRotatedEvent,
  MemberAdded as MemberAddedEvent,
  MemberLeft as MemberLeftEvent,
  Noted as NotedEvent,
  PodAmended as PodAmendedEvent,
  PodAtRisk as PodAtRiskEvent,
  PodCreated as PodCreatedEvent,
  PodPaused as PodPausedEvent,
  PodResumed as PodResumedEvent,
  Restarted as RestartedEvent,
  Transfer as TransferEvent,
} from "../generated/Troth/Troth";
import { loadMember, loadNetwork, PodContext } from "./aggregates";
import { CommitmentStatus, claimKindOf, hasEnded, lived, Membership, membershipOf, PodStatus } from "./continuity";
import { eventId, indexOf, isZero, podKeyOf, reportKey, tokenKey, word, wordToBigInt } from "./ids";
import { clock, opens } from "./schedule";

// ─── Pods ────────────────────────────────────────────────────────────────────────────────────────────────────────

export function handlePodCreated(event: PodCreatedEvent): void {
  const p = event.params;
  const network = loadNetwork(event);
  const podKey = word(p.podId);
  const renewal = !p.previousPod.isZero();
  let previous: PodContext | null = null;
  if (renewal) {
    // The renewed pod has ended: evaluating it now fixes its final standing (graduations included). It saves its
    // members before this pod's context loads them, so the two contexts never hold diverging copies of a member.
    previous = PodContext.load(word(p.previousPod), network);
    previous.pod.renewedBy = podKey;
    previous.evaluate(event);
  }

  const pod = new Pod(podKey);
  pod.podId = p.podId;
  pod.previous = renewal ? word(p.previousPod) : null;
  pod.cycle = p.cycle;
  pod.start = p.start;
  pod.rounds = p.rounds;
  pod.pausedAt = null;
  pod.pausedTotal = BigInt.zero();
  pod.memberCount = p.members.length;
  pod.activeCount = p.members.length;
  pod.covenantDigest = p.covenantDigest;
  pod.keyringDigest = p.keyringDigest;
  pod.keyEpochs = 1;
  pod.pauses = 0;
  pod.amendments = 0;
  pod.departures = 0;
  pod.replacements = 0;
  pod.additions = 0;
  pod.claims = 0;
  pod.recoveries = 0;
  pod.nonce = 0;
  pod.atRisk = false;
  pod.checkIns = 0;
  pod.attestations = 0;
  pod.witnessLatencyTotal = BigInt.zero();
  pod.witnessLatencyCount = 0;
  pod.createdAtBlock = event.block.number;
  pod.createdAtTimestamp = event.block.timestamp;
  // Set by the evaluation below.
  pod.status = PodStatus.Scheduled;
  pod.graduated = false;
  pod.started = false;
  pod.currentRound = 0;
  pod.closedRounds = 0;
  pod.witnessedRounds = 0;
  pod.missedRounds = 0;
  pod.closedRoundsTotal = 0;
  pod.decayingCommitments = 0;
  pod.witnessOnlyCommitments = 0;
  pod.dominantWitness = null;
  pod.dominantWitnessAttestations = 0;
  pod.dominantWitnessShare = null;
  pod.oneSidedWitnessing = false;
  pod.renewedBy = null;
  pod.renewable = false;
  pod.asOfBlock = event.block.number;
  pod.asOfTimestamp = event.block.timestamp;

  const context = new PodContext(pod, network);
  context.setEra(0, 0, 0, p.cadence.toI32(), p.grace.toI32(), p.quorum);
  const members = p.members;
  const digests = p.commitmentDigests;
  for (let i = 0; i < members.length; i++) {
    let before: Commitment | null = null;
    if (previous != null) {
      // The contract renews only members still active at the end of the previous pod.
      before = previous.commitmentOf(members[i]);
      if (before == null) throw new Error("renewal member " + members[i].toHexString() + " was not in the pod");
    }
    const commitment = mint(context, event, tokenKey(podKey, i), members[i], digests[i], 0);
    if (before != null && previous != null) {
      commitment.previous = before.id;
      commitment.cycle = before.cycle + 1;
      // TrothGovernance._enrol: the previous cycle was completed if the pod ended whole and the member lived it, over
      // the span the contract reads from the record (see recordedEnd).
      const rounds = previous.pod.rounds;
      commitment.previousCompleted =
        previous.pod.activeCount >= 2 &&
        lived(before.witnessedBits.toU64(), before.joinedRound, recordedEnd(before, rounds));
    }
  }

  network.pods += 1;
  if (renewal) network.renewals += 1;
  context.evaluate(event);

  const entity = new PodCreated(eventId(event));
  entity.pod = podKey;
  entity.podId = p.podId;
  entity.previousPod = p.previousPod;
  entity.members = changetype<Bytes[]>(members);
  entity.commitmentDigests = digests;
  entity.start = p.start;
  entity.cadence = p.cadence.toI32();
  entity.grace = p.grace.toI32();
  entity.rounds = p.rounds;
  entity.quorum = p.quorum;
  entity.cycle = p.cycle;
  entity.covenantDigest = p.covenantDigest;
  entity.keyringDigest = p.keyringDigest;
  stamp(entity, event);
  entity.save();
}

export function handleCovenantAccepted(event: CovenantAcceptedEvent): void {
  const entity = new CovenantAccepted(eventId(event));
  // The pod does not exist yet; the reference resolves once the last consent creates it.
  entity.pod = word(event.params.podId);
  entity.podId = event.params.podId;
  entity.member = event.params.member;
  stamp(entity, event);
  entity.save();
}

export function handleHashApproved(event: HashApprovedEvent): void {
  const entity = new HashApproved(eventId(event));
  entity.signer = event.params.signer;
  entity.digest = event.params.digest;
  stamp(entity, event);
  entity.save();
}

export function handleHashRevoked(event: HashRevokedEvent): void {
  const entity = new HashRevoked(eventId(event));
  entity.signer = event.params.signer;
  entity.digest = event.params.digest;
  stamp(entity, event);
  entity.save();
}

// ─── Rounds ──────────────────────────────────────────────────────────────────────────────────────────────────────

export function handleCheckedIn(event: CheckedInEvent): void {
  const p = event.params;
  const key = word(p.tokenId);
  const context = PodContext.load(podKeyOf(key), loadNetwork(event));
  const commitment = context.commitment(indexOf(key));
  const holder = context.member(commitment.account);
  commitment.reportedBits = BigInt.fromU64(commitment.reportedBits.toU64() | ((1 as u64) << (p.round as u64)));
  commitment.checkIns += 1;
  holder.checkIns += 1;
  context.pod.checkIns += 1;
  context.network.checkIns += 1;

  const id = eventId(event);
  const report = new Report(reportKey(key, p.round));
  report.commitment = key;
  report.pod = context.pod.id;
  report.round = p.round;
  report.reportDigest = p.reportDigest;
  report.reportedAt = event.block.timestamp;
  report.reportedAtBlock = event.block.number;
  report.checkIn = id;
  report.witnessed = false;
  report.witnessedAt = null;
  report.latency = null;
  report.attestationCount = 0;
  report.witnesses = [];

  // Bit i of `witnessIndexes`: member i (token `podId << 8 | i`) witnessed in the same transaction.
  const witnesses: Bytes[] = [];
  const indexes = p.witnessIndexes;
  for (let i = 0; i < context.commitments.length; i++) {
    if (!bitOf(indexes, i)) continue;
    const witness = context.commitment(i).account;
    attest(context, event, id.concatI32(witnesses.length), commitment, report, Address.fromBytes(witness), true);
    witnesses.push(witness);
  }
  const reachedQuorum = p.witnessed && settle(context, event, commitment, report);
  report.save();
  record(1, witnesses.length, reachedQuorum, report);
  context.evaluate(event);

  const entity = new CheckedIn(id);
  entity.commitment = key;
  entity.tokenId = p.tokenId;
  entity.round = p.round;
  entity.reportDigest = p.reportDigest;
  entity.witnessIndexes = p.witnessIndexes;
  entity.witnesses = witnesses;
  entity.witnessed = p.witnessed;
  stamp(entity, event);
  entity.save();
}

export function handleCheckInWitnessed(event: CheckInWitnessedEvent): void {
  const p = event.params;
  const key = word(p.tokenId);
  const context = PodContext.load(podKeyOf(key), loadNetwork(event));
  const commitment = context.commitment(indexOf(key));
  const report = Report.load(reportKey(key, p.round));
  if (report == null) throw new Error("witness of round " + p.round.toString() + " without a check-in");
  const id = eventId(event);
  const attested = attest(context, event, id.concatI32(0), commitment, report, p.witness, false);
  // `witnessBySig` (and a second `checkIn` of the same report) emits one event per new signer, each with the final
  // `witnessed`: only the first settles the round.
  const reachedQuorum = p.witnessed && settle(context, event, commitment, report);
  report.save();
  record(0, attested ? 1 : 0, reachedQuorum, report);
  context.evaluate(event);

  const entity = new CheckInWitnessed(id);
  entity.commitment = key;
  entity.tokenId = p.tokenId;
  entity.round = p.round;
  entity.witness = p.witness;
  entity.witnessed = p.witnessed;
  stamp(entity, event);
  entity.save();
}

export function handleRestarted(event: RestartedEvent): void {
  const p = event.params;
  const key = word(p.tokenId);
  const context = PodContext.load(podKeyOf(key), loadNetwork(event));
  const commitment = context.commitment(indexOf(key));
  commitment.restarts = p.restarts;
  commitment.restartFrom = p.round;
  if (!isZero(p.commitmentDigest)) commitment.commitmentDigest = p.commitmentDigest;
  context.member(commitment.account).restarts += 1;
  context.network.restarts += 1;
  context.evaluate(event);

  const entity = new Restarted(eventId(event));
  entity.commitment = key;
  entity.tokenId = p.tokenId;
  entity.round = p.round;
  entity.restarts = p.restarts;
  entity.commitmentDigest = p.commitmentDigest;
  stamp(entity, event);
  entity.save();
}

// ─── Life of a pod ───────────────────────────────────────────────────────────────────────────────────────────────

export function handlePodPaused(event: PodPausedEvent): void {
  const podKey = word(event.params.podId);
  const context = PodContext.load(podKey, loadNetwork(event));
  context.pod.pausedAt = event.params.at;
  context.pod.pauses += 1;
  context.pod.nonce += 1;
  context.evaluate(event);

  const entity = new PodPaused(eventId(event));
  entity.pod = podKey;
  entity.at = event.params.at;
  stamp(entity, event);
  entity.save();
}

export function handlePodResumed(event: PodResumedEvent): void {
  const podKey = word(event.params.podId);
  const context = PodContext.load(podKey, loadNetwork(event));
  context.pod.pausedTotal = BigInt.fromI64(context.pod.pausedTotal.toI64() + event.params.pausedFor.toI64());
  context.pod.pausedAt = null;
  context.pod.nonce += 1;
  context.evaluate(event);

  const entity = new PodResumed(eventId(event));
  entity.pod = podKey;
  entity.at = event.params.at;
  entity.pausedFor = event.params.pausedFor;
  stamp(entity, event);
  entity.save();
}

export function handlePodAmended(event: PodAmendedEvent): void {
  const p = event.params;
  const podKey = word(p.podId);
  const context = PodContext.load(podKey, loadNetwork(event));
  const pod = context.pod;
  const current = context.currentEra();
  if (p.fromRound > pod.fromRound) {
    // New terms from the next round on; the current era keeps the rounds already open (TrothGovernance.amend).
    const t = context.timeline();
    const fromClock = opens(t.current(), p.fromRound);
    context.setEra(context.eras.length, p.fromRound, fromClock, p.cadence.toI32(), p.grace.toI32(), p.quorum);
  } else {
    // An amendment already scheduled for the same round is replaced.
    context.setEra(
      current.index,
      current.fromRound,
      current.fromClock.toI64(),
      p.cadence.toI32(),
      p.grace.toI32(),
      p.quorum,
    );
  }
  pod.covenantDigest = p.covenantDigest;
  pod.amendments += 1;
  pod.nonce += 1;
  context.evaluate(event);

  const entity = new PodAmended(eventId(event));
  entity.pod = podKey;
  entity.fromRound = p.fromRound;
  entity.cadence = p.cadence.toI32();
  entity.grace = p.grace.toI32();
  entity.quorum = p.quorum;
  entity.covenantDigest = p.covenantDigest;
  stamp(entity, event);
  entity.save();
}

export function handleMemberLeft(event: MemberLeftEvent): void {
  const p = event.params;
  const podKey = word(p.podId);
  const key = word(p.tokenId);
  const context = PodContext.load(podKey, loadNetwork(event));
  const pod = context.pod;
  const commitment = context.commitment(indexOf(key));
  const member = context.member(commitment.account);
  // Left (2), or Replaced (3): a replacement emits MemberLeft then MemberAdded in the same transaction.
  const status = membershipOf(p.status);
  commitment.membership = status;
  commitment.endRound = p.endRound;
  context.membership(commitment.account, commitment).status = status;
  if (status == Membership.Replaced) {
    pod.replacements += 1;
    member.replaced += 1;
    context.network.replacements += 1;
  } else {
    pod.departures += 1;
    member.departures += 1;
    context.network.departures += 1;
  }
  // Leaving a pod that has ended (or dissolved) leaves the pod as it ended (Troth.leave): its active members stay
  // counted, and the member keeps the right to renew it. A replacement always happens in a live pod.
  const t = context.timeline();
  if (hasEnded(t, pod.activeCount, clock(t, event.block.timestamp.toI64()))) {
    commitment.leftAfterEnd = true;
  } else {
    pod.activeCount -= 1;
  }
  context.evaluate(event);

  const entity = new MemberLeft(eventId(event));
  entity.pod = podKey;
  entity.commitment = key;
  entity.member = p.member;
  entity.endRound = p.endRound;
  entity.status = status;
  stamp(entity, event);
  entity.save();
}

export function handleMemberAdded(event: MemberAddedEvent): void {
  const p = event.params;
  const podKey = word(p.podId);
  const key = word(p.tokenId);
  const context = PodContext.load(podKey, loadNetwork(event));
  const pod = context.pod;
  if (indexOf(key) != pod.memberCount) throw new Error("token " + key.toHexString() + " out of order");
  const commitment = mint(context, event, key, p.member, p.commitmentDigest, p.joinedRound);
  pod.memberCount += 1;
  pod.activeCount += 1;
  if (p.replacedTokenId.isZero()) {
    pod.additions += 1;
    pod.nonce += 1;
    commitment.replaces = null;
  } else {
    // MemberLeft (status Replaced) came first, in the same transaction.
    const replacedKey = word(p.replacedTokenId);
    const replaced = context.commitment(indexOf(replacedKey));
    commitment.replaces = replacedKey;
    // A claim still standing on the replaced member means this completes it (its nonce was spent when it was made);
    // a replacement by consent answered any claim on them first (their consent is an action).
    const claim = replaced.claim;
    if (claim) replaced.claim = null;
    else pod.nonce += 1;
  }
  context.evaluate(event);

  const entity = new MemberAdded(eventId(event));
  entity.pod = podKey;
  entity.commitment = key;
  entity.member = p.member;
  entity.commitmentDigest = p.commitmentDigest;
  entity.joinedRound = p.joinedRound;
  entity.replacedTokenId = p.replacedTokenId;
  stamp(entity, event);
  entity.save();
}

export function handleKeyringRotated(event: KeyringRotatedEvent): void {
  const podKey = word(event.params.podId);
  const context = PodContext.load(podKey, loadNetwork(event));
  context.pod.keyringDigest = event.params.keyringDigest;
  context.pod.keyEpochs += 1;
  context.evaluate(event);

  const entity = new KeyringRotated(eventId(event));
  entity.pod = podKey;
  entity.previousDigest = event.params.previousDigest;
  entity.keyringDigest = event.params.keyringDigest;
  entity.by = event.params.by;
  stamp(entity, event);
  entity.save();
}

export function handlePodAtRisk(event: PodAtRiskEvent): void {
  const p = event.params;
  const podKey = word(p.podId);
  const context = PodContext.load(podKey, loadNetwork(event));
  // The quorum of the current era shrinks to the witnesses that remain (Troth.leave).
  const current = context.currentEra();
  context.setEra(current.index, current.fromRound, current.fromClock.toI64(), current.cadence, current.grace, p.quorum);
  context.pod.atRisk = true;
  context.evaluate(event);

  const entity = new PodAtRisk(eventId(event));
  entity.pod = podKey;
  entity.activeMembers = p.activeMembers;
  entity.quorum = p.quorum;
  stamp(entity, event);
  entity.save();
}

// ─── Claims: replacing an absent member, recovering a lost wallet ───────────────────────────────────────────────

export function handleClaimMade(event: ClaimMadeEvent): void {
  const p = event.params;
  const podKey = word(p.podId);
  const key = word(p.tokenId);
  const context = PodContext.load(podKey, loadNetwork(event));
  const id = eventId(event);
  context.commitment(indexOf(key)).claim = id;
  // `proposeReplacement` and `requestRecovery` spend the pod's nonce.
  context.pod.nonce += 1;
  context.pod.claims += 1;
  context.network.claims += 1;
  context.evaluate(event);

  const entity = new ClaimMade(id);
  entity.pod = podKey;
  entity.commitment = key;
  entity.tokenId = p.tokenId;
  entity.kind = claimKindOf(p.kind);
  entity.successor = p.successor;
  entity.member = p.member;
  entity.notBefore = p.notBefore;
  stamp(entity, event);
  entity.save();
}

export function handleClaimCancelled(event: ClaimCancelledEvent): void {
  const p = event.params;
  const podKey = word(p.podId);
  const key = word(p.tokenId);
  const context = PodContext.load(podKey, loadNetwork(event));
  const commitment = context.commitment(indexOf(key));
  const claim = commitment.claim;
  commitment.claim = null;
  context.evaluate(event);

  const entity = new ClaimCancelled(eventId(event));
  entity.pod = podKey;
  entity.commitment = key;
  entity.tokenId = p.tokenId;
  entity.member = p.member;
  entity.claim = claim;
  stamp(entity, event);
  entity.save();
}

/**
 * A completed recovery: the commitment, with its whole record, now belongs to the new address, and so does its share
 * of the member totals; the lost address reads Recovered in the pod. (The Transfer that comes with it is not
 * indexed: this event carries both addresses.)
 */
export function handleCommitmentRecovered(event: CommitmentRecoveredEvent): void {
  const p = event.params;
  const podKey = word(p.podId);
  const key = word(p.tokenId);
  const context = PodContext.load(podKey, loadNetwork(event));
  const commitment = context.commitment(indexOf(key));
  const claim = commitment.claim;
  commitment.claim = null;
  const lost = context.member(p.lost);
  const found = context.member(p.account);
  if (found.pods == 0) context.network.members += 1;
  addShare(found, commitment, 1);
  addShare(lost, commitment, -1);
  lost.recovered += 1;
  context.membership(p.lost, commitment).status = Membership.Recovered;
  context.membership(p.account, commitment).status = commitment.membership;
  commitment.account = p.account;
  context.pod.recoveries += 1;
  context.network.recoveries += 1;
  context.evaluate(event);

  const entity = new CommitmentRecovered(eventId(event));
  entity.pod = podKey;
  entity.commitment = key;
  entity.tokenId = p.tokenId;
  entity.account = p.account;
  entity.lost = p.lost;
  entity.claim = claim;
  stamp(entity, event);
  entity.save();
}

// ─── Accounts and tokens ─────────────────────────────────────────────────────────────────────────────────────────

export function handleEncryptionKeyPublished(event: EncryptionKeyPublishedEvent): void {
  const member = loadMember(event.params.account);
  member.encryptionKey = event.params.key;
  member.encryptionKeyPublishedAt = event.block.timestamp;
  member.save();

  const entity = new EncryptionKeyPublished(eventId(event));
  entity.account = event.params.account;
  entity.key = event.params.key;
  stamp(entity, event);
  entity.save();
}

/** A note or reply exists: who, about which commitment, in which round. Its digest is not kept (adherence only). */
export function handleNoted(event: NotedEvent): void {
  const p = event.params;
  const key = word(p.tokenId);
  const entity = new Noted(eventId(event));
  entity.pod = podKeyOf(key);
  entity.commitment = key;
  entity.tokenId = p.tokenId;
  entity.round = p.round;
  entity.author = p.author;
  entity.kind = p.kind == 1 ? "Reply" : "Note";
  stamp(entity, event);
  entity.save();
}

/** Transfers to the zero address only (a topic filter in subgraph.yaml): burns. */
export function handleCommitmentBurned(event: TransferEvent): void {
  const key = word(event.params.tokenId);
  const context = PodContext.load(podKeyOf(key), loadNetwork(event));
  const commitment = context.commitment(indexOf(key));
  commitment.burned = true;
  // Troth.burn: an active member's record reads Burned; one who left or was replaced keeps that status.
  if (commitment.membership == Membership.Active) {
    commitment.membership = Membership.Burned;
    context.membership(commitment.account, commitment).status = Membership.Burned;
  }
  context.evaluate(event);

  const entity = new CommitmentBurned(eventId(event));
  entity.commitment = key;
  entity.tokenId = event.params.tokenId;
  entity.holder = event.params.from;
  stamp(entity, event);
  entity.save();
}

// ─── Helpers ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** Creates a commitment token held by `account`, from round `joinedRound` on. */
function mint(
  context: PodContext,
  event: ethereum.Event,
  key: Bytes,
  account: Address,
  digest: Bytes,
  joinedRound: i32,
): Commitment {
  const member = context.member(account);
  if (member.pods == 0) context.network.members += 1;
  member.pods += 1;
  context.network.commitments += 1;

  const c = new Commitment(key);
  c.tokenId = wordToBigInt(key);
  c.pod = context.pod.id;
  c.index = indexOf(key);
  c.account = account;
  c.membership = Membership.Active;
  c.status = CommitmentStatus.Active;
  c.burned = false;
  c.cycle = 1;
  c.previous = null;
  c.replaces = null;
  c.claim = null;
  c.previousCompleted = false;
  c.leftAfterEnd = false;
  c.commitmentDigest = digest;
  c.joinedRound = joinedRound;
  c.endRound = context.pod.rounds;
  c.restartFrom = joinedRound;
  c.witnessedBits = BigInt.zero();
  c.reportedBits = BigInt.zero();
  c.roundStates = [];
  c.witnessed = 0;
  c.missed = 0;
  c.open = 0;
  c.upcoming = 0;
  c.paused = 0;
  c.closed = 0;
  c.currentStreak = 0;
  c.longestStreak = 0;
  c.restarts = 0;
  c.checkIns = 0;
  c.witnessesGiven = 0;
  c.witnessesReceived = 0;
  c.missedTwiceInARow = false;
  c.streakBrokenLate = false;
  c.decaying = false;
  c.decayRounds = [];
  c.witnessOnly = false;
  c.graduated = false;
  c.mintedAtBlock = event.block.number;
  c.mintedAtTimestamp = event.block.timestamp;
  context.commitments.push(c);
  context.membership(account, c).status = Membership.Active;
  return c;
}

/** Adds (`sign` 1) or removes (-1) one commitment's share of a member's totals (an active member has no departures). */
function addShare(member: Member, c: Commitment, sign: i32): void {
  member.pods += sign;
  member.checkIns += sign * c.checkIns;
  member.witnessedRounds += sign * c.witnessed;
  member.missedRounds += sign * c.missed;
  member.restarts += sign * c.restarts;
  member.witnessesGiven += sign * c.witnessesGiven;
  member.witnessesReceived += sign * c.witnessesReceived;
  member.graduations += sign * (c.graduated ? 1 : 0);
}

/**
 * The exclusive end of a member's span as the contract computes it from the stored record (`Continuity.spanEnd`):
 * the cycle's end while active or burned (a member burns only once the pod has ended), the end recorded at leaving
 * otherwise.
 */
function recordedEnd(c: Commitment, rounds: i32): i32 {
  let end = c.endRound;
  // A burned record was active when the pod ended (burning is allowed only then): its span runs to the end.
  if (c.membership == Membership.Active || c.membership == Membership.Burned) end = rounds;
  return end < c.joinedRound ? c.joinedRound : end;
}

/**
 * One witness attested `report`: the attestation, and the witness balance on both sides. Returns false when this is
 * no new attestation: a witness already recorded may attest again, only to settle a check-in whose quorum shrank
 * (Troth.witness), and a settling call that adds no witness names nobody of the pod.
 */
function attest(
  context: PodContext,
  event: ethereum.Event,
  id: Bytes,
  commitment: Commitment,
  report: Report,
  witness: Address,
  atCheckIn: boolean,
): boolean {
  const witnessCommitment = context.commitmentOf(witness);
  if (witnessCommitment == null) return false;
  const witnesses = report.witnesses;
  for (let i = 0; i < witnesses.length; i++) {
    if (witnesses[i].equals(witness)) return false;
  }
  witnesses.push(witness);
  report.witnesses = witnesses;
  const attestation = new Attestation(id);
  attestation.report = report.id;
  attestation.commitment = commitment.id;
  attestation.witness = witness;
  attestation.round = report.round;
  attestation.atCheckIn = atCheckIn;
  attestation.blockNumber = event.block.number;
  attestation.blockTimestamp = event.block.timestamp;
  attestation.transactionHash = event.transaction.hash;
  attestation.save();

  report.attestationCount += 1;
  context.member(witness).witnessesGiven += 1;
  witnessCommitment.witnessesGiven += 1;
  commitment.witnessesReceived += 1;
  context.member(commitment.account).witnessesReceived += 1;
  context.pod.attestations += 1;
  context.network.attestations += 1;
  return true;
}

/** Quorum reached: marks the round witnessed and records the latency once. Returns false if it already was. */
function settle(context: PodContext, event: ethereum.Event, commitment: Commitment, report: Report): boolean {
  if (report.witnessed) return false;
  const bit = (1 as u64) << (report.round as u64);
  commitment.witnessedBits = BigInt.fromU64(commitment.witnessedBits.toU64() | bit);
  const latency = event.block.timestamp.toI64() - report.reportedAt.toI64();
  report.witnessed = true;
  report.witnessedAt = event.block.timestamp;
  report.latency = BigInt.fromI64(latency);
  context.pod.witnessLatencyTotal = BigInt.fromI64(context.pod.witnessLatencyTotal.toI64() + latency);
  context.pod.witnessLatencyCount += 1;
  context.network.witnessLatencyTotal = BigInt.fromI64(context.network.witnessLatencyTotal.toI64() + latency);
  context.network.witnessLatencyCount += 1;
  return true;
}

/** A data point of the network's activity time series (graph-node sets its id and timestamp). */
function record(checkIns: i32, attestations: i32, reachedQuorum: boolean, report: Report): void {
  const point = new Activity(0);
  point.checkIns = checkIns;
  point.attestations = attestations;
  point.roundsWitnessed = reachedQuorum ? 1 : 0;
  point.witnessLatency = reachedQuorum ? report.latency!.toI64() : 0;
  point.save();
}

/** Bit `i` of a uint256 (a BigInt is little-endian; bits past its bytes are its sign, here 0). */
function bitOf(bits: BigInt, i: i32): boolean {
  const byte = i >> 3;
  return byte < bits.length && ((bits[byte] >> ((i & 7) as u8)) & 1) == 1;
}

/** Block and transaction of an event entity. */
function stamp(entity: Entity, event: ethereum.Event): void {
  entity.set("blockNumber", Value.fromBigInt(event.block.number));
  entity.set("blockTimestamp", Value.fromBigInt(event.block.timestamp));
  entity.set("transactionHash", Value.fromBytes(event.transaction.hash));
}
