/**
 * A partner who joins later reads what the pod agreed: adding them seals the covenant (as amended so far) for the new
 * key epoch, and readCovenant finds it there, while everything else written before they joined stays closed to them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMemberSync,
  amendSync,
  checkInSync,
  createPodSync,
  MembershipChangeMismatchError,
  NotARecipientError,
  prepareAddMember,
  readCovenant,
  readReport,
  replaceMemberSync,
  verifyMembershipChange,
} from "./helpers/exports.ts";
import { report, type SdkFixture, setupSdk } from "./helpers/setup.ts";

let s: SdkFixture;
beforeAll(async () => {
  s = await setupSdk({ publish: 7 });
});
afterAll(async () => {
  await s?.close();
});

describe("a newcomer and the covenant", () => {
  it("reads the covenant as amended before they joined, and the pod's later amendments, but no earlier report", async () => {
    const [A, B, C, D, E] = s.accounts;
    const [a, b, , d, e] = s.clients;
    const [ia, ib, , id, ie] = s.identities;
    const [wa, wb, wc, wd, we] = s.wallets;
    const { podId, tokenIds } = await createPodSync(a, {
      title: "Autumn pod",
      whenSomeoneMisses: "We ask what got in the way.",
      members: [
        { address: A, commitment: "Write every morning" },
        { address: B, commitment: "Run three times a week" },
        { address: C, commitment: "Practise the cello" },
      ],
      signers: [wa, wb, wc],
    });
    await checkInSync(a, { tokenId: tokenIds[0], round: 0, report: report(0), identity: ia });
    await amendSync(b, { podId, changes: { title: "Autumn pod, amended" }, identity: ib, signers: [wa, wb, wc] });

    await addMemberSync(a, {
      podId,
      newcomer: { address: D, commitment: "Sketch after lunch" },
      identity: ia,
      signers: [wa, wb, wc, wd],
    });
    const read = await readCovenant(d, { podId, identity: id });
    expect(read.title).to.equal("Autumn pod, amended");
    expect(read.members.map((m) => m.commitment)).to.deep.equal([
      "Write every morning",
      "Run three times a week",
      "Practise the cello",
    ]);
    // The covenant was carried to the new epoch, nothing else: the report from before stays closed.
    await expect(readReport(d, { tokenId: tokenIds[0], round: 0, identity: id })).rejects.toBeInstanceOf(
      NotARecipientError,
    );

    // Amended after they joined: they read the pod's current covenant.
    await amendSync(d, { podId, changes: { title: "Winter pod" }, identity: id, signers: [wa, wb, wc, wd] });
    expect((await readCovenant(d, { podId, identity: id })).title).to.equal("Winter pod");

    // A replacement (C consents to it) carries it the same way.
    await replaceMemberSync(b, {
      podId,
      replaced: C,
      newcomer: { address: E, commitment: "Learn Spanish" },
      identity: ib,
      signers: [wa, wb, wc, wd, we],
    });
    expect((await readCovenant(e, { podId, identity: ie })).title).to.equal("Winter pod");
  });

  it("without the proposer's identity the covenant is not carried, and the newcomer is told they cannot read it", async () => {
    const [A, B, , , , F] = s.accounts;
    const [a, , , , , f] = s.clients;
    const [, , , , , iF] = s.identities;
    const [wa, wb, , , , wf] = s.wallets;
    const { podId } = await createPodSync(a, {
      title: "Pair pod",
      whenSomeoneMisses: "We begin again.",
      members: [
        { address: A, commitment: "Write" },
        { address: B, commitment: "Run" },
      ],
      signers: [wa, wb],
    });
    await addMemberSync(a, { podId, newcomer: { address: F, commitment: "Paint" }, signers: [wa, wb, wf] });
    await expect(readCovenant(f, { podId, identity: iF })).rejects.toBeInstanceOf(NotARecipientError);
    // A member with no copy still proposes the next newcomer with their identity: the change goes through, uncarried.
    const [, , , , , , G] = s.accounts;
    const [, , , , , , wg] = s.wallets;
    const added = await addMemberSync(f, {
      podId,
      newcomer: { address: G, commitment: "Sing" },
      identity: iF,
      signers: [wa, wb, wf, wg],
    });
    expect(added.tokenId & 0xffn).to.equal(3n);
  });

  it("a consenting member checks what a proposed change really installs before signing", async () => {
    const [A, B, C, D, E] = s.accounts;
    const [a, b, , d] = s.clients;
    const [ia, ib, , id] = s.identities;
    const [wa, wb, wc] = s.wallets;
    const { podId } = await createPodSync(a, {
      title: "Checked pod",
      whenSomeoneMisses: "We begin again.",
      members: [
        { address: A, commitment: "Write" },
        { address: B, commitment: "Run" },
        { address: C, commitment: "Play" },
      ],
      signers: [wa, wb, wc],
    });
    const prepared = await prepareAddMember(a, {
      podId,
      newcomer: { address: D, commitment: "Sketch" },
      identity: ia,
    });
    const checked = await verifyMembershipChange(b, { podId, entry: prepared.entry, identity: ib });
    expect(checked.covenant).to.equal("same");
    expect(checked.recipients).to.have.members([A, B, C, D]);
    // The newcomer cannot read the pod's covenant yet, so has nothing to compare the copy with.
    expect((await verifyMembershipChange(d, { podId, entry: prepared.entry, identity: id })).covenant).to.equal(
      "unchecked",
    );
    // A message naming another newcomer than the keyring wraps the key for is refused.
    await expect(
      verifyMembershipChange(b, { podId, entry: { ...prepared.entry, member: E }, identity: ib }),
    ).rejects.toBeInstanceOf(MembershipChangeMismatchError);
    // After the covenant changed, the copy prepared earlier is no longer the pod's.
    await amendSync(a, { podId, changes: { title: "Checked pod, amended" }, identity: ia, signers: [wa, wb, wc] });
    await expect(verifyMembershipChange(b, { podId, entry: prepared.entry, identity: ib })).rejects.toThrow(
      /the covenant it carries for the newcomer is not the pod's/,
    );
  });
});
