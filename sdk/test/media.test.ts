/**
 * The recording format (sdk/src/crypto/media.ts): chunked streaming encryption round-trips for any size and any way the
 * bytes arrive, resumes where it stopped, and every kind of damage to a recording is refused with its own error.
 */
import { keccak256, toHex } from "viem";
import { describe, expect, it } from "vitest";
import {
  createRecordingWriter,
  DocumentValidationError,
  EmptyRecordingError,
  generateContentKey,
  MAX_CHUNK_SIZE,
  openDocument,
  openRecordingChunk,
  type RecordingChunkError,
  RecordingChunkOutOfOrderError,
  RecordingChunkRangeError,
  RecordingChunkTamperedError,
  RecordingClosedError,
  type RecordingDocument,
  RecordingExtendedError,
  RecordingResumeError,
  RecordingTooLargeError,
  RecordingTruncatedError,
  readRecordingChunk,
  recordingChunkRange,
  sealDocument,
  sealRecording,
  streamRecording,
  validateDocument,
} from "../src/crypto/index.ts";
import {
  BlobNotFoundError,
  blobRef,
  type ContentStore,
  IntegrityError,
  MAX_BLOB_SIZE,
  toCid,
} from "../src/storage/index.ts";

/** A content-addressed store in memory, with the same contract as the real ones (`get` checks nothing here: the reader must). */
function memoryStore(options: { putDelay?: number } = {}) {
  const blocks = new Map<string, Uint8Array>();
  let inFlight = 0;
  const stats = { puts: 0, maxInFlight: 0, largest: 0 };
  const store: ContentStore & { blocks: typeof blocks; stats: typeof stats } = {
    name: "memory",
    blocks,
    stats,
    async put(bytes) {
      expect(bytes.length).to.be.at.most(MAX_BLOB_SIZE);
      stats.puts++;
      stats.largest = Math.max(stats.largest, bytes.length);
      stats.maxInFlight = Math.max(stats.maxInFlight, ++inFlight);
      if (options.putDelay) await new Promise((resolve) => setTimeout(resolve, options.putDelay));
      inFlight--;
      const ref = blobRef(bytes);
      blocks.set(ref.cid.toString(), bytes.slice());
      return ref;
    },
    async get(locator) {
      const cid = toCid(locator).toString();
      const bytes = blocks.get(cid);
      if (!bytes) throw new BlobNotFoundError({ cid, source: "memory" });
      return bytes;
    },
  };
  return store;
}

/** A reproducible random source (xorshift), so a failing case can be replayed from its seed. */
function seeded(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return {
    int: (max: number) => next() % max,
    bytes: (length: number) => Uint8Array.from({ length }, () => next() & 0xff),
  };
}

const key = generateContentKey();
const pod = keccak256(toHex("media test pod"));
const slot = { pod, epoch: 2, member: 1, round: 4 };

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

/** Splits bytes into pieces of random sizes, as a recorder or a file stream hands them over. */
function* pieces(bytes: Uint8Array, random: ReturnType<typeof seeded>, largest: number) {
  for (let offset = 0; offset < bytes.length; ) {
    const take = 1 + random.int(largest);
    yield bytes.subarray(offset, offset + take);
    offset += take;
  }
}

describe("recording format: round trip", () => {
  it("returns every byte in order, for random sizes, chunk sizes and write sizes", async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seeded(seed);
      const chunkSize = [1024, 1500, 4096][seed % 3];
      const edge = [1, chunkSize - 1, chunkSize, chunkSize + 1, 3 * chunkSize];
      const size = seed <= edge.length ? edge[seed - 1] : 1 + random.int(6 * chunkSize);
      const plaintext = random.bytes(size);
      const store = memoryStore();
      const manifest = await sealRecording(pieces(plaintext, random, 2 * chunkSize), {
        key,
        slot,
        store,
        chunkSize,
        mimeType: "audio/webm;codecs=opus",
        duration: 1234,
      });
      expect(manifest.size, `seed ${seed}`).to.equal(size);
      expect(manifest.chunks.length, `seed ${seed}`).to.equal(Math.ceil(size / chunkSize));
      const source = { key, slot, manifest, store };
      expect(await collect(streamRecording(source)), `seed ${seed}`).to.deep.equal(plaintext);
      // Random access, for seeking: any chunk alone, and a stream from any chunk on.
      const index = random.int(manifest.chunks.length);
      const { start, end } = recordingChunkRange(manifest, index);
      expect(await readRecordingChunk(source, index)).to.deep.equal(plaintext.subarray(start, end));
      expect(await collect(streamRecording({ ...source, from: index }))).to.deep.equal(plaintext.subarray(start));
    }
  });

  it("keeps every sealed chunk within one block, at the largest chunk size too", async () => {
    const store = memoryStore();
    const plaintext = seeded(7).bytes(2 * MAX_CHUNK_SIZE + 10);
    const manifest = await sealRecording([plaintext], {
      key,
      slot,
      store,
      chunkSize: MAX_CHUNK_SIZE,
      mimeType: "video/webm",
    });
    expect(store.stats.largest).to.equal(MAX_BLOB_SIZE);
    expect(await collect(streamRecording({ key, slot, manifest, store }))).to.deep.equal(plaintext);
    expect(() => createRecordingWriter({ key, slot, store, chunkSize: MAX_CHUNK_SIZE + 1 })).to.throw(
      DocumentValidationError,
    );
  });

  it("stores chunks as they fill, with a bounded number in flight", async () => {
    const store = memoryStore({ putDelay: 5 });
    const stored: number[] = [];
    const writer = createRecordingWriter({
      key,
      slot,
      store,
      chunkSize: 1024,
      concurrency: 2,
      onStored: (state) => {
        stored.push(state.stored);
      },
    });
    const random = seeded(3);
    for (let i = 0; i < 20; i++) await writer.write(random.bytes(700), i * 100);
    // 14 000 bytes: 13 chunks are full and followed by more bytes, so sealed; the 14th may still be the last.
    expect(store.stats.puts).to.equal(13);
    expect(store.stats.maxInFlight).to.be.at.most(2);
    const manifest = await writer.finish({ mimeType: "audio/ogg" });
    expect(store.stats.puts).to.equal(14);
    expect(stored.at(-1)).to.equal(14 * 1024);
    expect(stored).to.deep.equal([...stored].sort((a, b) => a - b));
    // The media time of each chunk's first byte, for seeking.
    expect(manifest.times?.length).to.equal(14);
    expect(manifest.times?.[1]).to.equal(100); // byte 1024 arrived with the second write, made at 100 ms
  });

  it("resumes after an interruption: bytes after the stored chunks are written again and seal the same", async () => {
    const random = seeded(11);
    const plaintext = random.bytes(10_000);
    const store = memoryStore();
    let saved: ReturnType<ReturnType<typeof createRecordingWriter>["state"]> | undefined;
    const keep = (state: typeof saved) => {
      saved = state;
    };
    const first = createRecordingWriter({ key, slot, store, chunkSize: 1024, onStored: keep });
    await first.write(plaintext.subarray(0, 6_500)); // a reload here: the first writer is gone
    expect(saved?.stored).to.equal(6 * 1024);
    const stateAtReload = structuredClone(saved!); // what the dApp keeps in IndexedDB
    const second = createRecordingWriter({ key, slot, store, resume: stateAtReload });
    expect(second.size).to.equal(6 * 1024);
    await second.write(plaintext.subarray(stateAtReload.stored, 8_000));
    await second.write(plaintext.subarray(8_000));
    const manifest = await second.finish({ mimeType: "audio/webm", segments: [0, 6_500] });
    expect(manifest.chunks.slice(0, 6)).to.deep.equal(stateAtReload.chunks);
    expect(await collect(streamRecording({ key, slot, manifest, store }))).to.deep.equal(plaintext);
    // Finishing a resumed writer without the bytes after its stored chunks cannot seal a last chunk.
    const third = createRecordingWriter({ key, slot, store, resume: stateAtReload });
    await expect(third.finish({ mimeType: "audio/webm" })).rejects.toThrow(RecordingResumeError);
  });
});

describe("recording format: bad input", () => {
  it("names each mistake with its own error", async () => {
    const store = memoryStore();
    await expect(sealRecording([], { key, slot, store, mimeType: "audio/ogg" })).rejects.toThrow(EmptyRecordingError);
    const writer = createRecordingWriter({ key, slot, store, chunkSize: 1024, maxSize: 5000 });
    await writer.write(new Uint8Array(4000));
    await expect(writer.write(new Uint8Array(1001))).rejects.toThrow(RecordingTooLargeError);
    // A bad media type is refused before the last chunk is sealed, and can be corrected.
    await expect(writer.finish({ mimeType: "text/html" })).rejects.toThrow(DocumentValidationError);
    const manifest = await writer.finish({ mimeType: "audio/ogg" });
    expect(manifest.size).to.equal(4000);
    await expect(writer.write(new Uint8Array(1))).rejects.toThrow(RecordingClosedError);
    await expect(readRecordingChunk({ key, slot, manifest, store }, 4)).rejects.toThrow(RecordingChunkRangeError);
  });

  it("stops taking bytes once a store fails, and says how to go on", async () => {
    const store = memoryStore();
    let fail = false;
    const flaky = {
      ...store,
      put: (bytes: Uint8Array) => (fail ? Promise.reject(new Error("IPFS is down")) : store.put(bytes)),
    };
    const writer = createRecordingWriter({ key, slot, store: flaky, chunkSize: 1024, concurrency: 1 });
    await writer.write(new Uint8Array(2048 + 1));
    fail = true;
    await expect(writer.write(new Uint8Array(2048))).rejects.toThrow("IPFS is down");
    await expect(writer.write(new Uint8Array(1))).rejects.toThrow(RecordingClosedError);
    expect(writer.state().stored).to.equal(2048);
  });

  it("checks a manifest's fields against each other", () => {
    const valid: RecordingDocument = {
      type: "troth/recording",
      version: 1,
      format: 1,
      mimeType: "video/webm;codecs=vp8,opus",
      duration: 0,
      size: 2048,
      chunkSize: 1024,
      nonce: toHex(new Uint8Array(19)),
      chunks: [blobRef(new Uint8Array([1])).cid.toString(), blobRef(new Uint8Array([2])).cid.toString()],
    };
    expect(validateDocument("recording", valid)).to.deep.equal(valid);
    for (const [field, bad] of [
      ["chunks", { chunks: valid.chunks.slice(1) }],
      ["chunks[0]", { chunks: ["QmNotARawCid", valid.chunks[1]] }],
      ["times", { times: [0] }],
      ["times", { times: [5, 1] }],
      ["segments", { segments: [0, 4096] }],
      ["mimeType", { mimeType: "application/pdf" }],
    ] as const) {
      expect(() => validateDocument("recording", { ...valid, ...bad }), field).to.throw(DocumentValidationError, field);
    }
  });
});

describe("recording format: damage is detected, never played", () => {
  const chunkSize = 1024;
  const plaintext = seeded(99).bytes(4 * chunkSize + 300); // five chunks
  async function recorded() {
    const store = memoryStore();
    const manifest = await sealRecording([plaintext], { key, slot, store, chunkSize, mimeType: "audio/webm" });
    return { store, manifest };
  }
  /** Plays a (possibly forged) manifest to the end: how far it got and how it stopped. */
  async function play(manifest: RecordingDocument, store: ContentStore, options: { key?: Uint8Array } = {}) {
    const played: Uint8Array[] = [];
    try {
      for await (const part of streamRecording({ key: options.key ?? key, slot, manifest, store })) played.push(part);
      return { played, error: undefined };
    } catch (error) {
      return { played, error };
    }
  }

  it("a block altered in the store fails its CID", async () => {
    const { store, manifest } = await recorded();
    const bytes = store.blocks.get(manifest.chunks[2])!;
    bytes[10] ^= 1;
    const { played, error } = await play(manifest, store);
    expect(error).to.be.instanceOf(IntegrityError);
    expect(played.length).to.equal(2);
  });

  it("an altered chunk under a matching CID (a forged manifest) does not open", async () => {
    const { store, manifest } = await recorded();
    const bytes = store.blocks.get(manifest.chunks[1])!.slice();
    bytes[bytes.length - 1] ^= 0x80; // the tag
    const { cid } = await store.put(bytes);
    const { error } = await play({ ...manifest, chunks: manifest.chunks.with(1, cid.toString()) }, store);
    expect(error).to.be.instanceOf(RecordingChunkTamperedError);
    expect((error as RecordingChunkTamperedError).index).to.equal(1);
  });

  it("reordered chunks are named as such", async () => {
    const { store, manifest } = await recorded();
    const [c0, c1, c2, c3, c4] = manifest.chunks;
    const { played, error } = await play({ ...manifest, chunks: [c0, c2, c1, c3, c4] }, store);
    expect(error).to.be.instanceOf(RecordingChunkOutOfOrderError);
    expect((error as RecordingChunkOutOfOrderError).actual).to.equal(2);
    expect(played.length).to.equal(1);
  });

  it("a dropped chunk is named as such", async () => {
    const { store, manifest } = await recorded();
    const [c0, , c2, c3, c4] = manifest.chunks;
    const forged = { ...manifest, size: manifest.size - chunkSize, chunks: [c0, c2, c3, c4] };
    const { error } = await play(forged, store);
    expect(error).to.be.instanceOf(RecordingChunkOutOfOrderError);
    expect((error as RecordingChunkError).index).to.equal(1);
  });

  it("a truncated recording (its last chunk gone) is refused at the new end", async () => {
    const { store, manifest } = await recorded();
    const forged = { ...manifest, size: 4 * chunkSize, chunks: manifest.chunks.slice(0, 4) };
    const { played, error } = await play(forged, store);
    expect(error).to.be.instanceOf(RecordingTruncatedError);
    expect(played.length).to.equal(3);
  });

  it("an extended recording (a chunk appended after the last) is refused at the real end", async () => {
    const { store, manifest } = await recorded();
    const other = await sealRecording([plaintext.subarray(0, 300)], {
      key,
      slot,
      store,
      chunkSize,
      mimeType: "audio/webm",
    });
    const forged = {
      ...manifest,
      size: manifest.size - 300 + chunkSize + 300,
      chunks: [...manifest.chunks, other.chunks[0]],
    };
    const { error } = await play(forged, store);
    expect(error).to.be.instanceOf(RecordingExtendedError);
    expect((error as RecordingChunkError).index).to.equal(4);
  });

  it("a chunk of another recording, another slot or another key does not open", async () => {
    const { store, manifest } = await recorded();
    const other = await sealRecording([plaintext], { key, slot, store, chunkSize, mimeType: "audio/webm" });
    const spliced = { ...manifest, chunks: manifest.chunks.with(3, other.chunks[3]) };
    expect((await play(spliced, store)).error).to.be.instanceOf(RecordingChunkTamperedError);
    const movedRound = await collect(streamRecording({ key, slot: { ...slot, round: 5 }, manifest, store })).catch(
      (error) => error,
    );
    expect(movedRound).to.be.instanceOf(RecordingChunkTamperedError);
    expect((await play(manifest, store, { key: generateContentKey() })).error).to.be.instanceOf(
      RecordingChunkTamperedError,
    );
  });

  it("a missing chunk stops the stream with the store's error", async () => {
    const { store, manifest } = await recorded();
    store.blocks.delete(manifest.chunks[3]);
    const { played, error } = await play(manifest, store);
    expect(error).to.be.instanceOf(BlobNotFoundError);
    expect(played.length).to.equal(3);
  });

  it("opens a chunk only where it belongs, even from a direct call", async () => {
    const { store, manifest } = await recorded();
    const sealed = store.blocks.get(manifest.chunks[0])!;
    expect(() => openRecordingChunk(sealed, { key, slot, manifest, index: 3 })).to.throw(RecordingChunkOutOfOrderError);
  });

  it("seals its manifest like every document, bound to the author's slot", async () => {
    const { manifest } = await recorded();
    const envelope = sealDocument(manifest, { key, slot: { ...slot, kind: "recording" } });
    expect(openDocument(envelope, { key, slot: { ...slot, kind: "recording" } })).to.deep.equal(manifest);
    expect(() => openDocument(envelope, { key, slot: { ...slot, kind: "report" } })).to.throw();
    // The report points to it.
    const report = {
      type: "troth/report",
      version: 1,
      said: "a",
      blocked: "",
      next: "b",
      recording: manifest.chunks[0],
    };
    expect(validateDocument("report", report).recording).to.equal(manifest.chunks[0]);
    expect(() => validateDocument("report", { ...report, recording: "bafy…" })).to.throw(DocumentValidationError);
  });
});
