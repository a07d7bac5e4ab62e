import { BaseError } from "./base.ts";

/**
 * A chunk of a recording could not be played: the parent of every way a recording can be damaged. Nothing of a chunk
 * that raised it was handed on, and nothing after it is.
 */
export class RecordingChunkError extends BaseError {
  override name: string = "RecordingChunkError";
  /** The chunk's place in the manifest (0-based). */
  readonly index: number;
  /** How many chunks the manifest lists. */
  readonly count: number;
  constructor(shortMessage: string, { index, count, cause }: { index: number; count: number; cause?: unknown }) {
    super(shortMessage, { cause, metaMessages: [`Chunk ${index + 1} of ${count}.`] });
    this.index = index;
    this.count = count;
  }
}

/** The chunk's bytes do not open under the recording's key, slot and nonce: altered, or from another recording. */
export class RecordingChunkTamperedError extends RecordingChunkError {
  override name = "RecordingChunkTamperedError" as const;
  constructor(parameters: { index: number; count: number; cause?: unknown }) {
    super(
      `Chunk ${parameters.index + 1} of this recording was altered or belongs to another recording; playback stopped.`,
      parameters,
    );
  }
}

/** The chunk is a genuine chunk of this recording, but from another place in it: chunks were reordered or dropped. */
export class RecordingChunkOutOfOrderError extends RecordingChunkError {
  override name = "RecordingChunkOutOfOrderError" as const;
  /** Where the chunk really belongs. */
  readonly actual: number;
  constructor({ index, count, actual }: { index: number; count: number; actual: number }) {
    super(
      `Chunk ${index + 1} of this recording is chunk ${actual + 1} in its place: chunks were reordered or dropped; playback stopped.`,
      { index, count },
    );
    this.actual = actual;
  }
}

/** The chunk listed last was not sealed as the last one: the recording was cut short. */
export class RecordingTruncatedError extends RecordingChunkError {
  override name = "RecordingTruncatedError" as const;
  constructor(parameters: { index: number; count: number }) {
    super(`This recording is cut short after chunk ${parameters.index + 1}: its end is missing.`, parameters);
  }
}

/** A chunk sealed as the last one has chunks listed after it: something was appended to the recording. */
export class RecordingExtendedError extends RecordingChunkError {
  override name = "RecordingExtendedError" as const;
  constructor(parameters: { index: number; count: number }) {
    super(
      `This recording ends at chunk ${parameters.index + 1}, yet more chunks follow it: they were appended by someone else.`,
      parameters,
    );
  }
}

/** A recording with no bytes: nothing to seal. */
export class EmptyRecordingError extends BaseError {
  override name = "EmptyRecordingError" as const;
  constructor() {
    super("The recording is empty: there is nothing to send.");
  }
}

/** The recording is longer than the format holds (or than the covenant's cap). */
export class RecordingTooLargeError extends BaseError {
  override name = "RecordingTooLargeError" as const;
  readonly size: number;
  readonly limit: number;
  constructor({ size, limit }: { size: number; limit: number }) {
    super(`The recording has grown past ${limit} bytes, the most one check-in carries.`, {
      metaMessages: [`Size so far: at least ${size} bytes.`],
    });
    this.size = size;
    this.limit = limit;
  }
}

/**
 * The recording was sealed under a key epoch the pod has since left behind (a member left or was added while it was
 * recorded). Sending it would let a reader of the old epoch read it; it must be sealed again under the current key.
 */
export class RecordingEpochError extends BaseError {
  override name = "RecordingEpochError" as const;
  readonly recorded: number;
  readonly current: number;
  constructor({ recorded, current }: { recorded: number; current: number }) {
    super(
      `The recording was sealed under key epoch ${recorded}, but the pod's key is now epoch ${current}: seal it again before sending.`,
    );
    this.recorded = recorded;
    this.current = current;
  }
}

/** A chunk index outside the recording (a seek past the end). */
export class RecordingChunkRangeError extends BaseError {
  override name = "RecordingChunkRangeError" as const;
  constructor({ index, count }: { index: number; count: number }) {
    super(`There is no chunk ${index} in a recording of ${count} chunks.`);
  }
}

/** The check-in's report carries no recording. */
export class NoRecordingError extends BaseError {
  override name = "NoRecordingError" as const;
  constructor({ tokenId, round }: { tokenId: bigint; round: number }) {
    super(`The check-in of commitment ${tokenId}, round ${round}, has no recording attached.`);
  }
}

/**
 * A resumed recording was finished without the bytes that follow its stored chunks. A chunk is sealed only once the
 * byte after it exists, so whoever resumes holds those bytes: they must be written again before finishing.
 */
export class RecordingResumeError extends BaseError {
  override name = "RecordingResumeError" as const;
  constructor({ stored }: { stored: number }) {
    super(`The recording was resumed after ${stored} stored bytes, but the bytes after them were not written again.`);
  }
}

/** Written to after it was finished (or after a store failed): a sealed recording never changes. */
export class RecordingClosedError extends BaseError {
  override name = "RecordingClosedError" as const;
  constructor({ reason }: { reason: string }) {
    super(`This recording takes no more bytes: ${reason}.`);
  }
}
