import type { TrothClient } from "../client.ts";
import type { FinishRecordingParameters } from "../crypto/media.ts";
import {
  type RecordingSession,
  type StartRecordingErrorType,
  type StartRecordingParameters,
  startRecording,
} from "./startRecording.ts";

export type AttachRecordingParameters = Omit<StartRecordingParameters, "resume" | "onStored"> &
  FinishRecordingParameters & {
    /** The recording's bytes, in order: a file stream, a finished recording. */
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  };
export type AttachRecordingReturnType = Awaited<ReturnType<RecordingSession["finish"]>>;
export type AttachRecordingErrorType = StartRecordingErrorType;

/**
 * Seals and stores a whole recording (an audio or video file) for a round's check-in, streaming: memory holds a few
 * chunks whatever its size. Returns the manifest's CID for the report.
 *
 * @example
 * ```ts
 * const { recording } = await attachRecording(troth, {
 *   tokenId, round: 3, identity, source: createReadStream("reflection.ogg"), mimeType: "audio/ogg", name: "reflection.ogg",
 * });
 * await checkIn(troth, { tokenId, round: 3, identity, report: { said, blocked, next, recording } });
 * ```
 */
export async function attachRecording(
  client: TrothClient,
  { source, mimeType, duration, name, segments, ...parameters }: AttachRecordingParameters,
): Promise<AttachRecordingReturnType> {
  const session = await startRecording(client, parameters);
  for await (const bytes of source) await session.write(bytes);
  return session.finish({ mimeType, duration, name, segments });
}
