import { type Account, type Address, getAddress } from "viem";
import { requireAccount, type TrothClient } from "../client.ts";
import { type RecordingDocument, sealDocument } from "../crypto/documents.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import {
  type CreateRecordingWriterParameters,
  createRecordingWriter,
  type FinishRecordingParameters,
  type RecordingSlot,
  type RecordingWriter,
} from "../crypto/media.ts";
import type { StaleKeyringError } from "../errors/client.ts";
import type { DecryptionError, NotARecipientError } from "../errors/crypto.ts";
import type { DocumentValidationError } from "../errors/document.ts";
import type {
  EmptyRecordingError,
  RecordingClosedError,
  RecordingResumeError,
  RecordingTooLargeError,
} from "../errors/media.ts";
import type { BlobTooLargeError, StoreRequestError } from "../errors/storage.ts";
import { type TrothContractError, trothError } from "../errors/troth.ts";
import { splitToken } from "../internal/pod.ts";
import { requireActive, writingKey } from "../internal/report.ts";

export type StartRecordingParameters = Pick<
  CreateRecordingWriterParameters,
  "chunkSize" | "concurrency" | "maxSize" | "onStored" | "resume"
> & {
  tokenId: bigint;
  /** The round the recording is for (it can only be sent with that round's check-in). */
  round: number;
  /** The member's identity key (to unwrap the pod key). */
  identity: IdentityKey;
  /** The member recording; defaults to the client's wallet account. */
  account?: Account | Address;
};

/** A recording being made: write bytes as they come; `finish` seals and stores its manifest. */
export type RecordingSession = Omit<RecordingWriter, "finish"> & {
  /** The key epoch it is sealed under (a check-in under another epoch refuses it). */
  readonly epoch: number;
  readonly slot: RecordingSlot;
  /** Seals the last chunk and the manifest; `recording` (the manifest's CID) goes in the report. */
  finish(details: FinishRecordingParameters): Promise<{ recording: string; manifest: RecordingDocument }>;
};
export type StartRecordingReturnType = RecordingSession;
export type StartRecordingErrorType =
  | TrothContractError
  | StaleKeyringError
  | NotARecipientError
  | DecryptionError
  | DocumentValidationError
  | EmptyRecordingError
  | RecordingTooLargeError
  | RecordingClosedError
  | RecordingResumeError
  | BlobTooLargeError
  | StoreRequestError;

/**
 * Starts a recorded reflection for a round: chunks are sealed under the pod's current key (checked as for a check-in:
 * an inactive member or a paused pod is refused before anything is sealed) and stored as they fill, so memory stays
 * bounded however long it runs. Pass `onStored` to persist its state and `resume` to pick up after a reload.
 *
 * @example
 * ```ts
 * const session = await startRecording(aliceTroth, { tokenId, round: 3, identity });
 * recorder.ondataavailable = async (e) => session.write(new Uint8Array(await e.data.arrayBuffer()));
 * const { recording } = await session.finish({ mimeType: recorder.mimeType, duration: 1_200_000 });
 * await checkIn(aliceTroth, { tokenId, round: 3, identity, report: { said, blocked, next, recording } });
 * ```
 */
export async function startRecording(
  client: TrothClient,
  { tokenId, round, identity, account, ...options }: StartRecordingParameters,
): Promise<StartRecordingReturnType> {
  const sender = requireAccount(client, account, "startRecording");
  const holder = getAddress(typeof sender === "string" ? sender : sender.address);
  const { podId, index } = splitToken(tokenId);
  const { podKey } = await writingKey(client, podId, identity, (active, snapshot) => {
    requireActive(active, podId, holder);
    if (snapshot.paused) throw trothError("PodIsPaused", [podId], { preflight: true });
  });
  const slot = { pod: podKey.pod, epoch: podKey.epoch, member: index, round };
  const writer = createRecordingWriter({
    ...options,
    key: podKey.key,
    slot,
    store: client.store,
    random: client.random,
  });
  return {
    epoch: podKey.epoch,
    slot,
    get size() {
      return writer.size;
    },
    state: writer.state,
    write: writer.write,
    async finish(details) {
      const manifest = await writer.finish(details);
      const envelope = sealDocument(manifest, {
        key: podKey.key,
        slot: { ...slot, kind: "recording" },
        random: client.random,
      });
      const { cid } = await client.store.put(envelope);
      return { recording: cid.toString(), manifest };
    },
  };
}
