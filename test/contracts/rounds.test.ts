/**
 * Check-ins and witnesses. Two specs, each written once and run for every way in: how a member checks in (by
 * transaction, by signature relayed by anyone, by on-chain approval, as an ERC-1271 wallet) and how a witness
 * completes a pending check-in (by transaction, by signatures relayed by anyone, by on-chain approvals, as a wallet).
 */
import { type Address, type Hash, type Hex, zeroAddress, zeroHash } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { expectEqual, expectEvent, expectNoEvent, expectRevert } from "../helpers/expect.ts";
import { DAY, deployTroth, RoundState, type TrothFixture } from "../helpers/troth.ts";
import { ecdsaEntry, encodeWitnessList, signedEntry } from "../helpers/witnessList.ts";

const RELAYER = 9; // never a member: anyone may submit signatures
const STRANGER = 8; // never a member

/** One way for the holder of a commitment to check in. */
type CheckInWay = {
  name: string;
  /** The holder this way checks in as: an EOA or an ERC-1271 wallet. */
  holder(f: TrothFixture): Promise<Address>;
  checkIn(f: TrothFixture, holder: Address, tokenId: bigint, round: number, report: Hex, witnesses: Hex): Promise<Hash>;
  /** Someone who is not the holder tries this way; the error the contract must give. */
  impostor(
    f: TrothFixture,
    holder: Address,
    tokenId: bigint,
    round: number,
    report: Hex,
  ): Promise<{ attempt: Promise<unknown>; error: string; args: unknown[] }>;
};

async function checkInSignature(f: TrothFixture, signer: Address, tokenId: bigint, round: number, report: Hex) {
  return f.sign(f.walletOf(signer), "CheckIn", { tokenId, round, reportDigest: report });
}

const checkInBySig: CheckInWay["checkIn"] = async (f, holder, tokenId, round, report, witnesses) =>
  f.troth.write.checkInBySig(
    [tokenId, round, report, await checkInSignature(f, holder, tokenId, round, report), witnesses],
    { account: f.accounts[RELAYER] },
  );

const forgedCheckInBySig: CheckInWay["impostor"] = async (f, holder, tokenId, round, report) => {
  const forged = await checkInSignature(f, f.accounts[STRANGER], tokenId, round, report);
  return {
    attempt: f.troth.write.checkInBySig([tokenId, round, report, forged, "0x"], { account: f.accounts[STRANGER] }),
    error: "ConsentInvalidSignature",
    args: [holder, f.typedDigest("CheckIn", { tokenId, round, reportDigest: report })],
  };
};

const directImpostor: CheckInWay["impostor"] = async (f, _holder, tokenId, round, report) => ({
  attempt: f.troth.write.checkIn([tokenId, round, report, "0x"], { account: f.accounts[STRANGER] }),
  error: "CommitmentNotOwner",
  args: [tokenId, f.accounts[STRANGER]],
});

const checkInWays: CheckInWay[] = [
  {
    name: "the holder's own transaction",
    holder: async (f) => f.accounts[0],
    checkIn: (f, holder, tokenId, round, report, witnesses) =>
      f.send(holder, "checkIn", [tokenId, round, report, witnesses]),
    impostor: directImpostor,
  },
  {
    name: "the holder's signature, submitted by another account",
    holder: async (f) => f.accounts[0],
    checkIn: checkInBySig,
    impostor: forgedCheckInBySig,
  },
  {
    name: "the holder's on-chain approval and an empty signature, submitted by another account",
    holder: async (f) => f.accounts[0],
    checkIn: async (f, holder, tokenId, round, report, witnesses) => {
      const digest = f.typedDigest("CheckIn", { tokenId, round, reportDigest: report });
      await f.eventsOf(f.send(holder, "approveHash", [digest]));
      return f.troth.write.checkInBySig([tokenId, round, report, "0x", witnesses], {
        account: f.accounts[RELAYER],
      });
    },
    impostor: async (f, holder, tokenId, round, report) => ({
      // Without the holder's approval, an empty signature is no consent.
      attempt: f.troth.write.checkInBySig([tokenId, round, report, "0x", "0x"], { account: f.accounts[STRANGER] }),
      error: "ConsentInvalidSignature",
      args: [holder, f.typedDigest("CheckIn", { tokenId, round, reportDigest: report })],
    }),
  },
  {
    name: "an ERC-1271 wallet's transaction",
    holder: async (f) => (await f.deployWallet(f.accounts[0])).address,
    checkIn: (f, holder, tokenId, round, report, witnesses) =>
      f.send(holder, "checkIn", [tokenId, round, report, witnesses]),
    impostor: async (f, holder, tokenId, round, report) => {
      // The owner's own EOA is not the wallet.
      const owner = f.walletOf(holder).account!.address;
      return {
        attempt: f.troth.write.checkIn([tokenId, round, report, "0x"], { account: owner }),
        error: "CommitmentNotOwner",
        args: [tokenId, owner],
      };
    },
  },
  {
    name: "an ERC-1271 wallet's signature, submitted by another account",
    holder: async (f) => (await f.deployWallet(f.accounts[0])).address,
    checkIn: checkInBySig,
    impostor: forgedCheckInBySig,
  },
];

function shouldCheckIn(way: CheckInWay) {
  describe(`check-in by ${way.name}`, () => {
    let f: TrothFixture;
    let holder: Address;
    let w1: Address;
    let w2: Address;
    let stranger: Address;
    beforeAll(async () => {
      f = await deployTroth();
      holder = await way.holder(f);
      [, w1, w2] = f.accounts;
      stranger = f.accounts[STRANGER];
    });

    /** A pod of the holder and two partners, quorum 2, at round 0. */
    async function pod(overrides = {}) {
      const created = await f.createPod([holder, w1, w2], { quorum: 2, ...overrides });
      await f.atRound(created.podId, 0);
      return { ...created, tokenId: created.tokenIds[0] };
    }

    it("is witnessed in the same transaction when the witnesses reach quorum", async () => {
      const { tokenId } = await pod();
      const report = f.reportOf(tokenId, 0);
      const witnesses = await f.witnessSignatures(tokenId, 0, report, [w1, w2]);
      const logs = await f.eventsOf(way.checkIn(f, holder, tokenId, 0, report, witnesses));
      // Witnesses are named by their member index: w1 is member 1, w2 member 2.
      expectEvent(logs, "CheckedIn", {
        tokenId,
        round: 0,
        reportDigest: report,
        witnessIndexes: 0b110n,
        witnessed: true,
      });
      expectEvent(logs, "MetadataUpdate", { _tokenId: tokenId }, 1);
      const c = await f.lens.read.commitment([tokenId]);
      expect(c.witnessed).to.equal(1);
      expect(c.witnessedRounds).to.equal(1n);
      expect(c.reportedRounds).to.equal(1n);
      expect((await f.lens.read.roundStates([tokenId]))[0]).to.equal(RoundState.Witnessed);
      // Nothing waits for witnesses: no storage is left behind.
      expect(await f.troth.read.pendingReport([tokenId, 0])).to.deep.equal([`0x${"0".repeat(64)}`, 0n]);
      expect(await f.lens.read.pendingCheckIn([tokenId, 0])).to.deep.equal([`0x${"0".repeat(64)}`, []]);
    });

    it("is reported, waiting for quorum, with fewer witnesses; a later witness completes it", async () => {
      const { tokenId } = await pod();
      const report = f.reportOf(tokenId, 0);
      const witnesses = await f.witnessSignatures(tokenId, 0, report, [w2]);
      const logs = await f.eventsOf(way.checkIn(f, holder, tokenId, 0, report, witnesses));
      expectEvent(logs, "CheckedIn", {
        tokenId,
        round: 0,
        reportDigest: report,
        witnessIndexes: 0b100n,
        witnessed: false,
      });
      expect((await f.lens.read.roundStates([tokenId]))[0]).to.equal(RoundState.Reported);
      expect(await f.troth.read.pendingReport([tokenId, 0])).to.deep.equal([report, 1n << 2n]);
      const [pendingDigest, pendingWitnesses] = await f.lens.read.pendingCheckIn([tokenId, 0]);
      expect(pendingDigest).to.equal(report);
      expectEqual(pendingWitnesses, [w2]);
      const done = await f.eventsOf(f.troth.write.witness([tokenId, 0, report], { account: w1 }));
      expectEvent(done, "CheckInWitnessed", { tokenId, round: 0, witness: w1, witnessed: true }, 1);
      expect((await f.lens.read.roundStates([tokenId]))[0]).to.equal(RoundState.Witnessed);
    });

    it("is reported with no witnesses at all", async () => {
      const { tokenId } = await pod();
      const report = f.reportOf(tokenId, 0);
      const logs = await f.eventsOf(way.checkIn(f, holder, tokenId, 0, report, "0x"));
      expectEvent(logs, "CheckedIn", { tokenId, round: 0, witnessIndexes: 0n, witnessed: false }, 1);
      expect(await f.troth.read.pendingReport([tokenId, 0])).to.deep.equal([report, 0n]);
      const c = await f.lens.read.commitment([tokenId]);
      expect(c.reportedRounds).to.equal(1n);
      expect(c.witnessedRounds).to.equal(0n);
    });

    it("counts witnesses past quorum too", async () => {
      const [, a, b, c] = f.accounts;
      const created = await f.createPod([holder, a, b, c], { quorum: 2 });
      await f.atRound(created.podId, 0);
      const tokenId = created.tokenIds[0];
      const report = f.reportOf(tokenId, 0);
      const witnesses = await f.witnessSignatures(tokenId, 0, report, [c, a, b]);
      const logs = await f.eventsOf(way.checkIn(f, holder, tokenId, 0, report, witnesses));
      expectEvent(logs, "CheckedIn", { witnessIndexes: 0b1110n, witnessed: true });
    });

    it("happens once per round", async () => {
      const { tokenId } = await pod();
      await f.eventsOf(way.checkIn(f, holder, tokenId, 0, f.reportOf(tokenId, 0), "0x"));
      await expectRevert(
        way.checkIn(f, holder, tokenId, 0, f.digest("a second report"), "0x"),
        "CheckInAlreadyReported",
        [tokenId, 0],
      );
    });

    it("needs a report: a zero digest names nothing", async () => {
      const { tokenId } = await pod();
      await expectRevert(way.checkIn(f, holder, tokenId, 0, zeroHash, "0x"), "CheckInEmptyReport", [tokenId, 0]);
    });

    it("is refused outside the round's window and past the cycle", async () => {
      const created = await f.createPod([holder, w1, w2], { quorum: 2 });
      const tokenId = created.tokenIds[0];
      await expectRevert(way.checkIn(f, holder, tokenId, 0, f.digest("early"), "0x"), "CheckInRoundNotOpen", [
        tokenId,
        0,
      ]);
      await f.atRound(created.podId, 0);
      await expectRevert(way.checkIn(f, holder, tokenId, 1, f.digest("next"), "0x"), "CheckInRoundNotOpen", [
        tokenId,
        1,
      ]);
      await expectRevert(way.checkIn(f, holder, tokenId, 13, f.digest("past"), "0x"), "CheckInRoundNotOpen", [
        tokenId,
        13,
      ]);
      await f.at((await f.window(created.podId, 0)).closesAt);
      await expectRevert(way.checkIn(f, holder, tokenId, 0, f.digest("late"), "0x"), "CheckInRoundNotOpen", [
        tokenId,
        0,
      ]);
    });

    it("is refused to anyone but the holder", async () => {
      const { tokenId } = await pod();
      const { attempt, error, args } = await way.impostor(f, holder, tokenId, 0, f.reportOf(tokenId, 0));
      await expectRevert(attempt, error, args);
    });

    it("is refused for a token that does not exist", async () => {
      const { podId } = await pod();
      const missing = (podId << 8n) | 9n;
      await expectRevert(way.checkIn(f, holder, missing, 0, f.digest("x"), "0x"), "ERC721NonexistentToken", [missing]);
    });

    it("is refused while the pod is paused", async () => {
      const { podId, tokenId } = await pod();
      await f.eventsOf(f.pause(podId));
      await expectRevert(way.checkIn(f, holder, tokenId, 0, f.reportOf(tokenId, 0), "0x"), "PodIsPaused", [podId]);
    });

    it("is refused once the holder has left", async () => {
      const { tokenId } = await pod();
      await f.eventsOf(f.send(holder, "leave", [tokenId]));
      await expectRevert(way.checkIn(f, holder, tokenId, 0, f.reportOf(tokenId, 0), "0x"), "CommitmentInactive", [
        tokenId,
      ]);
    });

    it("is refused in a pod dissolved below two members", async () => {
      const { podId, tokenId, tokenIds } = await pod();
      await f.eventsOf(f.troth.write.leave([tokenIds[1]], { account: w1 }));
      await f.eventsOf(f.troth.write.leave([tokenIds[2]], { account: w2 }));
      await expectRevert(way.checkIn(f, holder, tokenId, 0, f.reportOf(tokenId, 0), "0x"), "PodNotLive", [podId]);
    });

    describe("with a bad witness signature", () => {
      it("refuses the holder witnessing themselves", async () => {
        const { tokenId } = await pod();
        const report = f.reportOf(tokenId, 0);
        const witnesses = await f.witnessSignatures(tokenId, 0, report, [w1, holder]);
        await expectRevert(way.checkIn(f, holder, tokenId, 0, report, witnesses), "WitnessSelf", [tokenId, holder]);
      });

      it("refuses a witness who is not a member", async () => {
        const { podId, tokenId } = await pod();
        const report = f.reportOf(tokenId, 0);
        const witnesses = await f.witnessSignatures(tokenId, 0, report, [stranger]);
        await expectRevert(way.checkIn(f, holder, tokenId, 0, report, witnesses), "WitnessNotMember", [
          podId,
          stranger,
        ]);
      });

      it("refuses a witness who has left", async () => {
        const [, a, b, c] = f.accounts;
        const created = await f.createPod([holder, a, b, c], { quorum: 2 });
        await f.atRound(created.podId, 0);
        await f.eventsOf(f.troth.write.leave([created.tokenIds[3]], { account: c }));
        const tokenId = created.tokenIds[0];
        const report = f.reportOf(tokenId, 0);
        const witnesses = await f.witnessSignatures(tokenId, 0, report, [a, c]);
        await expectRevert(way.checkIn(f, holder, tokenId, 0, report, witnesses), "WitnessInactive", [
          created.podId,
          c,
        ]);
      });

      it("refuses the same witness twice", async () => {
        const { tokenId } = await pod();
        const report = f.reportOf(tokenId, 0);
        const witnesses = await f.witnessSignatures(tokenId, 0, report, [w1, w1]);
        await expectRevert(way.checkIn(f, holder, tokenId, 0, report, witnesses), "WitnessDuplicate", [tokenId, 0, w1]);
      });

      it.each([
        ["another report", (_t: bigint, _r: Hex, f: TrothFixture) => ({ reportDigest: f.digest("other") })],
        ["another round", () => ({ round: 1 })],
        ["another token", (t: bigint) => ({ tokenId: t + 1n })],
      ])("refuses a witness signature over %s", async (_name, change) => {
        const { tokenId } = await pod();
        const report = f.reportOf(tokenId, 0);
        const message = { tokenId, round: 0, reportDigest: report, ...change(tokenId, report, f) };
        const signature = await f.sign(f.walletOf(w1), "Witness", message);
        await expectRevert(
          way.checkIn(f, holder, tokenId, 0, report, encodeWitnessList([{ signer: w1, signature }])),
          "WitnessInvalidSignature",
          [tokenId, 0, w1],
        );
      });

      it.each([
        ["another chain", (f: TrothFixture) => ({ ...f.domain, chainId: f.chainId + 1 })],
        ["another contract", (f: TrothFixture) => ({ ...f.domain, verifyingContract: f.lens.address })],
      ])("refuses a witness signature made for %s", async (_name, otherDomain) => {
        const { tokenId } = await pod();
        const report = f.reportOf(tokenId, 0);
        const message = { tokenId, round: 0, reportDigest: report };
        const signature = await f.sign(f.walletOf(w1), "Witness", message, otherDomain(f));
        await expectRevert(
          way.checkIn(f, holder, tokenId, 0, report, encodeWitnessList([{ signer: w1, signature }])),
          "WitnessInvalidSignature",
          [tokenId, 0, w1],
        );
      });

      it("refuses one member's signature presented as another's", async () => {
        const { tokenId } = await pod();
        const report = f.reportOf(tokenId, 0);
        const [byW2] = await f.witnessEntries(tokenId, 0, report, [w2]);
        await expectRevert(
          way.checkIn(f, holder, tokenId, 0, report, encodeWitnessList([{ signer: w1, signature: byW2.signature }])),
          "WitnessInvalidSignature",
          [tokenId, 0, w1],
        );
      });

      it("refuses an empty witness signature without an on-chain approval", async () => {
        const { tokenId } = await pod();
        await expectRevert(
          way.checkIn(
            f,
            holder,
            tokenId,
            0,
            f.reportOf(tokenId, 0),
            encodeWitnessList([{ signer: w1, signature: "0x" }]),
          ),
          "WitnessInvalidSignature",
          [tokenId, 0, w1],
        );
      });
    });
  });
}

/** One way for a partner to witness a check-in that is waiting for witnesses. */
type WitnessWay = {
  name: string;
  /** Three partners of the holder (EOAs or ERC-1271 wallets). */
  partners(f: TrothFixture): Promise<Address[]>;
  /** `witness` attests `report` for (token, round). */
  attest(f: TrothFixture, witness: Address, tokenId: bigint, round: number, report: Hex): Promise<Hash>;
  /** The error when a witness attests another report than the one checked in. */
  mismatch(tokenId: bigint, round: number, reported: Hex, attested: Hex, witness: Address): [string, unknown[]];
};

const byTransaction: WitnessWay["attest"] = (f, witness, tokenId, round, report) =>
  f.send(witness, "witness", [tokenId, round, report]);

const bySignature: WitnessWay["attest"] = async (f, witness, tokenId, round, report) =>
  f.troth.write.witnessBySig([tokenId, round, await f.witnessSignatures(tokenId, round, report, [witness])], {
    account: f.accounts[RELAYER],
  });

const witnessWays: WitnessWay[] = [
  {
    name: "the witness's transaction",
    partners: async (f) => f.accounts.slice(1, 4),
    attest: byTransaction,
    mismatch: (tokenId, round, reported, attested) => ["CheckInReportMismatch", [tokenId, round, reported, attested]],
  },
  {
    name: "the witness's signature, submitted by another account",
    partners: async (f) => f.accounts.slice(1, 4),
    attest: bySignature,
    mismatch: (tokenId, round, _reported, _attested, witness) => ["WitnessInvalidSignature", [tokenId, round, witness]],
  },
  {
    name: "the witness's on-chain approval and an empty signature, submitted by another account",
    partners: async (f) => f.accounts.slice(1, 4),
    attest: async (f, witness, tokenId, round, report) => {
      await f.eventsOf(
        f.send(witness, "approveHash", [f.typedDigest("Witness", { tokenId, round, reportDigest: report })]),
      );
      return f.troth.write.witnessBySig([tokenId, round, encodeWitnessList([{ signer: witness, signature: "0x" }])], {
        account: f.accounts[RELAYER],
      });
    },
    mismatch: (tokenId, round, _reported, _attested, witness) => ["WitnessInvalidSignature", [tokenId, round, witness]],
  },
  {
    name: "an ERC-1271 wallet's transaction",
    partners: async (f) =>
      Promise.all(f.accounts.slice(1, 4).map(async (owner) => (await f.deployWallet(owner)).address)),
    attest: byTransaction,
    mismatch: (tokenId, round, reported, attested) => ["CheckInReportMismatch", [tokenId, round, reported, attested]],
  },
  {
    name: "an ERC-1271 wallet's signature, submitted by another account",
    partners: async (f) =>
      Promise.all(f.accounts.slice(1, 4).map(async (owner) => (await f.deployWallet(owner)).address)),
    attest: bySignature,
    mismatch: (tokenId, round, _reported, _attested, witness) => ["WitnessInvalidSignature", [tokenId, round, witness]],
  },
];

function shouldWitness(way: WitnessWay) {
  describe(`witness by ${way.name}`, () => {
    let f: TrothFixture;
    let holder: Address;
    let partners: Address[];
    let stranger: Address;
    beforeAll(async () => {
      f = await deployTroth();
      holder = f.accounts[0];
      partners = await way.partners(f);
      stranger = f.accounts[STRANGER];
    });

    /** A pod of the holder and three partners, quorum 2, whose holder checked in for round 0 without witnesses. */
    async function reported(overrides = {}) {
      const created = await f.createPod([holder, ...partners], { quorum: 2, ...overrides });
      await f.atRound(created.podId, 0);
      const tokenId = created.tokenIds[0];
      const report = f.reportOf(tokenId, 0);
      await f.eventsOf(f.checkIn(holder, tokenId, 0, [], report));
      return { ...created, tokenId, report };
    }

    it("completes a pending check-in once quorum is reached", async () => {
      const [p1, p2] = partners;
      const { tokenId, report } = await reported();
      let logs = await f.eventsOf(way.attest(f, p1, tokenId, 0, report));
      expectEvent(logs, "CheckInWitnessed", { tokenId, round: 0, witness: p1, witnessed: false }, 1);
      expect(logs.map((l) => l.eventName)).to.not.include("MetadataUpdate");
      expect((await f.lens.read.roundStates([tokenId]))[0]).to.equal(RoundState.Reported);
      expectEqual((await f.lens.read.pendingCheckIn([tokenId, 0]))[1], [p1]);
      expect(await f.troth.read.pendingReport([tokenId, 0])).to.deep.equal([report, 1n << 1n]);
      logs = await f.eventsOf(way.attest(f, p2, tokenId, 0, report));
      expectEvent(logs, "CheckInWitnessed", { tokenId, round: 0, witness: p2, witnessed: true }, 1);
      expectEvent(logs, "MetadataUpdate", { _tokenId: tokenId }, 1);
      expect((await f.lens.read.roundStates([tokenId]))[0]).to.equal(RoundState.Witnessed);
      expect(await f.troth.read.pendingReport([tokenId, 0])).to.deep.equal([`0x${"0".repeat(64)}`, 0n]);
      expect(await f.lens.read.pendingCheckIn([tokenId, 0])).to.deep.equal([`0x${"0".repeat(64)}`, []]);
    });

    it("completes it with one witness when the quorum is one", async () => {
      const { tokenId, report } = await reported({ quorum: 1 });
      const logs = await f.eventsOf(way.attest(f, partners[2], tokenId, 0, report));
      expectEvent(logs, "CheckInWitnessed", { witness: partners[2], witnessed: true }, 1);
      expect((await f.lens.read.commitment([tokenId])).witnessed).to.equal(1);
    });

    it("refuses the holder witnessing themselves", async () => {
      const { tokenId, report } = await reported();
      await expectRevert(way.attest(f, holder, tokenId, 0, report), "WitnessSelf", [tokenId, holder]);
    });

    it("refuses a witness who is not a member", async () => {
      const { podId, tokenId, report } = await reported();
      await expectRevert(way.attest(f, stranger, tokenId, 0, report), "WitnessNotMember", [podId, stranger]);
    });

    it("refuses a witness who has left", async () => {
      const { podId, tokenId, tokenIds, report } = await reported();
      await f.eventsOf(f.send(partners[2], "leave", [tokenIds[3]]));
      await expectRevert(way.attest(f, partners[2], tokenId, 0, report), "WitnessInactive", [podId, partners[2]]);
    });

    it("counts the same witness once", async () => {
      const { tokenId, report } = await reported();
      await f.eventsOf(way.attest(f, partners[0], tokenId, 0, report));
      if (way.attest === byTransaction) {
        await expectRevert(way.attest(f, partners[0], tokenId, 0, report), "WitnessDuplicate", [
          tokenId,
          0,
          partners[0],
        ]);
      } else {
        // A signature already recorded is skipped, so a relayer who sent part of a list first cannot make the rest
        // fail: the second submission records nothing new.
        const logs = await f.eventsOf(way.attest(f, partners[0], tokenId, 0, report));
        expectNoEvent(logs, "CheckInWitnessed");
      }
      expect((await f.lens.read.roundStates([tokenId]))[0]).to.equal(RoundState.Reported);
      expectEqual((await f.lens.read.pendingCheckIn([tokenId, 0]))[1], [partners[0]]);
    });

    it("refuses an attestation of another report", async () => {
      const { tokenId, report } = await reported();
      const other = f.digest("not what was checked in");
      const [error, args] = way.mismatch(tokenId, 0, report, other, partners[0]);
      await expectRevert(way.attest(f, partners[0], tokenId, 0, other), error, args);
    });

    it("refuses a round that was not checked in, or is already witnessed", async () => {
      const { tokenId, tokenIds, report } = await reported({ quorum: 1 });
      await expectRevert(way.attest(f, holder, tokenIds[1], 0, report), "CheckInNotPending", [tokenIds[1], 0]);
      await f.eventsOf(way.attest(f, partners[0], tokenId, 0, report));
      await expectRevert(way.attest(f, partners[1], tokenId, 0, report), "CheckInNotPending", [tokenId, 0]);
    });

    it("refuses a round that has closed", async () => {
      const { podId, tokenId, report } = await reported();
      await f.at((await f.window(podId, 0)).closesAt);
      await expectRevert(way.attest(f, partners[0], tokenId, 0, report), "CheckInRoundNotOpen", [tokenId, 0]);
      expect((await f.lens.read.roundStates([tokenId]))[0]).to.equal(RoundState.Missed);
    });

    it("completes a check-in made before a pause while the pod is paused", async () => {
      const { podId, tokenId, report } = await reported();
      await f.eventsOf(f.pause(podId));
      await f.eventsOf(way.attest(f, partners[0], tokenId, 0, report));
      // Paused long past the round's closing time: the pod clock stands still, so the round is still open.
      await f.at((await f.window(podId, 0)).closesAt + 30 * DAY);
      expect((await f.lens.read.roundStates([tokenId]))[0]).to.equal(RoundState.Paused);
      await f.eventsOf(way.attest(f, partners[1], tokenId, 0, report));
      expect((await f.lens.read.roundStates([tokenId]))[0]).to.equal(RoundState.Witnessed);
    });

    it("refuses a check-in whose holder has left", async () => {
      const { tokenId, report } = await reported();
      await f.eventsOf(f.troth.write.leave([tokenId], { account: holder }));
      await expectRevert(way.attest(f, partners[0], tokenId, 0, report), "CommitmentInactive", [tokenId]);
    });
  });
}

describe("Rounds", () => {
  for (const way of checkInWays) shouldCheckIn(way);
  for (const way of witnessWays) shouldWitness(way);

  describe("witnessBySig with several signatures", () => {
    let f: TrothFixture;
    beforeAll(async () => {
      f = await deployTroth();
    });

    async function reported(members: Address[], quorum: number) {
      const created = await f.createPod(members, { quorum });
      await f.atRound(created.podId, 0);
      const tokenId = created.tokenIds[0];
      const report = f.reportOf(tokenId, 0);
      await f.eventsOf(f.checkIn(members[0], tokenId, 0, [], report));
      return { ...created, tokenId, report };
    }

    it("reaches quorum in one call, one event per witness", async () => {
      const [a, b, c, d] = f.accounts;
      const { tokenId, report } = await reported([a, b, c, d], 3);
      const signatures = await f.witnessSignatures(tokenId, 0, report, [d, b, c]);
      const logs = await f.eventsOf(f.troth.write.witnessBySig([tokenId, 0, signatures], { account: f.accounts[9] }));
      for (const w of [d, b, c]) expectEvent(logs, "CheckInWitnessed", { tokenId, witness: w, witnessed: true }, 1);
      expect((await f.lens.read.commitment([tokenId])).witnessed).to.equal(1);
    });

    it("adds to the witnesses a check-in already has", async () => {
      const [a, b, c, d] = f.accounts;
      const { tokenId, report } = await reported([a, b, c, d], 3);
      await f.eventsOf(f.troth.write.witness([tokenId, 0, report], { account: c }));
      const signatures = await f.witnessSignatures(tokenId, 0, report, [b]);
      await f.eventsOf(f.troth.write.witnessBySig([tokenId, 0, signatures]));
      expectEqual((await f.lens.read.pendingCheckIn([tokenId, 0]))[1], [b, c]);
      const last = await f.witnessEntries(tokenId, 0, report, [c, d]);
      // c already witnessed: c's entry is skipped (unchecked), d's completes the round.
      const logs = await f.eventsOf(f.troth.write.witnessBySig([tokenId, 0, encodeWitnessList(last)]));
      expectEvent(logs, "CheckInWitnessed", { tokenId, witness: d, witnessed: true }, 1);
      expect((await f.lens.read.roundStates([tokenId]))[0]).to.equal(RoundState.Witnessed);
    });

    it("refuses a duplicate within one call", async () => {
      const [a, b, c, d] = f.accounts;
      const { tokenId, report } = await reported([a, b, c, d], 3);
      const signatures = await f.witnessSignatures(tokenId, 0, report, [b, b]);
      await expectRevert(f.troth.write.witnessBySig([tokenId, 0, signatures]), "WitnessDuplicate", [tokenId, 0, b]);
    });

    it("refuses a token that does not exist", async () => {
      const [a, b] = f.accounts;
      const { podId } = await reported([a, b], 1);
      const missing = (podId << 8n) | 5n;
      await expectRevert(f.troth.write.witnessBySig([missing, 0, "0x"]), "ERC721NonexistentToken", [missing]);
      await expectRevert(f.troth.write.witness([missing, 0, f.digest("x")], { account: b }), "ERC721NonexistentToken", [
        missing,
      ]);
    });
  });

  describe("what each call returns", () => {
    let f: TrothFixture;
    beforeAll(async () => {
      f = await deployTroth();
    });

    it("checkIn, checkInBySig, witness and witnessBySig return whether quorum was reached", async () => {
      const [a, b, c, d] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b, c, d], { quorum: 2 });
      await f.atRound(podId, 0);
      const [t0, t1] = tokenIds;
      const r0 = f.reportOf(t0, 0);
      const enough = await f.witnessSignatures(t0, 0, r0, [b, c]);
      expect((await f.troth.simulate.checkIn([t0, 0, r0, enough], { account: a })).result).to.equal(true);
      const one = await f.witnessSignatures(t0, 0, r0, [b]);
      expect((await f.troth.simulate.checkIn([t0, 0, r0, one], { account: a })).result).to.equal(false);
      await f.eventsOf(f.troth.write.checkIn([t0, 0, r0, "0x"], { account: a }));
      expect((await f.troth.simulate.witness([t0, 0, r0], { account: b })).result).to.equal(false);
      await f.eventsOf(f.troth.write.witness([t0, 0, r0], { account: b }));
      expect((await f.troth.simulate.witness([t0, 0, r0], { account: c })).result).to.equal(true);
      const byD = await f.witnessSignatures(t0, 0, r0, [d]);
      expect((await f.troth.simulate.witnessBySig([t0, 0, byD])).result).to.equal(true);

      const r1 = f.reportOf(t1, 0);
      const holder = await f.sign(f.walletOf(b), "CheckIn", { tokenId: t1, round: 0, reportDigest: r1 });
      const relayed = await f.troth.simulate.checkInBySig([t1, 0, r1, holder, "0x"], { account: d });
      expect(relayed.result).to.equal(false);
      await f.eventsOf(f.troth.write.checkInBySig([t1, 0, r1, holder, await f.witnessSignatures(t1, 0, r1, [a])]));
      const more = await f.witnessSignatures(t1, 0, r1, [c]);
      expect((await f.troth.simulate.witnessBySig([t1, 0, more])).result).to.equal(true);
    });

    it("createPod returns the pod id; addMember and replaceMember return the newcomer's token", async () => {
      const [a, b, c, d] = f.accounts;
      const covenant = await f.covenant([a, b]);
      const signatures = await f.signCovenant(covenant);
      const created = await f.troth.simulate.createPod([covenant, signatures]);
      expect(created.result).to.equal(await f.troth.read.podIdOf([covenant]));
      await f.eventsOf(f.troth.write.createPod([covenant, signatures]));
      const podId = created.result;
      const nc = f.newcomer(c);
      const { deadline, consents } = await f.consentsTo("AddMember", podId, nc, async () => [a, b, c], {});
      const added = await f.troth.simulate.addMember([podId, nc, deadline, consents]);
      expect(added.result).to.equal((podId << 8n) | 2n);
      await f.eventsOf(f.troth.write.addMember([podId, nc, deadline, consents]));
      const nd = f.newcomer(d);
      const replacement = await f.consentsTo(
        "ReplaceMember",
        podId,
        { replaced: b, ...nd },
        async () => [a, b, c, d],
        {},
      );
      const replaced = await f.troth.simulate.replaceMember([podId, b, nd, replacement.deadline, replacement.consents]);
      expect(replaced.result).to.equal((podId << 8n) | 3n);
    });
  });

  describe("the holder's CheckIn signature", () => {
    let f: TrothFixture;
    beforeAll(async () => {
      f = await deployTroth();
    });

    it.each([
      ["another report", (f: TrothFixture) => ({ reportDigest: f.digest("something else") }), undefined],
      ["another round", () => ({ round: 1 }), undefined],
      ["another token", (_f: TrothFixture, t: bigint) => ({ tokenId: t + 1n }), undefined],
      ["a Witness, not a CheckIn", () => ({}), "Witness" as const],
      ["another chain", () => ({}), "chain" as const],
      ["another contract", () => ({}), "contract" as const],
    ])("is refused when made over %s", async (_name, change, twist) => {
      const [a, b] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b]);
      await f.atRound(podId, 0);
      const t = tokenIds[0];
      const report = f.reportOf(t, 0);
      const message = { tokenId: t, round: 0, reportDigest: report, ...change(f, t) };
      const domain =
        twist === "chain"
          ? { ...f.domain, chainId: f.chainId + 1 }
          : twist === "contract"
            ? { ...f.domain, verifyingContract: f.lens.address }
            : f.domain;
      const signature = await f.sign(f.walletOf(a), twist === "Witness" ? "Witness" : "CheckIn", message, domain);
      const digest = f.typedDigest("CheckIn", { tokenId: t, round: 0, reportDigest: report });
      await expectRevert(
        f.troth.write.checkInBySig([t, 0, report, signature, "0x"], { account: b }),
        "ConsentInvalidSignature",
        [a, digest],
      );
    });

    it("replayed for the same round, adds only the witnesses it brings", async () => {
      const [a, b] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b]);
      await f.atRound(podId, 0);
      const t = tokenIds[0];
      const report = f.reportOf(t, 0);
      const signature = await f.sign(f.walletOf(a), "CheckIn", { tokenId: t, round: 0, reportDigest: report });
      await f.eventsOf(f.troth.write.checkInBySig([t, 0, report, signature, "0x"], { account: b }));
      const replay = await f.eventsOf(f.troth.write.checkInBySig([t, 0, report, signature, "0x"], { account: b }));
      expectNoEvent(replay, "CheckedIn");
      expectNoEvent(replay, "CheckInWitnessed");
      expect(await f.troth.read.pendingReport([t, 0])).to.deep.equal([report, 0n]);
    });
  });

  describe("packed witness lists", () => {
    let f: TrothFixture;
    beforeAll(async () => {
      f = await deployTroth();
    });

    async function open(quorum = 2) {
      const [a, b, c, d] = f.accounts;
      const created = await f.createPod([a, b, c, d], { quorum });
      await f.atRound(created.podId, 0);
      const tokenId = created.tokenIds[0];
      return { ...created, tokenId, report: f.reportOf(tokenId, 0), a, b, c, d };
    }

    it("reads ECDSA entries and length-prefixed entries alike, in any mix", async () => {
      const { tokenId, report, a, b, c, d } = await open(3);
      const [sb, sc] = await f.witnessEntries(tokenId, 0, report, [b, c]);
      const approved = f.typedDigest("Witness", { tokenId, round: 0, reportDigest: report });
      await f.eventsOf(f.troth.write.approveHash([approved], { account: d }));
      // b as a compact ECDSA entry, c's 65-byte signature as a length-prefixed entry, d by approval (length 0).
      const list = `0x${[ecdsaEntry(sb), signedEntry(sc), signedEntry({ signer: d, signature: "0x" })]
        .map((e) => e.slice(2))
        .join("")}` as Hex;
      const logs = await f.eventsOf(f.troth.write.checkIn([tokenId, 0, report, list], { account: a }));
      expectEvent(logs, "CheckedIn", { witnessIndexes: 0b1110n, witnessed: true }, 1);
    });

    it("reads a contract wallet's signature of any length", async () => {
      const [a, b] = f.accounts;
      const wallet = (await f.deployWallet(f.accounts[5])).address;
      const { podId, tokenIds } = await f.createPod([a, b, wallet]);
      await f.atRound(podId, 0);
      const report = f.reportOf(tokenIds[0], 0);
      const [entry] = await f.witnessEntries(tokenIds[0], 0, report, [wallet]);
      const logs = await f.eventsOf(
        f.troth.write.checkIn([tokenIds[0], 0, report, signedEntry(entry)], { account: a }),
      );
      expectEvent(logs, "CheckedIn", { witnessIndexes: 0b100n, witnessed: true }, 1);
    });

    it("refuses a malformed list, naming the offset where reading failed", async () => {
      const { tokenId, report, a, b, c } = await open();
      const [sb, sc] = await f.witnessEntries(tokenId, 0, report, [b, c]);
      const good = ecdsaEntry(sb);
      const cases: [string, Hex, bigint][] = [
        ["an unknown entry kind", `0x03${good.slice(4)}`, 0n],
        ["a truncated signer", good.slice(0, 2 + 2 * 20) as Hex, 0n],
        ["an ECDSA entry one byte short", good.slice(0, -2) as Hex, 0n],
        ["a length prefix cut off", `0x02${b.slice(2)}00`, 0n],
        ["a length past the end", signedEntry(sc).slice(0, -2) as Hex, 0n],
        ["trailing bytes after a good entry", `${good}00`, 86n],
        ["a bad second entry", `${good}${ecdsaEntry(sc).slice(2, -2)}`, 86n],
      ];
      for (const [name, list, offset] of cases) {
        const decoded = await expectRevert(
          f.troth.write.checkIn([tokenId, 0, report, list], { account: a }),
          "WitnessListMalformed",
        );
        expect(decoded.args, name).to.deep.equal([offset]);
      }
      await expectRevert(f.troth.write.witness([tokenId, 0, report], { account: b }), "CheckInNotPending", [
        tokenId,
        0,
      ]);
    });

    it("refuses a malformed list in witnessBySig too", async () => {
      const { tokenId, report, a, b } = await open();
      await f.eventsOf(f.troth.write.checkIn([tokenId, 0, report, "0x"], { account: a }));
      const [sb] = await f.witnessEntries(tokenId, 0, report, [b]);
      await expectRevert(
        f.troth.write.witnessBySig([tokenId, 0, ecdsaEntry(sb).slice(0, -2) as Hex]),
        "WitnessListMalformed",
        [0n],
      );
    });
  });

  describe("a member's rounds over a cycle", () => {
    let f: TrothFixture;
    beforeAll(async () => {
      f = await deployTroth();
    });

    it("checks in round after round, in the overlap of two open rounds too", async () => {
      const [a, b] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b], { rounds: 4 });
      const t = tokenIds[0];
      await f.atRound(podId, 0);
      await f.eventsOf(f.checkIn(a, t, 0, [b]));
      // In round 1's first day, round 0 is still in its grace: both are open.
      await f.atRound(podId, 1);
      await f.eventsOf(f.checkIn(b, tokenIds[1], 0, [a]));
      await f.eventsOf(f.checkIn(a, t, 1, [b]));
      // Once round 2 has closed unwitnessed, round 3 is the only one open.
      await f.atRound(podId, 3, 2 * DAY);
      await f.eventsOf(f.checkIn(a, t, 3, [b]));
      const states = await f.lens.read.roundStates([t]);
      expect(states).to.deep.equal([
        RoundState.Witnessed,
        RoundState.Witnessed,
        RoundState.Missed,
        RoundState.Witnessed,
      ]);
      const c = await f.lens.read.commitment([t]);
      expect(c.witnessedRounds).to.equal(0b1011n);
      expect(c.missed).to.equal(1);
      expect(c.currentStreak).to.equal(1);
      expect(c.longestStreak).to.equal(2);
    });

    it("records each round's bit in the member record", async () => {
      const [a, b] = f.accounts;
      const { podId, tokenIds } = await f.createPod([a, b], { rounds: 3, cadence: DAY, grace: 0 });
      await f.atRound(podId, 2);
      await f.eventsOf(f.checkIn(a, tokenIds[0], 2, []));
      const record = await f.troth.read.memberRecord([podId, a]);
      expect(record.reported).to.equal(0b100n);
      expect(record.witnessed).to.equal(0n);
      expect(await f.troth.read.memberRecord([podId, zeroAddress])).to.deep.include({ status: 0 });
    });
  });
});
