import type { RecordingDocument } from "@troth/sdk/crypto";

/** What the player reads a recording through: the SDK's `readRecording` result. */
export type OpenedRecording = {
  manifest: RecordingDocument;
  stream(options?: { from?: number; prefetch?: number }): AsyncGenerator<Uint8Array, void, undefined>;
  chunk(index: number): Promise<Uint8Array>;
};

export type MediaSourcePlayback = { close(): void };

/** Seconds kept buffered ahead of the playhead and behind it: memory stays bounded however long the recording is. */
const AHEAD = 45;
const BEHIND = 20;
/** The WebM Cluster element's ID: media data restarts cleanly at one (a seek starts from the first in its chunk). */
const CLUSTER_ID = [0x1f, 0x43, 0xb6, 0x75];

/** Whether this browser streams the recording's type through Media Source Extensions (WebM, fragmented MP4). */
export function canStream(manifest: RecordingDocument): boolean {
  return typeof MediaSource !== "undefined" && MediaSource.isTypeSupported(manifest.mimeType);
}

function indexOf(bytes: Uint8Array, pattern: number[], from = 0): number {
  outer: for (let i = from; i <= bytes.length - pattern.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Plays a recording in `element` as it streams: chunks are fetched, checked against their CIDs and decrypted by the SDK
 * one after another and appended to a SourceBuffer in sequence mode (a recording resumed after a reload is several
 * recorder sessions back to back), holding at most {@link AHEAD} seconds ahead and {@link BEHIND} behind. A seek
 * outside what is buffered restarts the stream at the chunk holding that time (from the manifest's chunk times, else
 * in proportion), after the recording's initialisation segment. A chunk that fails its checks stops playback and goes
 * to `onError` (the SDK's typed error).
 */
export function streamIntoElement(
  element: HTMLMediaElement,
  recording: OpenedRecording,
  { onError }: { onError: (error: unknown) => void },
): MediaSourcePlayback {
  const { manifest } = recording;
  const mediaSource = new MediaSource();
  const url = URL.createObjectURL(mediaSource);
  let generation = 0;
  let closed = false;
  let buffer: SourceBuffer | undefined;
  let init: Uint8Array | undefined;
  element.src = url;

  const updated = () =>
    new Promise<void>((resolve, reject) => {
      if (!buffer?.updating) return resolve();
      buffer.addEventListener("updateend", () => resolve(), { once: true });
      buffer.addEventListener("error", () => reject(new Error("the browser could not decode the recording")), {
        once: true,
      });
    });
  const bufferedEnd = () =>
    buffer && buffer.buffered.length > 0 ? buffer.buffered.end(buffer.buffered.length - 1) : 0;
  const isBuffered = (t: number) => {
    if (!buffer) return false;
    for (let i = 0; i < buffer.buffered.length; i++)
      if (t >= buffer.buffered.start(i) && t <= buffer.buffered.end(i)) return true;
    return false;
  };

  async function append(bytes: Uint8Array) {
    if (!buffer || closed) return;
    await updated();
    // Memory: drop what is well behind the playhead before adding more.
    if (
      element.currentTime > BEHIND &&
      buffer.buffered.length > 0 &&
      buffer.buffered.start(0) < element.currentTime - BEHIND
    ) {
      buffer.remove(0, element.currentTime - BEHIND);
      await updated();
    }
    buffer.appendBuffer(new Uint8Array(bytes));
    await updated();
  }

  /** Waits while enough is buffered ahead (or a seek started another stream). */
  async function room(gen: number) {
    while (!closed && gen === generation && bufferedEnd() - element.currentTime > AHEAD) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function feed(from: number, gen: number) {
    let offset = from * manifest.chunkSize;
    const boundaries = (manifest.segments ?? [0]).slice(1);
    let first = from > 0;
    for await (let bytes of recording.stream({ from })) {
      if (closed || gen !== generation) return;
      if (from === 0 && offset === 0) {
        const cluster = indexOf(bytes, CLUSTER_ID);
        init = bytes.slice(0, cluster > 0 ? cluster : bytes.length);
      }
      if (first) {
        // Restarting mid-recording: the initialisation segment, then media from the chunk's first cluster on.
        const cluster = indexOf(bytes, CLUSTER_ID);
        if (init) await append(init);
        bytes = cluster >= 0 ? bytes.subarray(cluster) : new Uint8Array();
        first = false;
      }
      await room(gen);
      // A new recorder session inside this chunk: its own initialisation, timestamps continuing where the last ended.
      const boundary = boundaries.find((b) => b > offset && b < offset + bytes.length);
      if (boundary !== undefined && buffer) {
        await append(bytes.subarray(0, boundary - offset));
        await updated();
        buffer.abort();
        buffer.timestampOffset = bufferedEnd();
        await append(bytes.subarray(boundary - offset));
      } else {
        await append(bytes);
      }
      offset += bytes.length;
    }
    if (!closed && gen === generation && mediaSource.readyState === "open") {
      await updated();
      mediaSource.endOfStream();
    }
  }

  function start(from: number) {
    const gen = ++generation;
    feed(from, gen).catch((error) => {
      if (closed || gen !== generation) return;
      element.pause();
      onError(error);
    });
  }

  /** The chunk that holds media time `t` (seconds): from the manifest's times, else in proportion to the duration. */
  function chunkAt(t: number): number {
    const ms = t * 1000;
    const { times, chunks, duration } = manifest;
    if (times)
      return Math.max(
        0,
        times.findLastIndex((start) => start <= ms),
      );
    return duration > 0 ? Math.min(chunks.length - 1, Math.floor((ms / duration) * chunks.length)) : 0;
  }

  const onSeeking = async () => {
    const t = element.currentTime;
    if (!buffer || isBuffered(t)) return;
    const gen = ++generation;
    await updated();
    if (gen !== generation || closed) return;
    if (mediaSource.readyState !== "open") return;
    buffer.abort();
    buffer.remove(0, Number.POSITIVE_INFINITY);
    await updated();
    const from = chunkAt(t);
    buffer.timestampOffset = (manifest.times?.[from] ?? 0) / 1000;
    start(from);
  };

  mediaSource.addEventListener(
    "sourceopen",
    () => {
      if (closed) return;
      buffer = mediaSource.addSourceBuffer(manifest.mimeType);
      buffer.mode = "sequence";
      if (manifest.duration > 0) mediaSource.duration = manifest.duration / 1000;
      element.addEventListener("seeking", onSeeking);
      start(0);
    },
    { once: true },
  );

  return {
    close() {
      closed = true;
      generation++;
      element.removeEventListener("seeking", onSeeking);
      element.removeAttribute("src");
      element.load();
      URL.revokeObjectURL(url);
    },
  };
}
