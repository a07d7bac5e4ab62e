/**
 * Consent-gated changes to a live pod (pause, resume, amend, add a member, replace a member): every active member
 * consents, in token order (the newcomer last). One spec, run for each change and each way to consent: EOA signatures,
 * on-chain approvals with empty signatures, ERC-1271 wallets' signatures and wallets' approvals; a relayer submits.
 */
import type { TrothPrimaryType } from "@troth/sdk";
import type { Address, Hash, Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { expectEvent, expectRevert } from "../helpers/expect.ts";
import {
  type ConsentOptions,
  DAY,
  deployTroth,
  type Newcomer,
  type Signature,
  type TrothFixture,
} from "../helpers/troth.ts";

const RELAYER = 9;
const STRANGER = 8;

/** One way for members to consent. */
type ConsentWay = {
  name: string;
  /** Three founding members and a newcomer (EOAs or ERC-1271 wallets). */
  accounts(f: TrothFixture): Promise<{ members: Address[]; newcomer: Address }>;
  /** How one signer consents; undefined for an EIP-712 signature. */
  consent?: (f: TrothFixture) => NonNullable<ConsentOptions["consent"]>;
};

const approve =
  (f: TrothFixture) => async (signer: Address, type: TrothPrimaryType, message: Record<string, unknown>) => {
    await f.eventsOf(f.send(signer, "approveHash", [f.typedDigest(type, message)]));
    return "0x" as Hex;
  };

const wallets = async (f: TrothFixture, owners: number[]) =>
  Promise.all(owners.map(async (i) => (await f.deployWallet(f.accounts[i])).address));

const ways: ConsentWay[] = [
  {
    name: "EOA signatures",
    accounts: async (f) => ({ members: f.accounts.slice(0, 3), newcomer: f.accounts[3] }),
  },
  {
    name: "on-chain approvals and empty signatures",
    accounts: async (f) => ({ members: f.accounts.slice(0, 3), newcomer: f.accounts[3] }),
    consent: approve,
  },
  {
    name: "ERC-1271 wallets' signatures",
    accounts: async (f) => {
      const [w0, w2, w3] = await wallets(f, [0, 2, 3]);
      return { members: [w0, f.accounts[1], w2], newcomer: w3 };
    },
  },
  {
    name: "ERC-1271 wallets' on-chain approvals",
    accounts: async (f) => {
      const [w0, w1, w2, w3] = await wallets(f, [0, 1, 2, 3]);
      return { members: [w0, w1, w2], newcomer: w3 };
    },
    consent: approve,
  },
];

/** One consent-gated change. */
type Change = {
  name: string;
  primaryType: TrothPrimaryType;
  /** Brings the pod to where the change applies (a pod must be paused to resume). */
  setup?(f: TrothFixture, podId: bigint): Promise<void>;
  /** The signed fields besides podId, nonce and deadline. */
  fields(f: TrothFixture, podId: bigint, members: Address[], newcomer: Address): Record<string, unknown>;
  /** Who must consent, in order. */
  expected(members: Address[], newcomer: Address): Address[];
  submit(
    f: TrothFixture,
    podId: bigint,
    fields: Record<string, unknown>,
    deadline: bigint,
    consents: Signature[],
  ): Promise<Hash>;
  /** The event the change emits. */
  event: string;
};

const amendment = (f: TrothFixture) => ({
  cadence: 10 * DAY,
  grace: DAY,
  quorum: 2,
  covenantDigest: f.digest("amended covenant"),
});

const newcomerOf = (f: TrothFixture, member: Address): Newcomer => ({
  member,
  commitmentDigest: f.digest(`commitment:${member}`),
  keyringDigest: f.digest(`keyring with ${member}`),
});

const changes: Change[] = [
  {
    name: "pause",
    primaryType: "Pause",
    fields: () => ({}),
    expected: (members) => members,
    submit: (f, podId, _fields, deadline, consents) =>
      f.troth.write.pause([podId, deadline, consents], { account: f.accounts[RELAYER] }),
    event: "PodPaused",
  },
  {
    name: "resume",
    primaryType: "Resume",
    setup: async (f, podId) => {
      await f.eventsOf(f.pause(podId));
    },
    fields: () => ({}),
    expected: (members) => members,
    submit: (f, podId, _fields, deadline, consents) =>
      f.troth.write.resume([podId, deadline, consents], { account: f.accounts[RELAYER] }),
    event: "PodResumed",
  },
  {
    name: "amend",
    primaryType: "Amend",
    fields: (f) => amendment(f),
    expected: (members) => members,
    submit: (f, podId, fields, deadline, consents) =>
      f.troth.write.amend([podId, fields as ReturnType<typeof amendment>, deadline, consents], {
        account: f.accounts[RELAYER],
      }),
    event: "PodAmended",
  },
  {
    name: "addMember",
    primaryType: "AddMember",
    fields: (f, _podId, _members, newcomer) => newcomerOf(f, newcomer),
    expected: (members, newcomer) => [...members, newcomer],
    submit: (f, podId, fields, deadline, consents) =>
      f.troth.write.addMember([podId, fields as Newcomer, deadline, consents], { account: f.accounts[RELAYER] }),
    event: "MemberAdded",
  },
  {
    name: "replaceMember",
    primaryType: "ReplaceMember",
    fields: (f, _podId, members, newcomer) => ({ replaced: members[1], ...newcomerOf(f, newcomer) }),
    // Everyone, the member replaced included (nobody is removed by others), then the newcomer.
    expected: (members, newcomer) => [...members, newcomer],
    submit: (f, podId, fields, deadline, consents) => {
      const { replaced, ...newcomer } = fields as Newcomer & { replaced: Address };
      return f.troth.write.replaceMember([podId, replaced, newcomer, deadline, consents], {
        account: f.accounts[RELAYER],
      });
    },
    event: "MemberAdded",
  },
  {
    name: "proposeReplacement",
    primaryType: "ReplaceAbsentMember",
    // members[1] checked in for neither of the first two rounds, which have closed: absent.
    setup: async (f, podId) => {
      await f.at((await f.window(podId, 1)).closesAt + 1);
    },
    fields: (f, _podId, members, newcomer) => ({ replaced: members[1], ...newcomerOf(f, newcomer) }),
    // Everyone but the absent member, then the newcomer.
    expected: (members, newcomer) => [members[0], members[2], newcomer],
    submit: (f, podId, fields, deadline, consents) => {
      const { replaced, ...newcomer } = fields as Newcomer & { replaced: Address };
      return f.troth.write.proposeReplacement([podId, replaced, newcomer, deadline, consents], {
        account: f.accounts[RELAYER],
      });
    },
    event: "ClaimMade",
  },
  {
    name: "requestRecovery",
    primaryType: "Recover",
    fields: (f, _podId, members, newcomer) => ({
      lost: members[1],
      account: newcomer,
      keyringDigest: f.digest(`keyring for ${newcomer}`),
    }),
    // Everyone but the lost wallet, then the new address.
    expected: (members, newcomer) => [members[0], members[2], newcomer],
    submit: (f, podId, fields, deadline, consents) => {
      const { account, keyringDigest } = fields as { account: Address; keyringDigest: Hex };
      return f.troth.write.requestRecovery([(podId << 8n) | 1n, account, keyringDigest, deadline, consents], {
        account: f.accounts[RELAYER],
      });
    },
    event: "ClaimMade",
  },
];

function shouldRequireConsent(way: ConsentWay, change: Change) {
  describe(`${change.name}, consented by ${way.name}`, () => {
    let f: TrothFixture;
    let members: Address[];
    let newcomer: Address;
    let stranger: Address;
    beforeAll(async () => {
      f = await deployTroth();
      ({ members, newcomer } = await way.accounts(f));
      stranger = f.accounts[STRANGER];
    });

    /** A running pod of the way's members, ready for the change. */
    async function pod() {
      const { podId } = await f.createPod(members);
      await f.atRound(podId, 0);
      await change.setup?.(f, podId);
      return podId;
    }

    async function consents(podId: bigint, options: ConsentOptions = {}) {
      return f.consentsTo(
        change.primaryType,
        podId,
        change.fields(f, podId, members, newcomer),
        async () => change.expected(members, newcomer),
        { consent: way.consent?.(f), ...options },
      );
    }

    async function submit(podId: bigint, given: { deadline: bigint; consents: Signature[] }) {
      return change.submit(f, podId, change.fields(f, podId, members, newcomer), given.deadline, given.consents);
    }

    it("applies with every consent, submitted by anyone, and uses up the nonce", async () => {
      const podId = await pod();
      const nonce = (await f.troth.read.podRecord([podId])).nonce;
      const logs = await f.eventsOf(submit(podId, await consents(podId)));
      expectEvent(logs, change.event, { podId }, 1);
      expect((await f.troth.read.podRecord([podId])).nonce).to.equal(nonce + 1);
    });

    it("refuses a missing consent, and one too many", async () => {
      const podId = await pod();
      const expected = change.expected(members, newcomer);
      const fewer = await consents(podId, { signers: expected.slice(0, -1) });
      await expectRevert(submit(podId, fewer), "ConsentCountMismatch", [expected.length, expected.length - 1]);
      const more = await consents(podId, { signers: [...expected, expected[0]] });
      await expectRevert(submit(podId, more), "ConsentCountMismatch", [expected.length, expected.length + 1]);
    });

    it("refuses consents out of order", async () => {
      const podId = await pod();
      const [first, second, ...rest] = change.expected(members, newcomer);
      const swapped = await consents(podId, { signers: [second, first, ...rest] });
      await expectRevert(submit(podId, swapped), "ConsentWrongSigner", [first, second]);
    });

    it("refuses a stranger's consent in a member's place", async () => {
      const podId = await pod();
      const expected = change.expected(members, newcomer);
      const given = await consents(podId, { signers: [...expected.slice(0, -1), stranger] });
      await expectRevert(submit(podId, given), "ConsentWrongSigner", [expected.at(-1), stranger]);
    });

    it("refuses consents given before another change used their nonce", async () => {
      const podId = await pod();
      const stale = await consents(podId);
      await f.eventsOf(f.amend(podId, { cadence: 7 * DAY, grace: 2 * DAY, quorum: 1, covenantDigest: f.digest("x") }));
      const current = await consents(podId, { consent: async () => "0x", deadline: stale.deadline });
      await expectRevert(submit(podId, stale), "ConsentInvalidSignature", [
        change.expected(members, newcomer)[0],
        current.digest,
      ]);
    });

    it("refuses consent past its deadline", async () => {
      const podId = await pod();
      const deadline = BigInt((await f.now()) + 60);
      const given = await consents(podId, { deadline });
      await f.atNext(Number(deadline) + 1);
      await expectRevert(submit(podId, given), "ConsentExpired", [deadline, deadline + 1n]);
    });
  });
}

describe("Consent-gated changes", () => {
  for (const change of changes) {
    for (const way of ways) shouldRequireConsent(way, change);
  }

  describe("consent signatures", () => {
    let f: TrothFixture;
    beforeAll(async () => {
      f = await deployTroth();
    });

    it("are good up to the deadline's last second", async () => {
      const [a, b] = f.accounts;
      const { podId } = await f.createPod([a, b]);
      const deadline = BigInt((await f.now()) + 60);
      await f.atNext(Number(deadline));
      await f.eventsOf(f.pause(podId, { deadline }));
    });

    it.each([
      ["another chain", (f: TrothFixture) => ({ ...f.domain, chainId: f.chainId + 1 })],
      ["another contract", (f: TrothFixture) => ({ ...f.domain, verifyingContract: f.governance.address })],
    ])("are bound to this chain and contract: one made for %s is refused", async (_name, otherDomain) => {
      const [a, b] = f.accounts;
      for (const member of [b, (await f.deployWallet(b)).address]) {
        const { podId } = await f.createPod([a, member]);
        const elsewhere = async (signer: Address, type: TrothPrimaryType, message: Record<string, unknown>) =>
          f.sign(f.walletOf(signer), type, message, otherDomain(f));
        const mixed = async (signer: Address, type: TrothPrimaryType, message: Record<string, unknown>) =>
          signer.toLowerCase() === member.toLowerCase()
            ? elsewhere(signer, type, message)
            : f.sign(f.walletOf(signer), type, message);
        const deadline = BigInt((await f.now()) + DAY);
        const { digest } = await f.consentsTo("Pause", podId, {}, async () => [], { signers: [], deadline });
        await expectRevert(f.pause(podId, { consent: mixed, deadline }), "ConsentInvalidSignature", [member, digest]);
      }
    });

    it("are refused for another kind of change", async () => {
      const [a, b] = f.accounts;
      const { podId } = await f.createPod([a, b]);
      // A Resume signature over the same pod, nonce and deadline is not a Pause signature.
      const asResume = async (signer: Address, _type: TrothPrimaryType, message: Record<string, unknown>) =>
        f.sign(f.walletOf(signer), "Resume", message);
      await expectRevert(f.pause(podId, { consent: asResume }), "ConsentInvalidSignature");
    });

    it("are refused for a pod that does not exist", async () => {
      const [a, b] = f.accounts;
      const options = { signers: [a, b], nonce: 0 };
      await expectRevert(f.pause(99n, options), "PodNonexistent", [99n]);
      await expectRevert(f.resume(99n, options), "PodNonexistent", [99n]);
      const terms = { cadence: 7 * DAY, grace: DAY, quorum: 1, covenantDigest: f.digest("x") };
      await expectRevert(f.amend(99n, terms, options), "PodNonexistent", [99n]);
      await expectRevert(f.addMember(99n, f.newcomer(f.accounts[3]), options), "PodNonexistent", [99n]);
      await expectRevert(f.replaceMember(99n, b, f.newcomer(f.accounts[3]), options), "PodNonexistent", [99n]);
    });

    it("are checked for every active member: a burned token does not let a stranger's consent through", async () => {
      // A dissolved pod: b left while it was paused, and a, its last active member, burned their token (allowed
      // once a pod has ended or dissolved). Resuming it still needs a's consent, which no stranger can give.
      const [a, b] = f.accounts;
      const stranger = f.accounts[STRANGER];
      const { podId, tokenIds } = await f.createPod([a, b]);
      await f.eventsOf(f.pause(podId));
      await f.eventsOf(f.troth.write.leave([tokenIds[1]], { account: b }));
      await f.eventsOf(f.troth.write.burn([tokenIds[0]], { account: a }));
      const deadline = BigInt((await f.now()) + DAY);
      const forged = [{ signer: stranger, signature: "0x" as Hex }];
      await expectRevert(f.troth.write.resume([podId, deadline, forged], { account: stranger }), "PodNotLive", [podId]);
      expect((await f.troth.read.podState([podId])).pausedAt).to.be.above(0);
    });

    it("never create a pod or mint a token in the governance module called directly", async () => {
      // The module is an ERC-721 of its own: called directly, it must not keep pods or mint in its own storage.
      const [a, b] = f.accounts;
      const c = await f.covenant([a, b]);
      await expectRevert(f.governance.write.acceptCovenant([c], { account: a }), "GovernanceNotDelegated", []);
      await expectRevert(f.governance.write.acceptCovenant([c], { account: b }), "GovernanceNotDelegated", []);
      const governanceDomain = { ...f.domain, verifyingContract: f.governance.address };
      const signatures = await Promise.all(
        c.members.map((m) => f.sign(f.walletOf(m), "Covenant", c, governanceDomain)),
      );
      await expectRevert(f.governance.write.createPod([c, signatures], { account: a }), "GovernanceNotDelegated", []);
      expect(await f.governance.read.balanceOf([a])).to.equal(0n);
      expect(await f.governance.read.balanceOf([b])).to.equal(0n);
    });

    it("are never taken by the governance module itself: every entry point runs only inside Troth", async () => {
      const [a, b, c] = f.accounts;
      const { podId } = await f.createPod([a, b]);
      const { deadline, consents } = await f.consentsTo("Pause", podId, {}, async () => [a, b], {});
      const terms = { cadence: 7 * DAY, grace: DAY, quorum: 1, covenantDigest: f.digest("x") };
      const newcomer = f.newcomer(c);
      const direct = [
        f.governance.write.pause([podId, deadline, consents], { account: a }),
        f.governance.write.resume([podId, deadline, consents], { account: a }),
        f.governance.write.amend([podId, terms, deadline, consents], { account: a }),
        f.governance.write.addMember([podId, newcomer, deadline, consents], { account: a }),
        f.governance.write.replaceMember([podId, b, newcomer, deadline, consents], { account: a }),
        f.governance.write.proposeReplacement([podId, b, newcomer, deadline, consents], { account: a }),
        f.governance.write.requestRecovery([podId << 8n, c, newcomer.keyringDigest, deadline, consents], {
          account: a,
        }),
        f.governance.write.completeClaim([podId << 8n], { account: a }),
      ];
      for (const call of direct) await expectRevert(call, "GovernanceNotDelegated", []);
      expect((await f.troth.read.podState([podId])).pausedAt).to.equal(0);
    });
  });
});
