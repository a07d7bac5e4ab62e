/**
 * Recorded reflections, format 1: a recording (audio or video, minutes to hours long) is split into fixed-size chunks,
 * each sealed as its own XChaCha20-Poly1305 message under the pod's content key and stored as one raw IPFS block; a
 * manifest (a `recording` document, sealed like every other) lists the chunks' CIDs in order.
 *
 * - Nonce of chunk i: the recording's random 19-byte prefix ‖ i (4 bytes, big-endian) ‖ 1 if it is the last chunk,
 *   else 0. So a chunk opens only at its own place, and only the true last chunk opens as the last one: reordered,
 *   dropped, truncated or extended recordings are refused, chunk by chunk, before anything is played.
 * - Associated data: "TRTM" ‖ format version (1) ‖ the slot (pod ‖ key epoch ‖ kind `recording` ‖ member ‖ round, as
 *   in envelopes) ‖ chunk size (4, big-endian). A chunk cannot be moved to another pod, epoch, member or round.
 * - A chunk is the bare ciphertext with its 16-byte tag: chunk size + 16 bytes (the last: the rest + 16), never more
 *   than the 1 MiB block limit.
 *
 * Pure apart from the store it is handed (`put` a block -> CID, `get` a CID -> verified bytes).
 */
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { concatBytes } from "@noble/hashes/utils.js";
import { bytesToHex, type Hex, hexToBytes } from "viem";
import { DocumentValidationError } from "../errors/document.ts";
import {
  EmptyRecordingError,
  RecordingChunkOutOfOrderError,
  RecordingChunkRangeError,
  RecordingChunkTamperedError,
  RecordingClosedError,
  RecordingExtendedError,
  RecordingResumeError,
  RecordingTooLargeError,
  RecordingTruncatedError,
} from "../errors/media.ts";
import { MAX_BLOB_SIZE, toCid, verifyBlob } from "../storage/cid.ts";
import type { ContentStore } from "../storage/types.ts";
import { DOCUMENT_VERSION, MAX_RECORDING_CHUNKS, type RecordingDocument, validateDocument } from "./documents.ts";
import { type EnvelopeSlot, requireKey, slotBinding } from "./envelope.ts";
import { defaultRandom, type RandomSource, u32 } from "./random.ts";

/** "TRTM": the first bytes of every chunk's associated data. */
export const MEDIA_MAGIC = new Uint8Array([0x54, 0x52, 0x54, 0x4d]);
/** The chunk format new recordings are written in (the manifest's `format`). */
export const MEDIA_FORMAT_VERSION = 1;
/** Plaintext bytes per chunk unless told otherwise: a quarter of a block, a few seconds of 720p video. */
export const DEFAULT_CHUNK_SIZE = 256 * 1024;
const TAG_SIZE = 16;
/** The largest chunk size: a sealed chunk stays within one block. */
export const MAX_CHUNK_SIZE = MAX_BLOB_SIZE - TAG_SIZE;
const MIN_CHUNK_SIZE = 1024;
const NONCE_PREFIX_SIZE = 19;
/** How far from its place a misplaced chunk is looked for, to say "reordered" rather than "tampered". */
const DIAGNOSIS_SPAN = 16;

/** Where a recording belongs: the author's slot (kind `recording` is implied). */
export type RecordingSlot = Omit<EnvelopeSlot, "kind">;

type ChunkCipher = {
  seal(index: number, last: boolean, plaintext: Uint8Array): Uint8Array;
  /** The plaintext, or null when the chunk does not open at this place. */
  tryOpen(index: number, last: boolean, sealed: Uint8Array): Uint8Array | null;
};

function chunkCipher(key: Uint8Array, slot: RecordingSlot, prefix: Uint8Array, chunkSize: number): ChunkCipher {
  requireKey(key);
  const associatedData = concatBytes(
    MEDIA_MAGIC,
    new Uint8Array([MEDIA_FORMAT_VERSION]),
    slotBinding({ ...slot, kind: "recording" }),
    u32(chunkSize),
  );
  const nonce = (index: number, last: boolean) => concatBytes(prefix, u32(index), new Uint8Array([last ? 1 : 0]));
  return {
    seal: (index, last, plaintext) => xchacha20poly1305(key, nonce(index, last), associatedData).encrypt(plaintext),
    tryOpen(index, last, sealed) {
      if (sealed.length < TAG_SIZE) return null;
      try {
        return xchacha20poly1305(key, nonce(index, last), associatedData).decrypt(sealed);
      } catch {
        return null;
      }
    },
  };
}

function requireChunkSize(chunkSize: number): void {
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    const reason = `expected an integer from ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE}`;
    throw new DocumentValidationError({ kind: "recording", path: "chunkSize", reason });
  }
}

/** What a writer has stored so far; persisted, it lets a writer pick up where a reload or an outage stopped it. */
export type RecordingWriterState = {
  /** The recording's nonce prefix (19 bytes). */
  nonce: Hex;
  chunkSize: number;
  /** CIDs of the chunks stored, in order (every one full, none the last). */
  chunks: string[];
  /** Media time (ms) of the write that held each stored chunk's first byte, where the writes gave one. */
  times: (number | null)[];
};

export type CreateRecordingWriterParameters = {
  /** The pod's content key of `slot.epoch`. */
  key: Uint8Array;
  slot: RecordingSlot;
  store: Pick<ContentStore, "put">;
  /** Plaintext bytes per chunk (default {@link DEFAULT_CHUNK_SIZE}). */
  chunkSize?: number;
  random?: RandomSource;
  /**
   * A recording to continue: the state an earlier writer reported. Write again every byte from `stored` on (the bytes
   * after the stored chunks); they are sealed exactly as before, so a chunk already stored gets the same CID.
   */
  resume?: RecordingWriterState;
  /** Blocks stored at once (memory holds this many sealed chunks and the one being filled). Default 4. */
  concurrency?: number;
  /** The most plaintext bytes accepted (default: as many as a manifest lists). */
  maxSize?: number;
  /** Called, in order, each time the stored prefix grows: persist it to resume; local bytes below `stored` may go. */
  onStored?: (state: RecordingWriterState & { stored: number }) => void | Promise<void>;
};

export type FinishRecordingParameters = {
  mimeType: string;
  /** Length in milliseconds, if known. */
  duration?: number;
  /** The file's name, for saving it out again. */
  name?: string;
  /** Byte offsets where recorder sessions began (0 first), for a recording resumed after a reload. */
  segments?: number[];
};

/** Encrypts a recording as it is made and stores its chunks as they fill; `finish` returns its manifest. */
export type RecordingWriter = {
  /**
   * Adds bytes (`time`: the media time, in ms, when they were recorded; a chunk's time is its first byte's, a little
   * early when a write straddles chunks, which is what seeking needs). Waits while stores are busy.
   */
  write(bytes: Uint8Array, time?: number): Promise<void>;
  /** Seals the last chunk, waits for every store, and returns the manifest (to be sealed as a `recording` document). */
  finish(details: FinishRecordingParameters): Promise<RecordingDocument>;
  /** Bytes received so far, counting the ones a resumed writer took over. */
  readonly size: number;
  /** What is stored so far (`stored`: plaintext bytes covered by stored chunks). */
  state(): RecordingWriterState & { stored: number };
};

/**
 * A streaming encryptor: bytes in (as MediaRecorder or a file gives them), sealed chunks out to the store as each one
 * fills. Memory: one chunk being filled plus `concurrency` sealed chunks in flight, whatever the recording's length.
 *
 * @example
 * ```ts
 * const writer = createRecordingWriter({ key, slot: { pod, epoch, member: 0, round: 3 }, store });
 * for await (const bytes of file.stream()) await writer.write(bytes);
 * const manifest = await writer.finish({ mimeType: "audio/ogg", duration: 1_200_000 });
 * ```
 */
export function createRecordingWriter(parameters: CreateRecordingWriterParameters): RecordingWriter {
  const { key, slot, store, resume, onStored, concurrency = 4, random = defaultRandom } = parameters;
  const chunkSize = resume?.chunkSize ?? parameters.chunkSize ?? DEFAULT_CHUNK_SIZE;
  requireChunkSize(chunkSize);
  const maxSize = Math.min(parameters.maxSize ?? Number.POSITIVE_INFINITY, MAX_RECORDING_CHUNKS * chunkSize);
  const prefix = resume ? hexToBytes(resume.nonce) : random(NONCE_PREFIX_SIZE);
  if (prefix.length !== NONCE_PREFIX_SIZE)
    throw new DocumentValidationError({ kind: "recording", path: "nonce", reason: "expected 19 bytes" });
  const cipher = chunkCipher(key, slot, prefix, chunkSize);

  const chunks: (string | undefined)[] = [...(resume?.chunks ?? [])];
  const times: (number | null)[] = [...(resume?.times ?? chunks.map(() => null))];
  let storedCount = chunks.length;
  let nextIndex = chunks.length;
  let size = chunks.length * chunkSize;
  const buffer = new Uint8Array(chunkSize);
  let fill = 0;
  let fillTime: number | null = null;
  const inFlight = new Map<number, Promise<void>>();
  let failure: unknown;
  let closed: string | undefined;
  let reporting = Promise.resolve();

  const snapshot = () => ({
    nonce: bytesToHex(prefix),
    chunkSize,
    chunks: chunks.slice(0, storedCount) as string[],
    times: times.slice(0, storedCount),
    stored: storedCount * chunkSize,
  });

  function advance() {
    const before = storedCount;
    while (chunks[storedCount] !== undefined) storedCount++;
    if (storedCount > before && onStored) {
      const state = snapshot();
      reporting = reporting.then(() => onStored(state));
      return reporting;
    }
  }

  async function emit(last: boolean) {
    const index = nextIndex++;
    const sealed = cipher.seal(index, last, buffer.subarray(0, fill));
    times[index] = fillTime;
    fill = 0;
    fillTime = null;
    const put = store.put(sealed).then(async (ref) => {
      chunks[index] = ref.cid.toString();
      await advance();
    });
    inFlight.set(index, put);
    put.then(
      () => inFlight.delete(index),
      (error) => {
        failure ??= error;
        inFlight.delete(index);
      },
    );
    while (inFlight.size >= concurrency && !failure) await Promise.race(inFlight.values()).catch(() => {});
    if (failure) throw failure;
  }

  function requireOpen() {
    if (failure) closed ??= "storing a chunk failed; resume from the stored state";
    if (closed) throw new RecordingClosedError({ reason: closed });
  }

  return {
    get size() {
      return size;
    },
    state: snapshot,
    async write(bytes, time) {
      requireOpen();
      if (size + bytes.length > maxSize)
        throw new RecordingTooLargeError({ size: size + bytes.length, limit: maxSize });
      size += bytes.length;
      let offset = 0;
      while (offset < bytes.length) {
        // A full chunk is sealed only once a byte follows it: until then it may be the last.
        if (fill === chunkSize) await emit(false);
        if (fill === 0) fillTime = time ?? null;
        const take = Math.min(chunkSize - fill, bytes.length - offset);
        buffer.set(bytes.subarray(offset, offset + take), fill);
        fill += take;
        offset += take;
      }
    },
    async finish(details) {
      requireOpen();
      if (fill === 0) {
        if (nextIndex === 0) throw new EmptyRecordingError();
        throw new RecordingResumeError({ stored: nextIndex * chunkSize });
      }
      // Checked before the last chunk is sealed, so a bad media type costs nothing and can be corrected.
      const draft = {
        type: "troth/recording" as const,
        version: DOCUMENT_VERSION,
        format: MEDIA_FORMAT_VERSION as 1,
        mimeType: details.mimeType,
        duration: details.duration ?? 0,
        size,
        chunkSize,
        nonce: bytesToHex(prefix),
        ...(details.name === undefined ? {} : { name: details.name }),
        ...(details.segments === undefined ? {} : { segments: details.segments }),
      };
      validateDocument("recording", { ...draft, chunks: Array(Math.ceil(size / chunkSize)).fill(PLACEHOLDER_CID) });
      closed = "it is finished";
      await emit(true);
      while (inFlight.size > 0) await Promise.race(inFlight.values()).catch(() => {});
      if (failure) throw failure;
      await reporting;
      const manifest = { ...draft, chunks: chunks as string[] };
      if (times.every((t) => t !== null)) Object.assign(manifest, { times });
      return validateDocument("recording", manifest);
    },
  };
}

/** Stands for a chunk's CID while the rest of a manifest is checked, before the last chunk exists. */
const PLACEHOLDER_CID = `bafkrei${"a".repeat(52)}`;

/**
 * Encrypts and stores a whole stream (a file, a finished recording), chunk by chunk, and returns its manifest.
 *
 * @example
 * ```ts
 * const manifest = await sealRecording(createReadStream("reflection.ogg"), { key, slot, store, mimeType: "audio/ogg" });
 * ```
 */
export async function sealRecording(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  parameters: Omit<CreateRecordingWriterParameters, "resume"> & FinishRecordingParameters,
): Promise<RecordingDocument> {
  const writer = createRecordingWriter(parameters);
  for await (const bytes of source) await writer.write(bytes);
  return writer.finish(parameters);
}

/** Which plaintext bytes chunk `index` holds: `[start, end)`. */
export function recordingChunkRange(manifest: RecordingDocument, index: number): { start: number; end: number } {
  const count = manifest.chunks.length;
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new RecordingChunkRangeError({ index, count });
  const start = index * manifest.chunkSize;
  return { start, end: Math.min(start + manifest.chunkSize, manifest.size) };
}

/**
 * Opens chunk `index` of a recording from its sealed bytes. A chunk that does not open says why, each with its own
 * error: {@link RecordingTruncatedError} (the listed last chunk was not sealed last), {@link RecordingExtendedError}
 * (chunks listed after the real last one), {@link RecordingChunkOutOfOrderError} (a chunk of this recording from another
 * place), else {@link RecordingChunkTamperedError}.
 *
 * @example
 * ```ts
 * const bytes = openRecordingChunk(sealed, { key, slot, manifest, index: 3 });
 * ```
 */
export function openRecordingChunk(
  sealed: Uint8Array,
  { key, slot, manifest, index }: { key: Uint8Array; slot: RecordingSlot; manifest: RecordingDocument; index: number },
): Uint8Array {
  const { start, end } = recordingChunkRange(manifest, index);
  const count = manifest.chunks.length;
  const last = index === count - 1;
  const cipher = chunkCipher(key, slot, hexToBytes(manifest.nonce), manifest.chunkSize);
  const plaintext = cipher.tryOpen(index, last, sealed);
  if (plaintext && plaintext.length === end - start) return plaintext;
  if (plaintext) throw new RecordingChunkTamperedError({ index, count });
  // Why it does not open, from the cheap guesses to the dearer ones; each a typed error.
  if (cipher.tryOpen(index, !last, sealed))
    throw last ? new RecordingTruncatedError({ index, count }) : new RecordingExtendedError({ index, count });
  for (let distance = 1; distance <= DIAGNOSIS_SPAN; distance++) {
    for (const actual of [index - distance, index + distance]) {
      if (actual < 0) continue;
      if (cipher.tryOpen(actual, false, sealed) || cipher.tryOpen(actual, true, sealed))
        throw new RecordingChunkOutOfOrderError({ index, count, actual });
    }
  }
  throw new RecordingChunkTamperedError({ index, count });
}

export type RecordingSource = {
  key: Uint8Array;
  slot: RecordingSlot;
  manifest: RecordingDocument;
  store: Pick<ContentStore, "get" | "name">;
};

/**
 * Fetches chunk `index`, checks its bytes against its CID and opens it: random access, for seeking.
 *
 * @example
 * ```ts
 * const bytes = await readRecordingChunk({ key, slot, manifest, store }, 12);
 * ```
 */
export async function readRecordingChunk(parameters: RecordingSource, index: number): Promise<Uint8Array> {
  const { manifest, store } = parameters;
  recordingChunkRange(manifest, index);
  const cid = toCid(manifest.chunks[index]);
  const sealed = verifyBlob(cid, await store.get(cid), store.name);
  return openRecordingChunk(sealed, { ...parameters, index });
}

/**
 * The recording's plaintext, chunk by chunk and in order, from chunk `from` on: each fetched (`prefetch` ahead),
 * verified against its CID and opened before it is yielded. A damaged chunk ends the stream with its typed error;
 * nothing after it is yielded.
 *
 * @example
 * ```ts
 * for await (const bytes of streamRecording({ key, slot, manifest, store })) output.write(bytes);
 * ```
 */
export async function* streamRecording(
  parameters: RecordingSource & { from?: number; prefetch?: number },
): AsyncGenerator<Uint8Array, void, undefined> {
  const { manifest, from = 0, prefetch = 3 } = parameters;
  const count = manifest.chunks.length;
  if (from !== 0) recordingChunkRange(manifest, from);
  const queue: Promise<Uint8Array>[] = [];
  let next = from;
  const fill = () => {
    while (queue.length < Math.max(1, prefetch) && next < count) {
      const pending = readRecordingChunk(parameters, next++);
      pending.catch(() => {}); // surfaces when its turn comes; never an unhandled rejection if the reader stops early
      queue.push(pending);
    }
  };
  fill();
  while (queue.length > 0) {
    const bytes = await (queue.shift() as Promise<Uint8Array>);
    fill();
    yield bytes;
  }
}
