import type { Audit, Vitality } from "@troth/sdk/audit";

export type GetVitalityParameters = { podId: bigint };
export type GetVitalityReturnType = Vitality;

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

/** The pod's vitality signals from the SDK's embedded audit (decay, one-sided witnessing, renewal, graduation). */
export async function getVitality(audit: Audit, { podId }: GetVitalityParameters): Promise<GetVitalityReturnType> {
  await syncAudit(audit);
  return audit.vitality(podId);
}
