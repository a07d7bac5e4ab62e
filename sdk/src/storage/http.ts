import {
  BlobNotFoundError,
  BlobTooLargeError,
  InvalidStorageSecretError,
  StorageAuthError,
  StoreRequestError,
  StoreUnreachableError,
} from "../errors/storage.ts";

/**
 * Credentials for a storage endpoint: a bearer token (Kubo's `API.Authorizations` secret `bearer:<token>`, a pinning
 * service's access token) or a user name and password (Kubo's `basic:<user>:<password>`).
 */
export type StorageAuth = { token: string } | { username: string; password: string };

/**
 * Credentials from a secret written as Kubo's `API.Authorizations` writes them: `bearer:<token>`,
 * `basic:<user>:<password>`, or a bare token (bearer). For environment variables and flags that carry one secret.
 *
 * @example
 * ```ts
 * const auth = parseStorageSecret(process.env.TROTH_IPFS_TOKEN ?? ""); // { token } or { username, password }
 * ```
 */
export function parseStorageSecret(secret: string): StorageAuth {
  const value = secret.trim();
  if (value.startsWith("basic:")) {
    const [username, ...password] = value.slice("basic:".length).split(":");
    if (!username || password.length === 0)
      throw new InvalidStorageSecretError({ reason: 'a basic secret is "basic:<user>:<password>"' });
    return { username, password: password.join(":") };
  }
  const token = value.startsWith("bearer:") ? value.slice("bearer:".length) : value;
  if (!token) throw new InvalidStorageSecretError({ reason: "the token is empty" });
  return { token };
}

/** The `Authorization` header for `auth` (none without credentials). */
export function authorizationHeader(auth: StorageAuth | undefined): Record<string, string> {
  if (!auth) return {};
  if ("token" in auth) return { Authorization: `Bearer ${auth.token}` };
  const bytes = new TextEncoder().encode(`${auth.username}:${auth.password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return { Authorization: `Basic ${btoa(binary)}` };
}

/** A failure before any answer: the network, DNS, a refused connection or a timeout. */
function isNetworkFailure(cause: unknown): boolean {
  const error = cause as { name?: string; message?: string; code?: string } | undefined;
  if (!error) return false;
  if (error.name === "TimeoutError" || error.name === "AbortError") return true;
  if (typeof error.code === "string" && /^(ECONN|ENOTFOUND|EAI_|ETIMEDOUT|EHOSTUNREACH|UND_ERR)/.test(error.code))
    return true;
  // undici: "fetch failed"; Chromium: "Failed to fetch"; Firefox: "NetworkError…"; Safari: "Load failed".
  return (
    error.name === "TypeError" && /fetch failed|failed to fetch|networkerror|load failed/i.test(error.message ?? "")
  );
}

/**
 * The typed error for a failed storage request: credentials refused (401/403), too large (413), not found (404), the
 * endpoint unreachable, or any other failure with the server's own words.
 */
export function storageRequestError({
  source,
  cause,
  status,
  reason,
  cid,
  size,
}: {
  source: string;
  cause?: unknown;
  status?: number;
  reason?: string;
  cid?: string;
  size?: number;
}): Error {
  const message = reason ?? (cause as Error | undefined)?.message ?? String(cause);
  if (status === undefined) {
    if (isNetworkFailure(cause)) {
      const why = (cause as { cause?: { code?: string; message?: string } }).cause;
      return new StoreUnreachableError({ source, reason: why?.code ?? why?.message ?? message, cause });
    }
    return new StoreRequestError({ source, reason: message, cause });
  }
  if (status === 401 || status === 403) return new StorageAuthError({ source, status, reason: message, cause });
  if (status === 413) return new BlobTooLargeError({ size: size ?? -1, limit: -1, source, cause });
  if (status === 404 && cid) return new BlobNotFoundError({ cid, source, cause });
  return new StoreRequestError({ source, reason: `HTTP ${status}: ${message}`, cause });
}

/** Appends the base URL and a path without doubling or dropping slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
