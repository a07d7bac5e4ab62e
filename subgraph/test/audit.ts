/**
 * The subgraph side by side with the SDK's embedded audit (sdk/src/audit), another implementation built from the
 * same logs: the same pod and commitment views and the same vitality signals, at the pod's as-of time.
 */
import type { Audit } from "../../sdk/src/audit/index.ts";
import type { Store } from "./harness/store.ts";
import { type Comparison, entity, plain, wordOf } from "./lens.ts";

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const reasons: Record<string, string> = {
  TwoMissedInARow: "two-missed-in-a-row",
  StreakBrokenAfterWeek6: "streak-broken-after-week-6",
};

/** Truncates a share to 4 decimals, as the subgraph stores it. */
function share4(x: number): string {
  return (Math.floor(x * 10_000 + 1e-9) / 10_000).toString();
}

/** A standing claim (a ClaimMade entity) as the audit's commitment view shows it. */
function claimOf(store: Store, id: string | null) {
  if (id === null) return null;
  const claim = entity(store, "ClaimMade", id);
  return {
    kind: lower(claim.kind as string),
    successor: (claim.successor as string).toLowerCase(),
    notBefore: Number(claim.notBefore),
  };
}

export function compareWithAudit(audit: Audit, store: Store, podId: bigint): Comparison {
  const pod = entity(store, "Pod", wordOf(podId));
  const time = Number(pod.asOfTimestamp);
  const view = audit.continuity(podId, time);
  const vitality = audit.vitality(podId, time);
  const commitments = store
    .all("Commitment")
    .map(plain)
    .filter((c) => c.pod === pod.id)
    .sort((a, b) => (a.index as number) - (b.index as number));
  const memberships = store
    .all("Membership")
    .map(plain)
    .filter((m) => m.pod === pod.id);
  const signals = store
    .all("DecaySignal")
    .map(plain)
    .filter((d) => d.pod === pod.id && !commitments.find((c) => c.id === d.commitment)?.burned)
    .map((d) => ({ tokenId: BigInt(d.commitment as string), reason: reasons[d.reason as string], round: d.round }))
    .sort((a, b) =>
      a.tokenId === b.tokenId ? (a.round as number) - (b.round as number) : a.tokenId < b.tokenId ? -1 : 1,
    );
  return {
    subgraph: {
      pod: {
        status: lower(pod.status as string),
        started: pod.started,
        currentRound: pod.currentRound,
        quorum: pod.quorum,
        cadence: pod.cadence,
        grace: pod.grace,
        memberCount: pod.memberCount,
        activeCount: pod.activeCount,
        pausedAt: Number(pod.pausedAt ?? 0n),
        pausedTotal: Number(pod.pausedTotal),
        covenantDigest: pod.covenantDigest,
        keyringDigest: pod.keyringDigest,
      },
      commitments: commitments.map((c) =>
        c.burned
          ? { status: lower(c.status as string) }
          : {
              status: lower(c.status as string),
              account: (c.account as string).toLowerCase(),
              witnessed: c.witnessed,
              missed: c.missed,
              open: c.open,
              closed: c.closed,
              currentStreak: c.currentStreak,
              longestStreak: c.longestStreak,
              restarts: c.restarts,
              endRound: c.endRound,
              roundStates: (c.roundStates as string[]).map(lower),
              claim: claimOf(store, c.claim as string | null),
            },
      ),
      memberships: Object.fromEntries(
        memberships.map((m) => [(m.account as string).toLowerCase(), lower(m.status as string)]),
      ),
      decay: signals,
      witnessOnly: commitments.filter((c) => c.witnessOnly).map((c) => BigInt(c.id as string)),
      dominantWitness:
        pod.dominantWitness === null
          ? null
          : {
              account: pod.dominantWitness,
              attestations: pod.dominantWitnessAttestations,
              share: pod.dominantWitnessShare,
            },
      renewal: { renewedBy: pod.renewedBy === null ? null : BigInt(pod.renewedBy as string), renewable: pod.renewable },
      graduated: commitments.filter((c) => c.status === "Graduated").map((c) => BigInt(c.id as string)),
    },
    reference: {
      pod: {
        status: view.pod.status,
        started: view.pod.started,
        currentRound: view.pod.currentRound,
        quorum: view.pod.quorum,
        cadence: view.pod.cadence,
        grace: view.pod.grace,
        memberCount: view.pod.memberCount,
        activeCount: view.pod.activeCount,
        pausedAt: view.pod.pausedAt,
        pausedTotal: view.pod.pausedTotal,
        covenantDigest: view.pod.covenantDigest,
        keyringDigest: view.pod.keyringDigest,
      },
      commitments: view.commitments.map((c) =>
        c.status === "burned"
          ? { status: c.status }
          : {
              status: c.status,
              account: c.account.toLowerCase(),
              witnessed: c.witnessed,
              missed: c.missed,
              open: c.open,
              closed: c.closed,
              currentStreak: c.currentStreak,
              longestStreak: c.longestStreak,
              restarts: c.restarts,
              endRound: c.endRound,
              roundStates: c.roundStates,
              claim: c.claim && { ...c.claim, successor: c.claim.successor.toLowerCase() },
            },
      ),
      memberships: Object.fromEntries(
        memberships.map((m) => [
          (m.account as string).toLowerCase(),
          audit.memberRecord(podId, m.account as `0x${string}`).status,
        ]),
      ),
      decay: vitality.decay
        .map((d) => ({ tokenId: d.tokenId, reason: d.reason, round: d.round }))
        .sort((a, b) => (a.tokenId === b.tokenId ? a.round - b.round : a.tokenId < b.tokenId ? -1 : 1)),
      witnessOnly: vitality.oneSided.witnessOnly.map((w) => w.tokenId),
      dominantWitness: vitality.oneSided.dominantWitness && {
        account: vitality.oneSided.dominantWitness.account.toLowerCase(),
        attestations: vitality.oneSided.dominantWitness.attestations,
        share: share4(vitality.oneSided.dominantWitness.share),
      },
      renewal: vitality.renewal,
      graduated: vitality.graduation.graduated,
    },
  };
}
