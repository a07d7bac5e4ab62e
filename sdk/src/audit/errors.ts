import { BaseError } from "../errors/base.ts";

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
