/**
 * A scripted history of a small Troth network on an in-process chain, touching every protocol event: pods created by
 * signatures and by on-chain acceptance, check-ins witnessed at once, later by transaction and later by signature,
 * a check-in relayed by signature, misses (twice in a row, and a streak broken late), a restart, a pause consented
 * partly by an on-chain approval, an amendment that starts a new era, a departure that shrinks the quorum, an
 * addition, a replacement, keyring rotations, a renewal that graduates, burns, one-sided witnessing and a pod that
 * dissolves. `step` is called after each step so the test can index and compare as the history unfolds.
 */
import type { Address, Hash, Hex } from "viem";
import { DAY, HOUR, type TrothFixture } from "../../test/helpers/troth.ts";

export type Step = (label: string) => Promise<void>;

export type History = {
  p1: bigint;
  p2: bigint;
  p3: bigint;
  p4: bigint;
  accounts: Record<"a" | "b" | "c" | "d" | "e" | "f" | "g" | "h" | "i" | "j" | "relayer", Address>;
};

export async function scriptedHistory(f: TrothFixture, step: Step): Promise<History> {
  const [, a, b, c, d, e, newcomerF, g, relayer, h, i, j] = f.accounts;
  const accounts = { a, b, c, d, e, f: newcomerF, g, h, i, j, relayer };
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

  return { p1, p2, p3, p4, accounts };
}

export type { Hex };
