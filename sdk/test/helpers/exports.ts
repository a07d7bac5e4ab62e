// The SDK's three public entry points, as a test sees them.
export * from "../../src/crypto/index.ts";
export * from "../../src/index.ts";
export * from "../../src/storage/index.ts";
