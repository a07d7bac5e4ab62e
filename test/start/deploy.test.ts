/**
 * `npm run deploy` against a local Hardhat node: the same Ignition task and record as on a real network (which cannot
 * be reached from here), resumed without a second deployment, and failures as one sentence.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { trothAbi } from "@troth/sdk";
import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDeploymentRecord } from "../../scripts/start/deploy.ts";
import { type HardhatNode, startHardhatNode } from "../../scripts/start/hardhat-node.ts";
import { freePort, repoRoot } from "./helpers/stack.ts";

let node: HardhatNode;
let work: string;
let deploymentId: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "troth-deploy-test-"));
  deploymentId = `test-${path.basename(work)}`;
  node = await startHardhatNode({ port: await freePort(), logFile: path.join(work, "node.log") });
}, 180_000);

afterAll(async () => {
  await node?.stop();
  rmSync(work, { recursive: true, force: true });
  rmSync(path.join(repoRoot, "ignition", "deployments", deploymentId), { recursive: true, force: true });
});

function deploy(...extra: string[]) {
  return spawnSync("npm", ["run", "deploy", "--", "--network", "localhost", "--rpc-url", node.url, ...extra], {
    cwd: repoRoot,
    encoding: "utf8",
  });
}

describe("npm run deploy", () => {
  const args = () => [
    "--deployments-dir",
    path.join(work, "deployments"),
    "--deployment-id",
    deploymentId,
    "--build-profile",
    "default",
  ];

  it("deploys the Ignition module and writes deployments/<chainId>.json", async () => {
    const run = deploy(...args());
    expect(run.status, run.stderr).to.equal(0);
    const record = await readDeploymentRecord(path.join(work, "deployments", "31337.json"));
    const ignition = JSON.parse(
      readFileSync(path.join(repoRoot, "ignition", "deployments", deploymentId, "deployed_addresses.json"), "utf8"),
    );
    expect([record.troth, record.lens, record.governance]).to.deep.equal([
      ignition["Troth#Troth"],
      ignition["Troth#TrothLens"],
      ignition["Troth#TrothGovernance"],
    ]);
    const client = createPublicClient({ transport: http(node.url) });
    expect(await client.readContract({ address: record.troth, abi: trothAbi, functionName: "lens" })).to.equal(
      record.lens,
    );
    // startBlock is the block of Troth's creation: its code appears exactly there.
    const at = await client.getCode({ address: record.troth, blockNumber: BigInt(record.startBlock) });
    const before = await client.getCode({ address: record.troth, blockNumber: BigInt(record.startBlock - 1) });
    expect([Boolean(at), before]).to.deep.equal([true, undefined]);
    expect(run.stdout).to.include(JSON.stringify(record, null, 2));
  });

  it("resumes an existing deployment without deploying again", async () => {
    const client = createPublicClient({ transport: http(node.url) });
    const file = path.join(work, "deployments", "31337.json");
    const before = [readFileSync(file, "utf8"), await client.getBlockNumber()];
    const run = deploy(...args());
    expect(run.status, run.stderr).to.equal(0);
    expect([readFileSync(file, "utf8"), await client.getBlockNumber()]).to.deep.equal(before);
  });

  it("fails with one sentence for an unknown network or an unreachable node", () => {
    const direct = (...extra: string[]) =>
      spawnSync(process.execPath, ["scripts/start/deploy.ts", ...extra], { cwd: repoRoot, encoding: "utf8" });
    const unknown = direct("--network", "nowhere");
    expect(unknown.status).to.equal(1);
    expect(unknown.stderr.trim()).to.equal(
      'Deploy failed: No network "nowhere" in hardhat.config.ts (known: localhost, sepolia, baseSepolia)',
    );
    const unreachable = direct("--network", "localhost", "--rpc-url", "http://127.0.0.1:1", "--deployments-dir", work);
    expect(unreachable.status).to.equal(1);
    expect(unreachable.stderr.trim().split("\n")).to.have.length(1);
    expect(unreachable.stderr).to.match(/^Deploy failed: .*127\.0\.0\.1:1/);
    const usage = direct();
    expect(usage.status).to.equal(1);
    expect(usage.stdout).to.match(/^Usage: npm run deploy -- --network <name>/);
  });
});
