import {
  type ConsentRequest,
  ConsentRequestDeploymentError,
  type Covenant,
  encodeConsentRequest,
  encodeLinkPayload,
  formatConsentRequest,
} from "@troth/sdk";
import { describe, expect, it } from "vitest";
import {
  decodeConsent,
  decodeProposal,
  decodeWitnessReturn,
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

/** The deployment the dApp runs against (its config), which consent links are read for. */
const deployment = { chainId: 31337, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3" } as const;

/** A consent request's link payload (the SDK's format, which the CLI reads and writes too). */
function encodeConsent(request: Omit<ConsentRequest, "chainId" | "troth">): string {
  return encodeConsentRequest({ chainId: deployment.chainId, troth: deployment.address, ...request });
}
/** Encodes and reads back, as the dApp does with a link it made. */
const readBack = (request: Omit<ConsentRequest, "chainId" | "troth">) =>
  decodeConsent(encodeConsent(request), deployment);
const withDeployment = <T extends object>(request: T) => ({
  chainId: deployment.chainId,
  troth: deployment.address,
  ...request,
});

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
    expect(decodeConsent(encodeConsent(request), deployment)).to.deep.equal(withDeployment(request));
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
    expect(decodeConsent(encodeConsent(request), deployment)).to.deep.equal(withDeployment(request));
    const { amendment: _, ...withoutTerms } = request;
    brokenBecause(() => readBack(withoutTerms), "new terms");
    brokenBecause(() => readBack({ ...request, kind: "Pause" }), "new terms");
  });

  it("carry an addition or a replacement with its newcomer, and refuse one without", () => {
    const membership = {
      member: covenant.members[1],
      commitmentDigest: `0x${"cd".repeat(32)}` as const,
      keyringDigest: `0x${"ef".repeat(32)}` as const,
    };
    const base = { podId: 0xfeedn, nonce: 4, deadline: 99n, signatures: [] };
    const add = { ...base, kind: "AddMember" as const, membership };
    expect(decodeConsent(encodeConsent(add), deployment)).to.deep.equal(withDeployment(add));
    const replace = {
      ...base,
      kind: "ReplaceMember" as const,
      membership: { ...membership, replaced: covenant.members[0] },
    };
    expect(decodeConsent(encodeConsent(replace), deployment)).to.deep.equal(withDeployment(replace));
    // A replacement must name who steps out, an addition must not; a pause names no newcomer.
    brokenBecause(() => readBack({ ...add, kind: "ReplaceMember" }), "newcomer");
    brokenBecause(() => readBack({ ...replace, kind: "AddMember" }), "newcomer");
    brokenBecause(() => readBack({ ...add, kind: "Pause" }), "newcomer");
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
    expect(decodeConsent(encodeConsent(absent), deployment)).to.deep.equal(withDeployment(absent));
    const recovery = {
      tokenId: (base.podId << 8n) | 1n,
      lost: covenant.members[1],
      account: covenant.members[0],
      keyringDigest: covenant.keyringDigest,
    };
    const recover = { ...base, kind: "Recover" as const, recovery };
    expect(decodeConsent(encodeConsent(recover), deployment)).to.deep.equal(withDeployment(recover));
    // A recovery names its seat and nothing else; no other request carries one.
    brokenBecause(() => readBack({ ...recover, kind: "Pause" }), "recovery");
    brokenBecause(() => readBack({ ...base, kind: "Recover" }), "recovery");
    brokenBecause(() => readBack({ ...absent, membership: { ...membership, replaced: undefined } }), "newcomer");
    expect(paths.recoveryRequest(recovery.tokenId, recovery.account)).to.equal(
      `/recover/0x${recovery.tokenId.toString(16)}/${recovery.account}`,
    );
  });

  it("read a consent request the CLI wrote to a file, and its version 1 links still read", () => {
    const request = withDeployment({
      kind: "Pause" as const,
      podId: 0xfeedn,
      nonce: 2,
      deadline: 99n,
      signatures: [{ signer: covenant.members[0], signature: "0x1234" as const }],
    });
    // `troth pod pause --prepare` writes the file form; its payload is the link's.
    const file = formatConsentRequest(request);
    expect(decodeConsent(encodeLinkPayload(JSON.parse(file)), deployment)).to.deep.equal(request);
    expect(paths.consent(request)).to.equal(`/consent/${encodeLinkPayload(JSON.parse(file))}`);
    const v1 = encodeLinkPayload({ k: "Pause", p: "feed", n: 2, d: "99", s: [[covenant.members[0], "0x1234"]] });
    expect(decodeConsent(v1, deployment)).to.deep.equal(request);
  });

  it("refuse a consent request made for another chain or contract", () => {
    const request = { kind: "Resume" as const, podId: 0xfeedn, nonce: 2, deadline: 99n, signatures: [] };
    const elsewhere = encodeConsentRequest({ ...withDeployment(request), chainId: 1 });
    expect(() => decodeConsent(elsewhere, deployment)).to.throw(ConsentRequestDeploymentError);
    brokenBecause(() => decodeConsent(encodeConsent(request).slice(0, 40), deployment), "");
  });

  it("parse ids in hex or decimal, and nothing else", () => {
    expect(parseId("0x1f")).to.equal(31n);
    expect(parseId("31")).to.equal(31n);
    expect(parseId("0xzz")).to.equal(undefined);
    expect(parseId(undefined)).to.equal(undefined);
  });
});
