/**
 * What an ENS lookup needs, loaded only on a chain that has ENS. Named exports, never `import("viem/chains")` itself:
 * a dynamic import of that barrel keeps every chain viem defines (Tempo's brings its signature and hashing code), and
 * what those keep of modules the first paint shares grows the first paint too.
 */
export { getEnsName } from "viem/actions";
export { mainnet, sepolia } from "viem/chains";
