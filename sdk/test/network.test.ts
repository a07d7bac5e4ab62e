/**
 * Chain reads through a real JSON-RPC proxy (latency, a 10,000-block `eth_getLogs` limit in QuickNode's words, HTTP
 * 429s) in front of a real in-process Hardhat chain holding tens of thousands of blocks, several RPC URLs (one dead),
 * and the audit across a reorganisation made on the chain (snapshot, history, revert, another history).
 */
import { createPublicClient, getAddress, type Hex, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RpcProxy, startRpcProxy } from "../../scripts/network/rpc-proxy.ts";
import { deployTroth, HOUR, type TrothFixture } from "../../test/helpers/troth.ts";
import { getCovenantConsents } from "../src/actions/getCovenantConsents.ts";
import { getDueCheckIns } from "../src/actions/getDueCheckIns.ts";
import { getMemberships } from "../src/actions/getMemberships.ts";
import { createAudit } from "../src/audit/index.ts";
import { createTrothClient, isRpcUnavailable, rpcTransport, type TrothClient } from "../src/client.ts";
import { LogQueryError } from "../src/errors/client.ts";
import type { ContentStore } from "../src/storage/types.ts";
import { lensContinuity } from "./helpers/lens.ts";

/** Nothing here reads content: a store that refuses. */
const noStore = {
  put: async () => {
    throw new Error("no store");
  },
  get: async () => {
    throw new Error("no store");
  },
} as unknown as ContentStore;

let f: TrothFixture;
let proxy: RpcProxy;
const pods: { podId: bigint; tokenIds: bigint[] }[] = [];

/** A client over `urls`, retrying a call refused for too many requests (viem's http transport does that). */
async function clientOver(urls: string[]): Promise<TrothClient> {
  return createTrothClient({
    publicClient: createPublicClient({ transport: rpcTransport(urls, { retryCount: 3 }) }),
    store: noStore,
    address: f.troth.address,
    lens: f.lens.address,
    startBlock: 0n,
  });
}

beforeAll(async () => {
  f = await deployTroth();
  const [a, b, c, d] = f.accounts;
  pods.push(await f.createPod([a, b, c]));
  await f.publicClient.request({ method: "hardhat_mine", params: ["0xafc8", "0x1"] } as never); // 45,000 blocks
  pods.push(await f.createPod([a, d]));
  await f.publicClient.request({ method: "hardhat_mine", params: ["0x7530", "0x1"] } as never); // 30,000 more
  await f.at((await f.now()) + 2 * HOUR);
  await f.publicClient.waitForTransactionReceipt({ hash: await f.checkIn(a, pods[0].tokenIds[0], 0, [b]) });
  // Every fifth HTTP request is refused for too many requests.
  proxy = await startRpcProxy({
    upstream: (call) => f.publicClient.request(call as never),
    latency: 5,
    maxLogRange: 10_000,
    rateLimit: (n) => n % 5 === 0,
  });
});

afterAll(async () => {
  await proxy?.close();
});

describe("reads through a provider that limits ranges and rate-limits", () => {
  it("finds a member's pods and due check-ins as the unlimited chain does, in bounded requests", async () => {
    const direct = await createTrothClient({
      publicClient: f.publicClient,
      store: noStore,
      address: f.troth.address,
      lens: f.lens.address,
      startBlock: 0n,
    });
    const limited = await clientOver([proxy.url]);
    for (const account of f.accounts.slice(0, 5)) {
      proxy.reset();
      const [viaProxy, straight] = await Promise.all([
        getMemberships(limited, { account }),
        getMemberships(direct, { account }),
      ]);
      expect(viaProxy).to.deep.equal(straight);
      // From the lens (`membershipsOf`): no log is read, whatever the chain's age.
      expect(proxy.stats.byMethod.eth_getLogs ?? 0).to.equal(0);
    }
    const [a, , , d] = f.accounts;
    expect((await getMemberships(limited, { account: a })).map((m) => m.podId)).to.deep.equal([
      pods[1].podId,
      pods[0].podId,
    ]);
    expect(await getMemberships(limited, { account: f.accounts[9] })).to.deep.equal([]);
    proxy.reset();
    expect(await getDueCheckIns(limited, { account: d })).to.deep.equal(await getDueCheckIns(direct, { account: d }));
    expect(proxy.stats.byMethod.eth_getLogs ?? 0).to.equal(0);
    expect(proxy.stats.limited).to.be.greaterThan(0);
  });

  it("pages through the pods, and reads the Transfer logs against a lens that predates membershipsOf", async () => {
    const [a] = f.accounts;
    const expected = await createTrothClient({
      publicClient: f.publicClient,
      store: noStore,
      address: f.troth.address,
      lens: f.lens.address,
      startBlock: 0n,
    }).then((c) => getMemberships(c, { account: a }));
    // A lens address with no code stands for an older lens: every membershipsOf call fails, the logs answer.
    const old = await createTrothClient({
      publicClient: createPublicClient({ transport: rpcTransport([proxy.url], { retryCount: 3 }) }),
      store: noStore,
      address: f.troth.address,
      lens: getAddress("0x000000000000000000000000000000000000dEaD"),
      startBlock: 0n,
    });
    proxy.reset();
    expect(await getMemberships(old, { account: a })).to.deep.equal(expected);
    expect(proxy.stats.byMethod.eth_getLogs).to.be.within(2, 20);
    const [total, page] = await f.lens.read.membershipsOf([a, 1n, 1n]);
    expect(total).to.equal(BigInt(pods.length));
    expect(page).to.deep.equal([pods[1].tokenIds[0]]);
    expect(await f.lens.read.membershipsOf([a, 10n, 5n])).to.deep.equal([BigInt(pods.length), []]);
  });

  it("rebuilds every pod through the proxy as the lens shows it", async () => {
    proxy.reset();
    const limited = await clientOver([proxy.url]);
    const audit = createAudit({ publicClient: limited.publicClient, address: f.troth.address, startBlock: 0n });
    await audit.sync();
    expect(proxy.stats.refusedRanges).to.be.greaterThan(0);
    for (const { podId } of pods) {
      const fromChain = await lensContinuity(f, podId);
      const fromLogs = audit.continuity(podId);
      expect(fromLogs.pod).to.deep.equal(fromChain.pod);
      expect(fromLogs.commitments).to.deep.equal(fromChain.commitments);
    }
  });

  it("goes to the next RPC URL when one is down, and says plainly when none answers", async () => {
    const dead = "http://127.0.0.1:9";
    const client = await clientOver([dead, proxy.url]);
    expect(await getMemberships(client, { account: f.accounts[0] })).to.have.length(2);
    const error = await createTrothClient({
      publicClient: createPublicClient({ transport: rpcTransport([dead, "http://127.0.0.1:10"], { retryCount: 0 }) }),
      store: noStore,
    }).catch((e) => e);
    expect(isRpcUnavailable(error)).to.equal(true);
    expect(error.shortMessage).to.match(/None of the chain's 2 RPC endpoints answered/);
  });

  it("stops with where it got to when the provider keeps refusing, and resumes from there", async () => {
    const storm = await startRpcProxy({
      upstream: (call) => f.publicClient.request(call as never),
      maxLogRange: 10_000,
      rateLimit: (n) => n > 4,
    });
    try {
      const client = createPublicClient({ transport: http(storm.url, { retryCount: 0 }) });
      const audit = createAudit({ publicClient: client, address: f.troth.address, startBlock: 0n, concurrency: 1 });
      const error = await audit.sync({ toBlock: 60_000n }).catch((e) => e);
      expect(error).to.be.instanceOf(LogQueryError);
      expect(audit.block).to.equal(error.resumeFrom - 1n);
      expect(audit.block > 0n).to.equal(true);
      // The rest, from a provider that answers: the same audit picks up where it stopped.
      const resumed = createAudit({
        publicClient: f.publicClient,
        address: f.troth.address,
        checkpoint: audit.checkpoint(),
      });
      await resumed.sync();
      const fromChain = await lensContinuity(f, pods[0].podId);
      expect(resumed.continuity(pods[0].podId).commitments).to.deep.equal(fromChain.commitments);
    } finally {
      await storm.close();
    }
  });
});

describe("who has accepted a proposed covenant", () => {
  it("comes from contract views alone (no log read), and the pod shows as created once the last member accepts", async () => {
    const [, , , , e, g, h] = f.accounts;
    const client = await clientOver([proxy.url]);
    const covenant = await f.covenant([e, g, h]);
    proxy.reset();
    expect(await getCovenantConsents(client, { covenant })).to.deep.include({ accepted: [], created: false });
    await f.eventsOf(f.send(g, "acceptCovenant", [covenant]));
    await f.eventsOf(f.send(e, "acceptCovenant", [covenant]));
    const two = await getCovenantConsents(client, { covenant });
    expect(two.accepted).to.deep.equal([e, g]);
    expect(two.created).to.equal(false);
    await f.eventsOf(f.send(h, "acceptCovenant", [covenant]));
    expect((await getCovenantConsents(client, { covenant })).created).to.equal(true);
    expect(proxy.stats.byMethod.eth_getLogs ?? 0).to.equal(0);
  });
});

describe("the audit across a reorganisation", () => {
  it("notices its checkpoint block was replaced, rewinds, and agrees with the lens afterwards", async () => {
    const [a, b, c] = f.accounts;
    const { podId, tokenIds } = pods[0];
    const audit = createAudit({ publicClient: f.publicClient, address: f.troth.address, startBlock: 0n });
    await audit.sync();
    const snapshot = (await f.publicClient.request({ method: "evm_snapshot" } as never)) as Hex;
    // History 1: b checks in (witnessed by c), a few blocks pass; the audit applies it.
    await f.publicClient.waitForTransactionReceipt({ hash: await f.checkIn(b, tokenIds[1], 0, [c]) });
    await f.publicClient.request({ method: "hardhat_mine", params: ["0x3"] } as never);
    await audit.sync();
    expect(audit.commitment(tokenIds[1]).roundStates[0]).to.equal("witnessed");
    // The chain reorganises: history 1 is gone, and c checks in instead, with more blocks after.
    expect(await f.publicClient.request({ method: "evm_revert", params: [snapshot] } as never)).to.equal(true);
    await f.publicClient.waitForTransactionReceipt({ hash: await f.checkIn(c, tokenIds[2], 0, [a]) });
    await f.publicClient.request({ method: "hardhat_mine", params: ["0x6"] } as never);
    const { rewoundTo } = await audit.sync();
    expect(rewoundTo).to.not.equal(null);
    const fromChain = await lensContinuity(f, podId);
    const fromLogs = audit.continuity(podId);
    expect(fromLogs.pod).to.deep.equal(fromChain.pod);
    expect(fromLogs.commitments).to.deep.equal(fromChain.commitments);
    expect(audit.commitment(tokenIds[1]).roundStates[0]).to.not.equal("witnessed");
  });

  it("applies logs only up to the safe block it is given", async () => {
    const audit = createAudit({
      publicClient: f.publicClient,
      address: f.troth.address,
      startBlock: 0n,
      safeBlock: "confirmations",
      confirmations: 10,
    });
    await audit.sync();
    expect(audit.block).to.equal((await f.publicClient.getBlockNumber()) - 10n);
  });
});
