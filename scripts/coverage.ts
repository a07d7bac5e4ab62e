/**
 * `npm run coverage` (run as `hardhat --coverage run scripts/coverage.ts`): line and statement coverage of the
 * protocol contracts by the Solidity fuzz and invariant tests and the TypeScript behaviour tests, in one report
 * (coverage/lcov.info, coverage/html). This process builds the instrumented contracts (so it holds the coverage
 * metadata), runs the Solidity tests in-process, runs vitest as a child whose workers save their coverage under the
 * same run id (test/helpers/coverage-setup.ts), then writes the merged report and prints the figures per contract.
 * The instrumented artifacts are replaced by a plain build at the end.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import hre from "hardhat";

const RUN_ID = "solidity"; // the id `hardhat test solidity` saves under; the vitest workers add to it

if (hre.globalOptions.coverage !== true) {
  console.error("Run this through `npm run coverage` (hardhat --coverage run scripts/coverage.ts).");
  process.exit(2);
}

console.log("\n━━ Solidity fuzz and invariant tests, with coverage");
await hre.tasks.getTask(["test", "solidity"]).run({});

console.log("\n━━ TypeScript contract tests, with coverage");
const vitest = spawnSync("npx", ["vitest", "run", "--project", "contracts"], {
  stdio: "inherit",
  env: { ...process.env, HARDHAT_COVERAGE: "true", TROTH_COVERAGE_RUN_ID: RUN_ID },
});

console.log("\n━━ merged report");
await hre.hooks.runHandlerChain("test", "onTestRunDone", [RUN_ID], async () => {});
spawnSync("npx", ["hardhat", "build", "--no-tests"], { stdio: "inherit" });

// lcov: SF:<file>, LF:<lines found>, LH:<lines hit> per file.
const lcov = readFileSync("coverage/lcov.info", "utf8");
let found = 0;
let hit = 0;
console.log("\nLines covered, protocol contracts (mocks excluded):");
for (const record of lcov.split("end_of_record")) {
  const file = /SF:(.*)/.exec(record)?.[1];
  if (!file?.includes("contracts/") || file.includes("/mocks/")) continue;
  const lf = Number(/LF:(\d+)/.exec(record)?.[1] ?? 0);
  const lh = Number(/LH:(\d+)/.exec(record)?.[1] ?? 0);
  found += lf;
  hit += lh;
  const percent = ((100 * lh) / Math.max(lf, 1)).toFixed(1);
  console.log(`  ${file.padEnd(48)} ${String(lh).padStart(4)} / ${String(lf).padEnd(4)} ${percent}%`);
}
const total = ((100 * hit) / Math.max(found, 1)).toFixed(1);
console.log(`  ${"total".padEnd(48)} ${String(hit).padStart(4)} / ${String(found).padEnd(4)} ${total}%`);
process.exit(vitest.status === 0 ? 0 : 1);
