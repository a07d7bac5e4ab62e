import { zeroHash } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acceptCovenantSync,
  addMemberSync,
  amendSync,
  checkIn,
  checkInBySigSync,
  checkInSync,
  createPodSync,
  getCommitment,
  getContinuity,
  getDueCheckIns,
  getPod,
  getSpeakingOrder,
  leaveSync,
  NotARecipientError,
  pauseSync,
  prepareCovenant,
  readCommitment,
  readCovenant,
  readReplies,
  readReport,
  renewPodSync,
  replaceMemberSync,
  restartSync,
  resumeSync,
  rotateKeyringSync,
  StaleKeyringError,
  signWitness,
  witnessBySigSync,
  witnessSync,
} from "./helpers/exports.ts";
import { DAY, HOUR, report, type SdkFixture, setupSdk } from "./helpers/setup.ts";

let s: SdkFixture;
beforeAll(async () => {
  s = await setupSdk();
});
afterAll(async () => {
  await s?.close();
});

async function countBlocks() {
  let n = 0;
  for await (const _ of s.helia.helia.blockstore.getAll()) n += 1;
  return n;
}

const terms = {
  title: "Spring pod",
  whenSomeoneMisses: "We ask what got in the way, and begin again.",
};

describe("a pod's whole life through the SDK", () => {
  it("creates, checks in, witnesses, pauses, amends, changes members, ends and renews", async () => {
    const [A, B, C, D, E] = s.accounts;
    const [a, b, c, d, e] = s.clients;
    const [ia, ib, ic, id] = s.identities;
    const [wa, wb, wc, wd, we] = s.wallets;

    // Create: three members consent by signature in one transaction.
    const created = await createPodSync(a, {
      ...terms,
      members: [
        { address: A, commitment: "Write 500 words a day" },
        { address: B, commitment: "Run three times a week" },
        { address: C, commitment: "Practise piano daily" },
      ],
      signers: [wa, wb, wc],
    });
    const { podId, tokenIds } = created;
    expect(tokenIds.length).to.equal(3);
    expect(created.events.some((e) => e.eventName === "PodCreated")).to.equal(true);
    const pod = await getPod(b, { podId });
    expect(pod.status).to.equal("active");
    expect(pod.members.map((m) => m.account)).to.deep.equal([A, B, C]);
    const covenant = await readCovenant(c, { podId, identity: ic });
    expect(covenant.title).to.equal("Spring pod");
    expect(covenant.members.map((m) => m.commitment)).to.deep.equal([
      "Write 500 words a day",
      "Run three times a week",
      "Practise piano daily",
    ]);
    expect((await readCommitment(a, { tokenId: tokenIds[1], identity: ia })).commitment).to.equal(
      "Run three times a week",
    );

    // Round 0: check in with a witness signature (quorum 1): witnessed at once.
    await s.f.at(pod.start + HOUR);
    expect(await getDueCheckIns(a, { account: A })).to.have.length(1);
    const first = await checkInSync(a, {
      tokenId: tokenIds[0],
      round: 0,
      report: report(0),
      identity: ia,
      witnesses: [wb],
    });
    expect(first.witnessed).to.equal(true);
    expect(await getDueCheckIns(a, { account: A })).to.have.length(0);
    const read = await readReport(c, { tokenId: tokenIds[0], round: 0, identity: ic });
    expect(read.said).to.equal(report(0).said);
    expect(read.reportDigest).to.equal(first.reportDigest);

    // B checks in alone; C witnesses by transaction.
    const pending = await checkInSync(b, { tokenId: tokenIds[1], round: 0, report: report(0), identity: ib });
    expect(pending.witnessed).to.equal(false);
    expect((await witnessSync(c, { tokenId: tokenIds[1], round: 0 })).witnessed).to.equal(true);

    // C checks in; A signs with a reply; B's signature is submitted later by witnessBySig.
    const attestation = await signWitness(a, {
      tokenId: tokenIds[2],
      round: 0,
      reportDigest: (await checkInSync(c, { tokenId: tokenIds[2], round: 0, report: report(0), identity: ic }))
        .reportDigest,
      signer: wa,
      reply: "What did you notice?",
      identity: ia,
    });
    expect(
      (await witnessBySigSync(b, { tokenId: tokenIds[2], round: 0, witnesses: [attestation] })).witnessed,
    ).to.equal(true);
    const replies = await readReplies(c, {
      tokenId: tokenIds[2],
      round: 0,
      replies: [attestation.reply!],
      identity: ic,
    });
    expect(replies).to.deep.equal([{ type: "troth/reply", version: 1, from: A, reply: "What did you notice?" }]);

    // Round 1: A checks in through a relayer (E) with the member's signature.
    await s.f.at((await getPod(a, { podId })).start + 7 * DAY + HOUR);
    const relayed = await checkInBySigSync(e, {
      tokenId: tokenIds[0],
      round: 1,
      report: report(1),
      identity: ia,
      member: wa,
      witnesses: [wc],
    });
    expect(relayed.witnessed).to.equal(true);
    expect(await getSpeakingOrder(a, { podId })).to.deep.equal([B, C, A]);

    // Pause and resume with everyone's consent.
    const paused = await pauseSync(a, { podId, signers: [wa, wb, wc] });
    expect((await getPod(a, { podId })).status).to.equal("paused");
    await s.f.at(paused.pausedAt + 3 * DAY);
    const resumed = await resumeSync(b, { podId, signers: [wa, wb, wc] });
    expect(resumed.pausedFor).to.be.greaterThan(3 * DAY - 5);

    // Amend: quorum 2 from the next round, covenant re-encrypted.
    const amended = await amendSync(c, {
      podId,
      quorum: 2,
      changes: { title: "Spring pod, amended" },
      identity: ic,
      signers: [wa, wb, wc],
    });
    expect(amended.fromRound).to.equal(2);
    expect((await readCovenant(a, { podId, identity: ia })).title).to.equal("Spring pod, amended");

    // B missed round 1: round 2 opens, then round 1 closes; B restarts with a new commitment.
    const window1 = await s.f.window(podId, 1);
    await s.f.at(window1.closesAt + 1);
    const restarted = await restartSync(b, { tokenId: tokenIds[1], commitment: "Run twice a week", identity: ib });
    expect(restarted.restarts).to.equal(1);
    expect((await readCommitment(c, { tokenId: tokenIds[1], identity: ic })).commitment).to.equal("Run twice a week");

    // Add D: a new key epoch. D reads what is written from now on, not before.
    const added = await addMemberSync(a, {
      podId,
      newcomer: { address: D, commitment: "Learn Spanish" },
      signers: [wa, wb, wc, wd],
    });
    expect(added.tokenId).to.equal(tokenIds[0] + 3n);
    await expect(readReport(d, { tokenId: tokenIds[0], round: 0, identity: id })).rejects.toBeInstanceOf(
      NotARecipientError,
    );
    const round2 = await checkInSync(a, {
      tokenId: tokenIds[0],
      round: 2,
      report: report(2),
      identity: ia,
      witnesses: [wb, wd],
    });
    expect(round2.witnessed).to.equal(true);
    expect((await readReport(d, { tokenId: tokenIds[0], round: 2, identity: id })).next).to.equal(report(2).next);
    // The covenant was last written before D joined: D reads it once the pod amends it under the new epoch.
    await expect(readCovenant(d, { podId, identity: id })).rejects.toBeInstanceOf(NotARecipientError);

    // C leaves: nothing is written until the keyring is rotated; then C cannot read the new epoch.
    await leaveSync(c, { tokenId: tokenIds[2] });
    const blocksBefore = await countBlocks();
    await expect(
      checkIn(b, { tokenId: tokenIds[1], round: 2, report: report(2), identity: ib, witnesses: [wa, wd] }),
    ).rejects.toBeInstanceOf(StaleKeyringError);
    // Nothing was stored under the key C still holds, not even for a moment.
    expect(await countBlocks()).to.equal(blocksBefore);
    await rotateKeyringSync(a, { podId });
    await checkInSync(b, { tokenId: tokenIds[1], round: 2, report: report(2), identity: ib, witnesses: [wa, wd] });
    await expect(readReport(c, { tokenId: tokenIds[1], round: 2, identity: ic })).rejects.toBeInstanceOf(
      NotARecipientError,
    );
    expect((await readReport(c, { tokenId: tokenIds[0], round: 0, identity: ic })).said).to.equal(report(0).said);

    // Replace D by E (E publishes a key first); D consents too: nobody is pushed out by the others.
    const [ie] = [s.identities[4]];
    const replaced = await replaceMemberSync(b, {
      podId,
      replaced: D,
      newcomer: { address: E, commitment: "Sleep by eleven" },
      signers: [wa, wb, wd, we],
    });
    expect(replaced.replacedTokenId).to.equal(added.tokenId);
    expect((await readCommitment(a, { tokenId: replaced.tokenId, identity: ia })).commitment).to.equal(
      "Sleep by eleven",
    );
    expect((await readCommitment(e, { tokenId: replaced.tokenId, identity: ie })).commitment).to.equal(
      "Sleep by eleven",
    );

    const continuity = await getContinuity(a, { podId });
    expect(continuity.commitments.map((m) => m.status)).to.deep.equal([
      "active",
      "active",
      "left",
      "replaced",
      "active",
    ]);
    expect(continuity.commitments[0].roundStates.slice(0, 3)).to.deep.equal(["witnessed", "witnessed", "witnessed"]);
    expect((await getCommitment(a, { tokenId: tokenIds[0] })).currentStreak).to.equal(3);
    expect(zeroHash).not.to.equal(continuity.pod.keyringDigest);

    // The cycle ends; A and B renew for a second cycle.
    const last = await s.f.window(podId, continuity.pod.rounds - 1);
    await s.f.at(last.closesAt + 1);
    expect((await getPod(a, { podId })).status).to.equal("ended");
    const renewed = await renewPodSync(a, {
      previousPod: podId,
      ...terms,
      members: [
        { address: A, commitment: "Finish the draft" },
        { address: B, commitment: "Run a 10k" },
      ],
      signers: [wa, wb],
    });
    const second = await getCommitment(b, { tokenId: renewed.tokenIds[1] });
    expect(second.cycle).to.equal(2);
    expect(second.previousTokenId).to.equal(tokenIds[1]);
  });

  it("creates a pod from acceptances by transaction", async () => {
    const [A, B] = s.accounts;
    const [a, b] = s.clients;
    const { covenant, podId } = await prepareCovenant(a, {
      ...terms,
      members: [
        { address: A, commitment: "Walk daily" },
        { address: B, commitment: "Read nightly" },
      ],
    });
    const first = await acceptCovenantSync(a, { covenant });
    expect(first.created).to.equal(false);
    const second = await acceptCovenantSync(b, { covenant });
    expect(second.created).to.equal(true);
    expect(second.podId).to.equal(podId);
    expect((await readCovenant(b, { podId, identity: s.identities[1] })).members[0].commitment).to.equal("Walk daily");
  });
});
