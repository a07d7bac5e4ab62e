/**
 * Two-phase consent: one member prepares a change, partners sign the typed-data message on their own devices (here:
 * their own wallets, given only the prepared message), and the change is submitted later with the signatures.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AmendmentMismatchError,
  BlobNotFoundError,
  blobRef,
  ConsentExpiredError,
  createPodSync,
  DocumentValidationError,
  getPod,
  InvalidSignatureError,
  MissingSignerError,
  PodChangedError,
  PodNotPausedError,
  PodPausedError,
  type PreparedPause,
  type PreparedResume,
  pauseSync,
  prepareAddMember,
  prepareAmend,
  prepareCheckIn,
  preparePause,
  prepareReplaceMember,
  prepareResume,
  readAmendment,
  readCommitment,
  readCovenant,
  resumeSync,
  rotateKeyringSync,
  submitAddMemberSync,
  submitAmend,
  submitAmendSync,
  submitCheckIn,
  submitCheckInSync,
  submitPause,
  submitPauseSync,
  submitReplaceMemberSync,
  submitResumeSync,
  TrothContractError,
  type TrothPrimaryType,
  type TrothTypedData,
  trothAbi,
} from "./helpers/exports.ts";
import { DAY, type SdkFixture, setupSdk } from "./helpers/setup.ts";

let s: SdkFixture;
let podId: bigint;
beforeAll(async () => {
  s = await setupSdk({ publish: 5 });
  podId = await podOfThree("Two-phase pod", ["Write daily", "Run weekly", "Read nightly"]);
});

/** A pod of the first three accounts, made by the first with everyone's signature at once. */
async function podOfThree(title: string, commitments: [string, string, string]): Promise<bigint> {
  const { podId } = await createPodSync(s.clients[0], {
    title,
    whenSomeoneMisses: "We begin again.",
    members: commitments.map((commitment, i) => ({ address: s.accounts[i], commitment })),
    signers: s.wallets.slice(0, 3),
  });
  return podId;
}
afterAll(async () => {
  await s?.close();
});

/** A partner's device: it has the prepared message only, and signs it with its own wallet. */
function signOnOwnDevice<primaryType extends TrothPrimaryType>(i: number, typedData: TrothTypedData<primaryType>) {
  const wallet = s.wallets[i];
  return wallet.signTypedData({ ...typedData, account: wallet.account! });
}

describe("two-phase amendment", () => {
  it("prepares the amended covenant and message, partners sign in advance, the change is submitted later", async () => {
    const [A, B, C] = s.accounts;
    const [a, b] = s.clients;
    const [ia, ib] = s.identities;
    const prepared = await prepareAmend(a, {
      podId,
      cadence: 14 * DAY,
      grace: DAY,
      changes: { title: "Two-phase pod, fortnightly" },
      identity: ia,
    });
    expect(prepared.required).to.deep.equal([A, B, C]);
    expect(prepared.typedData.primaryType).to.equal("Amend");
    expect(prepared.typedData.message).to.deep.include({ podId, cadence: 14 * DAY, grace: DAY, quorum: 1 });
    // Stored already, so a partner can read what they are asked to consent to before signing.
    expect(await s.store.get(prepared.amendment.covenantDigest)).to.deep.equal(prepared.covenant);

    const signatures = [
      { signer: B, signature: await signOnOwnDevice(1, prepared.typedData) },
      { signer: C, signature: await signOnOwnDevice(2, prepared.typedData) },
    ];
    // B submits (any member may), with A's wallet signing now and the others' signatures made in advance.
    const amended = await submitAmendSync(b, { prepared, signatures: [s.wallets[0], ...signatures] });
    expect(amended.fromRound).to.equal(1);
    expect((await readCovenant(b, { podId, identity: ib })).title).to.equal("Two-phase pod, fortnightly");
    expect((await readCovenant(b, { podId, identity: ib })).terms).to.deep.include({ cadence: 14 * DAY, grace: DAY });
  });

  it("refuses a missing consent before anything is sent, and a consent another change made stale", async () => {
    const [, B, C] = s.accounts;
    const [a] = s.clients;
    const [ia] = s.identities;
    const prepared = await prepareAmend(a, { podId, quorum: 2, identity: ia });
    const fromB = { signer: B, signature: await signOnOwnDevice(1, prepared.typedData) };
    const fromC = { signer: C, signature: await signOnOwnDevice(2, prepared.typedData) };
    const missing = await submitAmend(a, { prepared, signatures: [s.wallets[0], fromB] }).catch((e) => e);
    expect(missing).toBeInstanceOf(MissingSignerError);

    // A pause spends the pod's consent nonce: the consents gathered for the amendment no longer count.
    await pauseSync(a, { podId, signers: s.wallets.slice(0, 3) });
    const block = await s.f.publicClient.getBlockNumber();
    const stale = await submitAmend(a, { prepared, signatures: [s.wallets[0], fromB, fromC] }).catch((e) => e);
    expect(stale).toBeInstanceOf(TrothContractError);
    expect(stale.errorName).to.equal("ConsentInvalidSignature");
    // Refused by the gas estimate: no transaction was sent.
    expect(await s.f.publicClient.getBlockNumber()).to.equal(block);
  });
});

describe("what an amendment changes, read before consenting", () => {
  let pod: bigint;
  beforeAll(async () => {
    pod = await podOfThree("Amended pod", ["Write daily", "Run weekly", "Read nightly"]);
  });

  it("lists every change, the meeting terms and the wording with the rhythm, and the amended covenant carries them", async () => {
    const [a, b] = s.clients;
    const [ia, ib] = s.identities;
    const prepared = await prepareAmend(a, {
      podId: pod,
      cadence: 14 * DAY,
      turnLength: 12,
      changes: { title: "Amended pod, fortnightly" },
      identity: ia,
    });
    // A partner reads it on their own device, from the amendment alone (a consent request carries nothing more).
    const { before, after, changes } = await readAmendment(b, {
      podId: pod,
      amendment: prepared.amendment,
      identity: ib,
    });
    expect(before.version).to.equal(1);
    expect(after.version).to.equal(3);
    expect(changes).to.deep.equal([
      { field: "title", before: "Amended pod", after: "Amended pod, fortnightly" },
      { field: "cadence", before: 7 * DAY, after: 14 * DAY },
      { field: "turnLength", before: undefined, after: 12 },
    ]);
    await submitAmendSync(a, { prepared, signatures: s.wallets.slice(0, 3) });
    expect((await readCovenant(b, { podId: pod, identity: ib })).terms).to.include({ turnLength: 12 });

    // null takes a meeting term back to its default; the covenant keeps version 3 (readers that knew it still do).
    const back = await prepareAmend(a, { podId: pod, turnLength: null, recordingCap: 30, identity: ia });
    const read = await readAmendment(b, { podId: pod, amendment: back.amendment, identity: ib });
    expect(read.after.version).to.equal(3);
    expect(read.changes).to.deep.equal([
      { field: "turnLength", before: 12, after: undefined },
      { field: "recordingCap", before: undefined, after: 30 },
    ]);
  });

  it("refuses a meeting term out of range, naming the field", async () => {
    for (const turnLength of [0, 61, 2.5]) {
      const error = await prepareAmend(s.clients[0], { podId: pod, turnLength, identity: s.identities[0] }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(DocumentValidationError);
      expect(error.path).to.equal("terms.turnLength");
    }
  });

  it("shows a partner's commitment rewritten inside an amendment that only claims to change the rhythm", async () => {
    // The attack: the proposer's own client puts another commitment in Bo's mouth; the chain sees only a digest.
    const [, B] = s.accounts;
    const [a, b] = s.clients;
    const [ia, ib] = s.identities;
    const current = await readCovenant(a, { podId: pod, identity: ia });
    const members = current.members.map((m) => (m.address === B ? { ...m, commitment: "Hand Ada my savings" } : m));
    const forged = await prepareAmend(a, {
      podId: pod,
      grace: DAY,
      changes: { members } as never,
      identity: ia,
    });
    const { changes } = await readAmendment(b, { podId: pod, amendment: forged.amendment, identity: ib });
    expect(changes).to.deep.include({
      field: "commitment",
      member: B,
      before: "Run weekly",
      after: "Hand Ada my savings",
    });
  });

  it("refuses an amendment whose covenant says other terms than the chain would hold, or other members", async () => {
    const [, , C] = s.accounts;
    const [a, b] = s.clients;
    const [ia, ib] = s.identities;
    const prepared = await prepareAmend(a, { podId: pod, quorum: 2, identity: ia });
    const mismatch = await readAmendment(b, {
      podId: pod,
      amendment: { ...prepared.amendment, quorum: 1 },
      identity: ib,
    }).catch((e) => e);
    expect(mismatch).toBeInstanceOf(AmendmentMismatchError);
    expect(mismatch.reason).to.equal("its covenant says quorum 2 where the chain would hold 1");

    const current = await readCovenant(a, { podId: pod, identity: ia });
    const dropped = await prepareAmend(a, {
      podId: pod,
      changes: { members: current.members.filter((m) => m.address !== C) } as never,
      identity: ia,
    });
    // Two members is still a valid covenant document: the amendment reader is what refuses it.
    const refused = await readAmendment(b, { podId: pod, amendment: dropped.amendment, identity: ib }).catch((e) => e);
    expect(refused).toBeInstanceOf(AmendmentMismatchError);
    expect(refused.reason).to.equal("its covenant lists other members than the pod's covenant");
  });

  it("refuses an amended covenant sealed under an earlier key (partners who joined since could not read it)", async () => {
    const [a, b] = s.clients;
    const [ia, ib] = s.identities;
    const old = await prepareAmend(a, { podId: pod, grace: 2 * DAY, identity: ia });
    await rotateKeyringSync(a, { podId: pod });
    const error = await readAmendment(b, { podId: pod, amendment: old.amendment, identity: ib }).catch((e) => e);
    expect(error).toBeInstanceOf(AmendmentMismatchError);
    expect(error.reason).to.match(/sealed under key epoch \d+, not the pod's current \d+/);
  });
});

describe("two-phase membership changes", () => {
  it("adds a partner with consents signed in advance; the newcomer reads their commitment under the new epoch", async () => {
    const [A, B, C, D] = s.accounts;
    const [a, , , d] = s.clients;
    const [, , , id] = s.identities;
    // The amendment tests left the pod paused: resume it first.
    await resumeSync(a, { podId, signers: s.wallets.slice(0, 3) });
    const pod = await prepareAddMember(a, { podId, newcomer: { address: D, commitment: "Swim twice a week" } });
    expect(pod.required).to.deep.equal([A, B, C, D]);
    expect(pod.typedData.primaryType).to.equal("AddMember");
    for (const blob of pod.blobs) expect(await s.store.get(blobRef(blob).digest)).to.deep.equal(blob);
    const signatures = await Promise.all(
      [1, 2, 3].map(async (i) => ({
        signer: s.accounts[i],
        signature: await signOnOwnDevice(i, pod.typedData),
      })),
    );
    const added = await submitAddMemberSync(a, { prepared: pod, signatures: [s.wallets[0], ...signatures] });
    expect(added.tokenId).to.equal((podId << 8n) | 3n);
    expect((await readCommitment(d, { tokenId: added.tokenId, identity: id })).commitment).to.equal(
      "Swim twice a week",
    );
  });

  it("replaces a partner with their consent, the newcomer's and the others', signed in advance", async () => {
    const [A, B, C, D, E] = s.accounts;
    const [a] = s.clients;
    const prepared = await prepareReplaceMember(a, {
      podId,
      replaced: C,
      newcomer: { address: E, commitment: "Paint on Sundays" },
    });
    // The replaced member consents too (in token order), then the newcomer.
    expect(prepared.required).to.deep.equal([A, B, C, D, E]);
    expect(prepared.replaced).to.equal(C);
    const withoutC = await Promise.all(
      [1, 3, 4].map(async (i) => ({
        signer: s.accounts[i],
        signature: await signOnOwnDevice(i, prepared.typedData),
      })),
    );
    const missing = await submitReplaceMemberSync(a, { prepared, signatures: [s.wallets[0], ...withoutC] }).catch(
      (e) => e,
    );
    expect(missing).toBeInstanceOf(MissingSignerError);
    expect(missing.missing).to.deep.equal([C]);
    const signatures = await Promise.all(
      [1, 2, 3, 4].map(async (i) => ({
        signer: s.accounts[i],
        signature: await signOnOwnDevice(i, prepared.typedData),
      })),
    );
    const replaced = await submitReplaceMemberSync(a, { prepared, signatures: [s.wallets[0], ...signatures] });
    expect(replaced.replacedTokenId).to.equal((podId << 8n) | 2n);
    expect(replaced.tokenId).to.equal((podId << 8n) | 4n);
  });
});

describe("check-in prepared before the witnesses sign (one transaction carries the quorum)", () => {
  it("gives the report digest first; a witness signs it in the meeting; the check-in lands witnessed", async () => {
    const [A, B] = s.accounts;
    const [a] = s.clients;
    const [ia] = s.identities;
    await s.f.atRound(podId, 1);
    const report = { said: "Wrote daily", blocked: "A busy Tuesday", next: "Mornings" };
    const prepared = await prepareCheckIn(a, { tokenId: podId << 8n, round: 1, report, identity: ia });
    expect(prepared.holder).to.equal(A);
    expect(prepared.typedData.message).to.deep.equal({
      tokenId: podId << 8n,
      round: 1,
      reportDigest: prepared.reportDigest,
    });
    // Nothing is stored before the submission.
    await expect(s.store.get(prepared.reportDigest)).rejects.toBeInstanceOf(BlobNotFoundError);
    const signature = await signOnOwnDevice(1, prepared.typedData);
    const landed = await submitCheckInSync(a, { prepared, witnesses: [{ signer: B, signature }] });
    expect(landed.witnessed).to.equal(true);
    expect(landed.reportDigest).to.equal(prepared.reportDigest);
    expect(await s.store.get(prepared.reportDigest)).to.deep.equal(prepared.report);
  });

  it("refuses a witness who is not a member, and a pod that changed since, storing and sending nothing", async () => {
    const [, B, C] = s.accounts;
    const [, b] = s.clients;
    const [, ib] = s.identities;
    const prepared = await prepareCheckIn(b, {
      tokenId: (podId << 8n) | 1n,
      round: 1,
      report: { said: "Ran", blocked: "Rain", next: "Run" },
      identity: ib,
    });
    // C was replaced: their signature is not a member's.
    const fromC = { signer: C, signature: await signOnOwnDevice(2, prepared.typedData) };
    const outsider = await submitCheckIn(b, { prepared, witnesses: [fromC] }).catch((e) => e);
    expect(outsider).toBeInstanceOf(TrothContractError);
    expect(outsider.errorName).to.equal("WitnessNotMember");
    // The pod pauses before the check-in is submitted: it was prepared for a running pod.
    await pauseSync(b, { podId, signers: [0, 1, 3, 4].map((i) => s.wallets[i]) });
    const block = await s.f.publicClient.getBlockNumber();
    const changed = await submitCheckIn(b, { prepared }).catch((e) => e);
    expect(changed).toBeInstanceOf(PodChangedError);
    expect(await s.f.publicClient.getBlockNumber()).to.equal(block);
    await expect(s.store.get(prepared.reportDigest)).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(B).to.equal(prepared.holder);
  });
});

describe("two-phase pause and resume", () => {
  let clockPod: bigint;
  beforeAll(async () => {
    clockPod = await podOfThree("Clock pod", ["Swim", "Cycle", "Climb"]);
  });

  /** Each member's device: given only the prepared message, its own wallet signs it as it is. */
  const consentsFor = (typedData: PreparedPause["typedData"] | PreparedResume["typedData"], members = [0, 1, 2]) =>
    Promise.all(
      members.map(async (i) => ({ signer: s.accounts[i], signature: await s.wallets[i].signTypedData(typedData) })),
    );
  const blockNumber = () => s.f.publicClient.getBlockNumber();

  it("pauses and resumes: prepared by one member, signed on each member's device, submitted by another", async () => {
    const [A, B, C] = s.accounts;
    const [a, b, c] = s.clients;
    const { nonce } = await s.f.publicClient.readContract({
      address: a.address,
      abi: trothAbi,
      functionName: "podRecord",
      args: [clockPod],
    });
    // Valid for a week, longer than the pause lasts: what refuses it again below is the spent nonce, not the deadline.
    const deadline = BigInt(Number((await s.f.publicClient.getBlock()).timestamp) + 7 * DAY);
    const pausing = await preparePause(a, { podId: clockPod, deadline });
    expect(pausing.required).to.deep.equal([A, B, C]);
    expect(pausing.typedData.primaryType).to.equal("Pause");
    expect(pausing.typedData.message).to.deep.equal({ podId: clockPod, nonce, deadline });
    expect(pausing.nonce).to.equal(nonce);

    const paused = await submitPauseSync(b, { prepared: pausing, signatures: await consentsFor(pausing.typedData) });
    expect(paused.receipt.from).to.equal(B.toLowerCase());
    const pausedBlock = await s.f.publicClient.getBlock({ blockNumber: paused.receipt.blockNumber });
    expect(paused.pausedAt).to.equal(Number(pausedBlock.timestamp));
    expect((await getPod(a, { podId: clockPod })).status).to.equal("paused");

    await s.f.at(paused.pausedAt + 2 * DAY);
    const resuming = await prepareResume(c, { podId: clockPod });
    expect(resuming.typedData.primaryType).to.equal("Resume");
    // The pause spent a nonce: the resume's consents are over the next one.
    expect(resuming.nonce).to.equal(nonce + 1);
    // Signatures made in advance and a wallet signing at submission mix (here A's, who submits).
    const signatures = [s.wallets[0], ...(await consentsFor(resuming.typedData, [1, 2]))];
    await s.f.atNext(paused.pausedAt + 2 * DAY + 60);
    const resumed = await submitResumeSync(a, { prepared: resuming, signatures });
    expect(resumed.pausedFor).to.equal(2 * DAY + 60);
    expect((await getPod(b, { podId: clockPod })).status).to.equal("active");

    // A consent is good for one change: the pause prepared above cannot be sent again.
    const block = await blockNumber();
    const spent = await submitPause(a, { prepared: pausing, signatures: await consentsFor(pausing.typedData) }).catch(
      (e) => e,
    );
    expect(spent).toBeInstanceOf(InvalidSignatureError);
    expect(spent.errorName).to.equal("ConsentInvalidSignature");
    expect(await blockNumber()).to.equal(block);
  });

  it("refuses a missing consent and a signature that is not the member's, sending nothing", async () => {
    const [, B, C] = s.accounts;
    const [a] = s.clients;
    const prepared = await preparePause(a, { podId: clockPod });
    const [fromA, fromB, fromC] = await consentsFor(prepared.typedData);
    const block = await blockNumber();

    const missing = await submitPause(a, { prepared, signatures: [fromA, fromB] }).catch((e) => e);
    expect(missing).toBeInstanceOf(MissingSignerError);
    expect(missing.missing).to.deep.equal([C]);

    // C's signature handed in as B's.
    const forged = { signer: B, signature: fromC.signature };
    const wrong = await submitPause(a, { prepared, signatures: [fromA, forged, fromC] }).catch((e) => e);
    expect(wrong).toBeInstanceOf(InvalidSignatureError);
    expect(wrong.errorName).to.equal("ConsentInvalidSignature");

    // B's signature of another message (the resume that would follow) is not consent to this pause.
    const resumeMessage = { ...prepared.typedData, primaryType: "Resume" as const };
    const [, otherMessage] = await consentsFor(resumeMessage, [0, 1]);
    const mismatched = await submitPause(a, { prepared, signatures: [fromA, otherMessage, fromC] }).catch((e) => e);
    expect(mismatched).toBeInstanceOf(InvalidSignatureError);
    // Nor is a prepared resume, even with wallets that would sign anything they are handed.
    const resuming = { ...prepared, typedData: resumeMessage } as unknown as typeof prepared;
    const crossed = await submitPause(a, { prepared: resuming, signatures: s.wallets.slice(0, 3) }).catch((e) => e);
    expect(crossed).toBeInstanceOf(InvalidSignatureError);
    expect(await blockNumber()).to.equal(block);
    expect((await getPod(a, { podId: clockPod })).status).to.equal("active");
  });

  it("refuses consents whose deadline passed before submission, and a deadline already past when preparing", async () => {
    const [a] = s.clients;
    const now = Number((await s.f.publicClient.getBlock()).timestamp);
    const prepared = await preparePause(a, { podId: clockPod, deadline: BigInt(now + 600) });
    expect(prepared.deadline).to.equal(BigInt(now + 600));
    const signatures = await consentsFor(prepared.typedData);
    await s.f.at(now + 601);
    const block = await blockNumber();
    const expired = await submitPause(a, { prepared, signatures }).catch((e) => e);
    expect(expired).toBeInstanceOf(ConsentExpiredError);
    expect(expired.errorName).to.equal("ConsentExpired");
    expect(await blockNumber()).to.equal(block);

    const late = await preparePause(a, { podId: clockPod, deadline: BigInt(now) }).catch((e) => e);
    expect(late).toBeInstanceOf(ConsentExpiredError);
    expect(late.args[0]).to.equal(BigInt(now));
  });

  it("refuses to prepare a pause of a paused pod and a resume of a running one, before anyone signs", async () => {
    const [a] = s.clients;
    const notPaused = await prepareResume(a, { podId: clockPod }).catch((e) => e);
    expect(notPaused).toBeInstanceOf(PodNotPausedError);
    expect(notPaused.metaMessages.join("\n")).to.match(/no transaction was sent/);
    await pauseSync(a, { podId: clockPod, signers: s.wallets.slice(0, 3) });
    const paused = await preparePause(a, { podId: clockPod }).catch((e) => e);
    expect(paused).toBeInstanceOf(PodPausedError);
    expect(paused.errorName).to.equal("PodIsPaused");
    await resumeSync(a, { podId: clockPod, signers: s.wallets.slice(0, 3) });
    expect((await getPod(a, { podId: clockPod })).status).to.equal("active");
  });
});
