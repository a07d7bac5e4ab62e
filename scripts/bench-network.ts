/**
 * `npm run bench:network`: Troth over an RPC provider as a public chain has one, on a chain that has lived.
 *
 * The `npm start` stack runs with a JSON-RPC proxy in front of its chain (scripts/network/rpc-proxy.ts) that adds 80 ms
 * to every request and refuses `eth_getLogs` over 10,000 blocks with a provider's error; the chain holds 2,000,000
 * blocks (`hardhat_mine`) besides the demo pod, in both layouts: the pod right after the deployment and the blocks
 * after it, and the blocks first. For each: the dApp's home (connected as a member) and the pod's home in Chromium
 * (time from navigation to interactive, and the requests the app made), `troth due` and `troth audit <pod>` (time and
 * requests). The CLI runs as users install it: the bundle `npm pack` ships (scripts/package/bundle.ts), and its whole
 * time counts against the budget, start-up included (also given alone: `troth --version`). The machine's load average
 * is written with the figures. Writes bench/results/network.json; exits 1 past a budget.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { injectWallet } from "../dapp/e2e/provider.ts";
import { launchChromium, type Stack, startStack } from "../dapp/e2e/stack.ts";
import { type RpcProxy, startRpcProxy } from "./network/rpc-proxy.ts";
import { bundleCli } from "./package/bundle.ts";
import { devAccounts } from "./start/dev-accounts.ts";
import { seedDemoPod } from "./start/seed.ts";

const root = path.resolve(import.meta.dirname, "..");
const resultsDir = path.join(root, "bench", "results");
const BLOCKS = 2_000_000;
const LATENCY = 80;
const MAX_LOG_RANGE = 10_000;
const budgets = { home: 2500, pod: 2500, due: 3000, audit: 5000 } as const;

type Figure = { ms: number; httpRequests: number; rpcCalls: number; getLogs: number };
type Layout = { layout: string; home: Figure; pod: Figure; due: Figure; audit: Figure };

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** 2,000,000 blocks, a second apart (EDR makes them at once). */
async function mine(url: string) {
  await rpc(url, "hardhat_mine", [`0x${BLOCKS.toString(16)}`, "0x1"]);
}

function figure(proxy: RpcProxy, ms: number): Figure {
  return {
    ms: Math.round(ms),
    httpRequests: proxy.stats.requests,
    rpcCalls: proxy.stats.calls,
    getLogs: proxy.stats.byMethod.eth_getLogs ?? 0,
  };
}

/** The CLI as `npm pack` ships it, bundled once for this run. */
const { file: trothBin } = await bundleCli(
  path.join(root, "cli"),
  mkdtempSync(path.join(tmpdir(), "troth-bench-cli-")),
);

/** Runs the CLI against the proxy and times it (a failing command fails the bench); the proxy answers meanwhile. */
async function troth(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [trothBin, ...args], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`troth ${args[0]} failed: ${stderr}`);
  return ms;
}

async function measureCli(proxy: RpcProxy, stack: Stack, deploymentFile: string, podId: bigint) {
  const env = {
    ...process.env,
    TROTH_PRIVATE_KEY: devAccounts(2)[1].privateKey,
    TROTH_RPC: proxy.url,
    TROTH_IPFS: stack.ipfsUrl,
    TROTH_DEPLOYMENT: deploymentFile,
  };
  const startup = Math.min(await troth(["--version"], env), await troth(["--version"], env));
  proxy.reset();
  const due = figure(proxy, await troth(["due"], env));
  proxy.reset();
  const audit = figure(proxy, await troth(["audit", `0x${podId.toString(16)}`], env));
  return { due, audit, startup: Math.round(startup) };
}

/** The page's own clock from navigation start, once `ready` resolves. */
async function interactive(page: Page, ready: () => Promise<void>): Promise<number> {
  await ready();
  return page.evaluate(() => performance.now());
}

async function measureApp(proxy: RpcProxy, stack: Stack, config: Record<string, unknown>, podId: bigint) {
  const served = { ...config, rpcUrl: proxy.url };
  const browser = await launchChromium();
  try {
    // The pod's home, as anyone opens it (no wallet).
    const podContext = await browser.newContext();
    await podContext.route("**/troth-config.json", (route) => route.fulfill({ json: served }));
    const podPage = await podContext.newPage();
    proxy.reset();
    await podPage.goto(`${stack.appUrl}#/pod/0x${podId.toString(16)}`, { waitUntil: "commit" });
    const podMs = await interactive(podPage, async () => {
      await podPage
        .getByRole("img", { name: /rounds witnessed/ })
        .first()
        .waitFor({ timeout: 120_000 });
      await podPage.getByRole("link", { name: "Public audit page" }).waitFor();
    });
    const pod = figure(proxy, podMs);
    await podContext.close();

    // The home of a member (Bob), connected and unlocked: the bench clicks as soon as the page asks.
    const bob = devAccounts(2)[1];
    const homeContext = await browser.newContext();
    await homeContext.route("**/troth-config.json", (route) => route.fulfill({ json: served }));
    await homeContext.addInitScript(injectWallet, {
      rpcUrl: stack.rpcUrl,
      address: bob.account.address,
      name: "Bob's test wallet",
      uuid: "00000000-0000-4000-8000-000000000002",
    });
    const home = await homeContext.newPage();
    proxy.reset();
    await home.goto(stack.appUrl, { waitUntil: "commit" });
    const homeMs = await interactive(home, async () => {
      const connect = home.getByRole("button", { name: /^Connect .*test wallet/ });
      const unlock = home.getByRole("button", { name: "Sign to unlock" });
      const cards = home.locator(".pod-card");
      for (let i = 0; i < 1200; i++) {
        if (await connect.isVisible().catch(() => false)) await connect.click().catch(() => {});
        else if (await unlock.isVisible().catch(() => false)) await unlock.click().catch(() => {});
        const due = home.locator("section[aria-labelledby=due-title]");
        const settled =
          (await cards.count()) > 0 &&
          (await home.getByText("Loading…").count()) === 0 &&
          (await due.getByText(/Loading what's due/).count()) === 0 &&
          (await due.getByText(/Check in for|Nothing is due/).count()) > 0;
        if (settled) return;
        await home.waitForTimeout(20);
      }
      throw new Error("the home page never became interactive");
    });
    const homeFigure = figure(proxy, homeMs);
    await homeContext.close();
    return { pod, home: homeFigure };
  } finally {
    await browser.close();
  }
}

async function runLayout(layout: "pods-then-blocks" | "blocks-then-pods"): Promise<Layout> {
  console.log(`\n${layout}: starting the npm start stack…`);
  const stack = await startStack({
    seed: layout === "pods-then-blocks",
    log: path.join(resultsDir, `network-${layout}-stack.log`),
  });
  try {
    const config = (await (await fetch(`${stack.appUrl}troth-config.json`)).json()) as Record<string, unknown> & {
      demoPod: string | null;
      deployment: { chainId: number; troth: string; lens: string; governance: string; startBlock: number };
    };
    let podId: bigint;
    if (layout === "pods-then-blocks") {
      podId = BigInt(config.demoPod as string);
      await mine(stack.rpcUrl);
    } else {
      await mine(stack.rpcUrl);
      podId = (
        await seedDemoPod({ rpcUrl: stack.rpcUrl, ipfsUrl: stack.ipfsUrl, deployment: config.deployment as never })
      ).podId;
    }
    console.log(`  chain at block ${BigInt((await rpc(stack.rpcUrl, "eth_blockNumber")) as string)}`);
    const deploymentFile = path.join(mkdtempSync(path.join(tmpdir(), "troth-bench-network-")), "deployment.json");
    writeFileSync(deploymentFile, JSON.stringify(config.deployment));
    const proxy = await startRpcProxy({ upstream: stack.rpcUrl, latency: LATENCY, maxLogRange: MAX_LOG_RANGE });
    try {
      const cli = await measureCli(proxy, stack, deploymentFile, podId);
      const app = await measureApp(proxy, stack, config, podId);
      return {
        layout,
        home: app.home,
        pod: app.pod,
        due: cli.due,
        audit: cli.audit,
        cliStartupMs: cli.startup,
      } as Layout;
    } finally {
      await proxy.close();
    }
  } finally {
    await stack.stop();
  }
}

mkdirSync(resultsDir, { recursive: true });
/** The 1-minute load average before and after: figures taken on a busy machine say so. */
const loadAverage = { before: Number(loadavg()[0].toFixed(2)), after: 0 };
const layouts: Layout[] = [];
for (const layout of ["pods-then-blocks", "blocks-then-pods"] as const) layouts.push(await runLayout(layout));

loadAverage.after = Number(loadavg()[0].toFixed(2));
console.log(`  load average (1 min): ${loadAverage.before} before, ${loadAverage.after} after`);

const rows: { name: string; figure: Figure; budget: number; measured: number }[] = [];
for (const l of layouts) {
  rows.push({ name: `${l.layout} home`, figure: l.home, budget: budgets.home, measured: l.home.ms });
  rows.push({ name: `${l.layout} pod home`, figure: l.pod, budget: budgets.pod, measured: l.pod.ms });
  rows.push({ name: `${l.layout} troth due`, figure: l.due, budget: budgets.due, measured: l.due.ms });
  rows.push({ name: `${l.layout} troth audit`, figure: l.audit, budget: budgets.audit, measured: l.audit.ms });
}
console.log(
  `\n${"".padEnd(30)} ${"ms".padStart(7)} ${"budget".padStart(7)} ${"HTTP".padStart(5)} ${"calls".padStart(6)} ${"getLogs".padStart(8)}`,
);
let over = 0;
for (const r of rows) {
  const ok = r.measured <= r.budget;
  if (!ok) over += 1;
  console.log(
    `${r.name.padEnd(30)} ${String(r.figure.ms).padStart(7)} ${String(r.budget).padStart(7)} ${String(r.figure.httpRequests).padStart(5)} ${String(r.figure.rpcCalls).padStart(6)} ${String(r.figure.getLogs).padStart(8)}  ${ok ? "ok" : "OVER BUDGET"}`,
  );
}
writeFileSync(
  path.join(resultsDir, "network.json"),
  `${JSON.stringify({ blocks: BLOCKS, latencyMs: LATENCY, maxLogRange: MAX_LOG_RANGE, budgets, loadAverage, layouts }, null, 2)}\n`,
);
if (over > 0) {
  console.error(`${over} figure(s) over budget`);
  process.exit(1);
}
