import type { Address, Hex } from "viem";
import { DocumentValidationError, ListeningRuleError } from "../errors/document.ts";
import { type DocumentKind, type EnvelopeSlot, openEnvelope, sealEnvelope } from "./envelope.ts";
import { defaultRandom, fromUtf8, type RandomSource, utf8 } from "./random.ts";
import { type Validator, v } from "./schema.ts";

/** Version of the document schemas. */
export const DOCUMENT_VERSION = 1;

/** The boundary every covenant states, word for word. */
export const COVENANT_BOUNDARY =
  "This pod is not therapy. We witness that each check-in happened; we do not judge, advise, diagnose or treat.";

/** The two replies a witness may give (the listening rule). */
export const witnessReplies = ["Thank you", "What did you notice?"] as const;
export type WitnessReplyText = (typeof witnessReplies)[number];

/**
 * The covenant's format: version 2 adds the name each member appears under in the pod (`members[].name`); version 3
 * adds the meeting terms (`terms.turnLength`, `terms.recordingCap`). A covenant is written with the lowest version
 * that holds what it carries (1 when nobody has a name and no meeting term is set), so SDKs that know only the older
 * versions keep reading the covenants they can; this SDK reads all three.
 */
export const COVENANT_VERSION = 3;

/** The bounds of the covenant's meeting terms, in whole minutes: a speaker's turn and a recorded reflection. */
export const MEETING_TERM_MINUTES = { min: 1, max: 60 } as const;
/** A speaker's turn when the covenant sets none (the peer-circle form), in minutes. */
export const DEFAULT_TURN_MINUTES = 8;
/** The longest recorded reflection when the covenant sets none, in minutes. */
export const DEFAULT_RECORDING_CAP_MINUTES = 20;

/**
 * How a pod's meetings run, from its covenant's terms (the defaults for a covenant before version 3): each speaker's
 * turn in seconds, as a meeting link carries it, and the longest recording in milliseconds.
 *
 * @example
 * ```ts
 * const { turnSeconds, recordingCapMs } = meetingTermsOf(covenant.terms); // 480, 1_200_000 by default
 * ```
 */
export function meetingTermsOf(terms: { turnLength?: number; recordingCap?: number }): {
  turnSeconds: number;
  recordingCapMs: number;
} {
  return {
    turnSeconds: (terms.turnLength ?? DEFAULT_TURN_MINUTES) * 60,
    recordingCapMs: (terms.recordingCap ?? DEFAULT_RECORDING_CAP_MINUTES) * 60_000,
  };
}

/** The longest name a member may appear under in their pod. */
export const DISPLAY_NAME_MAX_LENGTH = 40;

export type CovenantDocument = {
  type: "troth/covenant";
  version: 1 | 2 | typeof COVENANT_VERSION;
  title: string;
  /**
   * Each founding member and the commitment they make, and (version 2) the name they appear under to the pod: sealed
   * with the covenant, so only members ever read it.
   */
  members: { address: Address; commitment: string; name?: string }[];
  /**
   * The rhythm the pod agreed on (the chain holds the same numbers; this is what members read and sign), and
   * (version 3, off the chain) how its meetings run: each speaker's turn and the longest recorded reflection, in whole
   * minutes within {@link MEETING_TERM_MINUTES} (absent: the defaults, see {@link meetingTermsOf}).
   */
  terms: CovenantDocumentTerms;
  /** What the pod does when someone misses a round. */
  whenSomeoneMisses: string;
  boundary: typeof COVENANT_BOUNDARY;
};

export type CovenantDocumentTerms = {
  cadence: number;
  grace: number;
  rounds: number;
  quorum: number;
  turnLength?: number;
  recordingCap?: number;
};

export type CommitmentDocument = {
  type: "troth/commitment";
  version: typeof DOCUMENT_VERSION;
  member: Address;
  commitment: string;
};

export type ReportDocument = {
  type: "troth/report";
  version: typeof DOCUMENT_VERSION;
  /** What I said I'd do. */
  said: string;
  /** What blocked or surprised me. */
  blocked: string;
  /** What's next. */
  next: string;
  /** A recorded reflection: the CID of its encrypted manifest (a {@link RecordingDocument}); see `./media.ts`. */
  recording?: string;
  /** The author marked that they led with the struggle (only members read it; the pod's private mirror counts it). */
  struggleFirst?: boolean;
};

/**
 * The manifest of a recorded reflection, sealed like every document (kind `recording`, the author's member slot and
 * round). It lists the recording's encrypted chunks, each one raw block, in order; the chunk format is `./media.ts`.
 */
export type RecordingDocument = {
  type: "troth/recording";
  version: typeof DOCUMENT_VERSION;
  /** The chunk format version (`MEDIA_FORMAT_VERSION`). */
  format: 1;
  /** The media type, as MediaRecorder or the file names it (`audio/webm;codecs=opus`, `video/mp4`…). */
  mimeType: string;
  /** Length in milliseconds (0 when unknown). */
  duration: number;
  /** Plaintext bytes in all. */
  size: number;
  /** Plaintext bytes of every chunk but the last (the last holds the rest, at least one byte). */
  chunkSize: number;
  /** The per-recording nonce prefix (19 bytes): each chunk's nonce is this ‖ its index ‖ a last-chunk flag. */
  nonce: Hex;
  /** The encrypted chunks' CIDs, in order. */
  chunks: string[];
  /** The original file name, for saving (an attached file). */
  name?: string;
  /** Byte offsets where a new recorder session begins (a recording resumed after a reload), first 0. */
  segments?: number[];
  /** The media time (ms) of each chunk's first byte (at most that), when known: a player seeks to a chunk by it. */
  times?: number[];
};

export type ReplyDocument = {
  type: "troth/reply";
  version: typeof DOCUMENT_VERSION;
  from: Address;
  reply: WitnessReplyText;
  /** The digest of the note this reply answers; absent, it answers the member's check-in for the round. */
  note?: Hex;
};

/** The longest note: a few sentences between meetings, not a report. */
export const NOTE_MAX_LENGTH = 1000;

/**
 * A short note between meetings (2–3 sentences), sealed in its author's member slot for the round it was written in.
 * Partners answer it under the listening rule (a {@link ReplyDocument} naming the note).
 */
export type NoteDocument = {
  type: "troth/note";
  version: typeof DOCUMENT_VERSION;
  from: Address;
  text: string;
};

export type TrothDocument = {
  covenant: CovenantDocument;
  commitment: CommitmentDocument;
  report: ReportDocument;
  reply: ReplyDocument;
  recording: RecordingDocument;
  note: NoteDocument;
};

const listeningRule: Validator<WitnessReplyText> = (value) => {
  if (typeof value === "string" && (witnessReplies as readonly string[]).includes(value))
    return value as WitnessReplyText;
  throw new ListeningRuleError({ given: typeof value === "string" ? value : (JSON.stringify(value) ?? String(value)) });
};

const commitmentText = v.string({ min: 1, max: 500 });
const address = v.hex(20) as Validator<Address>;

/** A Troth blob's CID as text: CIDv1, raw, sha2-256, base32 (`bafkrei…`). */
const blobCid = v.matching(/^bafkrei[a-z2-7]{52}$/, "a blob CID (bafkrei…)", { max: 59 });

/** The most chunks a manifest lists: 4096 × 1 MiB, and its envelope stays far below the block limit. */
export const MAX_RECORDING_CHUNKS = 4096;

const recordingShape = v.object({
  type: v.literal("troth/recording"),
  version: v.literal(DOCUMENT_VERSION),
  format: v.literal(1),
  mimeType: v.matching(/^(audio|video)\/[\w.+-]+(;[ \w.+=",-]*)?$/, "an audio/… or video/… media type", { max: 255 }),
  duration: v.integer({ min: 0, max: 24 * 3_600_000 }),
  size: v.integer({ min: 1, max: MAX_RECORDING_CHUNKS * 1024 * 1024 }),
  chunkSize: v.integer({ min: 1024, max: 1024 * 1024 - 16 }),
  nonce: v.hex(19),
  chunks: v.array(blobCid, { min: 1, max: MAX_RECORDING_CHUNKS }),
  name: v.optional(v.string({ min: 1, max: 255 })),
  segments: v.optional(v.array(v.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { min: 1, max: 256 })),
  times: v.optional(v.array(v.integer({ min: 0, max: 24 * 3_600_000 }), { min: 1, max: MAX_RECORDING_CHUNKS })),
}) as Validator<RecordingDocument>;

/** The manifest's fields agree with each other: as many chunks as the size needs, one time per chunk, and so on. */
const recording: Validator<RecordingDocument> = (value, path, kind) => {
  const manifest = recordingShape(value, path, kind);
  const fail = (field: string, reason: string): never => {
    throw new DocumentValidationError({ kind, path: field, reason });
  };
  const count = Math.ceil(manifest.size / manifest.chunkSize);
  if (manifest.chunks.length !== count)
    fail("chunks", `lists ${manifest.chunks.length} chunks where ${manifest.size} bytes make ${count}`);
  if (manifest.times && manifest.times.length !== count) fail("times", `expected one time per chunk (${count})`);
  if (manifest.times?.some((t, i) => i > 0 && t < manifest.times![i - 1])) fail("times", "must not go backwards");
  const segments = manifest.segments;
  if (segments && (segments[0] !== 0 || segments.some((o, i) => (i > 0 && o <= segments[i - 1]) || o >= manifest.size)))
    fail("segments", "expected increasing byte offsets within the recording, starting at 0");
  return manifest;
};

/** A name a member appears under: one line, no surrounding spaces. */
const displayName = v.matching(/^\S(.*\S)?$/, "a name on one line, without spaces around it", {
  max: DISPLAY_NAME_MAX_LENGTH,
});

const meetingMinutes = v.optional(v.integer(MEETING_TERM_MINUTES));
const rhythm = {
  cadence: v.integer({ min: 86_400, max: 92 * 86_400 }),
  grace: v.integer({ min: 0, max: 92 * 86_400 }),
  rounds: v.integer({ min: 1, max: 64 }),
  quorum: v.integer({ min: 1, max: 7 }),
};

const covenantFields = (version: 1 | 2 | 3) =>
  v.object({
    type: v.literal("troth/covenant"),
    version: v.literal(version),
    title: v.string({ min: 1, max: 120 }),
    members: v.array(
      version === 1
        ? v.object({ address, commitment: commitmentText })
        : v.object({ address, commitment: commitmentText, name: v.optional(displayName) }),
      { min: 2, max: 8 },
    ),
    terms:
      version < 3
        ? v.object(rhythm)
        : v.object({ ...rhythm, turnLength: meetingMinutes, recordingCap: meetingMinutes }),
    whenSomeoneMisses: v.string({ min: 1, max: 1000 }),
    boundary: v.literal(COVENANT_BOUNDARY),
  }) as Validator<CovenantDocument>;

const covenantVersions = { 1: covenantFields(1), 2: covenantFields(2), 3: covenantFields(3) };

/** A covenant of a version this SDK knows (1, 2 with names, 3 with meeting terms); a newer one names its version. */
const covenant: Validator<CovenantDocument> = (value, path, kind) => {
  const version = (value as { version?: unknown } | null)?.version;
  const validate = covenantVersions[version as keyof typeof covenantVersions];
  if (!validate) {
    throw new DocumentValidationError({
      kind,
      path: "version",
      reason: `version ${JSON.stringify(version)} is not supported (known: 1, 2, 3); upgrade @troth/sdk`,
    });
  }
  return validate(value, path, kind);
};

/**
 * The lowest covenant version that holds what it carries: 3 when a meeting term is set, else 2 when anyone has a name,
 * else 1.
 */
export function covenantVersionFor(
  members: readonly { name?: string }[],
  terms: { turnLength?: number; recordingCap?: number } = {},
): 1 | 2 | 3 {
  if (terms.turnLength !== undefined || terms.recordingCap !== undefined) return 3;
  return members.some((m) => m.name !== undefined) ? 2 : 1;
}

const validators: { [K in DocumentKind]: Validator<TrothDocument[K]> } = {
  covenant,
  commitment: v.object({
    type: v.literal("troth/commitment"),
    version: v.literal(DOCUMENT_VERSION),
    member: address,
    commitment: commitmentText,
  }) as Validator<CommitmentDocument>,
  report: v.object({
    type: v.literal("troth/report"),
    version: v.literal(DOCUMENT_VERSION),
    said: v.string({ min: 1, max: 2000 }),
    blocked: v.string({ max: 2000 }),
    next: v.string({ min: 1, max: 2000 }),
    recording: v.optional(blobCid),
    struggleFirst: v.optional(v.boolean()),
  }) as Validator<ReportDocument>,
  reply: v.object({
    type: v.literal("troth/reply"),
    version: v.literal(DOCUMENT_VERSION),
    from: address,
    reply: listeningRule,
    note: v.optional(v.hex(32)),
  }) as Validator<ReplyDocument>,
  note: v.object({
    type: v.literal("troth/note"),
    version: v.literal(DOCUMENT_VERSION),
    from: address,
    text: v.string({ min: 1, max: NOTE_MAX_LENGTH }),
  }) as Validator<NoteDocument>,
  recording,
};

/**
 * Validates a document against its schema; returns it typed or throws {@link DocumentValidationError} (or
 * {@link ListeningRuleError} for a reply that is neither "Thank you" nor "What did you notice?").
 *
 * @example
 * ```ts
 * const report = validateDocument("report", { type: "troth/report", version: 1, said: "…", blocked: "", next: "…" });
 * ```
 */
export function validateDocument<K extends DocumentKind>(kind: K, document: unknown): TrothDocument[K] {
  return validators[kind](document, "", kind) as TrothDocument[K];
}

/**
 * Validates, serializes and encrypts a document for its slot.
 *
 * @example
 * ```ts
 * const blob = sealDocument(report, { key: contentKey, slot: { pod, epoch, kind: "report", member: 0, round: 2 } });
 * ```
 */
export function sealDocument<K extends DocumentKind>(
  document: TrothDocument[K],
  { key, slot, random = defaultRandom }: { key: Uint8Array; slot: EnvelopeSlot & { kind: K }; random?: RandomSource },
): Uint8Array {
  const valid = validateDocument(slot.kind, document);
  return sealEnvelope(key, slot, utf8(JSON.stringify(valid)), random);
}

/**
 * Decrypts a document and validates it against its schema.
 *
 * @example
 * ```ts
 * const report = openDocument(blob, { key: contentKey, slot: { pod, epoch, kind: "report", member: 0, round: 2 } });
 * ```
 */
export function openDocument<K extends DocumentKind>(
  envelope: Uint8Array,
  { key, slot }: { key: Uint8Array; slot: EnvelopeSlot & { kind: K } },
): TrothDocument[K] {
  const plaintext = openEnvelope(key, slot, envelope);
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(plaintext));
  } catch (cause) {
    throw new DocumentValidationError({ kind: slot.kind, path: "", reason: `not JSON (${(cause as Error).message})` });
  }
  return validateDocument(slot.kind, json);
}
