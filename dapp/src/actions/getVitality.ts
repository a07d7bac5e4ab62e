import type { PodView } from "@troth/sdk";
import type { Audit, AuditCommitmentView, SubgraphReader, Vitality } from "@troth/sdk/audit";

export type GetVitalityParameters = { podId: bigint };
/**
 * A pod's health, read once from one source at one moment: its continuity (the pod and every commitment with its
 * round states) and the vitality signals computed from the same entry. Pod home, My pods and the audit page all say
 * what they say from this, so they never disagree (a round everyone missed is a miss on every screen).
 */
export type GetVitalityReturnType = { pod: PodView; commitments: AuditCommitmentView[]; vitality: Vitality };

/**
 * Where continuity and vitality are read from: a Troth subgraph when the config names one, else the SDK's embedded
 * audit over the chain's logs. Both answer in the same shapes.
 */
export type ContinuitySource = { kind: "subgraph"; reader: SubgraphReader } | { kind: "embedded"; audit: Audit };

const syncing = new WeakMap<Audit, Promise<unknown>>();

/** Brings the embedded audit up to the chain's head (one sync at a time per audit: each batch is applied once). */
export function syncAudit(audit: Audit): Promise<unknown> {
  const previous = syncing.get(audit) ?? Promise.resolve();
  const next = previous.then(() => audit.sync());
  syncing.set(
    audit,
    next.catch(() => {}),
  );
  return next;
}

/**
 * The pod's continuity and vitality signals (decay, one-sided witnessing, renewal, graduation) from the subgraph or
 * the audit, both at the source's latest block.
 */
export async function getVitality(
  source: ContinuitySource,
  { podId }: GetVitalityParameters,
): Promise<GetVitalityReturnType> {
  if (source.kind === "subgraph") {
    const time = await source.reader.time();
    const [{ pod, commitments }, vitality] = await Promise.all([
      source.reader.continuity(podId, time),
      source.reader.vitality(podId, time),
    ]);
    return { pod, commitments, vitality };
  }
  await syncAudit(source.audit);
  const { pod, commitments } = source.audit.continuity(podId);
  return { pod, commitments, vitality: source.audit.vitality(podId) };
}
