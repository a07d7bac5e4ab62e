/**
 * Consent requests: one versioned format for the dApp's links and the CLI's files. Property tests over random
 * requests (every kind), the damage a link suffers in transit (cut short, a character changed), edits made on purpose
 * (terms changed after someone signed, a signature lifted from another pod's request), an unknown version, another
 * chain, and the dApp's version 1 links, which still read.
 */
import { type Address, getAddress, type Hex, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CONSENT_REQUEST_VERSION,
  type ConsentKind,
  type ConsentRequest,
  ConsentRequestDeploymentError,
  ConsentRequestNotSealedError,
  consentKinds,
  consentRequestLink,
  consentRequestOf,
  consentTypedData,
  createPodSync,
  encodeConsentRequest,
  encodeLinkPayload,
  formatConsentRequest,
  InvalidLinkError,
  openConsentRequest,
  parseConsentRequest,
  prepareAmend,
  preparePause,
  sameConsentChange,
  signConsentRequest,
  submitAmendSync,
  submitPauseSync,
  withConsentSignatures,
} from "./helpers/exports.ts";
import { DAY, type SdkFixture, setupSdk } from "./helpers/setup.ts";

/** A small deterministic generator, so a failing case can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const int = (max: number) => Math.floor(next() * (max + 1));
  const bytes = (n: number): Hex => keccak256(toHex(`${seed}-${next()}`)).slice(0, 2 + 2 * n) as Hex;
  const address = (): Address => getAddress(bytes(20));
  return { next, int, bytes, address };
}

const deployment = { chainId: 31337, address: getAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3") };

/** A random, well-formed request of `kind`. */
function randomRequest(seed: number, kind: ConsentKind): ConsentRequest {
  const r = random(seed);
  const podId = BigInt(r.bytes(31));
  const replaces = kind === "ReplaceMember" || kind === "ReplaceAbsentMember";
  return {
    chainId: deployment.chainId,
    troth: deployment.address,
    kind,
    podId,
    nonce: r.int(0xffffffff),
    deadline: BigInt(r.int(2 ** 40)),
    signatures: Array.from({ length: r.int(8) }, () => ({ signer: r.address(), signature: r.bytes(65) })),
    ...(kind === "Amend"
      ? {
          amendment: {
            cadence: r.int(0xffffffff),
            grace: r.int(0xffffffff),
            quorum: r.int(255),
            covenantDigest: r.bytes(32),
          },
        }
      : {}),
    ...(kind === "AddMember" || replaces
      ? {
          membership: {
            ...(replaces ? { replaced: r.address() } : {}),
            member: r.address(),
            commitmentDigest: r.bytes(32),
            keyringDigest: r.bytes(32),
          },
        }
      : {}),
    ...(kind === "Recover"
      ? {
          recovery: {
            tokenId: (podId << 8n) | BigInt(r.int(7)),
            lost: r.address(),
            account: r.address(),
            ...(r.int(3) > 0 ? { keyringDigest: r.bytes(32) } : {}),
          },
        }
      : {}),
  };
}

const cases = consentKinds.flatMap((kind) => Array.from({ length: 40 }, (_, i) => ({ kind, seed: 1 + i * 7919 })));

/** The call refuses with an InvalidLinkError whose reason (for debugging) matches `why`. */
function refused(call: () => unknown, why: RegExp) {
  try {
    call();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidLinkError);
    expect((error as InvalidLinkError).reason).to.match(why);
    return;
  }
  expect.fail(`expected an InvalidLinkError (${why})`);
}

describe("consent request codec", () => {
  it("round-trips every kind through the link and the file form, to the same request", () => {
    for (const { kind, seed } of cases) {
      const request = randomRequest(seed, kind);
      const link = consentRequestLink(request, "https://troth.example/app/");
      expect(link).to.match(/^https:\/\/troth\.example\/app\/#\/consent\/[A-Za-z0-9_-]+$/);
      expect(parseConsentRequest(link), `${kind} seed ${seed}`).to.deep.equal(request);
      expect(parseConsentRequest(encodeConsentRequest(request))).to.deep.equal(request);
      const file = formatConsentRequest(request);
      expect(parseConsentRequest(file), `${kind} seed ${seed}`).to.deep.equal(request);
      // The file and the link carry the same payload.
      expect(encodeLinkPayload(JSON.parse(file))).to.equal(encodeConsentRequest(request));
    }
  });

  it("writes its version and readable fields in the file form", () => {
    const file = JSON.parse(formatConsentRequest(randomRequest(3, "Amend")));
    expect(file).to.include({ type: "troth/consent-request", version: CONSENT_REQUEST_VERSION, kind: "Amend" });
    expect(file.podId).to.match(/^0x[0-9a-f]+$/);
    expect(file.amendment).to.have.keys("cadence", "grace", "quorum", "covenantDigest");
  });

  it("refuses a link cut short anywhere, never reading it as another request", () => {
    for (const { kind, seed } of cases.filter((_, i) => i % 10 === 0)) {
      const request = randomRequest(seed, kind);
      const payload = encodeConsentRequest(request);
      for (let cut = 1; cut < payload.length; cut += 3) {
        expect(() => parseConsentRequest(payload.slice(0, cut))).to.throw(InvalidLinkError);
      }
      const file = formatConsentRequest(request);
      for (let cut = 1; cut < file.trim().length; cut += 17) {
        expect(() => parseConsentRequest(file.slice(0, cut))).to.throw(InvalidLinkError);
      }
    }
  });

  it("reads a link with one character changed as damaged, or as a request that differs (signatures catch that)", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (const { kind, seed } of cases.filter((_, i) => i % 20 === 0)) {
      const request = randomRequest(seed, kind);
      const payload = encodeConsentRequest(request);
      const r = random(seed);
      for (let n = 0; n < 60; n++) {
        const at = r.int(payload.length - 1);
        const swapped = alphabet[(alphabet.indexOf(payload[at]) + 1 + r.int(62)) % 64];
        const edited = payload.slice(0, at) + swapped + payload.slice(at + 1);
        let read: ConsentRequest | undefined;
        try {
          read = parseConsentRequest(edited);
        } catch (error) {
          expect(error).to.be.instanceOf(InvalidLinkError);
          continue;
        }
        // A change that still parses is another request: its signatures are no longer of it (see openConsentRequest).
        expect(encodeConsentRequest(read)).to.not.equal(payload);
      }
    }
  });

  it("refuses parts that do not fit the kind, unknown kinds and versions, and bad fields", () => {
    const amend = JSON.parse(formatConsentRequest(randomRequest(5, "Amend")));
    const add = JSON.parse(formatConsentRequest(randomRequest(5, "AddMember")));
    const replace = JSON.parse(formatConsentRequest(randomRequest(5, "ReplaceMember")));
    const recover = JSON.parse(formatConsentRequest(randomRequest(1, "Recover")));
    const read = (value: unknown) => () => parseConsentRequest(JSON.stringify(value));
    refused(read({ ...amend, kind: "Pause" }), /amendment/);
    refused(read({ ...amend, amendment: undefined }), /amendment/);
    refused(read({ ...add, kind: "ReplaceMember" }), /newcomer/);
    refused(read({ ...replace, kind: "AddMember" }), /newcomer/);
    refused(read({ ...recover, kind: "Pause" }), /recovery/);
    refused(read({ ...recover, recovery: { ...recover.recovery, tokenId: "0x1" } }), /not in this pod/);
    refused(read({ ...amend, kind: "Dissolve" }), /unknown request/);
    refused(read({ ...amend, version: 3 }), /version 3/);
    refused(read({ ...amend, version: "2" }), /version/);
    refused(read({ ...amend, type: "troth/consent" }), /not a consent request/);
    refused(read({ ...amend, podId: "12abc" }), /bad number/);
    refused(read({ ...amend, deadline: -1 }), /bad number/);
    refused(read({ ...amend, nonce: 2 ** 32 }), /bad number/);
    refused(read({ ...amend, troth: "0x1234" }), /bad address/);
    refused(read({ ...amend, amendment: { ...amend.amendment, covenantDigest: "0x12" } }), /bad hex/);
    refused(read({ ...amend, signatures: [{ signer: deployment.address, signature: "zz" }] }), /bad hex/);
    const twice = { signer: deployment.address, signature: "0x" };
    refused(read({ ...amend, signatures: [twice, twice] }), /signs twice/);
    refused(() => parseConsentRequest("not base64!"), /base64/);
    refused(() => parseConsentRequest("{ not json"), /JSON/);
    refused(() => parseConsentRequest("[]"), /base64/);
  });

  it("refuses a request for another chain or contract when read for this deployment", () => {
    const request = randomRequest(9, "Pause");
    const link = consentRequestLink(request);
    expect(parseConsentRequest(link, { deployment })).to.deep.equal(request);
    expect(() => parseConsentRequest(link, { deployment: { ...deployment, chainId: 1 } })).to.throw(
      ConsentRequestDeploymentError,
      /on chain 31337, not .* on chain 1/,
    );
    const elsewhere = { chainId: deployment.chainId, address: getAddress(`0x${"12".repeat(20)}`) };
    expect(() => parseConsentRequest(link, { deployment: elsewhere })).to.throw(ConsentRequestDeploymentError);
  });

  it("still reads the dApp's version 1 links, as requests for the reader's deployment", () => {
    for (const kind of consentKinds) {
      const request = randomRequest(11, kind);
      if (request.recovery && !request.recovery.keyringDigest) continue;
      const { amendment: a, membership: m, recovery: r } = request;
      const v1 = encodeLinkPayload({
        k: request.kind,
        p: request.podId.toString(16),
        n: request.nonce,
        d: request.deadline.toString(),
        s: request.signatures.map((x) => [x.signer, x.signature]),
        ...(a ? { a: [a.cadence, a.grace, a.quorum, a.covenantDigest] } : {}),
        ...(m ? { m: [m.replaced ?? "", m.member, m.commitmentDigest, m.keyringDigest] } : {}),
        ...(r ? { r: [r.tokenId.toString(16), r.lost, r.account, r.keyringDigest] } : {}),
      });
      expect(parseConsentRequest(`http://127.0.0.1:5173/#/consent/${v1}`, { deployment }), kind).to.deep.equal(request);
      refused(() => parseConsentRequest(v1), /version 1 link names no chain/);
    }
  });

  it("derives what is signed from the request; an unsealed recovery has nothing to sign yet", () => {
    const amend = randomRequest(13, "Amend");
    const typed = consentTypedData(amend);
    expect(typed.domain).to.deep.equal({
      name: "Troth",
      version: "1",
      chainId: deployment.chainId,
      verifyingContract: deployment.address,
    });
    expect(typed.message).to.deep.equal({
      podId: amend.podId,
      ...amend.amendment,
      nonce: amend.nonce,
      deadline: amend.deadline,
    });
    const ask = randomRequest(1, "Recover");
    delete ask.recovery!.keyringDigest;
    expect(() => consentTypedData(ask)).to.throw(ConsentRequestNotSealedError);
    expect(parseConsentRequest(formatConsentRequest(ask))).to.deep.equal(ask);
  });

  it("tells the same change apart from signatures, and merges signatures once per signer", () => {
    const a = randomRequest(17, "ReplaceMember");
    const b = { ...a, signatures: [] };
    expect(sameConsentChange(a, b)).to.equal(true);
    expect(sameConsentChange(a, { ...a, nonce: a.nonce ^ 1 })).to.equal(false);
    const signer = getAddress(`0x${"ab".repeat(20)}`);
    const merged = withConsentSignatures(b, [
      { signer, signature: "0x01" },
      { signer, signature: "0x02" },
    ]);
    expect(merged.signatures).to.deep.equal([{ signer, signature: "0x01" }]);
  });
});

describe("consent requests on chain", () => {
  let s: SdkFixture;
  let podId: bigint;
  let otherPod: bigint;
  beforeAll(async () => {
    s = await setupSdk({ publish: 3 });
    const [A, B, C] = s.accounts;
    const pod = (title: string) =>
      createPodSync(s.clients[0], {
        title,
        whenSomeoneMisses: "We begin again.",
        members: [
          { address: A, commitment: "Write daily" },
          { address: B, commitment: "Run weekly" },
          { address: C, commitment: "Read nightly" },
        ],
        signers: s.wallets.slice(0, 3),
      });
    ({ podId } = await pod("Consent pod"));
    ({ podId: otherPod } = await pod("Another pod"));
  });
  afterAll(async () => {
    await s?.close();
  });

  it("gathers consents link to link, each partner on their own device, and the last submits", async () => {
    const [a, b, c] = s.clients;
    const start = consentRequestOf(await preparePause(a, { podId }));
    expect(start.signatures).to.deep.equal([]);
    let link = consentRequestLink(await signConsentRequest(a, { request: start, signer: s.wallets[0] }));
    // Bob receives the link and adds his consent; Carol receives his and submits with hers.
    link = consentRequestLink(
      await signConsentRequest(b, { request: parseConsentRequest(link, { deployment: b }), signer: s.wallets[1] }),
    );
    const opened = await openConsentRequest(c, { request: parseConsentRequest(link, { deployment: c }) });
    expect(opened.kind).to.equal("Pause");
    expect(opened.prepared.required).to.deep.equal(s.accounts.slice(0, 3));
    expect(opened.signatures.map((x) => x.signer)).to.deep.equal(s.accounts.slice(0, 2));
    if (opened.kind !== "Pause") throw new Error("not a pause");
    const { pausedAt } = await submitPauseSync(c, {
      prepared: opened.prepared,
      signatures: [...opened.signatures, s.wallets[2]],
    });
    expect(pausedAt).to.be.a("number");
  });

  it("opens an amendment with its stored covenant, and refuses one edited after a partner signed", async () => {
    const [a, b] = s.clients;
    const prepared = await prepareAmend(a, { podId: otherPod, cadence: 14 * DAY, identity: s.identities[0] });
    const signed = await signConsentRequest(a, { request: consentRequestOf(prepared), signer: s.wallets[0] });
    const opened = await openConsentRequest(b, { request: signed });
    if (opened.kind !== "Amend") throw new Error("not an amendment");
    expect(opened.prepared.covenant).to.deep.equal(prepared.covenant);
    expect(opened.prepared.typedData).to.deep.equal(prepared.typedData);
    // Bob edits the terms Alice signed (a shorter grace) and passes the link on: refused before anyone else signs.
    const edited = { ...signed, amendment: { ...signed.amendment!, grace: 60 } };
    await expect(openConsentRequest(b, { request: edited })).rejects.toSatisfy(
      (e: unknown) => e instanceof InvalidLinkError && /signature of .* is not of this change/.test(e.reason),
    );
    const bobs = await signConsentRequest(b, { request: signed, signer: s.wallets[1] });
    const { fromRound } = await submitAmendSync(a, {
      prepared: opened.prepared,
      signatures: [...bobs.signatures, s.wallets[2]],
    });
    expect(fromRound).to.be.greaterThan(0);
  });

  it("refuses a signature lifted from another pod's request, and one from someone who does not consent", async () => {
    const [a] = s.clients;
    const request = consentRequestOf(await preparePause(a, { podId: otherPod }));
    const signed = await signConsentRequest(a, { request, signer: s.wallets[0] });
    // The same signature replayed in a request for the first pod (same nonce and deadline).
    const replayed = { ...signed, podId, nonce: signed.nonce };
    await expect(openConsentRequest(a, { request: replayed })).rejects.toSatisfy(
      (e: unknown) => e instanceof InvalidLinkError && /not of this change/.test(e.reason),
    );
    const outsider = await signConsentRequest(a, { request, signer: s.wallets[4] });
    await expect(openConsentRequest(a, { request: outsider })).rejects.toSatisfy(
      (e: unknown) => e instanceof InvalidLinkError && /is not among those who consent/.test(e.reason),
    );
  });

  it("refuses to sign a request made for another contract", async () => {
    const [a] = s.clients;
    const request = { ...consentRequestOf(await preparePause(a, { podId: otherPod })), chainId: 1 };
    await expect(signConsentRequest(a, { request, signer: s.wallets[0] })).rejects.toThrow(
      ConsentRequestDeploymentError,
    );
  });
});
