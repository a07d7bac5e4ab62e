import { describe, expect, it } from "vitest";
import { formatId, formatPodIdShort, formatTokenId } from "../src/index.ts";

const podId = 0x6bf92480d40c603d367500ed214826196c2d08874f0671829d7f87d8249680n;

describe("ids as people see them", () => {
  it("writes ids in hex without leading zeros, the form links take", () => {
    expect(formatId(podId)).to.equal("0x6bf92480d40c603d367500ed214826196c2d08874f0671829d7f87d8249680");
    expect(formatId(255n)).to.equal("0xff");
  });

  it("tells the tokens of one pod apart by member number, though their hex shares the pod's prefix", () => {
    const tokens = [0n, 1n, 2n].map((i) => formatTokenId((podId << 8n) | i));
    expect(tokens).to.deep.equal([
      "member 1 of pod 0x6bf924…9680",
      "member 2 of pod 0x6bf924…9680",
      "member 3 of pod 0x6bf924…9680",
    ]);
    expect(new Set(tokens).size).to.equal(3);
  });

  it("keeps a short pod id whole", () => {
    expect(formatPodIdShort(0x1234n)).to.equal("0x1234");
    expect(formatTokenId(0x1234_07n)).to.equal("member 8 of pod 0x1234");
  });
});
