import type { Address } from "viem";
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

export type CovenantDocument = {
  type: "troth/covenant";
  version: typeof DOCUMENT_VERSION;
  title: string;
  /** Each founding member and the commitment they make. */
  members: { address: Address; commitment: string }[];
  /** The rhythm the pod agreed on (the chain holds the same numbers; this is what members read and sign). */
  terms: { cadence: number; grace: number; rounds: number; quorum: number };
  /** What the pod does when someone misses a round. */
  whenSomeoneMisses: string;
  boundary: typeof COVENANT_BOUNDARY;
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
};

export type ReplyDocument = {
  type: "troth/reply";
  version: typeof DOCUMENT_VERSION;
  from: Address;
  reply: WitnessReplyText;
};

export type TrothDocument = {
  covenant: CovenantDocument;
  commitment: CommitmentDocument;
  report: ReportDocument;
  reply: ReplyDocument;
};

const listeningRule: Validator<WitnessReplyText> = (value) => {
  if (typeof value === "string" && (witnessReplies as readonly string[]).includes(value))
    return value as WitnessReplyText;
  throw new ListeningRuleError({ given: typeof value === "string" ? value : (JSON.stringify(value) ?? String(value)) });
};

const commitmentText = v.string({ min: 1, max: 500 });
const address = v.hex(20) as Validator<Address>;

const validators: { [K in DocumentKind]: Validator<TrothDocument[K]> } = {
  covenant: v.object({
    type: v.literal("troth/covenant"),
    version: v.literal(DOCUMENT_VERSION),
    title: v.string({ min: 1, max: 120 }),
    members: v.array(v.object({ address, commitment: commitmentText }), { min: 2, max: 8 }),
    terms: v.object({
      cadence: v.integer({ min: 86_400, max: 35 * 86_400 }),
      grace: v.integer({ min: 0, max: 35 * 86_400 }),
      rounds: v.integer({ min: 1, max: 64 }),
      quorum: v.integer({ min: 1, max: 7 }),
    }),
    whenSomeoneMisses: v.string({ min: 1, max: 1000 }),
    boundary: v.literal(COVENANT_BOUNDARY),
  }) as Validator<CovenantDocument>,
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
  }) as Validator<ReportDocument>,
  reply: v.object({
    type: v.literal("troth/reply"),
    version: v.literal(DOCUMENT_VERSION),
    from: address,
    reply: listeningRule,
  }) as Validator<ReplyDocument>,
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
