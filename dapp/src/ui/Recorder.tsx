import { type RecordingSession, startRecording } from "@troth/sdk";
import { type ChangeEvent, useEffect, useRef, useState } from "react";
import { formatClock } from "../lib/clock.ts";
import { useIdentity } from "../lib/identity.tsx";
import { idText } from "../lib/links.ts";
import { openRecordingVault, type RecordingVault, type SavedRecording } from "../lib/recordings.ts";
import { useTroth, writeClient } from "../lib/troth.tsx";
import { ErrorNote } from "./ErrorNote.tsx";
import { Player } from "./Player.tsx";

/** The longest recording unless the pod says otherwise: about the length of a reflection in the pattern. */
export const DEFAULT_CAP_MS = 20 * 60_000;

const mimeTypes = { audio: "audio/webm;codecs=opus", video: "video/webm;codecs=vp8,opus" } as const;
/**
 * Chunk sizes by kind: small enough that chunks are stored every few seconds as they are recorded (voice is ~4 KB/s,
 * 720p video ~300 KB/s), large enough that 20 minutes stay well within a manifest's 4096 chunks.
 */
const chunkSizes = { audio: 32 * 1024, video: 128 * 1024 } as const;

type Phase =
  | { kind: "loading" }
  | { kind: "idle" }
  | { kind: "interrupted"; saved: SavedRecording }
  | { kind: "live"; paused: boolean }
  | { kind: "sealing"; what: string }
  | { kind: "ready"; recording: string; durationMs: number };

/** What a running recording holds: the SDK's session, the recorder and its stream, and the local copy's record. */
type Live = {
  session: RecordingSession | null;
  recorder: MediaRecorder;
  stream: MediaStream;
  audio: AudioContext;
  saved: SavedRecording;
  queue: Promise<void>;
  /** When the current run (since start or resume) began, and what was recorded before it. */
  runStartedAt: number;
  before: number;
  paused: boolean;
  lastPieceAt: number;
};

function elapsedOf(live: Live): number {
  return live.before + (live.paused ? 0 : performance.now() - live.runStartedAt);
}

/**
 * Record a reflection (voice, or voice and video) or attach a file, for this round's check-in. Chunks are encrypted
 * under the pod's key and stored on IPFS as they are recorded; what is not stored yet is kept on this device,
 * encrypted, so a reload, a closed tab or an IPFS outage resumes where it stopped. Listen back before sending; discard
 * and record again. `onChange` gets the recording's manifest CID once it is sealed (undefined when discarded).
 */
export function Recorder({
  tokenId,
  round,
  capMs = DEFAULT_CAP_MS,
  onChange,
}: {
  tokenId: bigint;
  round: number;
  capMs?: number;
  onChange: (recording: string | undefined) => void;
}) {
  const troth = useTroth();
  const { identity } = useIdentity();
  const id = `recording:${idText(tokenId)}:${round}`;
  const vaultRef = useRef<Promise<RecordingVault> | null>(null);
  const vault = () => {
    if (!identity) throw new Error("Unlock your key first.");
    vaultRef.current ??= openRecordingVault(identity);
    return vaultRef.current;
  };
  const live = useRef<Live | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [elapsed, setElapsed] = useState(0);
  const [level, setLevel] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [offline, setOffline] = useState(false);

  // A recording of this round already on this device: sealed (offer it again) or interrupted (offer to resume).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per round and identity
  useEffect(() => {
    if (!identity) return;
    vault()
      .then((v) => v.load(id))
      .then((saved) => {
        if (saved?.finished) {
          setPhase({ kind: "ready", ...saved.finished });
          onChange(saved.finished.recording);
        } else if (saved) setPhase({ kind: "interrupted", saved });
        else setPhase({ kind: "idle" });
      })
      .catch((e) => {
        setError(e);
        setPhase({ kind: "idle" });
      });
    return () => stopDevices();
  }, [id, identity]);

  function stopDevices(l = live.current) {
    if (!l) return;
    if (l.recorder.state !== "inactive") l.recorder.stop();
    for (const track of l.stream.getTracks()) track.stop();
    l.audio.close().catch(() => {});
  }

  /** A session over the stored state, with the bytes kept on this device written again (they seal the same). */
  async function resumeSession(saved: SavedRecording, v: RecordingVault): Promise<RecordingSession> {
    const client = await writeClient(troth);
    const session = await startRecording(client, {
      tokenId,
      round,
      identity: identity!,
      resume: saved.writer,
      onStored: (state) => stored(saved, v, state),
    });
    for (const bytes of await v.piecesFrom(id, session.size)) await session.write(bytes);
    return session;
  }

  /** Chunks stored: the state that resumes the recording is kept, and the local bytes they cover go. */
  async function stored(
    saved: SavedRecording,
    v: RecordingVault,
    state: SavedRecording["writer"] & { stored: number },
  ) {
    saved.writer = { nonce: state.nonce, chunkSize: state.chunkSize, chunks: state.chunks, times: state.times };
    await v.save(id, { ...saved, savedAt: Date.now() });
    await v.prune(id, state.stored);
  }

  async function begin(kind: "audio" | "video", resumeFrom?: SavedRecording) {
    setError(null);
    let acquired: MediaStream | undefined;
    try {
      const v = await vault();
      const mimeType = resumeFrom?.mimeType ?? mimeTypes[kind];
      if (!MediaRecorder.isTypeSupported(mimeType)) throw new Error(`This browser cannot record ${mimeType}.`);
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: kind === "video" ? { width: 1280, height: 720 } : false,
      });
      acquired = stream;
      let saved: SavedRecording;
      let session: RecordingSession | null;
      if (resumeFrom) {
        saved = { ...resumeFrom, segments: [...resumeFrom.segments, resumeFrom.size] };
        session = await resumeSession(saved, v).catch(() => {
          setOffline(true);
          return null;
        });
      } else {
        const client = await writeClient(troth);
        const placeholder = {} as SavedRecording;
        session = await startRecording(client, {
          tokenId,
          round,
          identity: identity!,
          chunkSize: chunkSizes[kind],
          onStored: (state) => stored(placeholder, v, state),
        });
        const { stored: _, ...writer } = session.state();
        saved = Object.assign(placeholder, { kind, mimeType, writer, segments: [0], elapsedMs: 0, size: 0 });
      }
      await v.save(id, { ...saved, savedAt: Date.now() });
      const recorder = new MediaRecorder(stream, { mimeType });
      const audio = new AudioContext();
      const analyser = audio.createAnalyser();
      audio.createMediaStreamSource(stream).connect(analyser);
      const l: Live = {
        session,
        recorder,
        stream,
        audio,
        saved,
        queue: Promise.resolve(),
        runStartedAt: performance.now(),
        before: saved.elapsedMs,
        paused: false,
        lastPieceAt: saved.elapsedMs,
      };
      live.current = l;
      recorder.ondataavailable = (event) => {
        const time = l.lastPieceAt;
        l.lastPieceAt = elapsedOf(l);
        l.queue = l.queue.then(async () => {
          const bytes = new Uint8Array(await event.data.arrayBuffer());
          if (bytes.length === 0) return;
          // On this device first (encrypted), then to IPFS: an outage loses nothing.
          await v.addPiece(id, l.saved.size, bytes);
          l.saved.size += bytes.length;
          l.saved.elapsedMs = elapsedOf(l);
          await v.save(id, { ...l.saved, savedAt: Date.now() });
          if (!l.session) return;
          try {
            await l.session.write(bytes, Math.round(time));
          } catch {
            l.session = null; // resumed from the kept bytes when the recording is sealed
            setOffline(true);
          }
        });
      };
      recorder.start(1000);
      const samples = new Float32Array(analyser.fftSize);
      const tick = () => {
        if (live.current !== l || recorder.state === "inactive") return;
        analyser.getFloatTimeDomainData(samples);
        setLevel(Math.min(1, Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length) * 4));
        const now = elapsedOf(l);
        setElapsed(now);
        if (now >= capMs) void finish();
        else setTimeout(tick, 100);
      };
      tick();
      setPhase({ kind: "live", paused: false });
    } catch (e) {
      for (const track of acquired?.getTracks() ?? []) track.stop();
      if (live.current) stopDevices();
      live.current = null;
      setError(e);
    }
  }

  function togglePause() {
    const l = live.current;
    if (!l) return;
    if (l.paused) {
      l.recorder.resume();
      l.runStartedAt = performance.now();
      l.paused = false;
    } else {
      l.recorder.pause();
      l.before = elapsedOf(l);
      l.paused = true;
    }
    setPhase({ kind: "live", paused: l.paused });
  }

  /** Stops the recorder and seals the recording: its last chunk and its manifest. */
  async function finish() {
    const l = live.current;
    if (!l) return;
    live.current = null;
    const stoppedRecorder = new Promise((resolve) => l.recorder.addEventListener("stop", resolve, { once: true }));
    l.before = elapsedOf(l);
    l.paused = true;
    l.saved.elapsedMs = l.before;
    stopDevices(l);
    await stoppedRecorder;
    await l.queue;
    await seal(l.saved, l.session);
  }

  async function seal(saved: SavedRecording, current: RecordingSession | null) {
    setPhase({ kind: "sealing", what: "Encrypting and storing the rest of the recording" });
    setError(null);
    try {
      const v = await vault();
      const session = current ?? (await resumeSession(saved, v));
      const { recording } = await session.finish({
        mimeType: saved.mimeType,
        duration: Math.round(saved.elapsedMs),
        segments: saved.segments,
      });
      const finished = { recording, durationMs: Math.round(saved.elapsedMs) };
      await v.save(id, { ...saved, finished, savedAt: Date.now() });
      await v.prune(id, Number.MAX_SAFE_INTEGER);
      setOffline(false);
      setPhase({ kind: "ready", ...finished });
      onChange(recording);
    } catch (e) {
      setError(e);
      setPhase({ kind: "interrupted", saved });
    }
  }

  async function attach(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    setError(null);
    if (!/^(audio|video)\//.test(file.type)) {
      setError(new Error(`${file.name} is not an audio or video file.`));
      return;
    }
    setPhase({ kind: "sealing", what: `Encrypting and storing ${file.name}` });
    try {
      const client = await writeClient(troth);
      const session = await startRecording(client, { tokenId, round, identity: identity! });
      const reader = file.stream().getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) await session.write(next.value);
      const { recording } = await session.finish({ mimeType: file.type, name: file.name });
      const v = await vault();
      const finished = { recording, durationMs: 0 };
      const { stored: _, ...writer } = session.state();
      await v.save(id, {
        kind: file.type.startsWith("video/") ? "video" : "audio",
        mimeType: file.type,
        writer,
        segments: [0],
        elapsedMs: 0,
        size: file.size,
        finished,
        savedAt: Date.now(),
      });
      setPhase({ kind: "ready", ...finished });
      onChange(recording);
    } catch (e) {
      setError(e);
      setPhase({ kind: "idle" });
    }
  }

  async function discard() {
    stopDevices();
    live.current = null;
    await (await vault()).remove(id);
    setElapsed(0);
    setOffline(false);
    setPhase({ kind: "idle" });
    onChange(undefined);
  }

  return (
    <section className="recorder" aria-labelledby="recorder-title">
      <h2 id="recorder-title">A recorded reflection (optional)</h2>
      {phase.kind === "idle" && (
        <>
          <p className="hint">
            Speak your check-in instead of, or as well as, writing it: up to {formatClock(capMs)}. It is encrypted on
            this device as you record; only your pod can play it.
          </p>
          <div className="recorder-actions">
            <button type="button" onClick={() => begin("audio")}>
              Record voice
            </button>
            <button type="button" onClick={() => begin("video")}>
              Record video
            </button>
            <label className="button">
              Attach a file
              <input type="file" accept="audio/*,video/*" className="visually-hidden" onChange={attach} />
            </label>
          </div>
        </>
      )}
      {phase.kind === "interrupted" && (
        <>
          <p role="status">
            A recording was interrupted after {formatClock(phase.saved.elapsedMs)}. Nothing of it is lost: what was not
            stored yet is kept on this device, encrypted.
          </p>
          <div className="recorder-actions">
            <button type="button" className="primary" onClick={() => begin(phase.saved.kind, phase.saved)}>
              Continue recording
            </button>
            <button type="button" onClick={() => seal(phase.saved, null)}>
              Keep it as it is
            </button>
            <button type="button" onClick={discard}>
              Discard it
            </button>
          </div>
        </>
      )}
      {phase.kind === "live" && (
        <>
          <p className="recorder-clock" role="timer" aria-live="off">
            {phase.paused ? "Paused at " : "Recording "}
            {formatClock(elapsed)} <span className="quiet">of {formatClock(capMs)}</span>
          </p>
          <meter min={0} max={1} value={phase.paused ? 0 : level} aria-label="Microphone level" />
          {offline && (
            <p role="status">
              The encrypted storage can't be reached: recording goes on, kept on this device, and is stored when you
              stop.
            </p>
          )}
          <div className="recorder-actions">
            <button type="button" onClick={togglePause}>
              {phase.paused ? "Resume" : "Pause"}
            </button>
            <button type="button" className="primary" onClick={() => void finish()}>
              Stop
            </button>
            <button type="button" onClick={discard}>
              Discard
            </button>
          </div>
        </>
      )}
      {phase.kind === "sealing" && (
        <p className="loading" role="status">
          {phase.what}…
        </p>
      )}
      {phase.kind === "ready" && (
        <>
          <p role="status">Recorded and stored, encrypted. Listen back before you send it.</p>
          <Player tokenId={tokenId} round={round} recording={phase.recording} />
          <button type="button" onClick={discard}>
            Discard and record again
          </button>
        </>
      )}
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}
