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

/** A blob is larger than the store accepts. */
export class BlobTooLargeError extends BaseError {
  override name = "BlobTooLargeError" as const;
  readonly size: number;
  readonly limit: number;
  constructor({ size, limit }: { size: number; limit: number }) {
    super(`Blob of ${size} bytes exceeds the limit of ${limit} bytes.`);
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

/** The store is read-only (a gateway): it cannot take new blobs. */
export class ReadOnlyStoreError extends BaseError {
  override name = "ReadOnlyStoreError" as const;
  constructor({ source }: { source: string }) {
    super(`${source} is read-only: put blobs through an embedded node or a Kubo RPC endpoint.`);
  }
}
