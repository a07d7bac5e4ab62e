/**
 * Creating a pod: covenant validation, and consent. The consent spec is written once and run for every way a member
 * can consent: signatures submitted by anyone, acceptCovenant one by one, approveHash with empty signatures, ERC-1271
 * wallets signing or sending, and a mix of all of them.
 */
import { type Covenant, podIdFromDigest, trothPrimaryTypes, trothTypes } from "@troth/sdk";
import {
  type Address,
  domainSeparator,
  encodeFunctionData,
  type Hash,
  type Hex,
  hashMessage,
  keccak256,
  toHex,
  zeroAddress,
} from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { expectEvent, expectRevert } from "../helpers/expect.ts";
import { DAY, deployTroth, HOUR, MemberStatus, PodStatus, type TrothFixture } from "../helpers/troth.ts";

/** One way for every member of a covenant to consent. */
type ConsentWay = {
  name: string;
  /** The members (EOAs or ERC-1271 wallets) this way uses. */
  members(f: TrothFixture): Promise<Address[]>;
  /** Every member consents; resolves to the transaction that created the pod. */
  consentAll(f: TrothFixture, c: Covenant): Promise<Hash>;
  /** Every member but `missing` consents, as far as the way goes (it may reject: that is the point). */
  consentAllBut(f: TrothFixture, c: Covenant, missing: number): Promise<unknown>;
  /** The revert of `consentAllBut`, if it reverts rather than wait for the missing consent. */
  missingConsentReverts: boolean;
  /** Tries to use the consents of an already created pod again. */
  replay(f: TrothFixture, c: Covenant): Promise<unknown>;
};

const RELAYER = 9; // a dev account that is never a member: anyone may submit a pod's signatures

async function signatures(f: TrothFixture, c: Covenant, skip = -1): Promise<Hex[]> {
  const all = await f.signCovenant(c);
  return all.map((s, i) => (i === skip ? "0x" : s));
}

async function approveAll(f: TrothFixture, c: Covenant, skip = -1): Promise<void> {
  const digest = f.typedDigest("Covenant", c);
  for (const [i, member] of c.members.entries()) {
    if (i !== skip) await f.eventsOf(f.send(member, "approveHash", [digest]));
  }
}

async function acceptAll(f: TrothFixture, c: Covenant, skip = -1): Promise<Hash> {
  let last: Hash = "0x";
  for (const [i, member] of c.members.entries()) {
    if (i === skip) continue;
    last = await f.send(member, "acceptCovenant", [c]);
    await f.eventsOf(last);
  }
  return last;
}

const ways: ConsentWay[] = [
  {
    name: "EOA signatures submitted by a relayer",
    members: async (f) => f.accounts.slice(0, 3),
    consentAll: async (f, c) => f.troth.write.createPod([c, await signatures(f, c)], { account: f.accounts[RELAYER] }),
    consentAllBut: async (f, c, missing) =>
      f.troth.write.createPod([c, await signatures(f, c, missing)], { account: f.accounts[RELAYER] }),
    missingConsentReverts: true,
    replay: async (f, c) => f.troth.write.createPod([c, await signatures(f, c)], { account: f.accounts[RELAYER] }),
  },
  {
    name: "acceptCovenant one by one",
    members: async (f) => f.accounts.slice(0, 3),
    consentAll: (f, c) => acceptAll(f, c),
    consentAllBut: (f, c, missing) => acceptAll(f, c, missing),
    missingConsentReverts: false,
    replay: (f, c) => f.send(c.members[0], "acceptCovenant", [c]),
  },
  {
    name: "approveHash and empty signatures",
    members: async (f) => f.accounts.slice(0, 3),
    consentAll: async (f, c) => {
      await approveAll(f, c);
      return f.troth.write.createPod([c, c.members.map(() => "0x")], { account: f.accounts[RELAYER] });
    },
    consentAllBut: async (f, c, missing) => {
      await approveAll(f, c, missing);
      return f.troth.write.createPod([c, c.members.map(() => "0x")], { account: f.accounts[RELAYER] });
    },
    missingConsentReverts: true,
    replay: (f, c) => f.troth.write.createPod([c, c.members.map(() => "0x")], { account: f.accounts[RELAYER] }),
  },
  {
    name: "ERC-1271 wallets' signatures",
    members: async (f) => [
      (await f.deployWallet(f.accounts[0])).address,
      f.accounts[1],
      (await f.deployWallet(f.accounts[2])).address,
    ],
    consentAll: async (f, c) => f.troth.write.createPod([c, await signatures(f, c)], { account: f.accounts[RELAYER] }),
    consentAllBut: async (f, c, missing) =>
      f.troth.write.createPod([c, await signatures(f, c, missing)], { account: f.accounts[RELAYER] }),
    missingConsentReverts: true,
    replay: async (f, c) => f.troth.write.createPod([c, await signatures(f, c)], { account: f.accounts[RELAYER] }),
  },
  {
    name: "ERC-1271 wallets accepting by transaction",
    members: async (f) => [
      (await f.deployWallet(f.accounts[3])).address,
      (await f.deployWallet(f.accounts[4])).address,
    ],
    consentAll: (f, c) => acceptAll(f, c),
    consentAllBut: (f, c, missing) => acceptAll(f, c, missing),
    missingConsentReverts: false,
    replay: (f, c) => f.send(c.members[1], "acceptCovenant", [c]),
  },
  {
    name: "a mix: a signature, an on-chain approval, a wallet's signature",
    members: async (f) => [f.accounts[0], f.accounts[1], (await f.deployWallet(f.accounts[2])).address],
    consentAll: async (f, c) => {
      const sigs = await signatures(f, c);
      await f.eventsOf(f.send(c.members[1], "approveHash", [f.typedDigest("Covenant", c)]));
      return f.troth.write.createPod([c, [sigs[0], "0x", sigs[2]]], { account: f.accounts[RELAYER] });
    },
    consentAllBut: async (f, c, missing) => {
      const sigs = await signatures(f, c, missing);
      if (missing !== 1) await f.eventsOf(f.send(c.members[1], "approveHash", [f.typedDigest("Covenant", c)]));
      return f.troth.write.createPod([c, [sigs[0], "0x", sigs[2]]], { account: f.accounts[RELAYER] });
    },
    missingConsentReverts: true,
    replay: async (f, c) => {
      const sigs = await signatures(f, c);
      return f.troth.write.createPod([c, [sigs[0], "0x", sigs[2]]], { account: f.accounts[RELAYER] });
    },
  },
];

/** The consent spec: what must hold however members consent. */
function shouldCreatePodWithConsent(way: ConsentWay) {
  describe(`consent by ${way.name}`, () => {
    let f: TrothFixture;
    let members: Address[];
    beforeAll(async () => {
      f = await deployTroth();
      members = await way.members(f);
    });

    it("creates the pod and mints every member's locked token once all consented", async () => {
      const c = await f.covenant(members, { quorum: members.length - 1 });
      const digest = await f.troth.read.hashCovenant([c]);
      const podId = podIdFromDigest(digest);
      const logs = await f.eventsOf(way.consentAll(f, c));
      expectEvent(
        logs,
        "PodCreated",
        {
          podId,
          previousPod: 0n,
          members: c.members,
          commitmentDigests: c.commitmentDigests,
          start: c.start,
          cadence: c.cadence,
          grace: c.grace,
          rounds: c.rounds,
          quorum: c.quorum,
          cycle: 1,
          covenantDigest: c.covenantDigest,
          keyringDigest: c.keyringDigest,
        },
        1,
      );
      for (const [i, member] of members.entries()) {
        const tokenId = (podId << 8n) | BigInt(i);
        expect((await f.troth.read.ownerOf([tokenId])).toLowerCase()).to.equal(member.toLowerCase());
        expect(await f.troth.read.commitmentDigestOf([tokenId])).to.equal(c.commitmentDigests[i]);
        const record = await f.troth.read.memberRecord([podId, member]);
        expect(record.status).to.equal(MemberStatus.Active);
        expect(record.index).to.equal(i);
        expect(record.cycle).to.equal(1);
        expectEvent(logs, "Locked", { tokenId }, 1);
      }
      const view = await f.lens.read.pod([podId]);
      expect(view.status).to.equal(PodStatus.Scheduled);
      expect(view.memberCount).to.equal(members.length);
      expect(view.activeCount).to.equal(members.length);
    });

    it("mints nothing while any one member has not consented", async () => {
      for (const missing of members.keys()) {
        const c = await f.covenant(members);
        const digest = await f.troth.read.hashCovenant([c]);
        const podId = podIdFromDigest(digest);
        const attempt = way.consentAllBut(f, c, missing);
        if (way.missingConsentReverts) {
          await expectRevert(attempt, "ConsentInvalidSignature", [members[missing], digest]);
        } else {
          await attempt;
        }
        await expectRevert(f.troth.read.podState([podId]), "PodNonexistent", [podId]);
        for (const i of members.keys()) {
          expect(await f.troth.read.holderOf([(podId << 8n) | BigInt(i)])).to.equal(zeroAddress);
        }
      }
    });

    it("never uses a covenant's consent twice", async () => {
      const c = await f.covenant(members);
      const podId = podIdFromDigest(await f.troth.read.hashCovenant([c]));
      await f.eventsOf(way.consentAll(f, c));
      await expectRevert(way.replay(f, c), "PodAlreadyExists", [podId]);
    });

    it("refuses consent after the covenant's deadline", async () => {
      const deadline = BigInt((await f.now()) + 10 * 60);
      const c = await f.covenant(members, { deadline });
      await f.at(Number(deadline) + 1);
      const { args } = await expectRevert(way.consentAll(f, c), "ConsentExpired");
      expect(args[0]).to.equal(deadline);
      expect(Number(args[1])).to.be.above(Number(deadline));
    });
  });
}

describe("Pod creation", () => {
  for (const way of ways) shouldCreatePodWithConsent(way);

  describe("signatures", () => {
    let f: TrothFixture;
    let a: Address;
    let b: Address;
    let c3: Address;
    beforeAll(async () => {
      f = await deployTroth();
      [a, b, c3] = f.accounts;
    });

    it("hashes covenants as the SDK's EIP-712 types do, on this chain and contract", async () => {
      const c = await f.covenant([a, b]);
      const digest = await f.troth.read.hashCovenant([c]);
      expect(digest).to.equal(f.typedDigest("Covenant", c));
      expect(await f.troth.read.podIdOf([c])).to.equal(BigInt(digest) >> 8n);
      expect(await f.troth.read.DOMAIN_SEPARATOR()).to.equal(domainSeparator({ domain: f.domain }));
    });

    it("publishes its EIP-712 domain (ERC-5267)", async () => {
      const [fields, name, version, chainId, verifyingContract, salt, extensions] = await f.troth.read.eip712Domain();
      expect(fields).to.equal("0x0f"); // name, version, chainId, verifyingContract
      expect([name, version, chainId]).to.deep.equal(["Troth", "1", BigInt(f.chainId)]);
      expect(verifyingContract.toLowerCase()).to.equal(f.troth.address.toLowerCase());
      expect(salt).to.equal(`0x${"0".repeat(64)}`);
      expect(extensions).to.deep.equal([]);
    });

    it("publishes the typehash of every signed struct, in order", async () => {
      const expected = trothPrimaryTypes.map((name) => {
        const fields = trothTypes[name].map((field) => `${field.type} ${field.name}`).join(",");
        return keccak256(toHex(`${name}(${fields})`));
      });
      expect(await f.troth.read.typehashes()).to.deep.equal(expected);
    });

    it("gives distinct pods to covenants that differ only by salt", async () => {
      const c = await f.covenant([a, b]);
      const other = { ...c, salt: f.digest("another salt") };
      expect(await f.troth.read.podIdOf([c])).to.not.equal(await f.troth.read.podIdOf([other]));
    });

    it.each([
      ["another chain", (f: TrothFixture) => ({ ...f.domain, chainId: f.chainId + 1 })],
      ["another contract", (f: TrothFixture) => ({ ...f.domain, verifyingContract: f.lens.address })],
      ["another version", (f: TrothFixture) => ({ ...f.domain, version: "2" })],
    ])("rejects a covenant signature made for %s", async (_name, otherDomain) => {
      for (const signer of [b, (await f.deployWallet(b)).address]) {
        const c = await f.covenant([a, signer]);
        const digest = await f.troth.read.hashCovenant([c]);
        const [ours] = await f.signCovenant(c);
        const theirs = await f.sign(f.walletOf(signer), "Covenant", c, otherDomain(f));
        await expectRevert(f.troth.write.createPod([c, [ours, theirs]]), "ConsentInvalidSignature", [signer, digest]);
      }
    });

    it("rejects signatures in the wrong order, and a stranger's signature", async () => {
      const c = await f.covenant([a, b]);
      const digest = await f.troth.read.hashCovenant([c]);
      const [sigA, sigB] = await f.signCovenant(c);
      await expectRevert(f.troth.write.createPod([c, [sigB, sigA]]), "ConsentInvalidSignature", [a, digest]);
      const stranger = await f.sign(f.walletOf(c3), "Covenant", c);
      await expectRevert(f.troth.write.createPod([c, [sigA, stranger]]), "ConsentInvalidSignature", [b, digest]);
    });

    it("rejects a signature over a different covenant", async () => {
      const c = await f.covenant([a, b]);
      const other = { ...c, quorum: 1, rounds: 12 };
      const digest = await f.troth.read.hashCovenant([c]);
      const [sigA] = await f.signCovenant(c);
      const [, otherB] = await f.signCovenant(other);
      await expectRevert(f.troth.write.createPod([c, [sigA, otherB]]), "ConsentInvalidSignature", [b, digest]);
    });

    it("needs exactly one signature per member", async () => {
      const c = await f.covenant([a, b, c3]);
      const sigs = await f.signCovenant(c);
      await expectRevert(f.troth.write.createPod([c, sigs.slice(0, 2)]), "ConsentCountMismatch", [3n, 2n]);
      await expectRevert(f.troth.write.createPod([c, [...sigs, sigs[0]]]), "ConsentCountMismatch", [3n, 4n]);
      await expectRevert(f.troth.write.createPod([c, []]), "ConsentCountMismatch", [3n, 0n]);
    });

    it("takes consent up to the deadline's last second, not one second more", async () => {
      const deadline = BigInt((await f.now()) + HOUR);
      const late = await f.covenant([a, b], { deadline });
      const lateSigs = await f.signCovenant(late);
      const onTime = await f.covenant([a, b], { deadline });
      const onTimeSigs = await f.signCovenant(onTime);
      await f.atNext(Number(deadline));
      await f.eventsOf(f.troth.write.createPod([onTime, onTimeSigs]));
      await f.atNext(Number(deadline) + 1);
      await expectRevert(f.troth.write.createPod([late, lateSigs]), "ConsentExpired", [deadline, deadline + 1n]);
    });

    it("does not count an approval of another digest", async () => {
      const c = await f.covenant([a, b]);
      const digest = await f.troth.read.hashCovenant([c]);
      const [sigA] = await f.signCovenant(c);
      await f.eventsOf(f.troth.write.approveHash([f.digest("something else")], { account: b }));
      await expectRevert(f.troth.write.createPod([c, [sigA, "0x"]]), "ConsentInvalidSignature", [b, digest]);
    });

    it("uses an ERC-1271 wallet mock that vouches for its owner only, and sends for its owner only", async () => {
      const wallet = await f.deployWallet(a);
      const digest = f.digest("anything");
      const byOwner = await f.wallets[0].signMessage({ message: { raw: digest } });
      const hash = hashMessage({ raw: digest });
      expect(await wallet.read.isValidSignature([hash, byOwner])).to.equal("0x1626ba7e");
      const byOther = await f.walletOf(b).signMessage({ account: b, message: { raw: digest } });
      expect(await wallet.read.isValidSignature([hash, byOther])).to.equal("0xffffffff");
      expect(await wallet.read.isValidSignature([hash, "0x1234"])).to.equal("0xffffffff");
      const data = encodeFunctionData({ abi: f.troth.abi, functionName: "approveHash", args: [digest] });
      await expectRevert(
        wallet.write.execute([f.troth.address, data], { account: b }),
        "ERC1271WalletMockUnauthorized",
        [b],
      );
      await f.eventsOf(wallet.write.execute([f.troth.address, data], { account: a }));
      expect(await f.troth.read.isHashApproved([wallet.address, digest])).to.equal(true);
    });

    it("records on-chain approvals, each one announced", async () => {
      const digest = f.digest(`approval:${Math.random()}`);
      expect(await f.troth.read.isHashApproved([b, digest])).to.equal(false);
      const logs = await f.eventsOf(f.troth.write.approveHash([digest], { account: b }));
      expectEvent(logs, "HashApproved", { signer: b, digest }, 1);
      expect(await f.troth.read.isHashApproved([b, digest])).to.equal(true);
      expect(await f.troth.read.isHashApproved([a, digest])).to.equal(false);
    });
  });

  describe("acceptCovenant", () => {
    let f: TrothFixture;
    beforeAll(async () => {
      f = await deployTroth();
    });

    it("records each acceptance and creates the pod with the last one", async () => {
      const [a, b, c3] = f.accounts;
      const c = await f.covenant([a, b, c3]);
      const digest = await f.troth.read.hashCovenant([c]);
      const podId = podIdFromDigest(digest);
      // The return value says whether this acceptance completed the pod.
      const first = await f.troth.simulate.acceptCovenant([c], { account: b });
      expect(first.result).to.deep.equal([podId, false]);
      let logs = await f.eventsOf(f.troth.write.acceptCovenant([c], { account: b }));
      expectEvent(logs, "CovenantAccepted", { podId, member: b }, 1);
      expect(logs.map((l) => l.eventName)).to.not.include("PodCreated");
      expect(await f.troth.read.isHashApproved([b, digest])).to.equal(true);
      // Accepting again changes nothing.
      await f.eventsOf(f.troth.write.acceptCovenant([c], { account: b }));
      await f.eventsOf(f.troth.write.acceptCovenant([c], { account: c3 }));
      const last = await f.troth.simulate.acceptCovenant([c], { account: a });
      expect(last.result).to.deep.equal([podId, true]);
      logs = await f.eventsOf(f.troth.write.acceptCovenant([c], { account: a }));
      expectEvent(logs, "CovenantAccepted", { podId, member: a }, 1);
      expectEvent(logs, "PodCreated", { podId }, 1);
      await expectRevert(f.troth.write.acceptCovenant([c], { account: b }), "PodAlreadyExists", [podId]);
    });

    it("is refused to anyone who is not a member of the covenant", async () => {
      const [a, b, stranger] = f.accounts;
      const c = await f.covenant([a, b]);
      const podId = await f.troth.read.podIdOf([c]);
      await expectRevert(f.troth.write.acceptCovenant([c], { account: stranger }), "PodNotMember", [podId, stranger]);
    });

    it("completes a pod whose other members approved the digest or accepted", async () => {
      const [a, b, c3] = f.accounts;
      const c = await f.covenant([a, b, c3]);
      const digest = await f.troth.read.hashCovenant([c]);
      await f.eventsOf(f.troth.write.approveHash([digest], { account: a }));
      await f.eventsOf(f.troth.write.acceptCovenant([c], { account: c3 }));
      const logs = await f.eventsOf(f.troth.write.acceptCovenant([c], { account: b }));
      expectEvent(logs, "PodCreated", { podId: podIdFromDigest(digest) }, 1);
    });

    it("lets an accepted covenant be completed by signatures instead", async () => {
      const [a, b] = f.accounts;
      const c = await f.covenant([a, b]);
      await f.eventsOf(f.troth.write.acceptCovenant([c], { account: a }));
      const [, sigB] = await f.signCovenant(c);
      const logs = await f.eventsOf(f.troth.write.createPod([c, ["0x", sigB]], { account: f.accounts[RELAYER] }));
      expectEvent(logs, "PodCreated", { podId: await f.troth.read.podIdOf([c]) }, 1);
    });
  });

  describe("covenant terms", () => {
    let f: TrothFixture;
    beforeAll(async () => {
      f = await deployTroth();
    });

    /** Each bad covenant is refused the same way by createPod and by acceptCovenant. */
    const entries = [
      ["createPod", (f: TrothFixture, c: Covenant) => f.troth.write.createPod([c, c.members.map(() => "0x")])],
      [
        "acceptCovenant",
        (f: TrothFixture, c: Covenant) =>
          f.troth.write.acceptCovenant([c], { account: c.members[0] === zeroAddress ? c.members[1] : c.members[0] }),
      ],
    ] as const;

    const invalid: [string, (f: TrothFixture) => Promise<{ c: Covenant; error: string; args: unknown[] }>][] = [
      [
        "one member",
        async (f) => ({ c: await f.covenant(f.accounts.slice(0, 1)), error: "PodInvalidMemberCount", args: [1n] }),
      ],
      [
        "nine members",
        async (f) => ({
          c: await f.covenant(f.accounts.slice(0, 9)),
          error: "PodInvalidMemberCount",
          args: [9n],
        }),
      ],
      [
        "a commitment digest missing",
        async (f) => {
          const c = await f.covenant(f.accounts.slice(0, 2));
          return {
            c: { ...c, commitmentDigests: c.commitmentDigests.slice(0, 1) },
            error: "PodCommitmentCountMismatch",
            args: [2n, 1n],
          };
        },
      ],
      [
        "no rounds",
        async (f) => ({
          c: await f.covenant(f.accounts.slice(0, 2), { rounds: 0 }),
          error: "PodInvalidRounds",
          args: [0],
        }),
      ],
      [
        "65 rounds",
        async (f) => ({
          c: await f.covenant(f.accounts.slice(0, 2), { rounds: 65, cadence: DAY, grace: 0 }),
          error: "PodInvalidRounds",
          args: [65],
        }),
      ],
      [
        "a cadence one second under a day",
        async (f) => ({
          c: await f.covenant(f.accounts.slice(0, 2), { cadence: DAY - 1, grace: 0 }),
          error: "PodInvalidCadence",
          args: [DAY - 1],
        }),
      ],
      [
        "a cadence one second over 92 days (a quarter)",
        async (f) => ({
          c: await f.covenant(f.accounts.slice(0, 2), { cadence: 92 * DAY + 1 }),
          error: "PodInvalidCadence",
          args: [92 * DAY + 1],
        }),
      ],
      [
        "a grace one second longer than the cadence",
        async (f) => ({
          c: await f.covenant(f.accounts.slice(0, 2), { cadence: 7 * DAY, grace: 7 * DAY + 1 }),
          error: "PodInvalidGrace",
          args: [7 * DAY + 1, 7 * DAY],
        }),
      ],
      [
        "a quorum of zero",
        async (f) => ({
          c: await f.covenant(f.accounts.slice(0, 3), { quorum: 0 }),
          error: "PodInvalidQuorum",
          args: [0, 2n],
        }),
      ],
      [
        "a quorum as large as the pod (a member cannot witness themselves)",
        async (f) => ({
          c: await f.covenant(f.accounts.slice(0, 3), { quorum: 3 }),
          error: "PodInvalidQuorum",
          args: [3, 2n],
        }),
      ],
      [
        "the zero address as a member",
        async (f) => ({
          c: await f.covenant([f.accounts[0], zeroAddress]),
          error: "PodInvalidMember",
          args: [zeroAddress],
        }),
      ],
      [
        "a member twice",
        async (f) => ({
          c: await f.covenant([f.accounts[0], f.accounts[1], f.accounts[0]]),
          error: "PodDuplicateMember",
          args: [f.accounts[0]],
        }),
      ],
      [
        "a back-dated start (a cycle that would be over before it is lived)",
        async (f) => {
          const now = await f.now();
          const start = now - 9 * DAY;
          return {
            c: await f.covenant(f.accounts.slice(0, 2), { start, rounds: 1 }),
            error: "PodStartInPast",
            // The next block is one second later than the latest.
            args: [start, BigInt(now + 1 - HOUR)],
          };
        },
      ],
      [
        "a deadline already passed",
        async (f) => {
          const deadline = BigInt((await f.now()) - 1);
          const c = await f.covenant(f.accounts.slice(0, 2), { deadline });
          return { c, error: "ConsentExpired", args: [deadline] };
        },
      ],
    ];

    for (const [entry, submit] of entries) {
      describe(entry, () => {
        it.each(invalid)("refuses %s", async (_name, make) => {
          const { c, error, args } = await make(f);
          const decoded = await expectRevert(submit(f, c), error);
          // ConsentExpired also names the block's time: compare the deadline, and that the time is past it.
          if (error === "ConsentExpired") {
            expect(decoded.args[0]).to.equal(args[0]);
            expect(Number(decoded.args[1])).to.be.above(Number(args[0]));
          } else {
            await expectRevert(submit(f, c), error, args);
          }
        });
      });
    }

    it("refuses a renewal of a pod that does not exist, when the pod would be created", async () => {
      const [a, b] = f.accounts;
      const c = await f.covenant([a, b], { previousPod: 12345n });
      await expectRevert(f.troth.write.createPod([c, await f.signCovenant(c)]), "PodNonexistent", [12345n]);
      // By transaction, the lineage is checked when the last acceptance creates the pod.
      await f.eventsOf(f.troth.write.acceptCovenant([c], { account: a }));
      await expectRevert(f.troth.write.acceptCovenant([c], { account: b }), "PodNonexistent", [12345n]);
    });

    it("accepts the edges of every term", async () => {
      const [a, b, c3] = f.accounts;
      const edges: Partial<Covenant>[] = [
        { cadence: DAY, grace: DAY, rounds: 1, quorum: 2 },
        { cadence: 35 * DAY, grace: 35 * DAY, rounds: 64, quorum: 1 },
        { cadence: DAY, grace: 0 },
      ];
      for (const terms of edges) {
        const { podId } = await f.createPod([a, b, c3], terms);
        const state = await f.troth.read.podState([podId]);
        expect(state.cadence).to.equal(terms.cadence);
        expect(state.grace).to.equal(terms.grace);
      }
      const eight = await f.createPod(f.accounts.slice(0, 8), { quorum: 7 });
      expect((await f.lens.read.pod([eight.podId])).memberCount).to.equal(8);
    });

    it("accepts a start up to an hour before the creating block, and not one second earlier", async () => {
      // The tolerance lets the SDK default the start to the moment a covenant is drafted while signatures arrive.
      const [a, b] = f.accounts;
      const now = await f.now();
      const creation = now + 100;
      const start = creation - HOUR;
      const edge = await f.covenant([a, b], { start });
      const edgeSigs = await f.signCovenant(edge);
      const early = await f.covenant([a, b], { start: start - 1 });
      const earlySigs = await f.signCovenant(early);
      await f.atNext(creation);
      const logs = await f.eventsOf(f.troth.write.createPod([edge, edgeSigs]));
      const podId = (expectEvent(logs, "PodCreated").args as { podId: bigint }).podId;
      expect((await f.lens.read.pod([podId])).status).to.equal(PodStatus.Active);
      await f.atNext(creation + 1);
      await expectRevert(f.troth.write.createPod([early, earlySigs]), "PodStartInPast", [start - 1, BigInt(start + 1)]);
      // By transaction, the start is checked when each member accepts.
      await expectRevert(f.troth.write.acceptCovenant([early], { account: a }), "PodStartInPast");
    });
  });
});
