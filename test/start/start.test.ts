/**
 * `npm start` end to end: spawned as a user runs it, checked through the SDK (chain, contracts, IPFS, the seeded pod,
 * the dApp and its settings), then stopped with Ctrl-C, leaving no process and no port behind.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  createTrothClient,
  getContinuity,
  getDueCheckIns,
  getIdentityKey,
  getRoundWindows,
  readCommitment,
  readCovenant,
  readReport,
  trothAbi,
} from "@troth/sdk";
import { NotARecipientError } from "@troth/sdk/crypto";
import { blobRef, createGatewayStore, createKuboStore } from "@troth/sdk/storage";
import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDeploymentRecord } from "../../scripts/start/deploy.ts";
import { devAccounts } from "../../scripts/start/dev-accounts.ts";
import { assertPortFree } from "../../scripts/start/ports.ts";
import { groupAlive, processesMatching, repoRoot, type Stack, startStack } from "./helpers/stack.ts";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ seed: true, app: true });
}, 600_000);

afterAll(async () => {
  if (!stack) return;
  await stack.stop();
  stack.clean();
});

function client() {
  return createPublicClient({ transport: http(stack.rpcUrl) });
}

describe("npm start", () => {
  it("runs a chain with the contracts deployed by Ignition and their record", async () => {
    const record = await readDeploymentRecord(path.join(stack.deploymentsDir, "31337.json"));
    const publicClient = client();
    expect(await publicClient.getChainId()).to.equal(31337);
    expect(record.chainId).to.equal(31337);
    for (const address of [record.troth, record.lens, record.governance]) {
      expect(await publicClient.getCode({ address })).to.match(/^0x[0-9a-f]{100,}$/);
    }
    const lens = await publicClient.readContract({ address: record.troth, abi: trothAbi, functionName: "lens" });
    expect(lens).to.equal(record.lens);
    // The start block is Troth's own: no code there one block earlier.
    const before = await publicClient.getCode({ address: record.troth, blockNumber: BigInt(record.startBlock - 1) });
    expect(before).to.equal(undefined);
    const ignition = JSON.parse(
      readFileSync(
        path.join(repoRoot, "ignition", "deployments", stack.deploymentId, "deployed_addresses.json"),
        "utf8",
      ),
    );
    expect(ignition["Troth#Troth"]).to.equal(record.troth);
  });

  it("serves IPFS to the SDK over the Kubo RPC and the trustless gateway", async () => {
    const bytes = new TextEncoder().encode(`sealed bytes ${Math.random()}`);
    const ref = await createKuboStore({ url: stack.ipfsUrl }).put(bytes);
    expect(ref.cid.toString()).to.equal(blobRef(bytes).cid.toString());
    const back = await createGatewayStore({ url: stack.ipfsUrl }).get(ref.digest);
    expect(new TextDecoder().decode(back)).to.equal(new TextDecoder().decode(bytes));
  });

  it("seeded the demo pod: witnessed check-ins, a miss, a restart, content only members read", async () => {
    const config = JSON.parse(readFileSync(path.join(stack.dataDir, "config.json"), "utf8"));
    const podId = BigInt(config.demoPod);
    const record = await readDeploymentRecord(path.join(stack.deploymentsDir, "31337.json"));
    const troth = await createTrothClient({
      publicClient: client(),
      store: createKuboStore({ url: stack.ipfsUrl }),
      address: record.troth,
      lens: record.lens,
      startBlock: BigInt(record.startBlock),
    });
    const [alice, bob, carol, dave] = devAccounts(4);
    const { pod, commitments } = await getContinuity(troth, { podId });
    expect([pod.status, pod.currentRound, pod.memberCount]).to.deep.equal(["active", 3, 3]);
    // The summary names rounds from 1 and ids in hex, as the dApp does (the contract's round 3 is "round 4").
    expect(stack.output()).to.match(/Demo pod "Spring pod \(demo\)" — round 4 is open/);
    expect(stack.output()).to.match(new RegExp(`Pod id +0x${podId.toString(16)} `));
    expect(stack.output()).to.match(/round 2: Alice and Bob check in, Carol misses/);
    expect(commitments.map((c) => c.account)).to.deep.equal([alice, bob, carol].map((d) => d.account.address));
    expect(commitments.map((c) => [c.witnessed, c.missed, c.restarts])).to.deep.equal([
      [3, 0, 0],
      [3, 0, 0],
      [2, 1, 1],
    ]);
    expect(commitments[2].roundStates.slice(0, 4)).to.deep.equal(["witnessed", "missed", "witnessed", "open"]);
    // The history lies in the past: the chain's clock is on the real date and round 4 is open now.
    const now = Date.now() / 1000;
    const latest = Number((await client().getBlock()).timestamp);
    expect(Math.abs(latest - now)).to.be.lessThan(120);
    const [open] = await getRoundWindows(troth, { podId, rounds: [3] });
    expect(open.opensAt).to.be.lessThan(now);
    expect(open.closesAt).to.be.greaterThan(now);
    const due = await getDueCheckIns(troth, { account: bob.account.address });
    expect(due.map((d) => [d.tokenId, d.round])).to.deep.equal([[commitments[1].tokenId, 3]]);

    const bobIdentity = await getIdentityKey(bob.account);
    const report = await readReport(troth, { tokenId: commitments[0].tokenId, round: 0, identity: bobIdentity });
    expect(report.said).to.equal("Five mornings of 500 words");
    const renewed = await readCommitment(troth, { tokenId: commitments[2].tokenId, identity: bobIdentity });
    expect(renewed.commitment).to.equal("Practise the cello for 10 minutes a day");
    await expect(readCovenant(troth, { podId, identity: await getIdentityKey(dave.account) })).rejects.toBeInstanceOf(
      NotARecipientError,
    );
  });

  it("builds the dApp only when its sources changed, timing the build as it ran, not the wait for it", () => {
    const built = /Building the dApp \(Vite\) \(([\d.]+) s\)/.exec(stack.output());
    if (built) expect(Number(built[1])).to.be.greaterThan(0.5);
    else expect(stack.output()).to.match(/dApp built earlier from the same sources/);
  });

  it("builds and serves the dApp with this network's settings", async () => {
    const index = await fetch(`${stack.appUrl}/`);
    expect(index.status).to.equal(200);
    expect(index.headers.get("content-type")).to.equal("text/html; charset=utf-8");
    expect(await index.text()).to.match(/<div id="root"|<script/);
    const settings = await (await fetch(`${stack.appUrl}/troth-config.json`)).json();
    const record = await readDeploymentRecord(path.join(stack.deploymentsDir, "31337.json"));
    expect(settings).to.deep.include({ chainId: 31337, rpcUrl: stack.rpcUrl });
    expect(settings.ipfs).to.deep.equal({ rpcUrl: stack.ipfsUrl, gatewayUrl: stack.ipfsUrl });
    expect(settings.deployment).to.deep.equal(record);
    // A client-side route falls back to the app; nothing outside dist is served.
    expect((await fetch(`${stack.appUrl}/pods/123`)).status).to.equal(200);
    expect((await fetch(`${stack.appUrl}/..%2Fpackage.json`)).status).to.equal(400);
    expect((await fetch(`${stack.appUrl}/missing.js`)).status).to.equal(404);
    // The IPFS node answers the dApp's origin and no other.
    const fromApp = await fetch(`${stack.ipfsUrl}/api/v0/version`, {
      method: "POST",
      headers: { Origin: stack.appUrl },
    });
    expect(fromApp.headers.get("access-control-allow-origin")).to.equal(stack.appUrl);
    const fromElsewhere = await fetch(`${stack.ipfsUrl}/api/v0/version`, {
      method: "POST",
      headers: { Origin: "http://127.0.0.1:1" },
    });
    expect(fromElsewhere.status).to.equal(403);
  });

  it("says which port is taken and which flag picks another", () => {
    const second = spawnSync(
      process.execPath,
      [
        "scripts/start/index.ts",
        "--rpc-port",
        String(stack.ports.rpc),
        "--ipfs-port",
        "1",
        "--data-dir",
        path.join(stack.work, "second"),
      ],
      { cwd: repoRoot, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );
    expect(second.status).to.equal(1);
    expect(second.stderr.trim()).to.equal(
      `✗ Port ${stack.ports.rpc} (chain RPC) is already in use on 127.0.0.1: stop what uses it, or choose another port with --rpc-port <port>.`,
    );
    const flags = spawnSync(process.execPath, ["scripts/start/index.ts", "--rpc-port", "http"], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(flags.status).to.equal(1);
    expect(flags.stderr.trim()).to.equal('✗ --rpc-port must be a port number from 1 to 65535 (got "http").');
  });

  it("stops every child on Ctrl-C and leaves no process or port behind", async () => {
    const nodes = processesMatching(`--port ${stack.ports.rpc}`);
    expect(nodes.length).to.be.greaterThan(0);
    const { code, signal } = await stack.stop();
    // The orchestrator stopped its children and exited 0 after "Stopped."; npm itself ends by the SIGINT it forwarded.
    expect(stack.output()).to.match(/Stopping…\nStopped\.\n$/);
    expect(code === 0 || signal === "SIGINT", `npm ended with ${code ?? signal}`).to.equal(true);
    expect(groupAlive(stack.pgid)).to.equal(false);
    expect(processesMatching(`--port ${stack.ports.rpc}`)).to.deep.equal([]);
    expect(processesMatching(stack.work)).to.deep.equal([]);
    for (const pid of nodes) expect(() => process.kill(pid, 0)).toThrow();
    await assertPortFree(stack.ports.rpc, "chain RPC", "--rpc-port");
    await assertPortFree(stack.ports.ipfs, "IPFS", "--ipfs-port");
    await assertPortFree(stack.ports.app, "dApp", "--app-port");
  });
});
