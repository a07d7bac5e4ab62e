/**
 * A scripted history of a small Troth network on an in-process chain, touching every protocol event: pods created by
 * signatures and by on-chain acceptance, check-ins witnessed at once, later by transaction and later by signature,
 * a check-in relayed by signature, misses (twice in a row, and a streak broken late), a restart, a pause consented
 * partly by an on-chain approval, an amendment that starts a new era, a departure that shrinks the quorum, an
 * addition, a replacement, keyring rotations, a renewal that graduates, burns, one-sided witnessing and a pod that
 * dissolves. Then protocol v2's paths: an approval withdrawn, a departure after a pod ended, a check-in sent again with
 * a new witness, an absence claim cancelled by the absent member's check-in and another completed after its window,
 * wallet recoveries (in a live pod and in an ended one), cycles that end unlived (Ended), and renewals that graduate
 * only where both cycles were lived (including one by a recovered address, which carries the record). `step` is
 * called after each step so the test can index and compare as the history unfolds.
 */
import type { Address, Hash, Hex } from "viem";
import { DAY, HOUR, type TrothFixture } from "../../test/helpers/troth.ts";

export type Step = (label: string) => Promise<void>;

type Name = "a" | "b" | "c" | "d" | "e" | "f" | "g" | "h" | "i" | "j" | "k" | "l" | "m" | "n" | "o" | "p" | "q";

export type History = {
  p1: bigint;
  p2: bigint;
  p3: bigint;
  p4: bigint;
  /** k, l, m, n; n replaced by o after an absence claim; l's commitment recovered to p. */
  p5: bigint;
  /** Renews P4 (h, i, j); j's commitment recovered to q after the pod ended. */
  p6: bigint;
  /** Renews P5 (p, k, m). */
  p7: bigint;
  accounts: Record<Name | "relayer", Address>;
};

export async function scriptedHistory(f: TrothFixture, step: Step): Promise<History> {
  const [, a, b, c, d, e, newcomerF, g, relayer, h, i, j, k, l, m, n, o, p, q] = f.accounts;
  if (!q) throw new Error("the scripted history needs 19 dev accounts");
  const accounts = { a, b, c, d, e, f: newcomerF, g, h, i, j, k, l, m, n, o, p, q, relayer };
  const mined = (hash: Hash | Promise<Hash>) => f.eventsOf(hash);
  const write = f.troth.write;

  for (const [i, account] of [a, b, c, d].entries()) {
    await mined(write.publishEncryptionKey([f.digest(`x25519:${i}`)], { account }));
  }
  await step("encryption keys published");

  // P1: a, b, c; weekly rounds, 48 h grace, 13 rounds, quorum 1; created with everyone's signature.
  const { podId: p1, tokenIds: t1 } = await f.createPod([a, b, c]);
  await step("P1 created by signatures");

  // P2: d, e; created by each accepting the covenant on chain (the last acceptance creates it).
  const covenant2 = await f.covenant([d, e]);
  await mined(write.acceptCovenant([covenant2], { account: d }));
  await step("P2 accepted by d");
  await mined(write.acceptCovenant([covenant2], { account: e }));
  const p2 = (await f.troth.read.podIdOf([covenant2])) as bigint;
  const t2 = [p2 << 8n, (p2 << 8n) | 1n];
  await step("P2 created by e's acceptance");

  // P4: h, i, j, where h does most of the witnessing (a dominant witness).
  const { podId: p4, tokenIds: t4 } = await f.createPod([h, i, j], { rounds: 3 });
  await step("P4 created");

  const [ta, tb, tc] = t1;
  const report = (tokenId: bigint, round: number) => f.reportOf(tokenId, round);
  const checkIn = (holder: Address, tokenId: bigint, round: number, witnesses: Address[] = []) =>
    mined(f.checkIn(holder, tokenId, round, witnesses));
  const witnessByTx = (witness: Address, tokenId: bigint, round: number) =>
    mined(write.witness([tokenId, round, report(tokenId, round)], { account: witness }));
  const witnessBySig = async (tokenId: bigint, round: number, witnesses: Address[]) =>
    mined(
      write.witnessBySig(
        [tokenId, round, await f.witnessSignatures(tokenId, round, report(tokenId, round), witnesses)],
        {
          account: relayer,
        },
      ),
    );
  /** Moves to `offset` after round `round` of `pod` opens. */
  const atRound = (pod: bigint, round: number, offset = HOUR) => f.atRound(pod, round, offset);
  /** Moves to `offset` after round `round` of `pod` closes. */
  const afterClose = async (pod: bigint, round: number, offset = HOUR) =>
    f.at((await f.window(pod, round)).closesAt + offset);

  // Round 0: witnessed at once; witnessed later by transaction (5 h later); witnessed later by two signatures.
  await atRound(p1, 0);
  await checkIn(a, ta, 0, [b]);
  await checkIn(b, tb, 0);
  await checkIn(c, tc, 0);
  await checkIn(d, t2[0], 0, [e]);
  await checkIn(i, t4[1], 0, [h]);
  await checkIn(j, t4[2], 0, [h]);
  await step("round 0 check-ins");
  await atRound(p1, 0, 6 * HOUR);
  await witnessByTx(c, tb, 0);
  await witnessBySig(tc, 0, [a, b]);
  await step("round 0 witnessed later");

  // Round 1: a's check-in relayed by signature; b misses; c checks in but nobody witnesses (a miss too).
  await atRound(p1, 1);
  const relayed = report(ta, 1);
  const memberSignature = await f.sign(f.walletOf(a), "CheckIn", { tokenId: ta, round: 1, reportDigest: relayed });
  const witnesses = await f.witnessSignatures(ta, 1, relayed, [c]);
  await mined(write.checkInBySig([ta, 1, relayed, memberSignature, witnesses], { account: relayer }));
  await checkIn(c, tc, 1);
  await checkIn(d, t2[0], 1, [e]);
  await checkIn(h, t4[0], 1, [i]);
  await checkIn(i, t4[1], 1, [h]);
  await checkIn(j, t4[2], 1, [h]);
  await step("round 1");

  // Round 2: b misses again (two in a row).
  await atRound(p1, 2);
  await checkIn(a, ta, 2, [b]);
  await checkIn(c, tc, 2, [a]);
  await checkIn(d, t2[0], 2, [e]);
  await step("round 2");

  // After round 2 closes: b restarts with a new commitment, then checks in round 3.
  await afterClose(p1, 2);
  await mined(write.restart([tb, f.digest("b: a new commitment")], { account: b }));
  await step("b restarted");
  await checkIn(a, ta, 3, [c]);
  await checkIn(b, tb, 3, [a]);
  await checkIn(c, tc, 3, [b]);
  // Between meetings: a notes how round 3 went, b answers under the listening rule (indexed for existence only).
  await mined(write.note([ta, 3, f.digest("a: a note"), 0], { account: a }));
  await mined(write.note([ta, 3, f.digest("b: thank you"), 1], { account: b }));
  await step("round 3");

  // e leaves P2: a single member remains, so P2 dissolves and its quorum shrinks to nothing.
  await mined(write.leave([t2[1]], { account: e }));
  await step("P2 dissolved");

  // Pause P1 (a consents by approving the digest on chain), three days later resume.
  await mined(
    f.pause(p1, {
      consent: async (signer, primaryType, message) => {
        if (signer !== a) return f.sign(f.walletOf(signer), primaryType, message);
        await mined(write.approveHash([f.typedDigest(primaryType, message)], { account: a }));
        return "0x";
      },
    }),
  );
  await step("P1 paused");
  await f.at((await f.now()) + 3 * DAY);
  await mined(f.resume(p1));
  await step("P1 resumed");

  // Round 4 under the original terms, then an amendment from round 5: 6-day cadence, 1-day grace, quorum 2.
  await atRound(p1, 4);
  await checkIn(a, ta, 4, [b, c]);
  await checkIn(b, tb, 4, [a]);
  await checkIn(c, tc, 4, [a]);
  await mined(f.amend(p1, { cadence: 6 * DAY, grace: DAY, quorum: 2, covenantDigest: f.digest("covenant v2") }));
  await step("round 4, P1 amended");

  // Round 5 (new era): a reaches quorum only when c witnesses by transaction; b's check-in has one witness of two
  // when c leaves and the quorum shrinks to one, so a attests again to settle it.
  await atRound(p1, 5);
  await checkIn(a, ta, 5, [b]);
  await checkIn(b, tb, 5, [a]);
  await atRound(p1, 5, 3 * HOUR);
  await witnessByTx(c, ta, 5);
  await step("round 5");
  await mined(write.leave([tc], { account: c }));
  await step("c left, P1 at risk");
  await witnessByTx(a, tb, 5);
  await step("a settles b's round 5");
  await mined(f.addMember(p1, f.newcomer(newcomerF)));
  await step("f added");
  const tf = (p1 << 8n) | 3n;

  // Round 6: everyone witnessed; then b is replaced by g; a rotates the keyring.
  await atRound(p1, 6);
  await checkIn(a, ta, 6, [newcomerF]);
  await checkIn(b, tb, 6, [a]);
  await checkIn(newcomerF, tf, 6, [a]);
  await mined(f.replaceMember(p1, b, f.newcomer(g)));
  await step("b replaced by g");
  const tg = (p1 << 8n) | 4n;
  await mined(write.rotateKeyring([p1, f.digest("keyring v3")], { account: a }));
  await step("keyring rotated");

  // Rounds 7–12: a misses round 7 right after a witnessed round 6 (a streak broken late); f misses round 10.
  for (let round = 7; round < 13; round++) {
    await atRound(p1, round);
    if (round !== 7) await checkIn(a, ta, round, [g]);
    if (round !== 10) await checkIn(newcomerF, tf, round, [a]);
    await checkIn(g, tg, round, [newcomerF]);
    await step(`round ${round}`);
  }

  // After P1 ends: a, f and g renew it (P3, a second cycle of two rounds), and c burns the token it left with.
  await afterClose(p1, 12);
  const { podId: p3, tokenIds: t3 } = await f.createPod([a, newcomerF, g], { previousPod: p1, rounds: 2 });
  await step("P3 renews P1");
  await mined(write.burn([tc], { account: c }));
  await step("c burned its P1 token");
  for (let round = 0; round < 2; round++) {
    await atRound(p3, round);
    await checkIn(a, t3[0], round, [newcomerF]);
    await checkIn(newcomerF, t3[1], round, [g]);
    await checkIn(g, t3[2], round, [a]);
    await step(`P3 round ${round}`);
  }

  // After P3 ends, a burns its graduated token: the burn is P3's latest event, so P3 graduates in the subgraph.
  await afterClose(p3, 1);
  await mined(write.burn([t3[0]], { account: a }));
  await step("a burned its graduated P3 token");

  // ─── Protocol v2 ───────────────────────────────────────────────────────────────────────────────────────────────

  // a approves a digest on chain, then withdraws the approval.
  const withdrawn = f.digest("an approval withdrawn");
  await mined(write.approveHash([withdrawn], { account: a }));
  await mined(write.revokeHash([withdrawn], { account: a }));
  await step("a revoked an approval");

  // P4 ended long ago: j leaves it, which leaves the pod as it ended (its active count too) and keeps j's right to
  // renew. h had one of three rounds witnessed: not a cycle lived, so h's P4 reads Ended; i's reads Completed.
  await mined(write.leave([t4[2]], { account: j }));
  await step("j left P4 after its end");

  // P6 renews P4 (two rounds, all witnessed): i and j graduate; h, whose P4 was not lived, only completes.
  // P5: k, l, m, n, quorum 2, eight rounds.
  const { podId: p6, tokenIds: t6 } = await f.createPod([h, i, j], { previousPod: p4, rounds: 2 });
  await step("P6 renews P4");
  const { podId: p5, tokenIds: t5 } = await f.createPod([k, l, m, n], { quorum: 2, rounds: 8 });
  await step("P5 created");
  const [tk, tl, tm, tn] = t5;

  // Round 0: k's check-in has one witness of two; the same check-in sent again with l and m adds m (l, already
  // recorded, is skipped) and reaches quorum. n is absent from the start.
  await atRound(p5, 0);
  await checkIn(k, tk, 0, [l]);
  await step("P5 round 0: k reported with one witness of two");
  await checkIn(k, tk, 0, [l, m]);
  await step("P5 round 0: k's check-in sent again with a new witness");
  await checkIn(l, tl, 0, [k, m]);
  await checkIn(m, tm, 0, [k, l]);
  for (const [t, holder, witness] of [
    [t6[0], h, i],
    [t6[1], i, j],
    [t6[2], j, h],
  ] as const) {
    await checkIn(holder, t, 0, [witness]);
  }
  await step("P5 and P6 round 0");

  await atRound(p5, 1);
  await checkIn(k, tk, 1, [l, m]);
  await checkIn(l, tl, 1, [k, m]);
  await checkIn(m, tm, 1, [k, l]);
  for (const [t, holder, witness] of [
    [t6[0], h, j],
    [t6[1], i, h],
    [t6[2], j, i],
  ] as const) {
    await checkIn(holder, t, 1, [witness]);
  }
  await step("P5 and P6 round 1");

  // Rounds 0 and 1 of P5 have closed without n: the others claim n is absent and propose o in their place. n checks
  // in, which cancels the claim.
  await afterClose(p5, 1);
  await mined(f.proposeReplacement(p5, n, f.newcomer(o)));
  await step("absence claim on n");
  await checkIn(n, tn, 2, [k, l]);
  await step("n checked in: the claim is cancelled");
  await checkIn(k, tk, 2, [l, m]);
  await checkIn(l, tl, 2, [k, m]);
  await checkIn(m, tm, 2, [k, l]);
  await step("P5 round 2");

  // P6 has ended. j lost their wallet: h and i vouch for q, j's new address (a recovery works in an ended pod).
  await mined(f.requestRecovery(t6[2], q));
  await step("recovery of j's P6 commitment requested");

  // m stops checking in (three rounds of eight witnessed: P5 will end unlived for m) but still witnesses; n is absent
  // again.
  for (const round of [3, 4]) {
    await atRound(p5, round);
    await checkIn(k, tk, round, [l, m]);
    await checkIn(l, tl, round, [k, m]);
    await step(`P5 round ${round}`);
  }
  await afterClose(p5, 4);
  await mined(write.completeClaim([t6[2]], { account: relayer }));
  await step("j's P6 commitment recovered to q");
  await mined(f.proposeReplacement(p5, n, f.newcomer(o)));
  await step("absence claim on n, again");
  await checkIn(k, tk, 5, [l, m]);
  await checkIn(l, tl, 5, [k, m]);
  await step("P5 round 5");

  // The objection window passes without n acting: anyone completes the claim, and o takes n's place.
  await f.at((await f.troth.read.claimOf([tn])).notBefore);
  await mined(write.completeClaim([tn], { account: relayer }));
  await step("n replaced by o after the objection window");
  const to = (p5 << 8n) | 4n;

  // l lost their wallet: k, m and o vouch for p. l's round 6 is missed while the window runs (l cannot act).
  await mined(f.requestRecovery(tl, p));
  await step("recovery of l's P5 commitment requested");
  await checkIn(k, tk, 6, [m, o]);
  await checkIn(o, to, 6, [k, m]);
  await step("P5 round 6");
  await f.at((await f.troth.read.claimOf([tl])).notBefore);
  await mined(write.completeClaim([tl], { account: relayer }));
  await step("l's P5 commitment recovered to p");
  await checkIn(p, tl, 7, [k, m]);
  await checkIn(k, tk, 7, [p, o]);
  await checkIn(o, to, 7, [k, p]);
  await step("P5 round 7, p checking in with l's commitment");

  // P5 ends: k, p (with l's record) and o lived it, m did not (Ended). k burns its token after the end.
  await afterClose(p5, 7);
  await mined(write.burn([tk], { account: k }));
  await step("P5 ended; k burned its token");

  // P7 renews P5: p, k and m, one round, all witnessed. p graduates on l's record. k burned its P5 token after the
  // end, which keeps that cycle lived (a burned record's span runs to the end): k graduates too. m's P5 was not lived:
  // m only completes. After the end, m leaves.
  const { podId: p7, tokenIds: t7 } = await f.createPod([p, k, m], { previousPod: p5, rounds: 1 });
  await step("P7 renews P5");
  await atRound(p7, 0);
  await checkIn(p, t7[0], 0, [k]);
  await checkIn(k, t7[1], 0, [m]);
  await checkIn(m, t7[2], 0, [p]);
  await step("P7 round 0");
  await afterClose(p7, 0);
  await mined(write.leave([t7[2]], { account: m }));
  await step("P7 ended; m left it");

  return { p1, p2, p3, p4, p5, p6, p7, accounts };
}

export type { Hex };
