/**
 * Recorded check-ins end to end on a real chain and a real Helia store: a member attaches a recording, checks in with
 * it, and partners play it back as a stream or chunk by chunk; a recording sealed for another round or under a key
 * epoch the pod has left behind is refused before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  attachRecording,
  checkIn,
  checkInSync,
  createPodSync,
  DecryptionError,
  leaveSync,
  NoRecordingError,
  NotARecipientError,
  RecordingEpochError,
  readRecording,
  readReport,
  rotateKeyringSync,
  startRecording,
} from "./helpers/exports.ts";
import { HOUR, report, type SdkFixture, setupSdk } from "./helpers/setup.ts";

let s: SdkFixture;
beforeAll(async () => {
  s = await setupSdk({ publish: 3 });
});
afterAll(async () => {
  await s?.close();
});

/** A recording's bytes, as a file stream gives them: pieces of 64 KiB. */
function* fileStream(bytes: Uint8Array) {
  for (let offset = 0; offset < bytes.length; offset += 65_536) yield bytes.subarray(offset, offset + 65_536);
}

async function concat(stream: AsyncIterable<Uint8Array>) {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return new Uint8Array(Buffer.concat(parts));
}

describe("recorded check-ins", () => {
  it("attaches, checks in, and plays back for every partner; refuses a recording of another slot or epoch", async () => {
    const [A, B, C] = s.accounts;
    const [a, b, c] = s.clients;
    const [wa, wb, wc] = s.wallets;
    const [ia, ib, ic] = s.identities;
    const created = await createPodSync(a, {
      title: "Recorded reflections",
      whenSomeoneMisses: "We listen to the next one together",
      members: [A, B, C].map((address) => ({ address, commitment: "Walk every day" })),
      signers: [wa, wb, wc],
    });
    const { podId, tokenIds } = created;
    await s.f.at(created.covenant.start + HOUR);

    const audio = Uint8Array.from({ length: 700_000 }, (_, i) => (i * 31 + (i >> 9)) & 0xff);
    const { recording, manifest } = await attachRecording(a, {
      tokenId: tokenIds[0],
      round: 0,
      identity: ia,
      source: fileStream(audio),
      mimeType: "audio/ogg",
      duration: 95_000,
      name: "reflection.ogg",
    });
    expect(manifest.chunks.length).to.equal(3);
    const { reportDigest, witnessed } = await checkInSync(a, {
      tokenId: tokenIds[0],
      round: 0,
      report: { ...report(0), recording },
      identity: ia,
      witnesses: [wb],
    });
    expect(witnessed).to.equal(true);
    expect((await readReport(c, { tokenId: tokenIds[0], round: 0, identity: ic })).recording).to.equal(recording);

    const played = await readRecording(b, { tokenId: tokenIds[0], round: 0, identity: ib, reportDigest });
    expect(played.manifest).to.deep.equal(manifest);
    expect(await concat(played.stream())).to.deep.equal(audio);
    // Seeking: the last chunk alone, and a stream from the second chunk on.
    expect(await played.chunk(2)).to.deep.equal(audio.subarray(2 * manifest.chunkSize));
    expect(await concat(played.stream({ from: 1 }))).to.deep.equal(audio.subarray(manifest.chunkSize));

    // A report without a recording says so.
    await checkInSync(b, { tokenId: tokenIds[1], round: 0, report: report(0), identity: ib, witnesses: [wa] });
    await expect(readRecording(a, { tokenId: tokenIds[1], round: 0, identity: ia })).rejects.toBeInstanceOf(
      NoRecordingError,
    );

    // C's recording for round 1 cannot be sent with a round-0 check-in, nor can someone else's.
    const forRound1 = await attachRecording(c, {
      tokenId: tokenIds[2],
      round: 1,
      identity: ic,
      source: [audio.subarray(0, 5000)],
      mimeType: "audio/ogg",
    });
    await expect(
      checkIn(c, {
        tokenId: tokenIds[2],
        round: 0,
        report: { ...report(0), recording: forRound1.recording },
        identity: ic,
      }),
    ).rejects.toBeInstanceOf(DecryptionError);
    await expect(
      checkIn(c, { tokenId: tokenIds[2], round: 0, report: { ...report(0), recording }, identity: ic }),
    ).rejects.toBeInstanceOf(DecryptionError);

    // C starts a recording, then B leaves and the key rotates: C's recording was sealed under a key B still holds.
    const session = await startRecording(c, { tokenId: tokenIds[2], round: 0, identity: ic, chunkSize: 4096 });
    await session.write(audio.subarray(0, 10_000));
    const stale = await session.finish({ mimeType: "audio/webm;codecs=opus" });
    await leaveSync(b, { tokenId: tokenIds[1] });
    await rotateKeyringSync(a, { podId });
    await expect(
      checkIn(c, {
        tokenId: tokenIds[2],
        round: 0,
        report: { ...report(0), recording: stale.recording },
        identity: ic,
        witnesses: [wa],
      }),
    ).rejects.toBeInstanceOf(RecordingEpochError);
    // Recorded again under the new key, it goes; B, who left, cannot play it.
    const fresh = await attachRecording(c, {
      tokenId: tokenIds[2],
      round: 0,
      identity: ic,
      source: [audio.subarray(0, 10_000)],
      mimeType: "audio/webm;codecs=opus",
    });
    await checkInSync(c, {
      tokenId: tokenIds[2],
      round: 0,
      report: { ...report(0), recording: fresh.recording },
      identity: ic,
      witnesses: [wa],
    });
    expect(
      await concat((await readRecording(a, { tokenId: tokenIds[2], round: 0, identity: ia })).stream()),
    ).to.deep.equal(audio.subarray(0, 10_000));
    await expect(readRecording(b, { tokenId: tokenIds[2], round: 0, identity: ib })).rejects.toBeInstanceOf(
      NotARecipientError,
    );
  });
});
