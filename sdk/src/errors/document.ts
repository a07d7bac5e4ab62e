import { BaseError } from "./base.ts";

/** A document does not match its schema (before encryption, or after decryption). */
export class DocumentValidationError extends BaseError {
  override name = "DocumentValidationError" as const;
  readonly kind: string;
  readonly path: string;
  constructor({ kind, path, reason }: { kind: string; path: string; reason: string }) {
    super(`Invalid ${kind} document at ${path || "(root)"}: ${reason}.`);
    this.kind = kind;
    this.path = path;
  }
}

/**
 * A witness reply broke the listening rule: a witness answers only "Thank you" or asks "What did you notice?". No
 * advice, no judgement.
 */
export class ListeningRuleError extends BaseError {
  override name = "ListeningRuleError" as const;
  constructor({ given }: { given: string }) {
    super('A witness reply is only "Thank you" or the question "What did you notice?".', {
      metaMessages: [`Given: ${JSON.stringify(given.slice(0, 80))}`],
    });
  }
}

/**
 * A note or reply found on the chain names another author than the member who posted it: someone re-posted a
 * partner's document, or wrote one in a partner's name. It is not shown as theirs.
 */
export class NoteAuthorMismatchError extends BaseError {
  override name = "NoteAuthorMismatchError" as const;
  constructor({ digest, posted, named }: { digest: string; posted: string; named: string }) {
    super("A note or reply was posted by one member in another's name; it is not shown.", {
      metaMessages: [`Digest: ${digest}`, `Posted by: ${posted}`, `Names: ${named}`],
    });
  }
}
