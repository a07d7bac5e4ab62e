/**
 * The mutable aggregates (Network, Member, Membership, Pod, Era, Commitment) and how an event of a pod updates them.
 *
 * Every handler of a pod's event loads the pod into a `PodContext`, applies the event's change to the raw records,
 * then `evaluate`s every commitment of the pod at the event's block time: misses are never evented, so the counts
 * are recomputed from the schedule each time the pod is touched, and the totals of members and of the network move
 * by the difference. The entities are cached in the context so that each is saved once, with every change.
 */
import { Address, BigDecimal, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  Commitment,
  DecaySignal,
  Era,
  Member,
  Membership as MembershipEntity,
  Network,
  Pod,
} from "../generated/schema";
import {
  Decay,
  DecayReason,
  dominantWitness,
  evaluate,
  isWitnessOnly,
  Membership,
  PodStatus,
  podStatus,
  Record,
} from "./continuity";
import { eraKey, membershipKey, reportKey, tokenKey } from "./ids";
import { clock, closedRounds, currentRound, Term, Timeline } from "./schedule";

/** The network aggregate of the Troth contract that emitted `event`. */
export function loadNetwork(event: ethereum.Event): Network {
  let network = Network.load(event.address);
  if (network == null) {
    network = new Network(event.address);
    network.pods = 0;
    network.renewals = 0;
    network.commitments = 0;
    network.members = 0;
    network.checkIns = 0;
    network.attestations = 0;
    network.witnessedRounds = 0;
    network.missedRounds = 0;
    network.closedRounds = 0;
    network.adherence = null;
    network.restarts = 0;
    network.departures = 0;
    network.replacements = 0;
    network.claims = 0;
    network.recoveries = 0;
    network.graduations = 0;
    network.witnessLatencyTotal = BigInt.zero();
    network.witnessLatencyCount = 0;
  }
  return network;
}

/** A member (account) aggregate, created empty on first sight. */
export function loadMember(account: Bytes): Member {
  let member = Member.load(account);
  if (member == null) {
    member = new Member(account);
    member.pods = 0;
    member.checkIns = 0;
    member.witnessedRounds = 0;
    member.missedRounds = 0;
    member.restarts = 0;
    member.departures = 0;
    member.replaced = 0;
    member.recovered = 0;
    member.graduations = 0;
    member.witnessesGiven = 0;
    member.witnessesReceived = 0;
    member.witnessBalance = 0;
    member.encryptionKey = null;
    member.encryptionKeyPublishedAt = null;
  }
  return member;
}

/** `part / whole` to 4 decimals (truncated), computed without host calls; null when `whole` is 0. */
export function ratio(part: i32, whole: i32): BigDecimal | null {
  if (whole == 0) return null;
  const basisPoints = ((part as i64) * 10000) / (whole as i64);
  const value = new BigDecimal(BigInt.fromI64(basisPoints));
  value.exp = BigInt.fromI32(-4);
  return value;
}

/** Share of closed rounds that were witnessed: 1 − missed/closed; null before any round closed. */
export function adherence(missed: i32, closed: i32): BigDecimal | null {
  return ratio(closed - missed, closed);
}

/** A pod with its eras, its commitments and the members and network they add up to, loaded for one event. */
export class PodContext {
  pod: Pod;
  eras: Era[] = [];
  commitments: Commitment[] = [];
  network: Network;
  private members: Map<string, Member> = new Map();
  private memberships: MembershipEntity[] = [];

  constructor(pod: Pod, network: Network) {
    this.pod = pod;
    this.network = network;
  }

  /** Loads an existing pod; a pod event for an unknown pod cannot happen (the contract reverts first). */
  static load(podKey: Bytes, network: Network): PodContext {
    const pod = Pod.load(podKey);
    if (pod == null) throw new Error("unknown pod " + podKey.toHexString());
    const context = new PodContext(pod, network);
    for (let i = 0; i < pod.eraCount; i++) {
      const era = Era.load(eraKey(podKey, i));
      if (era == null) throw new Error("pod " + podKey.toHexString() + " lacks era " + i.toString());
      context.eras.push(era);
    }
    for (let i = 0; i < pod.memberCount; i++) {
      const commitment = Commitment.load(tokenKey(podKey, i));
      if (commitment == null) throw new Error("pod " + podKey.toHexString() + " lacks token " + i.toString());
      context.commitments.push(commitment);
    }
    return context;
  }

  /** The member aggregate of `account`, the same object for every use within this event. */
  member(account: Bytes): Member {
    const key = account.toHexString();
    if (this.members.has(key)) return this.members.get(key);
    const member = loadMember(account);
    this.members.set(key, member);
    return member;
  }

  /**
   * Where `account` stands in this pod: its Membership, loaded (or, for an account that just got its commitment,
   * created) once per event and saved with the context.
   */
  membership(account: Bytes, commitment: Commitment): MembershipEntity {
    const key = membershipKey(this.pod.id, account);
    for (let i = 0; i < this.memberships.length; i++) {
      if (this.memberships[i].id.equals(key)) return this.memberships[i];
    }
    let membership = MembershipEntity.load(key);
    if (membership == null) {
      membership = new MembershipEntity(key);
      membership.pod = this.pod.id;
      membership.account = account;
      membership.status = Membership.Active;
    }
    membership.commitment = commitment.id;
    this.memberships.push(membership);
    return membership;
  }

  /** The commitment with token index `index`. */
  commitment(index: i32): Commitment {
    if (index < 0 || index >= this.commitments.length) {
      throw new Error("pod " + this.pod.id.toHexString() + " has no token " + index.toString());
    }
    return this.commitments[index];
  }

  /** The commitment `account` holds in this pod, if any. */
  commitmentOf(account: Address): Commitment | null {
    for (let i = 0; i < this.commitments.length; i++) {
      if (this.commitments[i].account.equals(account)) return this.commitments[i];
    }
    return null;
  }

  /** The era in force from the latest amendment on. */
  currentEra(): Era {
    return this.eras[this.eras.length - 1];
  }

  timeline(): Timeline {
    const terms: Term[] = [];
    for (let i = 0; i < this.eras.length; i++) {
      const era = this.eras[i];
      terms.push(new Term(era.fromRound, era.fromClock.toI64(), era.cadence, era.grace, era.quorum));
    }
    // BigInt's `==` is an overloaded operator, which cannot compare with null: test the reference instead.
    const at = this.pod.pausedAt;
    let pausedAt: i64 = 0;
    if (at) pausedAt = at.toI64();
    return new Timeline(this.pod.start.toI64(), pausedAt, this.pod.pausedTotal.toI64(), this.pod.rounds, terms);
  }

  /** Adds an era (or, with `index` = the latest, rewrites it) and makes it the pod's current terms. */
  setEra(index: i32, fromRound: i32, fromClock: i64, cadence: i32, grace: i32, quorum: i32): void {
    let era: Era;
    if (index < this.eras.length) {
      era = this.eras[index];
    } else {
      era = new Era(eraKey(this.pod.id, index));
      era.pod = this.pod.id;
      era.index = index;
      this.eras.push(era);
    }
    era.fromRound = fromRound;
    era.fromClock = BigInt.fromI64(fromClock);
    era.cadence = cadence;
    era.grace = grace;
    era.quorum = quorum;
    this.pod.eraCount = this.eras.length;
    this.pod.fromRound = fromRound;
    this.pod.fromClock = era.fromClock;
    this.pod.cadence = cadence;
    this.pod.grace = grace;
    this.pod.quorum = quorum;
  }

  /**
   * Re-evaluates every commitment at the event's block time, moves the member and network totals by the difference,
   * refreshes the pod's figures, and saves everything this context holds.
   */
  evaluate(event: ethereum.Event): void {
    const timestamp = event.block.timestamp.toI64();
    const t = this.timeline();
    const pod = this.pod;
    const now = clock(t, timestamp);
    const round = currentRound(t, now);
    pod.started = round >= 0;
    pod.currentRound = round >= 0 ? round : 0;
    pod.closedRounds = closedRounds(t, now);
    pod.status = podStatus(t, pod.activeCount, pod.started, timestamp);

    let witnessed = 0;
    let missed = 0;
    let closed = 0;
    let decaying = 0;
    let witnessOnly = 0;
    let graduates = 0;
    const given: i32[] = [];
    for (let i = 0; i < this.commitments.length; i++) {
      const c = this.commitments[i];
      // A burn after the end leaves the record as it was: the burned flag shows, the figures (and a graduation) stay.
      const active = c.membership == Membership.Active || c.membership == Membership.Burned;
      const record = new Record(
        c.witnessedBits.toU64(),
        c.reportedBits.toU64(),
        c.joinedRound,
        c.endRound,
        c.restartFrom,
        active,
        c.membership == Membership.Replaced,
        c.cycle,
        c.previousCompleted,
        c.burned,
      );
      const e = evaluate(t, pod.activeCount, record, timestamp);
      const graduated = e.graduated;
      const member = this.member(c.account);
      const dWitnessed = e.witnessed - c.witnessed;
      const dMissed = e.missed - c.missed;
      const dClosed = e.closed - c.closed;
      const dGraduated = (graduated ? 1 : 0) - (c.graduated ? 1 : 0);
      member.witnessedRounds += dWitnessed;
      member.missedRounds += dMissed;
      member.graduations += dGraduated;
      this.network.witnessedRounds += dWitnessed;
      this.network.missedRounds += dMissed;
      this.network.closedRounds += dClosed;
      this.network.graduations += dGraduated;

      c.endRound = e.endRound;
      c.roundStates = e.states;
      c.witnessed = e.witnessed;
      c.missed = e.missed;
      c.open = e.open;
      c.upcoming = e.upcoming;
      c.paused = e.paused;
      c.closed = e.closed;
      c.currentStreak = e.currentStreak;
      c.longestStreak = e.longestStreak;
      c.status = e.status;
      c.graduated = graduated;
      this.recordDecay(c, e.decay, event);
      c.witnessOnly = isWitnessOnly(c.witnessesGiven, c.checkIns, e.closed, c.burned);

      witnessed += e.witnessed;
      missed += e.missed;
      closed += e.closed;
      if (c.decaying && !c.burned) decaying++;
      if (c.witnessOnly) witnessOnly++;
      if (c.graduated) graduates++;
      given.push(c.witnessesGiven);
    }
    pod.graduated = graduates > 0;
    pod.witnessedRounds = witnessed;
    pod.missedRounds = missed;
    pod.closedRoundsTotal = closed;
    pod.adherence = adherence(missed, closed);
    pod.decayingCommitments = decaying;
    pod.witnessOnlyCommitments = witnessOnly;
    const dominant = dominantWitness(given);
    if (dominant >= 0) {
      let total = 0;
      for (let i = 0; i < given.length; i++) total += given[i];
      pod.dominantWitness = this.commitments[dominant].account;
      pod.dominantWitnessAttestations = given[dominant];
      pod.dominantWitnessShare = ratio(given[dominant], total);
    } else {
      pod.dominantWitness = null;
      pod.dominantWitnessAttestations = 0;
      pod.dominantWitnessShare = null;
    }
    pod.oneSidedWitnessing = witnessOnly > 0 || dominant >= 0;
    // A reference is compared with null as a reference (Bytes' `==` is an overloaded operator).
    const renewedBy = pod.renewedBy;
    pod.renewable = pod.status == PodStatus.Ended && !renewedBy;
    pod.averageWitnessLatency =
      pod.witnessLatencyCount == 0
        ? null
        : BigInt.fromI64(pod.witnessLatencyTotal.toI64() / (pod.witnessLatencyCount as i64));
    pod.asOfBlock = event.block.number;
    pod.asOfTimestamp = event.block.timestamp;
    this.network.adherence = adherence(this.network.missedRounds, this.network.closedRounds);
    this.save();
  }

  /** Records decay signals the first time they show; a missed round stays missed, so signals never go away. */
  private recordDecay(c: Commitment, decay: Decay[], event: ethereum.Event): void {
    const rounds = c.decayRounds;
    for (let i = 0; i < decay.length; i++) {
      const d = decay[i];
      if (rounds.includes(d.round)) continue;
      const signal = new DecaySignal(reportKey(c.id, d.round));
      signal.commitment = c.id;
      signal.pod = this.pod.id;
      signal.account = c.account;
      signal.reason = d.reason;
      signal.round = d.round;
      signal.blockNumber = event.block.number;
      signal.blockTimestamp = event.block.timestamp;
      signal.save();
      rounds.push(d.round);
      if (d.reason == DecayReason.TwoMissedInARow) c.missedTwiceInARow = true;
      else c.streakBrokenLate = true;
    }
    rounds.sort();
    c.decayRounds = rounds;
    c.decaying = c.missedTwiceInARow || c.streakBrokenLate;
  }

  private save(): void {
    this.pod.save();
    for (let i = 0; i < this.eras.length; i++) this.eras[i].save();
    for (let i = 0; i < this.commitments.length; i++) this.commitments[i].save();
    for (let i = 0; i < this.memberships.length; i++) this.memberships[i].save();
    const members = this.members.values();
    for (let i = 0; i < members.length; i++) {
      const member = members[i];
      member.witnessBalance = member.witnessesGiven - member.witnessesReceived;
      member.save();
    }
    this.network.save();
  }
}
