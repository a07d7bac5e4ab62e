/**
 * `npm run bench:media`: recorded reflections on the local `npm start` stack, written to bench/results/media.json.
 * - encrypt+store throughput (MB/s) of a 20-minute voice recording (5 MB) and a 20-minute 720p video (300 MB,
 *   synthetic bytes: the format does not look inside), in Node (the CLI's path: Kubo RPC) and in Chromium (the dApp's
 *   path: the same SDK code bundled for the browser, storing over HTTP to the same node);
 * - peak memory above the baseline while sending and while playing the video (decrypting every chunk, CID-checked,
 *   in order), in both; budget 64 MB. Node: resident set size. Chromium: the renderer's JS heap plus ArrayBuffer
 *   backing stores (`Runtime.getHeapUsage`), sampled every 20 ms;
 * - time from opening a recorded check-in to its first sound (budget 1 s): a real 4-second recording from Chromium's
 *   fake microphone through MediaRecorder, sealed and stored as the dApp does; then, as a partner: its manifest fetched
 *   from the gateway and opened, and the dApp's player (dapp/src/lib/mediaSource.ts) until the audio plays;
 * - an attached 300 MB file that Media Source Extensions cannot take (a WAV, about two hours of voice), played in
 *   Chromium through the app's service worker (dapp/src/lib/mediaWorker.ts): time to its first sound (same budget) and
 *   the page's peak memory above the baseline while it plays and seeks to a quarter, half and nine tenths (budget
 *   64 MB).
 * The run fails past a budget.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import type { CDPSession } from "playwright-core";
import { keccak256, toHex } from "viem";
import { launchWithFakeMedia } from "../dapp/e2e/recording.ts";
import { startStack } from "../dapp/e2e/stack.ts";
import { generateContentKey, type RecordingDocument, sealRecording, streamRecording } from "../sdk/src/crypto/index.ts";
import { createKuboStore } from "../sdk/src/storage/index.ts";

const root = path.resolve(import.meta.dirname, "..");
const resultsDir = path.join(root, "bench", "results");
const MB = 1024 * 1024;
const MEMORY_BUDGET_MB = 64;
const FIRST_SOUND_BUDGET_MS = 1000;
const recordings = [
  { name: "voice20min", size: 5 * MB, mimeType: "audio/webm;codecs=opus" },
  { name: "video720p20min", size: 300 * MB, mimeType: "video/webm;codecs=vp8,opus" },
] as const;

/** Synthetic media as a recorder hands it over: 64 KiB pieces of varied bytes, produced on demand (never all at once). */
function* synthetic(size: number) {
  const piece = new Uint8Array(64 * 1024);
  for (let offset = 0, n = 0; offset < size; offset += piece.length, n++) {
    for (let i = 0; i < piece.length; i += 4096) piece[i] = (n + i) & 0xff;
    yield piece.subarray(0, Math.min(piece.length, size - offset));
  }
}

/** A WAV file's 44-byte header for `size` bytes in all (16-bit mono PCM at 22,050 Hz; any bytes are valid samples). */
function wavHeader(size: number): Uint8Array {
  const header = new Uint8Array(44);
  const view = new DataView(header.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) header[at + i] = text.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, size - 8, true);
  ascii(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, 22_050, true);
  view.setUint32(28, 44_100, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, size - 44, true);
  return header;
}

/** Peak of `sample()` above its value now, while `work` runs. */
async function peakAbove<T>(sample: () => Promise<number> | number, work: () => Promise<T>) {
  const baseline = await sample();
  let peak = baseline;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, await sample());
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    const result = await work();
    peak = Math.max(peak, await sample());
    return { result, peakMB: +((peak - baseline) / MB).toFixed(1) };
  } finally {
    running = false;
    await sampler;
  }
}

const slot = { pod: keccak256(toHex("bench:media")), epoch: 0, member: 0, round: 0 };
const mb = (bytes: number, ms: number) => +(bytes / MB / (ms / 1000)).toFixed(1);

// Chromium, as the dApp sends and plays: the SDK's code bundled for the browser, on the app's origin.
const bundle = await build({
  stdin: {
    contents: `
      import {
        generateContentKey, openDocument, readRecordingChunk, sealDocument, sealRecording, streamRecording,
      } from "./sdk/src/crypto/index.ts";
      import { createGatewayStore } from "./sdk/src/storage/gateway.ts";
      import { createKuboStore } from "./sdk/src/storage/kubo.ts";
      import { streamIntoElement } from "./dapp/src/lib/mediaSource.ts";
      import { playThroughWorker } from "./dapp/src/lib/mediaWorker.ts";
      ${synthetic.toString()}
      ${wavHeader.toString()}
      window.benchWav = async ({ ipfsUrl, slot, size }) => {
        const store = createKuboStore({ url: ipfsUrl });
        const key = generateContentKey();
        function* wav() {
          yield wavHeader(size);
          yield* synthetic(size - 44);
        }
        const manifest = await sealRecording(wav(), { key, slot, store, mimeType: "audio/wav" });
        window.benchRecording = { key, manifest, store };
        return { chunks: manifest.chunks.length };
      };
      window.benchWorkerPlay = async ({ slot }) => {
        const { key, manifest, store } = window.benchRecording;
        const source = { key, slot, manifest, store };
        const audio = document.createElement("audio");
        audio.muted = true;
        document.body.append(audio);
        let failure;
        const until = async (done) => {
          const deadline = performance.now() + 30000;
          while (!done() && !failure) {
            if (performance.now() > deadline) throw new Error("the worker's playback stalled at " + audio.currentTime + " s");
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          if (failure) throw failure;
        };
        const started = performance.now();
        const playback = await playThroughWorker(
          audio,
          { manifest, stream: (options) => streamRecording({ ...source, ...options }), chunk: (i) => readRecordingChunk(source, i) },
          { onError: (error) => { failure = error; } },
        );
        await audio.play();
        await until(() => audio.currentTime > 0);
        const firstSoundMs = performance.now() - started;
        for (const fraction of [0.25, 0.5, 0.9]) {
          const target = audio.duration * fraction;
          audio.currentTime = target;
          await until(() => !audio.seeking && audio.currentTime > target + 1);
        }
        const duration = audio.duration;
        playback.close();
        audio.remove();
        return { firstSoundMs, duration };
      };
      window.benchMedia = async ({ ipfsUrl, slot, size, mimeType }) => {
        const store = createKuboStore({ url: ipfsUrl });
        const key = generateContentKey();
        const started = performance.now();
        const manifest = await sealRecording(synthetic(size), { key, slot, store, mimeType });
        const sendMs = performance.now() - started;
        window.benchRecording = { key, manifest, store };
        return { sendMs, chunks: manifest.chunks.length };
      };
      window.benchPlay = async ({ slot }) => {
        const { key, manifest, store } = window.benchRecording;
        const started = performance.now();
        let bytes = 0;
        for await (const chunk of streamRecording({ key, slot, manifest, store })) bytes += chunk.length;
        return { playMs: performance.now() - started, bytes };
      };
      window.benchFirstSound = async ({ ipfsUrl, slot }) => {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        const recorder = new MediaRecorder(stream, { mimeType: "audio/webm;codecs=opus" });
        const pieces = [];
        recorder.ondataavailable = (event) => pieces.push(event.data);
        const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
        recorder.start(500);
        await new Promise((resolve) => setTimeout(resolve, 4000));
        recorder.stop();
        await stopped;
        for (const track of stream.getTracks()) track.stop();
        const bytes = new Uint8Array(await new Blob(pieces).arrayBuffer());
        const writer = createKuboStore({ url: ipfsUrl });
        const key = generateContentKey();
        const mimeType = "audio/webm;codecs=opus";
        const sealed = await sealRecording([bytes], { key, slot, store: writer, chunkSize: 32 * 1024, mimeType, duration: 4000 });
        const { cid } = await writer.put(sealDocument(sealed, { key, slot: { ...slot, kind: "recording" } }));
        const reader = createGatewayStore({ url: ipfsUrl });
        const audio = document.createElement("audio");
        document.body.append(audio);
        let failure;
        const started = performance.now();
        const manifest = openDocument(await reader.get(cid), { key, slot: { ...slot, kind: "recording" } });
        const source = { key, slot, manifest, store: reader };
        streamIntoElement(
          audio,
          { manifest, stream: (options) => streamRecording({ ...source, ...options }), chunk: (i) => readRecordingChunk(source, i) },
          { onError: (error) => { failure = error; } },
        );
        await audio.play();
        while (audio.currentTime === 0 && !failure) await new Promise((resolve) => requestAnimationFrame(resolve));
        if (failure) throw failure;
        return { firstSoundMs: performance.now() - started, chunks: manifest.chunks.length, size: manifest.size };
      };`,
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  format: "iife",
  platform: "browser",
  write: false,
  logLevel: "warning",
  // The Kubo client's Node-only corners are never reached from a browser.
  define: { "process.env.NODE_DEBUG": "undefined" },
});
mkdirSync(resultsDir, { recursive: true });
const stack = await startStack({ seed: false, log: path.join(resultsDir, "media-stack.log") });
const node: Record<string, unknown> = {};
const chromium: Record<string, unknown> = {};
try {
  // Node, as the CLI sends and saves.
  const store = createKuboStore({ url: stack.ipfsUrl });
  const key = generateContentKey();
  const rss = () => process.memoryUsage().rss;
  for (const { name, size, mimeType } of recordings) {
    globalThis.gc?.();
    const started = performance.now();
    const sent = await peakAbove(rss, () => sealRecording(synthetic(size), { key, slot, store, mimeType }));
    const sendMs = performance.now() - started;
    const playStarted = performance.now();
    const played = await peakAbove(rss, async () => {
      let bytes = 0;
      for await (const chunk of streamRecording({ key, slot, manifest: sent.result, store })) bytes += chunk.length;
      return bytes;
    });
    if (played.result !== size) throw new Error(`${name}: played ${played.result} of ${size} bytes`);
    node[name] = {
      sizeMB: size / MB,
      chunks: sent.result.chunks.length,
      encryptStoreMBps: mb(size, sendMs),
      playMBps: mb(size, performance.now() - playStarted),
      peakMemoryAboveBaselineMB: { sending: sent.peakMB, playing: played.peakMB },
    };
    console.log("node", name, node[name]);
  }

  const browser = await launchWithFakeMedia();
  try {
    const context = await browser.newContext();
    await context.grantPermissions(["microphone"], { origin: stack.appUrl });
    const page = await context.newPage();
    await page.goto(stack.appUrl, { waitUntil: "load" });
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const cdp: CDPSession = await page.context().newCDPSession(page);
    await cdp.send("HeapProfiler.enable");
    const heap = async () => {
      const usage = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number; backingStorageSize?: number };
      return usage.usedSize + (usage.backingStorageSize ?? 0);
    };
    for (const { name, size, mimeType } of recordings) {
      await cdp.send("HeapProfiler.collectGarbage");
      const sent = await peakAbove(heap, () =>
        page.evaluate((args) => (window as never as BenchWindow).benchMedia(args), {
          ipfsUrl: stack.ipfsUrl,
          slot,
          size,
          mimeType,
        }),
      );
      await cdp.send("HeapProfiler.collectGarbage");
      const played = await peakAbove(heap, () =>
        page.evaluate((args) => (window as never as BenchWindow).benchPlay(args), { slot }),
      );
      if (played.result.bytes !== size)
        throw new Error(`${name} in Chromium: played ${played.result.bytes} of ${size}`);
      chromium[name] = {
        sizeMB: size / MB,
        chunks: sent.result.chunks,
        encryptStoreMBps: mb(size, sent.result.sendMs),
        playMBps: mb(size, played.result.playMs),
        peakMemoryAboveBaselineMB: { sending: sent.peakMB, playing: played.peakMB },
      };
      console.log("chromium", name, chromium[name]);
    }
    // An attached 300 MB WAV, through the service worker (the page is the app's: its worker is served next to it).
    const wavSize = 300 * MB;
    const wav = await page.evaluate((args) => (window as never as BenchWindow).benchWav(args), {
      ipfsUrl: stack.ipfsUrl,
      slot,
      size: wavSize,
    });
    await cdp.send("HeapProfiler.collectGarbage");
    const throughWorker = await peakAbove(heap, () =>
      page.evaluate((args) => (window as never as BenchWindow).benchWorkerPlay(args), { slot }),
    );
    chromium.attachedWav300MB = {
      sizeMB: wavSize / MB,
      chunks: wav.chunks,
      durationMin: +(throughWorker.result.duration / 60).toFixed(1),
      openToFirstSoundMs: Math.round(throughWorker.result.firstSoundMs),
      seeks: "25%, 50%, 90%, each played 1 s",
      peakMemoryAboveBaselineMB: { playing: throughWorker.peakMB },
    };
    console.log("chromium attached WAV through the service worker", chromium.attachedWav300MB);

    const opened = await page.evaluate((args) => (window as never as BenchWindow).benchFirstSound(args), {
      ipfsUrl: stack.ipfsUrl,
      slot,
    });
    chromium.firstSound = {
      recordingBytes: opened.size,
      chunks: opened.chunks,
      openToFirstSoundMs: Math.round(opened.firstSoundMs),
      budgetMs: FIRST_SOUND_BUDGET_MS,
    };
    console.log("chromium first sound", chromium.firstSound);
  } finally {
    await browser.close();
  }
} finally {
  await stack.stop();
}

type BenchWindow = {
  benchMedia(args: unknown): Promise<{ sendMs: number; chunks: number }>;
  benchPlay(args: unknown): Promise<{ playMs: number; bytes: number }>;
  benchFirstSound(args: unknown): Promise<{ firstSoundMs: number; chunks: number; size: number }>;
  benchWav(args: unknown): Promise<{ chunks: number }>;
  benchWorkerPlay(args: unknown): Promise<{ firstSoundMs: number; duration: number }>;
  benchRecording: { manifest: RecordingDocument };
};

const result = {
  date: new Date().toISOString(),
  memoryBudgetMB: MEMORY_BUDGET_MB,
  node,
  chromium,
};
writeFileSync(path.join(resultsDir, "media.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
const over = [node, chromium].flatMap((side) =>
  Object.entries(side).flatMap(([name, figures]) =>
    Object.entries((figures as { peakMemoryAboveBaselineMB?: Record<string, number> }).peakMemoryAboveBaselineMB ?? {})
      .filter(([, peak]) => peak > MEMORY_BUDGET_MB)
      .map(([phase, peak]) => `${name} ${phase}: ${peak} MB`),
  ),
);
for (const name of ["firstSound", "attachedWav300MB"]) {
  const firstSound = (chromium[name] as { openToFirstSoundMs: number }).openToFirstSoundMs;
  if (firstSound > FIRST_SOUND_BUDGET_MS)
    over.push(`${name}: time from opening to the first sound ${firstSound} ms (budget ${FIRST_SOUND_BUDGET_MS} ms)`);
}
if (over.length > 0) {
  console.error(`Over budget (memory ${MEMORY_BUDGET_MB} MB): ${over.join("; ")}`);
  process.exit(1);
}
