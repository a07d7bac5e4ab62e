export * from "./eip712.ts";
