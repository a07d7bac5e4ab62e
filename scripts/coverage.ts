/**
 * `npm run coverage`: line and statement coverage of the protocol contracts by every contract test, the Solidity fuzz
 * and invariant tests (`hardhat test solidity --coverage`) and the TypeScript behaviour tests (vitest, through Hardhat's
 * coverage hooks), merged into one report: coverage/lcov.info and coverage/html. Prints the figures per contract.
 * The instrumented build replaces the artifacts while it runs; they are rebuilt plainly at the end.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const RUN_ID = "solidity"; // the id `hardhat test solidity` saves under; the vitest workers add to it
const coverageEnv = { ...process.env, HARDHAT_COVERAGE: "true", TROTH_COVERAGE_RUN_ID: RUN_ID };

function run(label: string, cmd: string[], env: NodeJS.ProcessEnv = process.env) {
  console.log(`\n━━ ${label}: ${cmd.join(" ")}`);
  const result = spawnSync(cmd[0], cmd.slice(1), { stdio: "inherit", env });
  if (result.status !== 0) {
    spawnSync("npx", ["hardhat", "build", "--no-tests"], { stdio: "inherit" });
    throw new Error(`${label} failed (exit ${result.status})`);
  }
}

run("instrumented build", ["npx", "hardhat", "build", "--no-tests"], coverageEnv);
run("Solidity tests with coverage", ["npx", "hardhat", "test", "solidity", "--coverage"]);
run("TypeScript contract tests with coverage", ["npx", "vitest", "run", "--project", "contracts"], coverageEnv);
run(
  "merged report",
  [
    "node",
    "--input-type=module",
    "-e",
    `import hre from "hardhat"; await hre.hooks.runHandlerChain("test", "onTestRunDone", ["${RUN_ID}"], async () => {});`,
  ],
  coverageEnv,
);
run("plain build", ["npx", "hardhat", "build", "--no-tests"]);

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
  console.log(
    `  ${file.padEnd(48)} ${String(lh).padStart(4)} / ${String(lf).padEnd(4)} ${((100 * lh) / Math.max(lf, 1)).toFixed(1)}%`,
  );
}
console.log(
  `  ${"total".padEnd(48)} ${String(hit).padStart(4)} / ${String(found).padEnd(4)} ${((100 * hit) / Math.max(found, 1)).toFixed(1)}%`,
);
