/**
 * `npm run bench:dapp`: the dApp's weight and speed, written to bench/results/dapp.json.
 * - initial JS (gzip): the entry script and the modules index.html preloads, i.e. everything before the first paint;
 *   budget 200 KB, the run fails past it;
 * - total JS (gzip and raw) across every chunk (routes, the Kubo client, WalletConnect are split off);
 * - time from navigation to an interactive pod home (the seeded demo pod, rings rendered from the chain) on the local
 *   `npm start` stack in Debian's Chromium, the median of several cold loads.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { launchChromium, startStack } from "../e2e/stack.ts";

const root = path.resolve(import.meta.dirname, "../..");
const dist = path.join(root, "dapp", "dist");
const BUDGET = 200 * 1024;
const RUNS = 5;

execFileSync("npx", ["vite", "build", "--logLevel", "warn"], { cwd: path.join(root, "dapp"), stdio: "inherit" });
const gz = (file: string) => gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
const html = readFileSync(path.join(dist, "index.html"), "utf8");
const initialFiles = [...html.matchAll(/(?:src|href)="(?:\.?\/)?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const allFiles = readdirSync(path.join(dist, "assets"))
  .filter((f) => f.endsWith(".js"))
  .map((f) => `assets/${f}`);
const initialGzip = initialFiles.reduce((sum, f) => sum + gz(f), 0);
const totalGzip = allFiles.reduce((sum, f) => sum + gz(f), 0);
const totalRaw = allFiles.reduce((sum, f) => sum + readFileSync(path.join(dist, f)).length, 0);

const resultsDir = path.join(root, "bench", "results");
mkdirSync(resultsDir, { recursive: true });
const stack = await startStack({ seed: true, log: path.join(resultsDir, "dapp-stack.log") });
const times: number[] = [];
try {
  const config = await (await fetch(`${stack.appUrl}troth-config.json`)).json();
  if (!config.demoPod) throw new Error("npm start seeded no demo pod");
  const podPath = `#/pod/0x${BigInt(config.demoPod).toString(16)}`;
  const browser = await launchChromium();
  try {
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext(); // cold: no cache, no storage
      const page = await context.newPage();
      await page.goto(`${stack.appUrl}${podPath}`, { waitUntil: "commit" });
      await page
        .getByRole("img", { name: /rounds witnessed/ })
        .first()
        .waitFor({ timeout: 60_000 });
      await page.getByRole("link", { name: "Public audit page" }).waitFor();
      // From the navigation's start (the page's own clock) to the rings on screen.
      times.push(await page.evaluate(() => performance.now()));
      await context.close();
    }
  } finally {
    await browser.close();
  }
} finally {
  await stack.stop();
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const result = {
  date: new Date().toISOString(),
  initialJsGzipBytes: initialGzip,
  initialJsGzipKB: +(initialGzip / 1024).toFixed(1),
  initialJsBudgetKB: BUDGET / 1024,
  initialFiles: initialFiles.length,
  totalJsGzipKB: +(totalGzip / 1024).toFixed(1),
  totalJsRawKB: +(totalRaw / 1024).toFixed(1),
  chunks: allFiles.length,
  podHomeInteractiveMs: { median: Math.round(median), runs: times.map(Math.round) },
};
writeFileSync(path.join(resultsDir, "dapp.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
if (initialGzip > BUDGET) {
  console.error(`Initial JS is ${result.initialJsGzipKB} KB gzip, over the ${BUDGET / 1024} KB budget.`);
  process.exit(1);
}
