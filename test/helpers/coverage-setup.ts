/**
 * Vitest setup for `npm run coverage`: when Hardhat's coverage is on (HARDHAT_COVERAGE=true), each test worker saves
 * the coverage its in-process chains collected under the same run id as the Solidity tests, so one report merges both.
 */
import hre from "hardhat";
import { afterAll } from "vitest";

const runId = process.env.TROTH_COVERAGE_RUN_ID;

afterAll(async () => {
  if (process.env.HARDHAT_COVERAGE !== "true" || runId === undefined) return;
  await hre.hooks.runHandlerChain("test", "onTestWorkerDone", [runId], async () => {});
});
