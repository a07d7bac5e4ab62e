/**
 * Property test: random pod histories on an in-process chain, then the audit (built from logs alone) must give the
 * same pods, members, commitments, round states, claims and member records as the contract's views, at the same
 * block. The histories include protocol v2's claims (absence replacements, recoveries; made, cancelled by the claimed
 * member's actions, completed after their window) and check-ins sent again with more witnesses.
 */

import type { Address, Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { deployTroth, type TrothFixture } from "../../test/helpers/troth.ts";
import { AuditCheckpointError, createAudit } from "../src/audit/index.ts";
import { lensContinuity, lensMemberRecord } from "./helpers/lens.ts";

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

beforeAll(async () => {
  f = await deployTroth();
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
    const outsider = accounts.find((a) => !list.some((m) => m.account === a));
    const action = r.next();
    if (action < 0.32) {
      // A check-in; for a round already reported with the same report, the contract adds the new witnesses.
      const witnesses = others.slice(0, r.int(0, others.length));
      await attempt(() => f.checkIn(member, holderOf(member), round, witnesses));
    } else if (action < 0.37) {
      const [reported] = await f.troth.read.pendingReport([holderOf(member), round]);
      if (others.length)
        await attempt(() => f.troth.write.witness([holderOf(member), round, reported], { account: r.pick(others) }));
    } else if (action < 0.42 && others.length) {
      const [reported] = await f.troth.read.pendingReport([holderOf(member), round]);
      const signatures = await f.witnessSignatures(holderOf(member), round, reported, [r.pick(others)]);
      await attempt(() => f.troth.write.witnessBySig([holderOf(member), round, signatures], { account: member }));
    } else if (action < 0.46) {
      await attempt(() =>
        f.troth.write.restart([holderOf(member), r.chance(0.5) ? f.digest(`c${step}`) : `0x${"00".repeat(32)}`], {
          account: member,
        }),
      );
    } else if (action < 0.5) {
      await attempt(() => (view.pausedAt === 0 ? f.pause(pod.podId) : f.resume(pod.podId)));
    } else if (action < 0.54 && active.length > 1) {
      const cadence = r.int(1, 10) * DAY;
      await attempt(() =>
        f.amend(pod.podId, {
          cadence,
          grace: r.int(0, cadence / DAY) * DAY,
          quorum: r.int(1, active.length - 1),
          covenantDigest: f.digest(`amend${step}`),
        }),
      );
    } else if (action < 0.57) {
      await attempt(() => f.troth.write.leave([holderOf(member)], { account: member }));
    } else if (action < 0.6) {
      if (outsider) await attempt(() => f.addMember(pod.podId, f.newcomer(outsider)));
    } else if (action < 0.63) {
      if (outsider) await attempt(() => f.replaceMember(pod.podId, member, f.newcomer(outsider)));
    } else if (action < 0.65) {
      const gone = list.find((m) => m.status === 2 || m.status === 3 || (view.status === 4 && m.status === 1));
      if (gone) await attempt(() => f.troth.write.burn([gone.tokenId], { account: gone.account }));
    } else if (action < 0.67) {
      await attempt(() => f.troth.write.rotateKeyring([pod.podId, f.digest(`k${step}`)], { account: member }));
    } else if (action < 0.7) {
      if (view.status === 4) await create(pod);
      else await create();
    } else if (action < 0.74) {
      // The absence rule: the others claim `member` is absent (the contract checks it) and propose a newcomer.
      if (outsider) await attempt(() => f.proposeReplacement(pod.podId, member, f.newcomer(outsider)));
    } else if (action < 0.77) {
      if (outsider) await attempt(() => f.requestRecovery(holderOf(member), outsider));
    } else if (action < 0.81) {
      // Anyone completes the pod's standing claims whose window has passed (the others revert and are skipped).
      for (const m of list) {
        if ((await f.troth.read.claimOf([m.tokenId])).kind !== 0) {
          await attempt(() => f.troth.write.completeClaim([m.tokenId], { account: r.pick(accounts) }));
        }
      }
    } else if (action < 0.83) {
      await attempt(() => f.troth.write.cancelClaim([holderOf(member)], { account: member }));
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
    const fromChain = await lensContinuity(f, podId);
    const fromLogs = audit.continuity(podId);
    expect(fromLogs.pod).to.deep.equal(fromChain.pod);
    expect(fromLogs.members).to.deep.equal(fromChain.members);
    expect(fromLogs.commitments).to.deep.equal(fromChain.commitments);
    const round = fromChain.pod.currentRound;
    expect(audit.speakingOrder(podId, round)).to.deep.equal([...(await f.lens.read.speakingOrder([podId, round]))]);
    // Every account's record in the pod (members, replaced, burned, recovered addresses, strangers), flags included.
    for (const account of f.accounts.slice(0, 12)) {
      expect(audit.memberRecord(podId, account), `${podId} ${account}`).to.deep.equal(
        await lensMemberRecord(f, podId, account),
      );
    }
  }
}

/** How many times each event the audit reads was emitted so far (to see what the random histories reached). */
async function eventCounts(): Promise<Record<string, number>> {
  const logs = await f.publicClient.getContractEvents({ address: f.troth.address, abi: f.troth.abi, fromBlock: 0n });
  const counts: Record<string, number> = {};
  for (const log of logs) counts[log.eventName] = (counts[log.eventName] ?? 0) + 1;
  return counts;
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
    // The histories reached protocol v2's paths: claims made, cancelled and completed both ways.
    const counts = await eventCounts();
    for (const event of ["ClaimMade", "ClaimCancelled", "CommitmentRecovered"]) {
      expect(counts[event] ?? 0, event).to.be.greaterThan(0);
    }
    const replaced = pods.flatMap(({ podId }) =>
      fresh.continuity(podId).members.filter((m) => m.status === "replaced"),
    );
    expect(replaced.length).to.be.greaterThan(0);
  });

  it("refuses a checkpoint made for another contract", () => {
    const audit = createAudit({ publicClient: f.publicClient, address: f.troth.address });
    expect(() =>
      createAudit({ publicClient: f.publicClient, address: f.lens.address, checkpoint: audit.checkpoint() }),
    ).toThrow(AuditCheckpointError);
  });
});
