/**
 * Property test: random pod histories on an in-process chain, then the audit (built from logs alone) must give the
 * same pods, members, commitments and round states as the lens's views, at the same block.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Address, Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployTroth, type TrothFixture } from "../../test/helpers/troth.ts";
import { getContinuity } from "../src/actions/getContinuity.ts";
import { AuditCheckpointError, createAudit } from "../src/audit/index.ts";
import { createTrothClient, type TrothClient } from "../src/client.ts";
import { createHeliaStore, type HeliaStore } from "../src/storage/helia.ts";

const DAY = 86_400;

/** A small seeded PRNG (mulberry32), so a failing history can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
    chance: (p: number) => next() < p,
  };
}

type Pod = { podId: bigint; members: Address[]; cadence: number };

let f: TrothFixture;
let directory: string;
let store: HeliaStore;
let client: TrothClient;

beforeAll(async () => {
  f = await deployTroth();
  directory = await mkdtemp(path.join(tmpdir(), "troth-sdk-audit-"));
  store = await createHeliaStore({ directory });
  client = await createTrothClient({
    publicClient: f.publicClient,
    store,
    address: f.troth.address,
    lens: f.lens.address,
  });
});

afterAll(async () => {
  await store?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** Tries a transaction; one the contract refuses (a closed round, a paused pod…) is simply not part of the history. */
async function attempt(send: () => Promise<Hex>): Promise<boolean> {
  try {
    await f.publicClient.waitForTransactionReceipt({ hash: await send() });
    return true;
  } catch {
    return false;
  }
}

async function runHistory(seed: number, pods: Pod[]) {
  const r = prng(seed);
  const accounts = f.accounts.slice(0, 12);
  const create = async (previous?: Pod) => {
    const size = previous ? previous.members.length : r.int(2, 5);
    const members = previous ? previous.members : [...accounts].sort(() => r.next() - 0.5).slice(0, size);
    const cadence = r.int(1, 10) * DAY;
    const created = await f
      .createPod(members, {
        cadence,
        grace: r.int(0, cadence / DAY) * DAY,
        rounds: r.int(3, 9),
        quorum: r.int(1, members.length - 1),
        previousPod: previous?.podId ?? 0n,
      })
      .catch(() => undefined);
    if (created) pods.push({ podId: created.podId, members: [...members], cadence });
  };
  await create();
  await create();
  for (let step = 0; step < 100; ++step) {
    const pod = r.pick(pods);
    const list = await f.lens.read.members([pod.podId]);
    const active = list.filter((m) => m.status === 1).map((m) => m.account);
    const holderOf = (account: Address) => list.find((m) => m.account === account)?.tokenId as bigint;
    const view = await f.lens.read.pod([pod.podId]);
    const member = r.pick(active.length ? active : pod.members);
    const others = active.filter((a) => a !== member);
    const round = r.chance(0.8) ? view.currentRound : Math.max(0, view.currentRound - 1);
    const action = r.next();
    if (action < 0.35) {
      const witnesses = others.slice(0, r.int(0, others.length));
      await attempt(() => f.checkIn(member, holderOf(member), round, witnesses));
    } else if (action < 0.4) {
      const [reported] = await f.troth.read.pendingReport([holderOf(member), round]);
      if (others.length)
        await attempt(() => f.troth.write.witness([holderOf(member), round, reported], { account: r.pick(others) }));
    } else if (action < 0.45 && others.length) {
      const [reported] = await f.troth.read.pendingReport([holderOf(member), round]);
      const signatures = await f.witnessSignatures(holderOf(member), round, reported, [r.pick(others)]);
      await attempt(() => f.troth.write.witnessBySig([holderOf(member), round, signatures], { account: member }));
    } else if (action < 0.5) {
      await attempt(() =>
        f.troth.write.restart([holderOf(member), r.chance(0.5) ? f.digest(`c${step}`) : `0x${"00".repeat(32)}`], {
          account: member,
        }),
      );
    } else if (action < 0.55) {
      await attempt(() => (view.pausedAt === 0 ? f.pause(pod.podId) : f.resume(pod.podId)));
    } else if (action < 0.6 && active.length > 1) {
      const cadence = r.int(1, 10) * DAY;
      await attempt(() =>
        f.amend(pod.podId, {
          cadence,
          grace: r.int(0, cadence / DAY) * DAY,
          quorum: r.int(1, active.length - 1),
          covenantDigest: f.digest(`amend${step}`),
        }),
      );
    } else if (action < 0.63) {
      await attempt(() => f.troth.write.leave([holderOf(member)], { account: member }));
    } else if (action < 0.66) {
      const outsider = accounts.find((a) => !list.some((m) => m.account === a));
      if (outsider) await attempt(() => f.addMember(pod.podId, f.newcomer(outsider)));
    } else if (action < 0.69) {
      const outsider = accounts.find((a) => !list.some((m) => m.account === a));
      if (outsider) await attempt(() => f.replaceMember(pod.podId, member, f.newcomer(outsider)));
    } else if (action < 0.71) {
      const gone = list.find((m) => m.status === 2 || m.status === 3);
      if (gone) await attempt(() => f.troth.write.burn([gone.tokenId], { account: gone.account }));
    } else if (action < 0.73) {
      await attempt(() => f.troth.write.rotateKeyring([pod.podId, f.digest(`k${step}`)], { account: member }));
    } else if (action < 0.76) {
      if (view.status === 4) await create(pod);
      else await create();
    } else {
      // Time passes: within a round, past a close, or across several rounds.
      await f.at((await f.now()) + r.int(1, Math.ceil((pod.cadence * r.int(1, 30)) / 10)));
    }
  }
  // Let some pods end, so ended, graduated and burned states are seen too.
  await f.at((await f.now()) + r.int(0, 40) * DAY);
}

async function compare(audit: ReturnType<typeof createAudit>, pods: Pod[]) {
  await audit.sync();
  const block = await f.publicClient.getBlock();
  expect(audit.time).to.equal(Number(block.timestamp));
  expect(new Set(audit.podIds())).to.deep.equal(new Set(pods.map((p) => p.podId)));
  for (const { podId } of pods) {
    const fromChain = await getContinuity(client, { podId });
    const fromLogs = audit.continuity(podId);
    expect(fromLogs.pod).to.deep.equal(fromChain.pod);
    expect(fromLogs.members).to.deep.equal(fromChain.members);
    expect(fromLogs.commitments).to.deep.equal(fromChain.commitments);
    const round = fromChain.pod.currentRound;
    expect(audit.speakingOrder(podId, round)).to.deep.equal([...(await f.lens.read.speakingOrder([podId, round]))]);
  }
}

describe("audit from logs alone", () => {
  it("matches the lens on random pod histories, and resumes from a checkpoint", async () => {
    const pods: Pod[] = [];
    const audit = createAudit({ publicClient: f.publicClient, address: f.troth.address, batchSize: 7n });
    for (const seed of [1, 2, 3, 4]) {
      await runHistory(seed, pods);
      await compare(audit, pods);
    }
    // A checkpoint taken now resumes with the same state and reads only what came after.
    const resumed = createAudit({
      publicClient: f.publicClient,
      address: f.troth.address,
      checkpoint: audit.checkpoint(),
    });
    const fresh = createAudit({ publicClient: f.publicClient, address: f.troth.address, batchSize: 1000n });
    await runHistory(5, pods);
    await compare(resumed, pods);
    await compare(fresh, pods);
    expect(resumed.checkpoint()).to.equal(fresh.checkpoint());
    const statuses = new Set(pods.flatMap(({ podId }) => fresh.continuity(podId).commitments.map((c) => c.status)));
    expect(statuses.size).to.be.greaterThan(3);
  });

  it("refuses a checkpoint made for another contract", () => {
    const audit = createAudit({ publicClient: f.publicClient, address: f.troth.address });
    expect(() =>
      createAudit({ publicClient: f.publicClient, address: f.lens.address, checkpoint: audit.checkpoint() }),
    ).toThrow(AuditCheckpointError);
  });
});
