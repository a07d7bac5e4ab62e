/**
 * The page's half of service-worker playback (lib/mediaWorker.ts): which bytes a Range header asks for, what the
 * response says, and that a range is read chunk by chunk, a chunk ahead at most, whatever its size. The worker and a
 * real element are exercised in Chromium (dapp/e2e/recording.ts).
 */
import type { RecordingDocument } from "@troth/sdk/crypto";
import { describe, expect, it } from "vitest";
import { parseRange, rangePieces, responseHead } from "../src/lib/mediaWorker.ts";

const SIZE = 1000;

describe("parseRange", () => {
  it("reads the forms a media element sends", () => {
    expect(parseRange("bytes=0-", SIZE)).to.deep.equal({ start: 0, end: 999 });
    expect(parseRange("bytes=100-199", SIZE)).to.deep.equal({ start: 100, end: 199 });
    expect(parseRange("bytes=900-5000", SIZE)).to.deep.equal({ start: 900, end: 999 });
    expect(parseRange("bytes=-100", SIZE)).to.deep.equal({ start: 900, end: 999 });
    expect(parseRange("bytes=-5000", SIZE)).to.deep.equal({ start: 0, end: 999 });
  });

  it("serves the whole file for no range, several ranges, or a malformed one (HTTP lets a server ignore them)", () => {
    for (const header of [null, undefined, "", "bytes=-", "bytes=0-1,5-9", "items=0-1", "bytes=9-2", "bytes=a-b"]) {
      expect(parseRange(header, SIZE), String(header)).to.equal(undefined);
    }
  });

  it("refuses a range that starts past the end", () => {
    expect(parseRange("bytes=1000-", SIZE)).to.equal("unsatisfiable");
    expect(parseRange("bytes=5000-6000", SIZE)).to.equal("unsatisfiable");
    expect(parseRange("bytes=-0", SIZE)).to.equal("unsatisfiable");
  });
});

const manifest = {
  size: SIZE,
  mimeType: "audio/wav",
  chunkSize: 256,
  chunks: ["a", "b", "c", "d"],
} as RecordingDocument;

describe("responseHead", () => {
  it("answers a range with 206 and its Content-Range, the whole file with 200", () => {
    const partial = responseHead(manifest, "bytes=300-");
    expect(partial.status).to.equal(206);
    expect(partial.headers).to.include({
      "content-type": "audio/wav",
      "content-length": "700",
      "content-range": "bytes 300-999/1000",
      "accept-ranges": "bytes",
    });
    const whole = responseHead(manifest, null);
    expect(whole.status).to.equal(200);
    expect(whole.headers["content-length"]).to.equal("1000");
    expect(whole.headers).not.to.have.property("content-range");
  });

  it("answers a range past the end with 416 and the file's size", () => {
    const head = responseHead(manifest, "bytes=1000-");
    expect(head).to.deep.include({ status: 416, body: false });
    expect(head.headers).to.deep.equal({ "content-range": "bytes */1000" });
  });
});

/** A recording whose chunk i holds bytes i·256… of 0, 1, 2… (mod 251), counting the chunks opened and in flight. */
function fakeRecording(chunkSize = 256, size = SIZE) {
  const count = Math.ceil(size / chunkSize);
  const bytesAt = (from: number, to: number) => Uint8Array.from({ length: to - from }, (_, k) => (from + k) % 251);
  const opened: number[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  return {
    opened,
    mostInFlight: () => mostInFlight,
    manifest: { ...manifest, size, chunkSize, chunks: Array.from({ length: count }, (_, i) => `chunk${i}`) },
    async chunk(index: number) {
      opened.push(index);
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return bytesAt(index * chunkSize, Math.min(size, (index + 1) * chunkSize));
    },
  };
}

async function collect(pieces: AsyncIterable<Uint8Array>) {
  const parts: Uint8Array[] = [];
  for await (const piece of pieces) parts.push(piece);
  return parts;
}

describe("rangePieces", () => {
  it("gives exactly the bytes asked for, whatever the range, opening only the chunks it covers", async () => {
    for (const [start, end] of [
      [0, 999],
      [0, 0],
      [255, 256],
      [300, 700],
      [512, 767],
      [999, 999],
      [1, 998],
    ]) {
      const recording = fakeRecording();
      const parts = await collect(rangePieces(recording, start, end));
      const joined = Uint8Array.from(parts.flatMap((p) => [...p]));
      expect(joined.length, `${start}-${end}`).to.equal(end - start + 1);
      joined.forEach((b, k) => {
        expect(b).to.equal((start + k) % 251);
      });
      const first = Math.floor(start / 256);
      const last = Math.floor(end / 256);
      expect(recording.opened).to.deep.equal(Array.from({ length: last - first + 1 }, (_, i) => first + i));
      expect(parts.every((p) => p.length <= 256)).to.equal(true);
    }
  });

  it("reads one chunk ahead at most, as the reader asks (a 300 MB file is never held whole)", async () => {
    const recording = fakeRecording(256 * 1024, 300 * 1024 * 1024);
    const pieces = rangePieces(recording, 0, recording.manifest.size - 1);
    await pieces.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(recording.opened).to.deep.equal([0, 1]);
    await pieces.next();
    await pieces.return();
    expect(recording.opened).to.deep.equal([0, 1, 2]);
    expect(recording.mostInFlight()).to.be.at.most(1);
  });

  it("passes a chunk's failure on to the reader", async () => {
    const recording = fakeRecording();
    const broken = {
      ...recording,
      chunk: (index: number) =>
        index === 2 ? Promise.reject(new Error("chunk 2 does not match its CID")) : recording.chunk(index),
    };
    await expect(collect(rangePieces(broken, 0, 999))).rejects.toThrow("chunk 2 does not match its CID");
  });
});
