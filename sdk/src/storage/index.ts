export {
  BlobNotFoundError,
  BlobTooLargeError,
  IntegrityError,
  InvalidCidError,
  ReadOnlyStoreError,
  StoreRequestError,
} from "../errors/storage.ts";
export {
  type BlobLocator,
  type BlobRef,
  blobRef,
  cidFromDigest,
  digestFromCid,
  MAX_BLOB_SIZE,
  RAW_CODEC,
  SHA2_256,
  toCid,
  verifyBlob,
} from "./cid.ts";
export { type CreateGatewayStoreParameters, createGatewayStore } from "./gateway.ts";
export { type CreateHeliaStoreParameters, createHeliaStore, type HeliaStore } from "./helia.ts";
export { type CreateKuboStoreParameters, createKuboStore } from "./kubo.ts";
export type { ContentStore } from "./types.ts";
