/** Parameters every SDK error accepts, as viem's `BaseError` does. */
export type BaseErrorParameters = {
  /** The underlying error (a viem error, a failed fetch, a contract revert…). */
  cause?: unknown;
  /** Extra lines shown under the short message: the values that explain the failure. */
  metaMessages?: string[];
  /** A longer explanation of what went wrong. */
  details?: string;
};

export type BaseErrorType = BaseError & { name: "TrothError" };

/**
 * The root of every error the SDK throws. `shortMessage` is one human sentence, `metaMessages` the values behind it,
 * `cause` the error it wraps (walk it with {@link BaseError.walk}).
 *
 * @example
 * ```ts
 * try {
 *   await checkIn(troth, params);
 * } catch (error) {
 *   if (error instanceof BaseError) console.error(error.shortMessage);
 * }
 * ```
 */
export class BaseError extends Error {
  override name = "TrothError";
  readonly shortMessage: string;
  readonly metaMessages: string[];
  readonly details: string;

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const details =
      parameters.details ??
      (parameters.cause instanceof BaseError
        ? parameters.cause.details
        : parameters.cause instanceof Error
          ? ((parameters.cause as { shortMessage?: string }).shortMessage ?? parameters.cause.message)
          : "");
    const lines = [shortMessage];
    if (parameters.metaMessages?.length) lines.push("", ...parameters.metaMessages);
    if (details && details !== shortMessage) lines.push("", `Details: ${details}`);
    super(lines.join("\n"), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.metaMessages = parameters.metaMessages ?? [];
    this.details = details;
  }

  /**
   * Walks the cause chain and returns the deepest error, or the first one `predicate` accepts.
   *
   * @example
   * ```ts
   * const revert = error.walk((e) => e instanceof TrothContractError);
   * ```
   */
  walk(predicate?: (error: unknown) => boolean): unknown {
    let error: unknown = this;
    for (;;) {
      if (predicate?.(error)) return error;
      const next = (error as { cause?: unknown } | null)?.cause;
      if (next === undefined || next === null) return predicate ? null : error;
      error = next;
    }
  }
}
