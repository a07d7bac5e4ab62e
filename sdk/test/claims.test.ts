/**
 * Claims through the SDK (protocol v2): replacing an absent member by the absence rule, each step refused before any
 * gas when the contract would refuse it (present member, pending claim, open window, stale claim, pod too small), and
 * withdrawing an on-chain approval before it is used.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approveHashSync,
  type BaseError,
  ClaimMemberNotAbsentError,
  ClaimNotFoundError,
  ClaimPendingError,
  ClaimPodTooSmallError,
  ClaimStaleError,
  ClaimWindowOpenError,
  cancelClaim,
  cancelClaimSync,
  checkInSync,
  completeClaim,
  completeClaimSync,
  createPodSync,
  getClaim,
  getClaims,
  getCommitment,
  getPod,
  InvalidSignatureError,
  NotMemberError,
  PodNotLiveError,
  preparePause,
  prepareProposeReplacement,
  proposeReplacement,
  proposeReplacementSync,
  readCommitment,
  readCovenant,
  revokeHashSync,
  rotateKeyring,
  rotateKeyringSync,
  submitPause,
  submitProposeReplacementSync,
  verifyMembershipChange,
} from "./helpers/exports.ts";
import { DAY, HOUR, report, type SdkFixture, setupSdk } from "./helpers/setup.ts";

let s: SdkFixture;
const terms = { title: "Claims pod", whenSomeoneMisses: "We ask, then begin again.", cadence: DAY, grace: HOUR };

beforeAll(async () => {
  s = await setupSdk({ publish: 6 });
});
afterAll(async () => {
  await s?.close();
});

/** A pod of the first `n` accounts (weekly by default here: daily rounds, an hour of grace). */
async function pod(n = 3, overrides: Partial<typeof terms> & { rounds?: number } = {}) {
  return createPodSync(s.clients[0], {
    ...terms,
    ...overrides,
    members: s.accounts.slice(0, n).map((address, i) => ({ address, commitment: `Commitment ${i}` })),
    signers: s.wallets.slice(0, n),
  });
}

/** How many transactions account `i` has sent: a preflight failure sends none. */
const sent = (i: number) => s.f.publicClient.getTransactionCount({ address: s.accounts[i] });

async function refused<E extends BaseError>(
  i: number,
  attempt: () => Promise<unknown>,
  errorClass: new (...a: never[]) => E,
) {
  const before = await sent(i);
  const error = await attempt().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(errorClass);
  expect(await sent(i)).to.equal(before);
  return error as E & { errorName: string; args: readonly unknown[] };
}

/** Moves the chain's clock to `timestamp`, unless it is there already. */
async function forward(timestamp: number) {
  if (timestamp > (await s.f.now())) await s.f.at(timestamp);
}

/** A and B check in (witnessing each other) for rounds 0..`until`−1; C does not; then past the close of `until`−1. */
async function absentFor(podId: bigint, tokenIds: bigint[], until: number) {
  const [a, b] = s.clients;
  const [ia, ib] = s.identities;
  const [wa, wb] = s.wallets;
  for (let round = 0; round < until; ++round) {
    await forward((await s.f.window(podId, round)).opensAt + HOUR);
    await checkInSync(a, { tokenId: tokenIds[0], round, report: report(round), identity: ia, witnesses: [wb] });
    await checkInSync(b, { tokenId: tokenIds[1], round, report: report(round), identity: ib, witnesses: [wa] });
  }
  await s.f.at((await s.f.window(podId, until - 1)).closesAt + 1);
}

describe("the absence rule", () => {
  it("is refused while the member is present; once absent, a claim that their own check-in cancels", async () => {
    const [A, B, C, D] = s.accounts;
    const [a, b, c, d] = s.clients;
    const [ia, ib, ic] = s.identities;
    const [wa] = s.wallets;
    const { podId, tokenIds } = await pod();
    const proposal = { podId, replaced: C, newcomer: { address: D, commitment: "Draw daily" }, identity: ia };
    // Round 0 has not closed: nobody has had two closed rounds, so nobody is absent.
    await s.f.atRound(podId, 0);
    const early = await refused(0, () => prepareProposeReplacement(a, proposal), ClaimMemberNotAbsentError);
    expect(early.args).to.deep.equal([podId, C]);
    expect(early.metaMessages.join("\n")).to.match(/found by a preflight check: no transaction was sent/i);

    await absentFor(podId, tokenIds, 2);
    const prepared = await prepareProposeReplacement(a, proposal);
    expect(prepared.typedData.primaryType).to.equal("ReplaceAbsentMember");
    // Every active member but the absent one, then the newcomer.
    expect(prepared.required).to.deep.equal([A, B, D]);
    // B checks what the claim would install before signing: the key for A, B and D, not C.
    const checked = await verifyMembershipChange(b, { podId, entry: prepared.entry, replaced: C, identity: ib });
    expect(checked.recipients).to.have.members([A, B, D]);
    expect(checked.covenant).to.equal("same");
    const signatures = await Promise.all(
      [1, 3].map(async (i) => ({
        signer: s.accounts[i],
        signature: await s.wallets[i].signTypedData({ account: s.wallets[i].account!, ...prepared.typedData }),
      })),
    );
    const made = await submitProposeReplacementSync(a, { prepared, signatures: [wa, ...signatures] });
    const now = Number((await s.f.publicClient.getBlock()).timestamp);
    // The window: max(48 h, one cadence of a day).
    expect(made.notBefore).to.equal(now + 2 * DAY);
    expect([made.tokenId, made.member, made.successor]).to.deep.equal([tokenIds[2], C, D]);

    const claim = await getClaim(d, { tokenId: tokenIds[2] });
    expect(claim).to.deep.include({
      kind: "replacement",
      member: C,
      successor: D,
      windowOpen: true,
      completable: false,
    });
    expect(claim.secondsLeft).to.equal(2 * DAY);
    expect((await getClaims(d, { podId })).map((x) => x.tokenId)).to.deep.equal([tokenIds[2]]);
    // One claim at a time; and not before the window has passed, by anyone.
    await refused(0, () => prepareProposeReplacement(a, proposal), ClaimPendingError);
    const open = await refused(3, () => completeClaim(d, { tokenId: tokenIds[2] }), ClaimWindowOpenError);
    expect(open.args[1]).to.equal(made.notBefore);
    expect(open.metaMessages.join("\n")).to.include("can be completed from");

    // C is here after all: their check-in for the open round answers the claim.
    await checkInSync(c, { tokenId: tokenIds[2], round: 2, report: report(2), identity: ic, witnesses: [wa] });
    expect((await getClaim(a, { tokenId: tokenIds[2] })).kind).to.equal("none");
    await s.f.at(made.notBefore + 1);
    await refused(3, () => completeClaim(d, { tokenId: tokenIds[2] }), ClaimNotFoundError);
    expect((await getPod(a, { podId })).members.map((m) => m.status)).to.deep.equal(["active", "active", "active"]);
  });

  it("is completed by anyone after the window: the absent member reads Replaced, the newcomer reads the covenant", async () => {
    const [, , C, D] = s.accounts;
    const [a, , , d, , outsider] = s.clients;
    const [ia, , , id] = s.identities;
    const { podId, tokenIds } = await pod(3, { rounds: 8 });
    await absentFor(podId, tokenIds, 2);
    const made = await proposeReplacementSync(a, {
      podId,
      replaced: C,
      newcomer: { address: D, commitment: "Draw daily" },
      identity: ia,
      signers: [s.wallets[0], s.wallets[1], s.wallets[3]],
    });
    await s.f.at(made.notBefore);
    expect((await getClaim(outsider, { tokenId: tokenIds[2] })).completable).to.equal(true);
    // Anyone may complete it: here an account that is no member.
    const done = await completeClaimSync(outsider, { tokenId: tokenIds[2] });
    expect(done.kind).to.equal("replacement");
    if (done.kind !== "replacement") return;
    expect([done.account, done.replacedTokenId, done.tokenId]).to.deep.equal([D, tokenIds[2], (podId << 8n) | 3n]);
    expect((await getCommitment(a, { tokenId: tokenIds[2] })).status).to.equal("replaced");
    const members = (await getPod(a, { podId })).members;
    expect(members.map((m) => m.status)).to.deep.equal(["active", "active", "replaced", "active"]);
    // The claim's keyring took effect: the newcomer reads the covenant and their commitment.
    expect((await readCovenant(d, { podId, identity: id })).title).to.equal("Claims pod");
    expect((await readCommitment(d, { tokenId: done.tokenId, identity: id })).commitment).to.equal("Draw daily");
    expect((await getClaim(a, { tokenId: tokenIds[2] })).kind).to.equal("none");
  });

  it("is stale once the pod's keyring moved on (a new claim then replaces it), and refused in a pod of two", async () => {
    const [, , C, D] = s.accounts;
    const [a, b, , d] = s.clients;
    const { podId, tokenIds } = await pod();
    await absentFor(podId, tokenIds, 2);
    const made = await proposeReplacementSync(a, {
      podId,
      replaced: C,
      newcomer: { address: D, commitment: "Draw" },
      signers: [s.wallets[0], s.wallets[1], s.wallets[3]],
    });
    // B starts a new key epoch during the window: the claim's keyring no longer follows the pod's.
    await rotateKeyringSync(b, { podId });
    await s.f.at(made.notBefore);
    const claim = await getClaim(d, { tokenId: tokenIds[2] });
    expect([claim.stale, claim.completable]).to.deep.equal([true, false]);
    const stale = await refused(3, () => completeClaim(d, { tokenId: tokenIds[2] }), ClaimStaleError);
    expect(stale.args[1]).to.equal(claim.previousKeyring);
    // A stale claim never blocks the seat: a new proposal replaces it (C is still absent).
    const again = await proposeReplacementSync(a, {
      podId,
      replaced: C,
      newcomer: { address: D, commitment: "Draw" },
      signers: [s.wallets[0], s.wallets[1], s.wallets[3]],
    });
    expect(again.events.map((e) => e.eventName)).to.include("ClaimCancelled");
    expect((await getClaim(d, { tokenId: tokenIds[2] })).stale).to.equal(false);

    const two = await pod(2);
    await refused(
      0,
      () =>
        proposeReplacement(a, {
          podId: two.podId,
          replaced: s.accounts[1],
          newcomer: { address: D, commitment: "x" },
          signers: [s.wallets[0], s.wallets[3]],
        }),
      ClaimPodTooSmallError,
    );
  });

  it("only the claimed member cancels a claim; a pod that ended keeps its keyring", async () => {
    const [, , C, D] = s.accounts;
    const [a, , c] = s.clients;
    const { podId, tokenIds } = await pod(3, { rounds: 3 });
    await absentFor(podId, tokenIds, 2);
    await proposeReplacementSync(a, {
      podId,
      replaced: C,
      newcomer: { address: D, commitment: "Draw" },
      signers: [s.wallets[0], s.wallets[1], s.wallets[3]],
    });
    const notHolder = await refused(0, () => cancelClaim(a, { tokenId: tokenIds[2] }), NotMemberError);
    expect(notHolder.errorName).to.equal("CommitmentNotOwner");
    const cancelled = await cancelClaimSync(c, { tokenId: tokenIds[2] });
    expect([cancelled.tokenId, cancelled.member]).to.deep.equal([tokenIds[2], C]);
    await refused(2, () => cancelClaim(c, { tokenId: tokenIds[2] }), ClaimNotFoundError);

    // Past the last round: no rotation any more (finding 4), refused before any gas.
    await s.f.at((await s.f.window(podId, 2)).closesAt + 1);
    await refused(0, () => rotateKeyring(a, { podId }), PodNotLiveError);
  });
});

describe("on-chain approvals", () => {
  it("an approval can be withdrawn before it is used", async () => {
    const [, B] = s.accounts;
    const [a, b] = s.clients;
    const { podId } = await pod(2);
    const prepared = await preparePause(a, { podId });
    const approved = await approveHashSync(b, { typedData: prepared.typedData });
    expect(approved.signer).to.equal(B);
    const revoked = await revokeHashSync(b, { typedData: prepared.typedData });
    expect(revoked.digest).to.equal(approved.digest);
    // The empty signature that stood for B's approval no longer counts.
    await refused(
      0,
      () => submitPause(a, { prepared, signatures: [s.wallets[0], { signer: B, signature: "0x" }] }),
      InvalidSignatureError,
    );
  });
});
