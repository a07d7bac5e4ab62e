import type { Hex } from "viem";
import type { TrothClient } from "../client.ts";
import type { RecordingDocument } from "../crypto/documents.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { readRecordingChunk, streamRecording } from "../crypto/media.ts";
import { NoRecordingError, type RecordingChunkError, type RecordingChunkRangeError } from "../errors/media.ts";
import type { BlobNotFoundError, IntegrityError } from "../errors/storage.ts";
import { splitToken } from "../internal/pod.ts";
import { openRecording } from "../internal/recording.ts";
import { type ReadReportErrorType, readReport } from "./readReport.ts";

export type ReadRecordingParameters = {
  tokenId: bigint;
  round: number;
  identity: IdentityKey;
  /** The report's digest, if known (otherwise found in the `CheckedIn` log). */
  reportDigest?: Hex;
  /**
   * The manifest's CID, to open a recording no report points to yet (the author listening back before sending);
   * the report is then not read.
   */
  recording?: string;
};
/** A recorded check-in, opened: its manifest, and its plaintext as a stream or chunk by chunk. */
export type ReadRecordingReturnType = {
  /** The manifest's CID (the report's `recording`). */
  recording: string;
  manifest: RecordingDocument;
  /** The plaintext in order from chunk `from`, each chunk verified against its CID and opened before it is yielded. */
  stream(options?: { from?: number; prefetch?: number }): AsyncGenerator<Uint8Array, void, undefined>;
  /** One chunk, verified and opened (seeking). */
  chunk(index: number): Promise<Uint8Array>;
};
export type ReadRecordingErrorType =
  | ReadReportErrorType
  | NoRecordingError
  | RecordingChunkError
  | RecordingChunkRangeError
  | IntegrityError
  | BlobNotFoundError;

/**
 * Opens the recording of a member's check-in for a round: finds the report, opens the manifest it points to, and
 * returns readers that fetch, verify and decrypt the chunks as they are asked for (nothing is fetched up front).
 *
 * @example
 * ```ts
 * const { manifest, stream } = await readRecording(bobTroth, { tokenId: aliceToken, round: 3, identity: bobIdentity });
 * for await (const bytes of stream()) file.write(bytes);
 * ```
 */
export async function readRecording(
  client: TrothClient,
  parameters: ReadRecordingParameters,
): Promise<ReadRecordingReturnType> {
  const { tokenId, round, identity } = parameters;
  const recording = parameters.recording ?? (await readReport(client, parameters)).recording;
  if (recording === undefined) throw new NoRecordingError({ tokenId, round });
  const { podId, index } = splitToken(tokenId);
  const opened = await openRecording(client, { podId, member: index, round, recording, identity });
  const source = { ...opened, store: client.store };
  return {
    recording,
    manifest: opened.manifest,
    stream: (options = {}) => streamRecording({ ...source, ...options }),
    chunk: (index) => readRecordingChunk(source, index),
  };
}
