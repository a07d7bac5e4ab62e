/**
 * SDK parts the first paint does not need, loaded right after it: the client and its reads, the identity derivation
 * (X25519 and HKDF) and the embedded audit (which carries the event ABI) or the subgraph reader.
 */
export { createTrothClient, getIdentityKey } from "@troth/sdk";
export { createAudit, createSubgraphReader } from "@troth/sdk/audit";
