/**
 * Wallet recovery and the keyring rules through the SDK (protocol v2): a partner builds the recovery keyring (a new
 * epoch with the seat at the new address, every earlier epoch re-wrapped for it), so the recovered member reads the
 * pod's whole history again; a recovery the old wallet answers is cancelled; and a keyring someone installed that
 * breaks the rules (an outsider among its readers, an active member missing, a broken chain) is refused by every
 * reader and writer until an honest rotation.
 */
import { type Address, getAddress, type Hex, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AlreadyMemberError,
  addMemberSync,
  blobRef,
  ClaimNotFoundError,
  ClaimPodTooSmallError,
  ClaimWindowOpenError,
  checkIn,
  checkInSync,
  completeClaim,
  completeClaimSync,
  createPodSync,
  decodeKeyring,
  encodeKeyring,
  generateContentKey,
  getClaim,
  getCommitment,
  getDueCheckIns,
  getIdentityKey,
  getPod,
  type IdentityKey,
  InvalidKeyringError,
  leaveSync,
  MissingEncryptionKeyError,
  NotARecipientError,
  NotMemberError,
  prepareRequestRecovery,
  publishIdentityKeySync,
  readCommitment,
  readCovenant,
  readReport,
  requestRecoverySync,
  rotateKeyringSync,
  sealGrants,
  sealKeyring,
  submitRequestRecoverySync,
  verifyKeyringRotation,
} from "./helpers/exports.ts";
import { DAY, HOUR, report, type SdkFixture, setupSdk } from "./helpers/setup.ts";

let s: SdkFixture;
/** B's new address after losing the wallet of account 1: account 6, with its own identity key. */
let B2: Address;
let ib2: IdentityKey;
const terms = { title: "Recovery pod", whenSomeoneMisses: "We begin again.", cadence: DAY, grace: HOUR, rounds: 10 };

beforeAll(async () => {
  s = await setupSdk({ publish: 6 });
  B2 = s.accounts[6];
  // The new address publishes its identity key: the recovery keyring wraps the pod's keys for it.
  ib2 = await getIdentityKey(s.wallets[6]);
  await publishIdentityKeySync(s.clients[6], { identity: ib2 });
});
afterAll(async () => {
  await s?.close();
});

async function pod(n = 3) {
  return createPodSync(s.clients[0], {
    ...terms,
    members: s.accounts.slice(0, n).map((address, i) => ({ address, commitment: `Commitment ${i}` })),
    signers: s.wallets.slice(0, n),
  });
}

async function forward(timestamp: number) {
  if (timestamp > (await s.f.now())) await s.f.at(timestamp);
}

const sent = (i: number) => s.f.publicClient.getTransactionCount({ address: s.accounts[i] });

describe("recovering a lost wallet", () => {
  it("after a recovery in a later epoch, the new address reads the whole history; the lost key reads nothing new", async () => {
    const [A, B, C, D] = s.accounts;
    const [a, b, c, d] = s.clients;
    const [ia, ib] = s.identities;
    const [wa, wb, wc, wd] = s.wallets;
    const b2 = s.clients[6];
    const { podId, tokenIds } = await pod();
    const tokenB = tokenIds[1];
    // Epoch 0: B's report for round 0.
    await forward((await s.f.window(podId, 0)).opensAt + HOUR);
    await checkInSync(b, { tokenId: tokenB, round: 0, report: report(0), identity: ib, witnesses: [wa] });
    // D joins: epoch 1. B's report for round 1 is sealed under it.
    await addMemberSync(a, {
      podId,
      newcomer: { address: D, commitment: "Swim" },
      identity: ia,
      signers: [wa, wb, wc, wd],
    });
    await forward((await s.f.window(podId, 1)).opensAt + HOUR);
    await checkInSync(b, { tokenId: tokenB, round: 1, report: report(1), identity: ib, witnesses: [wc] });

    // B lost the wallet of account 1. A (a partner, who reads the pod) builds the recovery keyring.
    const prepared = await prepareRequestRecovery(a, { tokenId: tokenB, successor: B2, identity: ia });
    expect([prepared.lost, prepared.successor, prepared.epoch]).to.deep.equal([B, B2, 2]);
    expect(prepared.grantedEpochs).to.deep.equal([0, 1]);
    expect(prepared.missingEpochs).to.deep.equal([]);
    // Every active member but the lost address, then the new address.
    expect(prepared.required).to.deep.equal([A, C, D, B2]);
    expect(prepared.typedData.primaryType).to.equal("Recover");
    expect(prepared.typedData.message).to.deep.include({ podId, lost: B, account: B2 });
    // Partners check the keyring before they sign (D joined in epoch 1 and checks it all the same).
    for (const verifier of [c, d]) {
      const checked = await verifyKeyringRotation(verifier, {
        podId,
        keyringDigest: prepared.keyringDigest,
        leaving: B,
        joining: B2,
        recovery: true,
      });
      expect(checked.recipients).to.have.members([A, B2, C, D]);
      expect([checked.grantedEpochs, checked.missingEpochs]).to.deep.equal([[0, 1], []]);
    }
    const signatures = await Promise.all(
      [2, 3].map(async (i) => ({
        signer: s.accounts[i],
        signature: await s.wallets[i].signTypedData({ account: s.wallets[i].account!, ...prepared.typedData }),
      })),
    );
    // The new address submits, consenting as it sends.
    const made = await submitRequestRecoverySync(b2, { prepared, signatures: [wa, ...signatures, s.wallets[6]] });
    expect([made.tokenId, made.member, made.successor]).to.deep.equal([tokenB, B, B2]);
    expect((await getClaim(c, { tokenId: tokenB })).kind).to.equal("recovery");
    const before = await sent(6);
    await expect(completeClaim(b2, { tokenId: tokenB })).rejects.toBeInstanceOf(ClaimWindowOpenError);
    expect(await sent(6)).to.equal(before);

    await s.f.at(made.notBefore);
    const done = await completeClaimSync(c, { tokenId: tokenB });
    expect([done.kind, done.tokenId, done.account]).to.deep.equal(["recovery", tokenB, B2]);
    expect(done.keyringDigest).to.equal(prepared.keyringDigest);
    expect((await getPod(a, { podId })).members[1]).to.deep.include({ account: B2, status: "active" });
    const commitment = await getCommitment(a, { tokenId: tokenB });
    expect([commitment.account, commitment.witnessed]).to.deep.equal([B2, 2]);

    // The new address reads the pod's history: the report sealed in epoch 0, the one in epoch 1, the covenant and
    // the seat's commitment (sealed at the pod's creation).
    expect((await readReport(b2, { tokenId: tokenB, round: 0, identity: ib2 })).said).to.equal(report(0).said);
    expect((await readReport(b2, { tokenId: tokenB, round: 1, identity: ib2 })).said).to.equal(report(1).said);
    expect((await readCovenant(b2, { podId, identity: ib2 })).title).to.equal("Recovery pod");
    expect((await readCommitment(b2, { tokenId: tokenB, identity: ib2 })).commitment).to.equal("Commitment 1");

    // The seat carries on from the new address (its due round found through the token's transfer).
    const [due] = await getDueCheckIns(b2, { account: B2 });
    expect(due.tokenId).to.equal(tokenB);
    const after = await checkInSync(b2, {
      tokenId: tokenB,
      round: due.round,
      report: report(9),
      identity: ib2,
      witnesses: [wa],
    });
    expect(after.witnessed).to.equal(true);
    expect((await readReport(a, { tokenId: tokenB, round: due.round, identity: ia })).said).to.equal(report(9).said);
    // Whoever holds the lost wallet reads nothing written after the recovery, and can do nothing in the pod.
    await expect(readReport(b, { tokenId: tokenB, round: due.round, identity: ib })).rejects.toBeInstanceOf(
      NotARecipientError,
    );
    const lostSent = await sent(1);
    await expect(
      checkIn(b, { tokenId: tokenB, round: due.round, report: report(9), identity: ib }),
    ).rejects.toBeInstanceOf(NotMemberError);
    expect(await sent(1)).to.equal(lostSent);
  });

  it("is cancelled by any action of the old wallet during the window (a wallet that was not lost)", async () => {
    const [a, b] = s.clients;
    const [ia, ib] = s.identities;
    const [wa] = s.wallets;
    const { podId, tokenIds } = await pod(2);
    await forward((await s.f.window(podId, 0)).opensAt + HOUR);
    const made = await requestRecoverySync(a, {
      tokenId: tokenIds[1],
      successor: B2,
      identity: ia,
      signers: [wa, s.wallets[6]],
    });
    // B still has the wallet: their check-in answers the claim.
    await checkInSync(b, { tokenId: tokenIds[1], round: 0, report: report(0), identity: ib, witnesses: [wa] });
    expect((await getClaim(a, { tokenId: tokenIds[1] })).kind).to.equal("none");
    await s.f.at(made.notBefore);
    await expect(completeClaim(a, { tokenId: tokenIds[1] })).rejects.toBeInstanceOf(ClaimNotFoundError);
    expect((await getPod(a, { podId })).members[1].account).to.equal(s.accounts[1]);
  });

  it("is refused before anyone signs when it cannot stand", async () => {
    const [, , C] = s.accounts;
    const [a, b] = s.clients;
    const [ia] = s.identities;
    const b2 = s.clients[6];
    const { tokenIds } = await pod();
    const request = { tokenId: tokenIds[1], identity: ia };
    // A partner's seat, an address with no identity key, and the new address preparing it itself (it holds no key).
    await expect(prepareRequestRecovery(a, { ...request, successor: C })).rejects.toBeInstanceOf(AlreadyMemberError);
    await expect(prepareRequestRecovery(a, { ...request, successor: s.accounts[8] })).rejects.toBeInstanceOf(
      MissingEncryptionKeyError,
    );
    await expect(
      prepareRequestRecovery(b2, { tokenId: tokenIds[1], successor: B2, identity: ib2 }),
    ).rejects.toBeInstanceOf(NotARecipientError);
    // A pod whose last partner left: nobody is left to vouch.
    const two = await pod(2);
    await leaveSync(b, { tokenId: two.tokenIds[1] });
    await expect(
      prepareRequestRecovery(a, { tokenId: two.tokenIds[0], successor: B2, identity: ia }),
    ).rejects.toBeInstanceOf(ClaimPodTooSmallError);
  });

  it("a recovery keyring that hands the history to someone else, or drops a partner, is refused by the partners", async () => {
    const [A, B, C] = s.accounts;
    const [a, , c] = s.clients;
    const [ia, , ic] = s.identities;
    const { podId, tokenIds } = await pod();
    const prepared = await prepareRequestRecovery(a, { tokenId: tokenIds[1], successor: B2, identity: ia });
    const honest = decodeKeyring(await s.store.get(prepared.keyringDigest));
    const check = (keyringDigest: Hex) =>
      verifyKeyringRotation(c, { podId, keyringDigest, leaving: B, joining: B2, recovery: true }).catch((e) => e);

    // The epoch-0 key handed to C instead of the new address.
    const contentKey = generateContentKey();
    const toC = sealGrants({
      pod: honest.pod,
      keys: [{ epoch: 0, contentKey }],
      member: C,
      publicKey: ic.publicKeyHex,
    });
    const stolen = await s.store.put(encodeKeyring({ ...honest, grants: toC }));
    const wrongHeir = await check(stolen.digest);
    expect(wrongHeir).toBeInstanceOf(InvalidKeyringError);
    expect(wrongHeir.reason).to.match(new RegExp(`hands epoch 0's key to someone other than ${B2}`));

    // A keyring for A and the new address only: C would read nothing after.
    const dropped = sealKeyring({
      pod: honest.pod,
      epoch: honest.epoch,
      previous: honest.previous,
      contentKey,
      recipients: [
        { member: A, publicKey: ia.publicKeyHex },
        { member: B2, publicKey: ib2.publicKeyHex },
      ],
    });
    const droppedRef = await s.store.put(encodeKeyring(dropped));
    const missing = await check(droppedRef.digest);
    expect(missing).toBeInstanceOf(InvalidKeyringError);
    expect(missing.reason).to.match(/the keyring is for .* instead of /);
    // Grants are a recovery's alone.
    const asRotation = await verifyKeyringRotation(c, { podId, keyringDigest: prepared.keyringDigest }).catch((e) => e);
    expect(asRotation).toBeInstanceOf(InvalidKeyringError);
    expect(blobRef(encodeKeyring(honest)).digest).to.equal(prepared.keyringDigest);
  });
});

describe("a keyring installed against the rules", () => {
  /** A installs, by a raw transaction (as a modified client could), a keyring for `members` following `previous`. */
  async function installByHand(
    podId: bigint,
    members: { member: Address; publicKey: Hex }[],
    { previous, epochStep = 1 }: { previous?: Hex; epochStep?: number } = {},
  ) {
    const record = await s.f.troth.read.podRecord([podId]);
    const current = decodeKeyring(await s.store.get(record.keyringDigest));
    const keyring = sealKeyring({
      pod: current.pod,
      epoch: current.epoch + epochStep,
      previous: previous ?? record.keyringDigest,
      contentKey: generateContentKey(),
      recipients: members,
    });
    const { digest } = await s.store.put(encodeKeyring(keyring));
    const hash = await s.f.troth.write.rotateKeyring([podId, digest], { account: s.accounts[0] });
    await s.f.publicClient.waitForTransactionReceipt({ hash });
    return digest;
  }

  it("refuses to read or write under it, saying why, until an honest rotation", async () => {
    const [A, B, C, , E] = s.accounts;
    const [a, b, c, , e] = s.clients;
    const [ia, ib, ic, , ie] = s.identities;
    const [wa] = s.wallets;
    const { podId, tokenIds } = await pod();
    await forward((await s.f.window(podId, 0)).opensAt + HOUR);
    await checkInSync(a, {
      tokenId: tokenIds[0],
      round: 0,
      report: report(0),
      identity: ia,
      witnesses: [s.wallets[1]],
    });
    const key = (member: Address, identity: IdentityKey) => ({ member, publicKey: identity.publicKeyHex });

    // An outsider (E) among the readers.
    await installByHand(podId, [key(A, ia), key(B, ib), key(C, ic), key(E, ie)]);
    const outsider = await readCovenant(b, { podId, identity: ib }).catch((error) => error);
    expect(outsider).toBeInstanceOf(InvalidKeyringError);
    expect(outsider.reason).to.equal(`it wraps the pod key for ${getAddress(E)}, who is not a member of the pod`);
    expect(outsider.shortMessage).to.match(/breaks the pod's key rules/);
    await expect(readReport(c, { tokenId: tokenIds[0], round: 0, identity: ic })).rejects.toBeInstanceOf(
      InvalidKeyringError,
    );
    const blocks = await sent(1);
    await forward((await s.f.window(podId, 1)).opensAt + HOUR);
    await expect(
      checkIn(b, { tokenId: tokenIds[1], round: 1, report: report(1), identity: ib, witnesses: [wa] }),
    ).rejects.toBeInstanceOf(InvalidKeyringError);
    expect(await sent(1)).to.equal(blocks);
    await expect(verifyKeyringRotation(b, { podId })).rejects.toBeInstanceOf(InvalidKeyringError);

    // An honest member starts a sound epoch: reading and writing go on, and E reads nothing written after.
    await rotateKeyringSync(b, { podId });
    expect((await verifyKeyringRotation(c, { podId })).recipients).to.have.members([A, B, C]);
    expect((await readCovenant(c, { podId, identity: ic })).title).to.equal("Recovery pod");
    await checkInSync(b, { tokenId: tokenIds[1], round: 1, report: report(1), identity: ib, witnesses: [wa] });
    await expect(readReport(e, { tokenId: tokenIds[1], round: 1, identity: ie })).rejects.toBeInstanceOf(
      NotARecipientError,
    );

    // An active member left out (C would read nothing), and a keyring that does not follow the one it replaced.
    await installByHand(podId, [key(A, ia), key(B, ib)]);
    const dropped = await readCovenant(b, { podId, identity: ib }).catch((error) => error);
    expect(dropped.reason).to.equal(`it does not wrap the pod key for ${getAddress(C)}, an active member`);
    await rotateKeyringSync(b, { podId });
    await installByHand(podId, [key(A, ia), key(B, ib), key(C, ic)], { previous: keccak256(toHex("elsewhere")) });
    const unchained = await readCovenant(b, { podId, identity: ib }).catch((error) => error);
    expect(unchained).toBeInstanceOf(InvalidKeyringError);
    expect(unchained.reason).to.match(/^it does not follow the keyring it replaced on chain/);
    await rotateKeyringSync(b, { podId });
    await installByHand(podId, [key(A, ia), key(B, ib), key(C, ic)], { epochStep: 3 });
    const skipped = await readCovenant(c, { podId, identity: ic }).catch((error) => error);
    expect(skipped.reason).to.match(/^its epoch \d+ does not follow epoch \d+ of the keyring it replaced$/);
  });
});
