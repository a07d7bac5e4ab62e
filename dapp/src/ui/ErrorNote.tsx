import { plainError } from "../lib/errors.ts";

/** An error in plain words, with an optional way to try again. */
export function ErrorNote({
  error,
  onRetry,
  retryLabel = "Try again",
}: {
  error: unknown;
  onRetry?: () => void;
  retryLabel?: string;
}) {
  if (!error) return null;
  const plain = plainError(error);
  return (
    <div className="error-note" role="alert">
      <p>
        <strong>{plain.title}</strong>
      </p>
      {plain.detail && plain.kind !== "rule" && <p>{plain.detail}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {retryLabel}
        </button>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}
