/** The write side of storage, in a module of its own so its clients are loaded on the first write only. */
export { createKuboStore, createPinningService, createStoreList } from "@troth/sdk/storage";
