/**
 * The commitment token: ERC-721 with metadata, soulbound (ERC-5192), metadata-update events (ERC-4906), burnable by
 * its holder only once the commitment is over, and a token URI drawn from adherence alone.
 */
import { zeroAddress, zeroHash } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { expectEvent, expectNoEvent, expectRevert } from "../helpers/expect.ts";
import { attribute, decodeTokenURI, roundFills } from "../helpers/metadata.ts";
import { CommitmentStatus, DAY, deployTroth, type TrothFixture } from "../helpers/troth.ts";

describe("Commitment token", () => {
  let f: TrothFixture;
  beforeAll(async () => {
    f = await deployTroth();
  });

  describe("ERC-165", () => {
    it.each([
      ["ERC-165", "0x01ffc9a7"],
      ["ERC-721", "0x80ac58cd"],
      ["ERC-721 metadata", "0x5b5e139f"],
      ["ERC-5192", "0xb45a3c0e"],
      ["ERC-4906", "0x49064906"],
    ] as const)("supports %s (%s)", async (_name, id) => {
      expect(await f.troth.read.supportsInterface([id])).to.equal(true);
    });

    it.each([
      ["the invalid id", "0xffffffff"],
      ["ERC-721 enumerable", "0x780e9d63"],
      ["ERC-1155", "0xd9b67a26"],
    ] as const)("does not claim %s (%s)", async (_name, id) => {
      expect(await f.troth.read.supportsInterface([id])).to.equal(false);
    });
  });

  describe("minting", () => {
    it("names the collection", async () => {
      expect(await f.troth.read.name()).to.equal("Troth Commitment");
      expect(await f.troth.read.symbol()).to.equal("TROTH");
    });

    it("mints each member token podId << 8 | index, locked from birth", async () => {
      const [a, b, c] = f.accounts;
      const before = await f.troth.read.balanceOf([b]);
      const { podId, tokenIds, receipt } = await f.createPod([a, b, c]);
      const logs = await f.eventsOf(receipt.transactionHash);
      for (const [i, member] of [a, b, c].entries()) {
        expect(tokenIds[i]).to.equal((podId << 8n) | BigInt(i));
        expect(await f.troth.read.ownerOf([tokenIds[i]])).to.equal(member);
        expect(await f.troth.read.holderOf([tokenIds[i]])).to.equal(member);
        expect(await f.troth.read.tokenOf([podId, member])).to.equal(tokenIds[i]);
        expect(await f.troth.read.locked([tokenIds[i]])).to.equal(true);
        expectEvent(logs, "Transfer", { from: zeroAddress, to: member, tokenId: tokenIds[i] }, 1);
        expectEvent(logs, "Locked", { tokenId: tokenIds[i] }, 1);
      }
      expect(await f.troth.read.balanceOf([b])).to.equal(before + 1n);
      expectNoEvent(logs, "Unlocked");
    });

    it("has no balance for the zero address", async () => {
      await expectRevert(f.troth.read.balanceOf([zeroAddress]), "ERC721InvalidOwner", [zeroAddress]);
    });

    it("has no token for an index past the members, nor for a stranger", async () => {
      const [a, b, , stranger] = f.accounts;
      const { podId } = await f.createPod([a, b]);
      const missing = (podId << 8n) | 2n;
      expect(await f.troth.read.holderOf([missing])).to.equal(zeroAddress);
      expect(await f.troth.read.tokenOf([podId, stranger])).to.equal(0n);
      await expectRevert(f.troth.read.ownerOf([missing]), "ERC721NonexistentToken", [missing]);
      await expectRevert(f.troth.read.locked([missing]), "ERC721NonexistentToken", [missing]);
      await expectRevert(f.troth.read.tokenURI([missing]), "ERC721NonexistentToken", [missing]);
    });
  });

  describe("soulbound", () => {
    it("reverts every transfer, by the holder or anyone else", async () => {
      const [a, b, stranger] = f.accounts;
      const { tokenIds } = await f.createPod([a, b]);
      const id = tokenIds[0];
      for (const account of [a, stranger]) {
        await expectRevert(f.troth.write.transferFrom([a, stranger, id], { account }), "CommitmentSoulbound", [id]);
        await expectRevert(f.troth.write.safeTransferFrom([a, stranger, id], { account }), "CommitmentSoulbound", [id]);
        await expectRevert(
          f.troth.write.safeTransferFrom([a, stranger, id, "0x1234"], { account }),
          "CommitmentSoulbound",
          [id],
        );
      }
      // Even to another member of the same pod.
      await expectRevert(f.troth.write.transferFrom([a, b, id], { account: a }), "CommitmentSoulbound", [id]);
      expect(await f.troth.read.ownerOf([id])).to.equal(a);
    });

    it("reverts a transfer to the zero address with ERC-721's own receiver error (burning is burn's job)", async () => {
      // OpenZeppelin refuses a zero receiver before `_update`, the one place that makes the token soulbound: the
      // transfer is refused all the same, with ERC-721's custom error.
      const [a, b] = f.accounts;
      const { tokenIds } = await f.createPod([a, b]);
      const id = tokenIds[0];
      const zero = zeroAddress;
      await expectRevert(f.troth.write.transferFrom([a, zero, id], { account: a }), "ERC721InvalidReceiver", [zero]);
      await expectRevert(f.troth.write.safeTransferFrom([a, zero, id], { account: a }), "ERC721InvalidReceiver", [
        zero,
      ]);
      expect(await f.troth.read.ownerOf([id])).to.equal(a);
    });

    it("reverts every approval, of one token or of an operator", async () => {
      const [a, b, stranger] = f.accounts;
      const { tokenIds } = await f.createPod([a, b]);
      const id = tokenIds[0];
      await expectRevert(f.troth.write.approve([stranger, id], { account: a }), "CommitmentApprovalDisabled", []);
      // Clearing an approval is still an approval call: nothing to clear, ever.
      await expectRevert(f.troth.write.approve([zeroAddress, id], { account: a }), "CommitmentApprovalDisabled", []);
      await expectRevert(f.troth.write.approve([stranger, id], { account: stranger }), "CommitmentApprovalDisabled");
      await expectRevert(
        f.troth.write.setApprovalForAll([stranger, true], { account: a }),
        "CommitmentApprovalDisabled",
        [],
      );
      await expectRevert(
        f.troth.write.setApprovalForAll([stranger, false], { account: a }),
        "CommitmentApprovalDisabled",
        [],
      );
      expect(await f.troth.read.getApproved([id])).to.equal(zeroAddress);
      expect(await f.troth.read.isApprovedForAll([a, stranger])).to.equal(false);
    });
  });

  describe("burn", () => {
    it("is refused to an active member while the pod runs", async () => {
      const [a, b] = f.accounts;
      const { tokenIds, covenant } = await f.createPod([a, b]);
      await expectRevert(f.troth.write.burn([tokenIds[0]], { account: a }), "CommitmentNotBurnable", [tokenIds[0]]);
      await f.at(covenant.start + DAY);
      await expectRevert(f.troth.write.burn([tokenIds[0]], { account: a }), "CommitmentNotBurnable", [tokenIds[0]]);
    });

    it("is refused to anyone but the holder, and for a token that does not exist", async () => {
      const [a, b, , stranger] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b]);
      await f.troth.write.leave([tokenIds[0]], { account: a });
      await expectRevert(f.troth.write.burn([tokenIds[0]], { account: stranger }), "CommitmentNotOwner", [
        tokenIds[0],
        stranger,
      ]);
      await expectRevert(f.troth.write.burn([tokenIds[0]], { account: b }), "CommitmentNotOwner", [tokenIds[0], b]);
      const missing = (podId << 8n) | 7n;
      await expectRevert(f.troth.write.burn([missing], { account: a }), "ERC721NonexistentToken", [missing]);
    });

    it("is allowed after leaving: the token is gone, the record and the lens say Burned", async () => {
      const [a, b, c] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      const balance = await f.troth.read.balanceOf([a]);
      await f.troth.write.leave([tokenIds[0]], { account: a });
      const logs = await f.eventsOf(f.troth.write.burn([tokenIds[0]], { account: a }));
      expectEvent(logs, "Transfer", { from: a, to: zeroAddress, tokenId: tokenIds[0] }, 1);
      expectNoEvent(logs, "Approval");
      expect(await f.troth.read.balanceOf([a])).to.equal(balance - 1n);
      expect(await f.troth.read.holderOf([tokenIds[0]])).to.equal(zeroAddress);
      await expectRevert(f.troth.read.locked([tokenIds[0]]), "ERC721NonexistentToken", [tokenIds[0]]);
      await expectRevert(f.troth.read.tokenURI([tokenIds[0]]), "ERC721NonexistentToken", [tokenIds[0]]);
      const view = await f.lens.read.commitment([tokenIds[0]]);
      expect(view.status).to.equal(CommitmentStatus.Burned);
      expect(view.account).to.equal(zeroAddress);
      const { json } = decodeTokenURI(await f.lens.read.tokenURI([tokenIds[0]]));
      expect(attribute(json, "Status")).to.equal("Burned");
      const members = await f.lens.read.members([podId]);
      expect(members[0].account).to.equal(zeroAddress);
      expect(members[0].tokenId).to.equal(tokenIds[0]);
      // Burned once, gone: a second burn finds nothing.
      await expectRevert(f.troth.write.burn([tokenIds[0]], { account: a }), "ERC721NonexistentToken", [tokenIds[0]]);
    });

    it("leaves the former holder holding no token in the pod", async () => {
      const [a, b, c] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      await f.eventsOf(f.troth.write.leave([tokenIds[0]], { account: a }));
      expect(await f.troth.read.tokenOf([podId, a])).to.equal(tokenIds[0]);
      await f.eventsOf(f.troth.write.burn([tokenIds[0]], { account: a }));
      // ITroth.tokenOf: "The token `account` holds in `podId` (0 if none)". After the burn it holds none.
      expect(await f.troth.read.tokenOf([podId, a])).to.equal(0n);
    });

    it("leaves nothing to act on: no restart and no leave for a burned commitment", async () => {
      // a missed round 0, the one-round pod ended, and a burned their (still active) commitment.
      const [a, b] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0 });
      await f.at((await f.window(podId, 0)).closesAt);
      await f.eventsOf(f.troth.write.burn([tokenIds[0]], { account: a }));
      await expectRevert(f.troth.write.restart([tokenIds[0], zeroHash], { account: a }), "ERC721NonexistentToken", [
        tokenIds[0],
      ]);
      await expectRevert(f.troth.write.leave([tokenIds[0]], { account: a }), "ERC721NonexistentToken", [tokenIds[0]]);
    });

    it("is allowed to a replaced member", async () => {
      const [a, b, newcomer] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b]);
      await f.eventsOf(f.replaceMember(podId, a, f.newcomer(newcomer)));
      await f.eventsOf(f.troth.write.burn([tokenIds[0]], { account: a }));
      expect(await f.troth.read.holderOf([tokenIds[0]])).to.equal(zeroAddress);
    });

    it("is allowed to an active member once the last round has closed", async () => {
      const [a, b] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0 });
      const last = await f.window(podId, 0);
      await f.atNext(last.closesAt - 1);
      await expectRevert(f.troth.write.burn([tokenIds[1]], { account: b }), "CommitmentNotBurnable", [tokenIds[1]]);
      await f.atNext(last.closesAt);
      await f.eventsOf(f.troth.write.burn([tokenIds[1]], { account: b }));
      expect(await f.troth.read.holderOf([tokenIds[1]])).to.equal(zeroAddress);
    });

    it("is allowed to the last active member of a dissolved pod", async () => {
      const [a, b] = f.accounts;
      const { tokenIds } = await f.createPod([a, b]);
      await f.troth.write.leave([tokenIds[0]], { account: a });
      await f.eventsOf(f.troth.write.burn([tokenIds[1]], { account: b }));
      expect(await f.troth.read.holderOf([tokenIds[1]])).to.equal(zeroAddress);
    });
  });

  describe("token URI", () => {
    it("is a base64 JSON data URI with an SVG ring of the cycle's rounds", async () => {
      const [a, b] = f.accounts;
      const { tokenIds } = await f.createPod([a, b], { rounds: 10 });
      const uri = await f.troth.read.tokenURI([tokenIds[0]]);
      expect(uri).to.equal(await f.lens.read.tokenURI([tokenIds[0]]));
      const { json, svg } = decodeTokenURI(uri);
      expect(json.name).to.equal("Troth commitment, cycle 1");
      expect(json.description).to.match(/never what was said/);
      expect(svg.startsWith("<svg")).to.equal(true);
      expect(svg.endsWith("</svg>")).to.equal(true);
      expect(roundFills(svg)).to.have.length(10);
      expect(svg).to.contain("0 of 10 witnessed");
      expect(json.attributes.map((t) => t.trait_type)).to.deep.equal([
        "Pod size",
        "Cadence (days)",
        "Witnessed",
        "Rounds in span",
        "Missed",
        "Current streak",
        "Restarts",
        "Cycle",
        "Status",
      ]);
      expect(attribute(json, "Pod size")).to.equal(2);
      expect(attribute(json, "Cadence (days)")).to.equal(7);
      expect(attribute(json, "Status")).to.equal("Active");
    });

    it("draws adherence only: two commitments with the same record share one picture", async () => {
      const [a, b] = f.accounts;
      const { tokenIds } = await f.createPod([a, b], {
        commitmentDigests: [f.digest("run a marathon"), f.digest("write a novel")],
      });
      // Different holders, different commitments, same adherence: the whole metadata is the same.
      expect(await f.troth.read.tokenURI([tokenIds[0]])).to.equal(await f.troth.read.tokenURI([tokenIds[1]]));
    });

    it("changes with adherence, announced by MetadataUpdate", async () => {
      const [a, b] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b]);
      await f.atRound(podId, 0);
      const before = decodeTokenURI(await f.troth.read.tokenURI([tokenIds[0]]));
      const logs = await f.eventsOf(f.checkIn(a, tokenIds[0], 0, [b]));
      expectEvent(logs, "MetadataUpdate", { _tokenId: tokenIds[0] }, 1);
      const after = decodeTokenURI(await f.troth.read.tokenURI([tokenIds[0]]));
      expect(after.svg).to.not.equal(before.svg);
      expect(after.svg).to.contain("1 of 13 witnessed");
      expect(roundFills(after.svg)[0]).to.equal("#2f855a");
      expect(attribute(after.json, "Witnessed")).to.equal(1);
      expect(attribute(after.json, "Current streak")).to.equal(1);
      // The partner's picture did not change: nothing was announced for it either.
      expect(decodeTokenURI(await f.troth.read.tokenURI([tokenIds[1]])).svg).to.equal(before.svg);
      expect(logs.filter((l) => l.eventName === "MetadataUpdate")).to.have.length(1);
    });

    it("colours a reported round, then a witnessed one, each change announced", async () => {
      const [a, b, c] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c], { quorum: 2 });
      await f.atRound(podId, 0);
      const report = f.reportOf(tokenIds[0], 0);
      let logs = await f.eventsOf(f.checkIn(a, tokenIds[0], 0, [b], report));
      expectEvent(logs, "MetadataUpdate", { _tokenId: tokenIds[0] });
      expect(roundFills(decodeTokenURI(await f.troth.read.tokenURI([tokenIds[0]])).svg)[0]).to.equal("#f6c453");
      logs = await f.eventsOf(f.troth.write.witness([tokenIds[0], 0, report], { account: c }));
      expectEvent(logs, "MetadataUpdate", { _tokenId: tokenIds[0] }, 1);
      expect(roundFills(decodeTokenURI(await f.troth.read.tokenURI([tokenIds[0]])).svg)[0]).to.equal("#2f855a");
    });

    it("shows a missed round, and a restart is announced", async () => {
      const [a, b] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b]);
      await f.at((await f.window(podId, 0)).closesAt);
      const { json, svg } = decodeTokenURI(await f.troth.read.tokenURI([tokenIds[0]]));
      expect(attribute(json, "Missed")).to.equal(1);
      expect(attribute(json, "Status")).to.equal("Lapsed");
      // A miss is drawn with the missed stroke on the first dot.
      expect(svg).to.match(/<circle cy="-112"[^>]*rotate\(0\.00\)" fill="#ffffff" stroke="#a0aec0"/);
      const logs = await f.eventsOf(f.troth.write.restart([tokenIds[0], f.digest("again")], { account: a }));
      expectEvent(logs, "MetadataUpdate", { _tokenId: tokenIds[0] }, 1);
      const restarted = decodeTokenURI(await f.troth.read.tokenURI([tokenIds[0]]));
      expect(attribute(restarted.json, "Restarts")).to.equal(1);
      expect(attribute(restarted.json, "Status")).to.equal("Active");
    });

    it("announces pod-wide changes with BatchMetadataUpdate over the pod's token range", async () => {
      const [a, b, c, d] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c]);
      const range = { _fromTokenId: podId << 8n, _toTokenId: (podId << 8n) | 0xffn };
      await f.atRound(podId, 0);
      expectEvent(await f.eventsOf(f.pause(podId)), "BatchMetadataUpdate", range, 1);
      expectEvent(await f.eventsOf(f.resume(podId)), "BatchMetadataUpdate", range, 1);
      const amendment = { cadence: 14 * DAY, grace: DAY, quorum: 1, covenantDigest: f.digest("amended") };
      expectEvent(await f.eventsOf(f.amend(podId, amendment)), "BatchMetadataUpdate", range, 1);
      expectEvent(await f.eventsOf(f.addMember(podId, f.newcomer(d))), "BatchMetadataUpdate", range, 1);
      expectEvent(
        await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: c })),
        "BatchMetadataUpdate",
        range,
        1,
      );
    });

    it("marks a graduated commitment", async () => {
      const [a, b] = f.accounts;
      const first = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0 });
      await f.atRound(first.podId, 0);
      await f.eventsOf(f.checkIn(a, first.tokenIds[0], 0, [b]));
      await f.at((await f.window(first.podId, 0)).closesAt);
      const second = await f.createPod([a, b], { rounds: 1, cadence: DAY, grace: 0, previousPod: first.podId });
      await f.atRound(second.podId, 0);
      await f.eventsOf(f.checkIn(a, second.tokenIds[0], 0, [b]));
      expect(decodeTokenURI(await f.troth.read.tokenURI([second.tokenIds[0]])).svg).to.not.contain("graduated");
      await f.at((await f.window(second.podId, 0)).closesAt);
      const { json, svg } = decodeTokenURI(await f.troth.read.tokenURI([second.tokenIds[0]]));
      expect(json.name).to.equal("Troth commitment, cycle 2");
      expect(attribute(json, "Status")).to.equal("Graduated");
      expect(attribute(json, "Cycle")).to.equal(2);
      expect(attribute(json, "Witnessed")).to.equal(1);
      expect(attribute(json, "Rounds in span")).to.equal(1);
      expect(svg).to.contain(">graduated</text>");
      expect(svg).to.contain("Cycle 2");
    });

    it("fits 64 rounds on the ring", async () => {
      const [a, b] = f.accounts;
      const { tokenIds } = await f.createPod([a, b], { rounds: 64, cadence: DAY, grace: 0 });
      const { svg } = decodeTokenURI(await f.troth.read.tokenURI([tokenIds[0]]));
      expect(roundFills(svg)).to.have.length(64);
      expect(svg).to.contain('r="5"');
    });
  });
});
