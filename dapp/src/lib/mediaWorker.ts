import type { OpenedRecording } from "./mediaSource.ts";

/**
 * Playback of recordings the browser cannot stream through Media Source Extensions (an attached .ogg, .mp4 or .wav
 * file), at any size: the element's `src` is a URL the app's service worker (public/media-sw.js) answers by asking
 * this page for byte ranges. The page fetches each chunk, checks it against its CID and decrypts it (the SDK's
 * `chunk(index)`), and hands over only the bytes asked for, one piece per read: memory holds a chunk or two, and a
 * seek is a new range request. Keys and plaintext never leave the page; the worker is a pipe.
 */

export type WorkerPlayback = { close(): void };

/** The byte range a request asks for, from its Range header (one range; RFC 9110 §14). */
export type ByteRange = { start: number; end: number };

/** The worker's file, next to index.html (relative: the app may be served from /ipfs/<cid>/). */
const WORKER_URL = "./media-sw.js";
/** Part of every recording URL the worker answers (public/media-sw.js matches it). */
const MEDIA_PATH = "troth-media";

/**
 * The range `header` asks of a `size`-byte file: undefined for the whole file (no header, a form this player does not
 * serve such as several ranges, or a malformed one, which HTTP lets a server ignore), "unsatisfiable" when it starts
 * past the end.
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange | "unsatisfiable" | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    // A suffix: the last n bytes.
    const n = Number(m[2]);
    if (n === 0) return "unsatisfiable";
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  if (start >= size) return "unsatisfiable";
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  return end < start ? undefined : { start, end };
}

/** What the page answers a request with first: the response's status and headers, and the bytes that follow. */
export type ResponseHead =
  | { status: 416; headers: Record<string, string>; body: false }
  | { status: 200 | 206; headers: Record<string, string>; body: true; start: number; end: number };

export function responseHead(manifest: OpenedRecording["manifest"], header: string | null | undefined): ResponseHead {
  const { size, mimeType } = manifest;
  const range = parseRange(header, size);
  if (range === "unsatisfiable") return { status: 416, headers: { "content-range": `bytes */${size}` }, body: false };
  const { start, end } = range ?? { start: 0, end: size - 1 };
  return {
    status: range ? 206 : 200,
    headers: {
      "content-type": mimeType,
      "content-length": String(end - start + 1),
      "accept-ranges": "bytes",
      "cache-control": "no-store",
      ...(range ? { "content-range": `bytes ${start}-${end}/${size}` } : {}),
    },
    body: true,
    start,
    end,
  };
}

/**
 * The pieces of plaintext that make up bytes `start`–`end` (inclusive) of a recording, a chunk's worth at most each,
 * read as they are asked for. The next chunk is fetched while the current one is read (one ahead, no more).
 */
export async function* rangePieces(
  recording: Pick<OpenedRecording, "manifest" | "chunk">,
  start: number,
  end: number,
): AsyncGenerator<Uint8Array, void, undefined> {
  const { chunkSize, chunks } = recording.manifest;
  const last = Math.min(chunks.length - 1, Math.floor(end / chunkSize));
  let index = Math.floor(start / chunkSize);
  let current = recording.chunk(index);
  for (; index <= last; index++) {
    const plain = await current;
    if (index < last) current = recording.chunk(index + 1);
    const offset = index * chunkSize;
    yield plain.subarray(Math.max(0, start - offset), Math.min(plain.length, end + 1 - offset));
  }
}

type Opened = { recording: OpenedRecording; onError: (error: unknown) => void };
const opened = new Map<string, Opened>();
let ready: Promise<void> | undefined;

/** Whether this browser can play through the worker (service workers need a secure context: https or 127.0.0.1). */
export function canPlayThroughWorker(): boolean {
  return typeof navigator !== "undefined" && "serviceWorker" in navigator && globalThis.isSecureContext === true;
}

/** Answers one request of the worker: the head, then a piece each time it asks for more, until the range is sent. */
function serve(entry: Opened | undefined, range: string | null, port: MessagePort) {
  if (!entry) {
    port.postMessage({ status: 404, headers: { "content-type": "text/plain" }, text: "This recording is closed." });
    return;
  }
  const head = responseHead(entry.recording.manifest, range);
  port.postMessage({ status: head.status, headers: head.headers, body: head.body });
  if (!head.body) return;
  const pieces = rangePieces(entry.recording, head.start, head.end);
  port.onmessage = async (event) => {
    if (event.data === "cancel") {
      await pieces.return();
      port.close();
      return;
    }
    try {
      const next = await pieces.next();
      if (next.done) return port.postMessage({ done: true });
      // A copy the worker owns: the SDK's chunk stays the SDK's.
      const bytes = next.value.slice();
      port.postMessage({ bytes: bytes.buffer }, [bytes.buffer]);
    } catch (error) {
      entry.onError(error);
      port.postMessage({ error: "A part of this recording could not be opened." });
    }
  };
}

function onWorkerMessage(event: MessageEvent) {
  const data = event.data as { type?: string; id?: string; range?: string | null } | null;
  if (data?.type !== "troth-media" || !data.id || !event.ports[0]) return;
  serve(opened.get(data.id), data.range ?? null, event.ports[0]);
}

/** Registers the worker once, and waits until it controls this page (only then does it see the element's requests). */
function workerReady(): Promise<void> {
  ready ??= (async () => {
    const container = navigator.serviceWorker;
    container.addEventListener("message", onWorkerMessage);
    container.startMessages();
    await container.register(WORKER_URL, { scope: "./" });
    if (!container.controller) {
      await new Promise<void>((resolve) =>
        container.addEventListener("controllerchange", () => resolve(), { once: true }),
      );
    }
  })().catch((error) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

/**
 * Plays `recording` in `element` through the worker. A chunk that fails its checks goes to `onError` (the SDK's typed
 * error) and ends the response, so the element stops there.
 */
export async function playThroughWorker(
  element: HTMLMediaElement,
  recording: OpenedRecording,
  { onError }: { onError: (error: unknown) => void },
): Promise<WorkerPlayback> {
  await workerReady();
  const id = crypto.randomUUID();
  opened.set(id, { recording, onError });
  element.src = new URL(`${MEDIA_PATH}/${id}`, document.baseURI).href;
  return {
    close() {
      opened.delete(id);
      element.removeAttribute("src");
      element.load();
    },
  };
}
