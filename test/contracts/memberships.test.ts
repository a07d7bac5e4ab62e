/**
 * The pod list and `membershipsOf`: an account's seats in a few calls, whatever the chain's age (pod ids are covenant
 * hashes, so without the list a reader would scan every `Transfer` log since the deployment).
 */
import type { Address } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { deployTroth, HOUR, type TrothFixture } from "../helpers/troth.ts";

describe("Pod list and memberships", () => {
  let f: TrothFixture;
  let a: Address;
  let b: Address;
  let c: Address;
  let d: Address;
  let outsider: Address;
  const pods: { podId: bigint; tokenIds: bigint[] }[] = [];

  beforeAll(async () => {
    f = await deployTroth();
    [a, b, c, d, outsider] = f.accounts;
    pods.push(await f.createPod([a, b]));
    pods.push(await f.createPod([c, a, d]));
    pods.push(await f.createPod([b, c]));
  });

  it("lists every pod once, in creation order, page by page, and an empty page past the end", async () => {
    expect(await f.troth.read.podIds([0n, 10n])).to.deep.equal([3n, pods.map((p) => p.podId)]);
    expect(await f.troth.read.podIds([1n, 1n])).to.deep.equal([3n, [pods[1].podId]]);
    expect(await f.troth.read.podIds([2n, 2n ** 256n - 1n])).to.deep.equal([3n, [pods[2].podId]]);
    expect(await f.troth.read.podIds([3n, 5n])).to.deep.equal([3n, []]);
    expect(await f.troth.read.podIds([2n ** 256n - 1n, 2n ** 256n - 1n])).to.deep.equal([3n, []]);
    expect(await f.troth.read.podIds([0n, 0n])).to.deep.equal([3n, []]);
  });

  it("gives an account's seats (its own index in each pod), and nothing to an outsider", async () => {
    expect(await f.lens.read.membershipsOf([a, 0n, 10n])).to.deep.equal([
      3n,
      [pods[0].tokenIds[0], pods[1].tokenIds[1]],
    ]);
    expect(await f.lens.read.membershipsOf([c, 1n, 2n])).to.deep.equal([
      3n,
      [pods[1].tokenIds[0], pods[2].tokenIds[1]],
    ]);
    expect(await f.lens.read.membershipsOf([outsider, 0n, 10n])).to.deep.equal([3n, []]);
  });

  it("keeps a seat listed after its member leaves, and adds a newcomer's seat in the pod they joined", async () => {
    await f.at((await f.now()) + 2 * HOUR);
    await f.eventsOf(f.send(d, "leave", [pods[1].tokenIds[2]]));
    expect(await f.lens.read.membershipsOf([d, 0n, 10n])).to.deep.equal([3n, [pods[1].tokenIds[2]]]);
    await f.eventsOf(f.addMember(pods[0].podId, f.newcomer(outsider)));
    expect(await f.lens.read.membershipsOf([outsider, 0n, 10n])).to.deep.equal([3n, [(pods[0].podId << 8n) | 2n]]);
  });

  it("does not list a pod twice when a covenant is accepted again (the pod exists: refused)", async () => {
    const covenant = await f.covenant([a, c]);
    await f.eventsOf(f.send(a, "acceptCovenant", [covenant]));
    expect((await f.troth.read.podIds([0n, 10n]))[0]).to.equal(3n);
    await f.eventsOf(f.send(c, "acceptCovenant", [covenant]));
    const [total, ids] = await f.troth.read.podIds([0n, 10n]);
    expect(total).to.equal(4n);
    expect(new Set(ids).size).to.equal(4);
    await expect(f.send(a, "acceptCovenant", [covenant])).rejects.toThrow();
    expect((await f.troth.read.podIds([0n, 10n]))[0]).to.equal(4n);
  });
});
