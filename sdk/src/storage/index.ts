export {
  AllStoresFailedError,
  BlobNotFoundError,
  BlobTooLargeError,
  IntegrityError,
  InvalidCidError,
  InvalidStorageSecretError,
  PinningError,
  ReadOnlyStoreError,
  StorageAuthError,
  StoreRequestError,
  StoreUnreachableError,
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
export { authorizationHeader, parseStorageSecret, type StorageAuth } from "./http.ts";
export { type CreateKuboStoreParameters, createKuboStore, type KuboStore } from "./kubo.ts";
export { type CreateStoreListParameters, createStoreList } from "./list.ts";
export {
  type CreatePinningServiceParameters,
  createPinningService,
  type PinningService,
  type PinState,
  type PinStatus,
} from "./pinning.ts";
export type { ContentStore } from "./types.ts";
