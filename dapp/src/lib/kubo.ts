/** The Kubo RPC store, in a module of its own so its client is loaded on the first write only. */
export { createKuboStore } from "@troth/sdk/storage";
