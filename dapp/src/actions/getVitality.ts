import type { Audit, SubgraphReader, Vitality } from "@troth/sdk/audit";

export type GetVitalityParameters = { podId: bigint };
export type GetVitalityReturnType = Vitality;

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

/** The pod's vitality signals (decay, one-sided witnessing, renewal, graduation) from the subgraph or the audit. */
export async function getVitality(
  source: ContinuitySource,
  { podId }: GetVitalityParameters,
): Promise<GetVitalityReturnType> {
  if (source.kind === "subgraph") return source.reader.vitality(podId);
  await syncAudit(source.audit);
  return source.audit.vitality(podId);
}
