// @vitest-environment node
/**
 * The screens follow the chain: a partner's witness, sent from another device, reaches a member's ring without a
 * reload, and a round that opens with no transaction at all shows on the clock. Real chain (in-process Hardhat with
 * the Ignition deployment), real SDK, the app's query options in a real TanStack cache, watched by a query observer
 * as a mounted screen would.
 */
import { QueryObserver } from "@tanstack/react-query";
import { checkInSync, createPodSync, witness } from "@troth/sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DAY, report, type SdkFixture, setupSdk } from "../../sdk/test/helpers/setup.ts";
import { watchChainChanges } from "../src/actions/watchChainChanges.ts";
import { followChain } from "../src/hooks/useFollowChain.ts";
import { createQueryClient } from "../src/lib/queryClient.ts";
import { continuityQueryOptions } from "../src/queries/index.ts";

let s: SdkFixture;
let podId: bigint;
let tokenIds: bigint[];
beforeAll(async () => {
  s = await setupSdk({ publish: 3 });
  const [A, B, C] = s.accounts;
  ({ podId, tokenIds } = await createPodSync(s.clients[0], {
    title: "Following the chain",
    whenSomeoneMisses: "We begin again.",
    cadence: DAY,
    grace: 2 * 3_600,
    rounds: 4,
    quorum: 1,
    members: [
      { address: A, commitment: "Write" },
      { address: B, commitment: "Run" },
      { address: C, commitment: "Play" },
    ],
    signers: s.wallets.slice(0, 3),
  }));
}, 120_000);
afterAll(async () => {
  await s?.close();
});

/** Alice's pod home, as a mounted screen holds it: an observer of the continuity query in the app's cache. */
function aliceRing() {
  const queryClient = createQueryClient();
  const observer = new QueryObserver(queryClient, continuityQueryOptions(s.clients[0], { podId }));
  let states = "loading";
  const unsubscribe = observer.subscribe((result) => {
    const mine = result.data?.commitments.find((c) => c.tokenId === tokenIds[0]);
    if (mine) states = mine.roundStates.join(" ");
  });
  return { queryClient, states: () => states, unsubscribe };
}

describe("following the chain", () => {
  it("watchChainChanges reports the contract's events, whoever sent them, and stops when asked", async () => {
    let changes = 0;
    const stop = watchChainChanges(s.clients[0], { onChange: () => changes++ });
    await checkInSync(s.clients[1], { tokenId: tokenIds[1], round: 0, report: report(0), identity: s.identities[1] });
    await vi.waitFor(() => expect(changes).to.be.greaterThan(0), { timeout: 10_000 });
    stop();
    const seen = changes;
    await checkInSync(s.clients[2], { tokenId: tokenIds[2], round: 0, report: report(0), identity: s.identities[2] });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(changes).to.equal(seen);
  });

  it("a partner's witness reaches the member's ring without a reload", async () => {
    await checkInSync(s.clients[0], { tokenId: tokenIds[0], round: 0, report: report(0), identity: s.identities[0] });
    const ring = aliceRing();
    const stop = followChain(s.clients[0], ring.queryClient);
    try {
      await vi.waitFor(() => expect(ring.states()).to.equal("reported upcoming upcoming upcoming"), {
        timeout: 10_000,
      });
      // Bob witnesses from his own device: nothing on Alice's side sent or awaited it.
      await witness(s.clients[1], { tokenId: tokenIds[0], round: 0 });
      await vi.waitFor(() => expect(ring.states()).to.equal("witnessed upcoming upcoming upcoming"), {
        timeout: 10_000,
      });
    } finally {
      stop();
      ring.unsubscribe();
    }
  });

  it("a round that opens with no transaction shows on the clock", async () => {
    const ring = aliceRing();
    const stop = followChain(s.clients[0], ring.queryClient, { clockMs: 500 });
    try {
      await vi.waitFor(() => expect(ring.states()).to.equal("witnessed upcoming upcoming upcoming"), {
        timeout: 10_000,
      });
      await s.f.networkHelpers.time.increase(DAY);
      await vi.waitFor(() => expect(ring.states()).to.equal("witnessed open upcoming upcoming"), { timeout: 10_000 });
    } finally {
      stop();
      ring.unsubscribe();
    }
  });

  it("without following, the same screen keeps what it first read (why the app follows the chain)", async () => {
    const ring = aliceRing();
    try {
      await vi.waitFor(() => expect(ring.states()).to.equal("witnessed open upcoming upcoming"), { timeout: 10_000 });
      await checkInSync(s.clients[0], { tokenId: tokenIds[0], round: 1, report: report(1), identity: s.identities[0] });
      await new Promise((r) => setTimeout(r, 1_500));
      expect(ring.states()).to.equal("witnessed open upcoming upcoming");
    } finally {
      ring.unsubscribe();
    }
  });
});
