import { readRecording } from "@troth/sdk";
import { RecordingChunkError } from "@troth/sdk/crypto";
import { BlobNotFoundError, IntegrityError } from "@troth/sdk/storage";
import { useEffect, useState } from "react";
import { formatClock } from "../lib/clock.ts";
import { useIdentity } from "../lib/identity.tsx";
import { canStream, streamIntoElement } from "../lib/mediaSource.ts";
import { canPlayThroughWorker, playThroughWorker } from "../lib/mediaWorker.ts";
import { useTroth } from "../lib/troth.tsx";
import { ErrorNote } from "./ErrorNote.tsx";

/** Why playback stopped, in plain words: a damaged recording is never played past the damage. */
function stoppedBecause(error: unknown): string | undefined {
  let e: unknown = error;
  while (e) {
    if (e instanceof RecordingChunkError)
      return `Playback stopped: ${e.shortMessage} Nothing after that point is played.`;
    if (e instanceof IntegrityError)
      return "Playback stopped: a part of this recording is not what was stored (it does not match its fingerprint). It may have been altered; nothing after that point is played.";
    if (e instanceof BlobNotFoundError)
      return "Playback stopped: a part of this recording cannot be found on the encrypted storage right now.";
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The largest recording played from memory when neither Media Source Extensions nor a service worker can stream it
 * (a browser with no service worker, or a page not served over https or from this machine). */
const WHOLE_LIMIT = 64 * 1024 * 1024;

/**
 * A recorded reflection, played as it streams from IPFS: every chunk is checked against its CID and decrypted on this
 * device before it is played; seeking works. Used by partners reading a check-in and by the author listening back.
 */
export function Player({ tokenId, round, recording }: { tokenId: bigint; round: number; recording: string }) {
  const { client } = useTroth();
  const { identity } = useIdentity();
  const [element, setElement] = useState<HTMLMediaElement | null>(null);
  const [opened, setOpened] = useState<Awaited<ReturnType<typeof readRecording>> | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [stopped, setStopped] = useState<string | null>(null);

  // The manifest first (it says audio or video, and how long); the chunks when the player asks for them.
  useEffect(() => {
    if (!identity) return;
    let cancelled = false;
    setOpened(null);
    readRecording(client, { tokenId, round, identity, recording }).then(
      (result) => !cancelled && setOpened(result),
      (error) => !cancelled && setProblem(error),
    );
    return () => {
      cancelled = true;
    };
  }, [client, identity, tokenId, round, recording]);

  useEffect(() => {
    if (!opened || !element) return;
    let close = () => {};
    let cancelled = false;
    setStopped(null);
    const onError = (error: unknown) => {
      if (cancelled) return;
      const why = stoppedBecause(error);
      if (why) setStopped(why);
      else setProblem(error);
    };
    if (canStream(opened.manifest)) {
      close = streamIntoElement(element, opened, { onError }).close;
    } else if (canPlayThroughWorker()) {
      // A format Media Source Extensions cannot take (an attached .ogg, .mp4 or .wav): range by range, any size.
      playThroughWorker(element, opened, { onError }).then((playback) => {
        if (cancelled) playback.close();
        else close = playback.close;
      }, onError);
    } else if (opened.manifest.size > WHOLE_LIMIT) {
      setProblem(
        new Error(
          "This browser cannot stream this recording's format from this address (it needs https); save it with the CLI (troth report --save).",
        ),
      );
    } else {
      // No way to stream it here: played whole, once every chunk has opened.
      (async () => {
        const parts: Uint8Array[] = [];
        for await (const bytes of opened.stream()) parts.push(bytes);
        if (cancelled) return;
        const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: opened.manifest.mimeType }));
        element.src = url;
        close = () => URL.revokeObjectURL(url);
      })().catch(onError);
    }
    return () => {
      cancelled = true;
      close();
    };
  }, [opened, element]);

  const kind = opened ? (opened.manifest.mimeType.startsWith("video/") ? "video" : "audio") : null;
  const duration = opened?.manifest.duration ?? 0;
  const label = `Recorded reflection${duration ? `, ${formatClock(duration)}` : ""}`;
  return (
    <figure className="recording-player">
      <figcaption>{label}</figcaption>
      {kind === "video" && (
        // biome-ignore lint/a11y/useMediaCaption: a member's own recorded reflection has no captions to offer
        <video ref={setElement} controls preload="auto" aria-label={label} />
      )}
      {kind === "audio" && (
        // biome-ignore lint/a11y/useMediaCaption: a member's own recorded reflection has no captions to offer
        <audio ref={setElement} controls preload="auto" aria-label={label} />
      )}
      {!kind && !problem && (
        <p className="loading" role="status">
          Opening the recording…
        </p>
      )}
      {stopped && (
        <p className="error-note" role="alert">
          {stopped}
        </p>
      )}
      {problem && !stopped ? <ErrorNote error={problem} /> : null}
    </figure>
  );
}
