/**
 * `npm test`: every check of every workspace, in order, with one closing line `N passed, N failed`.
 * Test runners report their own counts (vitest through its JSON report, Hardhat's Solidity runner through its summary);
 * a step that is not a test runner (build, lint, codegen) counts as one check.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

type Counts = { passed: number; failed: number };
type Step = { name: string; cmd: string[]; count?: (output: string) => Counts | undefined };

const reportDir = path.resolve(".test-results");
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });
const vitestReport = path.join(reportDir, "vitest.json");

function vitestCounts(): Counts | undefined {
  try {
    const report = JSON.parse(readFileSync(vitestReport, "utf8"));
    return { passed: report.numPassedTests, failed: report.numFailedTests + (report.numFailedTestSuites ?? 0) };
  } catch {
    return undefined;
  }
}

/** Hardhat's Solidity test runner ends with lines such as "12 passing" and "1 failing". */
function solidityCounts(output: string): Counts | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colours
  const plain = output.replace(/\u001b\[[0-9;]*m/g, "");
  const passing = [...plain.matchAll(/(\d+) passing/g)].map((m) => Number(m[1]));
  const failing = [...plain.matchAll(/(\d+) failing/g)].map((m) => Number(m[1]));
  if (passing.length === 0 && failing.length === 0) return undefined;
  return { passed: passing.at(-1) ?? 0, failed: failing.at(-1) ?? 0 };
}

/** A runner that closes with the plain line "N passed, N failed" (the dApp's end-to-end run). */
function plainCounts(output: string): Counts | undefined {
  const m = [...output.matchAll(/^(\d+) passed, (\d+) failed$/gm)].at(-1);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
}

const steps: Step[] = [
  { name: "compile contracts", cmd: ["npx", "hardhat", "build", "--no-tests"] },
  { name: "lint Solidity (solhint)", cmd: ["npx", "solhint", "--max-warnings", "0", "contracts/**/*.sol"] },
  { name: "lint TypeScript (biome)", cmd: ["npx", "biome", "check", "."] },
  { name: "type-check TypeScript (tsc, every workspace)", cmd: ["npm", "run", "typecheck"] },
  { name: "SDK API report is current (api-extractor)", cmd: ["npm", "run", "api:check", "-w", "@troth/sdk"] },
  { name: "Solidity fuzz and invariant tests", cmd: ["npx", "hardhat", "test", "solidity"], count: solidityCounts },
  { name: "subgraph codegen (graph-cli)", cmd: ["npm", "run", "codegen", "-w", "@troth/subgraph"] },
  { name: "subgraph build (graph-cli)", cmd: ["npm", "exec", "-w", "@troth/subgraph", "--", "graph", "build"] },
  {
    name: "TypeScript tests (vitest)",
    cmd: ["npx", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`],
    count: () => vitestCounts(),
  },
  { name: "dApp end to end (Chromium)", cmd: ["node", "dapp/e2e/run.ts"], count: plainCounts },
  {
    name: "packages from their tarballs (npm pack, install outside the repository)",
    cmd: ["node", "scripts/package/test.ts"],
    count: plainCounts,
  },
];

function run(step: Step): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const [cmd, ...args] = step.cmd;
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
    let output = "";
    child.stdout.on("data", (d) => {
      process.stdout.write(d);
      output += d;
    });
    child.stderr.on("data", (d) => {
      process.stderr.write(d);
      output += d;
    });
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

const total: Counts = { passed: 0, failed: 0 };
const failedSteps: string[] = [];
for (const step of steps) {
  console.log(`\n━━ ${step.name}: ${step.cmd.join(" ")}`);
  const started = Date.now();
  const { code, output } = await run(step);
  const counts = step.count?.(output) ?? (code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
  // A runner that exits non-zero with no failing test still failed (a crash, a compile error).
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  total.passed += counts.passed;
  total.failed += counts.failed;
  if (code !== 0) failedSteps.push(step.name);
  console.log(
    `━━ ${step.name}: ${code === 0 ? "ok" : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (failedSteps.length > 0) console.log(`\nFailed steps: ${failedSteps.join(", ")}`);
console.log(`\n${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed > 0 ? 1 : 0);
