/**
 * Nothing in plaintext leaves the member's machine: every byte handed to storage and every transaction's calldata in
 * a full lifecycle is recorded, and no document text (in any encoding a leak would take) appears in any of it.
 */
import { bytesToHex, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMemberSync,
  amendSync,
  attachRecording,
  COVENANT_BOUNDARY,
  checkInBySigSync,
  checkInSync,
  createPodSync,
  readRecording,
  readReplies,
  restartSync,
  signWitness,
} from "./helpers/exports.ts";
import { HOUR, type SdkFixture, setupSdk } from "./helpers/setup.ts";

const stored: Uint8Array[] = [];
let s: SdkFixture;

beforeAll(async () => {
  s = await setupSdk({
    wrapStore: (store) => ({
      name: store.name,
      get: (locator) => store.get(locator),
      put: (bytes) => {
        stored.push(bytes.slice());
        return store.put(bytes);
      },
    }),
  });
});
afterAll(async () => {
  await s?.close();
});

describe("no plaintext leaves the machine", () => {
  it("stores and sends only ciphertext, digests and keys", async () => {
    const [A, B, C, D] = s.accounts;
    const [a, b, c] = s.clients;
    const [wa, wb, wc, wd] = s.wallets;
    const [ia, ib, ic] = s.identities;
    const secrets = {
      title: "Pod of the quiet harbour",
      whenSomeoneMisses: "We phone the one who missed and listen for ten minutes",
      commitments: [
        "Finish chapter seven of my memoir",
        "Call my estranged brother monthly",
        "Stop drinking on weekdays",
      ],
      report: {
        said: "I would write two thousand words",
        blocked: "My divorce hearing took the week",
        next: "Mornings before work",
      },
      report2: { said: "I would call him on Sunday", blocked: "Fear of his anger", next: "Send a letter first" },
      newCommitment: "Write one page every night instead",
      newTitle: "Pod of the quiet harbour, second terms",
      newcomer: "Run a half marathon in October",
      // A recorded reflection: its bytes carry words a leak would show, spread over several chunks.
      spoken: "On Tuesday I sat in the car outside the court and could not go in",
      recordingName: "tuesday-outside-the-court.ogg",
    };
    const created = await createPodSync(a, {
      title: secrets.title,
      whenSomeoneMisses: secrets.whenSomeoneMisses,
      members: [A, B, C].map((address, i) => ({ address, commitment: secrets.commitments[i] })),
      signers: [wa, wb, wc],
    });
    const { podId, tokenIds } = created;
    await s.f.at(created.covenant.start + HOUR);
    const spokenBytes = new TextEncoder().encode(`${secrets.spoken}. `.repeat(20_000)); // ≈ 1.3 MB, 6 chunks
    const { recording } = await attachRecording(a, {
      tokenId: tokenIds[0],
      round: 0,
      identity: ia,
      source: [spokenBytes.subarray(0, 500_000), spokenBytes.subarray(500_000)],
      mimeType: "audio/ogg;codecs=opus",
      duration: 1_200_000,
      name: secrets.recordingName,
    });
    const { reportDigest } = await checkInSync(a, {
      tokenId: tokenIds[0],
      round: 0,
      report: { ...secrets.report, recording },
      identity: ia,
    });
    const reply = await signWitness(b, {
      tokenId: tokenIds[0],
      round: 0,
      reportDigest,
      signer: wb,
      reply: "What did you notice?",
      identity: ib,
    });
    const thanks = await signWitness(c, {
      tokenId: tokenIds[0],
      round: 0,
      reportDigest,
      signer: wc,
      reply: "Thank you",
      identity: ic,
    });
    expect(
      (await readReplies(a, { tokenId: tokenIds[0], round: 0, replies: [reply.reply!, thanks.reply!], identity: ia }))
        .length,
    ).to.equal(2);
    // The recording is there, whole, for a partner; only its ciphertext was stored.
    const played = await readRecording(b, { tokenId: tokenIds[0], round: 0, identity: ib, reportDigest });
    let playedBytes = 0;
    for await (const bytes of played.stream()) playedBytes += bytes.length;
    expect(playedBytes).to.equal(spokenBytes.length);
    expect(played.manifest.chunks.length).to.be.greaterThan(4);
    await checkInBySigSync(c, {
      tokenId: tokenIds[1],
      round: 0,
      report: secrets.report2,
      identity: ib,
      member: wb,
      witnesses: [wa],
    });
    await amendSync(a, { podId, changes: { title: secrets.newTitle }, identity: ia, signers: [wa, wb, wc] });
    await s.f.at((await s.f.window(podId, 0)).closesAt + 1);
    await restartSync(c, { tokenId: tokenIds[2], commitment: secrets.newCommitment, identity: ic });
    await addMemberSync(a, {
      podId,
      newcomer: { address: D, commitment: secrets.newcomer },
      signers: [wa, wb, wc, wd],
    });

    // Every transaction's calldata, from the chain itself.
    const calldata: string[] = [];
    const latest = await s.f.publicClient.getBlockNumber();
    for (let n = 0n; n <= latest; ++n) {
      const block = await s.f.publicClient.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) calldata.push(tx.input.toLowerCase());
    }
    expect(calldata.length).to.be.greaterThan(10);
    expect(stored.length).to.be.greaterThan(10);

    const texts = [
      secrets.title,
      secrets.whenSomeoneMisses,
      ...secrets.commitments,
      ...Object.values(secrets.report),
      ...Object.values(secrets.report2),
      secrets.newCommitment,
      secrets.newTitle,
      secrets.newcomer,
      COVENANT_BOUNDARY,
      "What did you notice?",
      "Thank you",
      "troth/report",
      "troth/covenant",
      "troth/recording",
      secrets.spoken,
      secrets.spoken.slice(30),
      secrets.recordingName,
      "audio/ogg;codecs=opus",
    ];
    const storedText = stored.map((bytes) => Buffer.from(bytes).toString("latin1"));
    const storedHex = stored.map((bytes) => bytesToHex(bytes));
    for (const text of texts) {
      // Any 12-character window of the text is enough to count as a leak.
      const probe = text.slice(0, 12);
      const encodings = [probe, Buffer.from(probe).toString("base64").slice(0, 12), toHex(probe).slice(2)];
      for (const blob of storedText) expect(blob.includes(probe), `"${probe}" stored in plaintext`).to.equal(false);
      for (const blob of storedHex) expect(blob.includes(encodings[2]), `"${probe}" stored as hex`).to.equal(false);
      for (const input of calldata) {
        for (const encoded of encodings)
          expect(input.includes(encoded.toLowerCase()), `"${probe}" in calldata`).to.equal(false);
      }
    }
  });
});
