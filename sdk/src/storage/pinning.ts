import { PinningError, StoreRequestError } from "../errors/storage.ts";
import { type BlobLocator, toCid } from "./cid.ts";
import { joinUrl, storageRequestError } from "./http.ts";

/** Where a pin request stands (IPFS Pinning Service API): waiting, fetching, kept, or given up. */
export type PinState = "queued" | "pinning" | "pinned" | "failed";

/** A pin request as the service reports it (the spec's `PinStatus`). */
export type PinStatus = {
  /** The service's id for this request (used to read, replace or remove it). */
  requestid: string;
  status: PinState;
  /** When the request was made (ISO 8601). */
  created: string;
  pin: { cid: string; name?: string; origins?: string[]; meta?: Record<string, string> };
  /** Multiaddrs of the service's own nodes, which a node holding the blob may connect to. */
  delegates: string[];
  info?: Record<string, string>;
};

export type CreatePinningServiceParameters = {
  /** The service's API base: `POST <url>/pins`, `GET <url>/pins?cid=…` (e.g. `https://api.pinata.cloud/psa`). */
  url: string;
  /** The access token the service issued (sent as `Authorization: Bearer <token>`). */
  token: string;
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
  /** Milliseconds before a request is abandoned (default 30 s). */
  timeout?: number;
};

/**
 * A client of the IPFS Pinning Service API (https://ipfs.github.io/pinning-services-api-spec/), the open API pinning
 * providers implement: asks a service to keep a copy of a blob another node already holds. The service fetches the
 * blob over the IPFS network (from `origins`, or the nodes that provide it), so a pin goes from `queued` to `pinned`
 * asynchronously; {@link PinningService.waitForPinned} follows it.
 */
export type PinningService = {
  readonly name: string;
  /** Asks for a pin of `locator`, or returns the request already made for it (queued, pinning or pinned). */
  pin(locator: BlobLocator, options?: { name?: string; origins?: string[] }): Promise<PinStatus>;
  /** The requests for a blob in the given states (default: all four). */
  find(locator: BlobLocator, states?: readonly PinState[]): Promise<PinStatus[]>;
  /** One request by its id. */
  status(requestid: string): Promise<PinStatus>;
  /** Polls a request until it is `pinned`; `failed` (or the timeout) is a {@link PinningError}. */
  waitForPinned(requestid: string, options?: { timeout?: number; interval?: number }): Promise<PinStatus>;
  /** Removes a pin request (the service may then drop its copy). */
  remove(requestid: string): Promise<void>;
};

const STATES: readonly PinState[] = ["queued", "pinning", "pinned", "failed"];

function isPinStatus(value: unknown): value is PinStatus {
  const v = value as PinStatus | undefined;
  return (
    typeof v?.requestid === "string" &&
    STATES.includes(v.status) &&
    typeof v.pin?.cid === "string" &&
    Array.isArray(v.delegates)
  );
}

/**
 * A Pinning Service API client with a bearer token. Errors are typed: {@link StorageAuthError} (401/403: the token),
 * {@link StoreUnreachableError}, {@link PinningError} (a failed pin), else {@link StoreRequestError} with the
 * service's own reason.
 *
 * @example
 * ```ts
 * const service = createPinningService({ url: "https://pins.example.org", token });
 * const request = await service.pin(cid);
 * await service.waitForPinned(request.requestid, { timeout: 60_000 });
 * ```
 */
export function createPinningService({
  url,
  token,
  fetch: fetchFn = globalThis.fetch,
  timeout = 30_000,
}: CreatePinningServiceParameters): PinningService {
  const name = `pinning service ${url.replace(/\/+$/, "")}`;

  async function request(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetchFn(joinUrl(url, path), {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
      });
    } catch (cause) {
      throw storageRequestError({ source: name, cause });
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      // The spec's Failure: { error: { reason, details } }.
      const failure = (json as { error?: { reason?: string; details?: string } } | undefined)?.error;
      const reason = [failure?.reason, failure?.details].filter(Boolean).join(": ") || text.slice(0, 200);
      throw storageRequestError({ source: name, status: response.status, reason: reason || response.statusText });
    }
    return json;
  }

  function expectStatus(value: unknown): PinStatus {
    if (!isPinStatus(value)) throw new StoreRequestError({ source: name, reason: "the answer is not a PinStatus" });
    return value;
  }

  const service: PinningService = {
    name,
    async find(locator, states = STATES) {
      const cid = toCid(locator).toString();
      const query = new URLSearchParams({ cid, status: states.join(","), limit: "10" });
      const answer = (await request("GET", `pins?${query}`)) as { results?: unknown[] } | undefined;
      if (!Array.isArray(answer?.results))
        throw new StoreRequestError({ source: name, reason: "the answer to GET /pins has no results" });
      return answer.results.map(expectStatus).filter((status) => status.pin.cid === cid);
    },
    async pin(locator, options = {}) {
      const cid = toCid(locator).toString();
      const existing = await service.find(cid, ["queued", "pinning", "pinned"]);
      if (existing.length > 0) return existing[0];
      return expectStatus(await request("POST", "pins", { cid, ...options }));
    },
    async status(requestid) {
      return expectStatus(await request("GET", `pins/${encodeURIComponent(requestid)}`));
    },
    async waitForPinned(requestid, { timeout: limit = 60_000, interval = 1_000 } = {}) {
      const deadline = Date.now() + limit;
      for (;;) {
        const current = await service.status(requestid);
        if (current.status === "pinned") return current;
        if (current.status === "failed") {
          const why = current.info?.status_details ?? current.info?.reason ?? "the service reports the pin failed";
          throw new PinningError({ cid: current.pin.cid, source: name, reason: why });
        }
        if (Date.now() + interval > deadline) {
          throw new PinningError({
            cid: current.pin.cid,
            source: name,
            reason: `still ${current.status} after ${Math.round(limit / 1000)} s`,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, interval));
      }
    },
    async remove(requestid) {
      await request("DELETE", `pins/${encodeURIComponent(requestid)}`);
    },
  };
  return service;
}
