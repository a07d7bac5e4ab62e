// @vitest-environment node
/**
 * ENS names are looked up only where the chain has ENS (mainnet, Sepolia). On the local chain (and any other) nothing
 * is asked at all, so a page never waits on, or errors from, a lookup that cannot succeed; a failing lookup leaves
 * the address unnamed instead of failing the page.
 */
import type { PublicClient } from "viem";
import { describe, expect, it } from "vitest";
import { hasEns, lookUpEnsNames } from "../src/lib/ens.ts";

const ada = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
/** A client that fails the test if anything is asked of it. */
const untouchable = new Proxy({} as PublicClient, {
  get: (_, key) => {
    if (key === "then") return undefined;
    throw new Error(`the client was used (${String(key)})`);
  },
});
/** A client whose every request fails, as a node without the resolver would. */
const failing = {
  chain: undefined,
  request: async () => {
    throw new Error("execution reverted");
  },
} as unknown as PublicClient;

describe("ENS names", () => {
  it("knows which chains have ENS", () => {
    expect([1, 11_155_111, 31_337, 8453].map(hasEns)).to.deep.equal([true, true, false, false]);
  });

  it("asks nothing on a chain without ENS", async () => {
    expect(await lookUpEnsNames(untouchable, 31_337, [ada])).to.deep.equal({});
  });

  it("leaves an address unnamed when the lookup fails", async () => {
    expect(await lookUpEnsNames(failing, 1, [ada])).to.deep.equal({ [ada.toLowerCase()]: null });
  });
});
