import { BaseError } from "./base.ts";

/** The bytes a store returned do not hash to the CID asked for. */
export class IntegrityError extends BaseError {
  override name = "IntegrityError" as const;
  readonly cid: string;
  constructor({ cid, actual, source }: { cid: string; actual: string; source: string }) {
    super(`${source} returned bytes that do not match ${cid}.`, {
      metaMessages: [`Expected CID: ${cid}`, `Bytes hash to: ${actual}`],
    });
    this.cid = cid;
  }
}

/**
 * A blob is larger than the store accepts: refused here before sending (`limit` known), or by the store itself with
 * HTTP 413 (`source` set; `limit` is then the store's, unknown here, so -1).
 */
export class BlobTooLargeError extends BaseError {
  override name = "BlobTooLargeError" as const;
  readonly size: number;
  readonly limit: number;
  constructor({ size, limit, source, cause }: { size: number; limit: number; source?: string; cause?: unknown }) {
    super(
      source
        ? `${source} refused a blob of ${size} bytes as too large${limit >= 0 ? ` (its limit is ${limit} bytes)` : ""}.`
        : `Blob of ${size} bytes exceeds the limit of ${limit} bytes.`,
      { cause },
    );
    this.size = size;
    this.limit = limit;
  }
}

/** The value is not a CID (or digest) a Troth blob can have: CIDv1, raw codec, sha2-256. */
export class InvalidCidError extends BaseError {
  override name = "InvalidCidError" as const;
  constructor({ value, reason }: { value: string; reason: string }) {
    super(`Invalid blob reference ${JSON.stringify(value.slice(0, 100))}: ${reason}.`);
  }
}

/** The store does not have the blob. */
export class BlobNotFoundError extends BaseError {
  override name = "BlobNotFoundError" as const;
  readonly cid: string;
  constructor({ cid, source, cause }: { cid: string; source: string; cause?: unknown }) {
    super(`${source} does not have ${cid}.`, { cause });
    this.cid = cid;
  }
}

/** A request to a store (Kubo RPC, gateway) failed. */
export class StoreRequestError extends BaseError {
  override name = "StoreRequestError" as const;
  constructor({ source, reason, cause }: { source: string; reason: string; cause?: unknown }) {
    super(`${source} request failed: ${reason}.`, { cause });
  }
}

/** A store could not be reached at all (connection refused, DNS failure, timeout): nothing was stored or read. */
export class StoreUnreachableError extends BaseError {
  override name = "StoreUnreachableError" as const;
  readonly source: string;
  constructor({ source, reason, cause }: { source: string; reason: string; cause?: unknown }) {
    super(`${source} cannot be reached (${reason}).`, { cause });
    this.source = source;
  }
}

/**
 * A store refused the credentials (HTTP 401: none sent or not accepted; 403: not allowed). Check the token or the
 * user name and password set for this store.
 */
export class StorageAuthError extends BaseError {
  override name = "StorageAuthError" as const;
  readonly source: string;
  readonly status: number;
  constructor({ source, status, reason, cause }: { source: string; status: number; reason?: string; cause?: unknown }) {
    super(
      status === 401
        ? `${source} asks for credentials: set its access token (or user name and password).`
        : `${source} refused the credentials given: check the access token (or user name and password).`,
      { cause, metaMessages: [`HTTP ${status}${reason ? `: ${reason}` : ""}`] },
    );
    this.source = source;
    this.status = status;
  }
}

/** A storage secret (`bearer:<token>`, `basic:<user>:<password>` or a token) is malformed. */
export class InvalidStorageSecretError extends BaseError {
  override name = "InvalidStorageSecretError" as const;
  constructor({ reason }: { reason: string }) {
    super(`Invalid storage credentials: ${reason}.`);
  }
}

/** A pinning service could not keep a copy of a blob (its pin request ended in `failed`, or it refused the request). */
export class PinningError extends BaseError {
  override name = "PinningError" as const;
  readonly cid: string;
  constructor({ cid, source, reason, cause }: { cid: string; source: string; reason: string; cause?: unknown }) {
    super(`${source} could not pin ${cid}: ${reason}.`, { cause });
    this.cid = cid;
  }
}

/** Every store of a list failed to return a blob; `errors` holds each store's failure, in the order tried. */
export class AllStoresFailedError extends BaseError {
  override name = "AllStoresFailedError" as const;
  readonly cid: string;
  readonly errors: readonly Error[];
  constructor({ cid, errors }: { cid: string; errors: readonly Error[] }) {
    super(`No store could return ${cid}.`, {
      cause: errors.at(-1),
      metaMessages: errors.map((e) => `- ${(e as { shortMessage?: string }).shortMessage ?? e.message}`),
    });
    this.cid = cid;
    this.errors = errors;
  }
}

/** The store is read-only (a gateway): it cannot take new blobs. */
export class ReadOnlyStoreError extends BaseError {
  override name = "ReadOnlyStoreError" as const;
  constructor({ source }: { source: string }) {
    super(`${source} is read-only: put blobs through an embedded node or a Kubo RPC endpoint.`);
  }
}
