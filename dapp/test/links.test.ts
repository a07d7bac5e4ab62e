import type { Covenant } from "@troth/sdk";
import { describe, expect, it } from "vitest";
import {
  decodeConsent,
  decodeProposal,
  decodeWitnessReturn,
  encodeConsent,
  encodeProposal,
  encodeWitnessReturn,
  InvalidLinkError,
  parseId,
  paths,
} from "../src/lib/links.ts";

const covenant: Covenant = {
  members: ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"],
  commitmentDigests: [`0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`],
  cadence: 604_800,
  grace: 172_800,
  rounds: 13,
  quorum: 1,
  start: 1_800_000_000,
  covenantDigest: `0x${"33".repeat(32)}`,
  keyringDigest: `0x${"44".repeat(32)}`,
  previousPod: 123n,
  deadline: 1_800_604_800n,
  salt: `0x${"55".repeat(32)}`,
};

/** The call refuses a damaged link with an InvalidLinkError whose reason (for debugging, not shown) names `why`. */
function brokenBecause(decode: () => unknown, why: string) {
  try {
    decode();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidLinkError);
    expect((error as InvalidLinkError).reason).to.contain(why);
    return;
  }
  expect.fail(`a link broken by "${why}" decoded`);
}

describe("share links", () => {
  it("carry a covenant (digests and addresses only) and give it back exactly", () => {
    const text = encodeProposal(covenant);
    expect(text).to.match(/^[A-Za-z0-9_-]+$/);
    expect(decodeProposal(text)).to.deep.equal(covenant);
    expect(paths.proposal(covenant)).to.equal(`/proposal/${text}`);
  });

  it("refuse a damaged covenant link with a typed error", () => {
    expect(() => decodeProposal("not-base64-json")).to.throw(InvalidLinkError);
    const broken = encodeProposal({ ...covenant, members: ["0x1234"] as never });
    expect(() => decodeProposal(broken)).to.throw(InvalidLinkError, /damaged or incomplete/);
    brokenBecause(() => decodeProposal(broken), "bad address");
    // What a member reads names no parser error; the reason stays on the error for whoever debugs it.
    const truncated = encodeProposal(covenant).slice(0, 40);
    try {
      decodeProposal(truncated);
      expect.fail("a truncated link decoded");
    } catch (error) {
      expect((error as Error).message).to.not.match(/JSON|position|Unexpected|Unterminated/);
      expect((error as InvalidLinkError).reason)
        .to.be.a("string")
        .and.not.equal("");
    }
  });

  it("carry a witness signature and reply digest back to the member", () => {
    const value = {
      tokenId: (0xabcdefn << 8n) | 2n,
      round: 4,
      reportDigest: `0x${"66".repeat(32)}` as const,
      witness: {
        signer: covenant.members[1],
        signature: `0x${"77".repeat(65)}` as const,
        reply: `0x${"88".repeat(32)}` as const,
      },
    };
    expect(decodeWitnessReturn(encodeWitnessReturn(value))).to.deep.equal(value);
    const { reply: _, ...noReply } = value.witness;
    expect(decodeWitnessReturn(encodeWitnessReturn({ ...value, witness: noReply })).witness).to.deep.equal(noReply);
  });

  it("carry a pause request round the pod, gathering signatures", () => {
    const request = {
      kind: "Pause" as const,
      podId: 0xfeedn,
      nonce: 2,
      deadline: 99n,
      signatures: [{ signer: covenant.members[0], signature: "0x1234" as const }],
    };
    expect(decodeConsent(encodeConsent(request))).to.deep.equal(request);
  });

  it("carry an amendment request with its new terms, and refuse terms on the wrong request", () => {
    const request = {
      kind: "Amend" as const,
      podId: 0xfeedn,
      nonce: 3,
      deadline: 99n,
      signatures: [{ signer: covenant.members[0], signature: "0x1234" as const }],
      amendment: { cadence: 14 * 86_400, grace: 86_400, quorum: 2, covenantDigest: `0x${"ab".repeat(32)}` as const },
    };
    expect(decodeConsent(encodeConsent(request))).to.deep.equal(request);
    const { amendment: _, ...withoutTerms } = request;
    brokenBecause(() => decodeConsent(encodeConsent(withoutTerms)), "new terms");
    brokenBecause(() => decodeConsent(encodeConsent({ ...request, kind: "Pause" })), "new terms");
  });

  it("carry an addition or a replacement with its newcomer, and refuse one without", () => {
    const membership = {
      member: covenant.members[1],
      commitmentDigest: `0x${"cd".repeat(32)}` as const,
      keyringDigest: `0x${"ef".repeat(32)}` as const,
    };
    const base = { podId: 0xfeedn, nonce: 4, deadline: 99n, signatures: [] };
    const add = { ...base, kind: "AddMember" as const, membership };
    expect(decodeConsent(encodeConsent(add))).to.deep.equal(add);
    const replace = {
      ...base,
      kind: "ReplaceMember" as const,
      membership: { ...membership, replaced: covenant.members[0] },
    };
    expect(decodeConsent(encodeConsent(replace))).to.deep.equal(replace);
    // A replacement must name who steps out, an addition must not; a pause names no newcomer.
    brokenBecause(() => decodeConsent(encodeConsent({ ...add, kind: "ReplaceMember" })), "newcomer");
    brokenBecause(() => decodeConsent(encodeConsent({ ...replace, kind: "AddMember" })), "newcomer");
    brokenBecause(() => decodeConsent(encodeConsent({ ...add, kind: "Pause" })), "newcomer");
  });

  it("carry an absence-rule proposal like a replacement, and a recovery with the seat that moves", () => {
    const base = { podId: 0xfeedn, nonce: 4, deadline: 99n, signatures: [] };
    const membership = {
      replaced: covenant.members[1],
      member: covenant.members[0],
      commitmentDigest: covenant.commitmentDigests[0],
      keyringDigest: covenant.keyringDigest,
    };
    const absent = { ...base, kind: "ReplaceAbsentMember" as const, membership };
    expect(decodeConsent(encodeConsent(absent))).to.deep.equal(absent);
    const recovery = {
      tokenId: (base.podId << 8n) | 1n,
      lost: covenant.members[1],
      account: covenant.members[0],
      keyringDigest: covenant.keyringDigest,
    };
    const recover = { ...base, kind: "Recover" as const, recovery };
    expect(decodeConsent(encodeConsent(recover))).to.deep.equal(recover);
    // A recovery names its seat and nothing else; no other request carries one.
    brokenBecause(() => decodeConsent(encodeConsent({ ...recover, kind: "Pause" })), "recovery");
    brokenBecause(() => decodeConsent(encodeConsent({ ...base, kind: "Recover" })), "recovery");
    brokenBecause(
      () => decodeConsent(encodeConsent({ ...absent, membership: { ...membership, replaced: undefined } })),
      "newcomer",
    );
    expect(paths.recoveryRequest(recovery.tokenId, recovery.account)).to.equal(
      `/recover/0x${recovery.tokenId.toString(16)}/${recovery.account}`,
    );
  });

  it("parse ids in hex or decimal, and nothing else", () => {
    expect(parseId("0x1f")).to.equal(31n);
    expect(parseId("31")).to.equal(31n);
    expect(parseId("0xzz")).to.equal(undefined);
    expect(parseId(undefined)).to.equal(undefined);
  });
});
