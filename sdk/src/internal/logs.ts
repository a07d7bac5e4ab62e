/**
 * Every log the SDK reads goes through here. Public RPC providers refuse `eth_getLogs` over a block range or a result
 * count they cap (each says so in its own words), rate-limit bursts (HTTP 429, JSON-RPC -32005), and now and then
 * answer wrong. `readLogs` splits a range on the refusals (to the range the provider names when it names one), runs a
 * bounded number of requests at once, backs off and retries on rate limits, checks every answer against the filter,
 * hands the logs over in block order as each prefix of the range completes, and on failure says where it got to so
 * the caller resumes from there.
 */
import {
  type Address,
  type ContractEventName,
  decodeEventLog,
  encodeEventTopics,
  type GetEventArgs,
  getAddress,
  type Hex,
  HttpRequestError,
  isAddressEqual,
  type PublicClient,
  toHex,
} from "viem";
import type { TrothClient } from "../client.ts";
import { LogQueryError, LogResponseError } from "../errors/client.ts";
import { trothAbi } from "../generated/abis.ts";

/** A log as `eth_getLogs` returns it. */
export type RawLog = {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash?: Hex;
  transactionHash: Hex;
  logIndex: Hex;
  removed?: boolean;
};

/** What to ask for: the contract(s), and per topic position one value, any of several, or anything (null). */
export type LogFilter = {
  address: Address | readonly Address[];
  topics?: readonly (Hex | readonly Hex[] | null)[];
};

/** A contiguous piece of the range, read whole. */
export type LogPiece = { fromBlock: bigint; toBlock: bigint; logs: RawLog[] };

export type ReadLogsParameters = {
  filter: LogFilter;
  fromBlock: bigint;
  toBlock: bigint;
  /**
   * Receives the range in block order, piece by piece, as soon as everything before a piece has been read. A piece
   * handed over is done: if the read fails later, `LogQueryError.resumeFrom` is the block after the last piece.
   */
  onLogs?: (piece: LogPiece) => void | Promise<void>;
  /** Requests in flight at once (default 16). */
  concurrency?: number;
  /** The widest range asked for in one request (default: whatever the provider accepts, learned from its refusals). */
  maxSpan?: bigint;
  /** Attempts per piece on rate limits, network failures and bad answers before giving up (default 6). */
  retries?: number;
  /** First backoff in ms, doubled at each attempt (default 250; a `Retry-After` header wins). */
  retryDelay?: number;
};

export type ReadLogsReturnType = {
  /** Every log of the range, in block and log order. */
  logs: RawLog[];
  /** The last block read (the range's end). */
  toBlock: bigint;
  /** `eth_getLogs` requests made, refused ones included. */
  requests: number;
};

/** How a failed `eth_getLogs` is answered. */
export type LogErrorKind =
  /** Too many blocks or results: split the range (`to` is the end the provider suggested, `span` its block limit). */
  | { kind: "range"; to?: bigint; span?: bigint }
  /** Rate limited: wait (`after` ms when the provider says) and try again. */
  | { kind: "rate"; after?: number }
  /** The request did not get an answer (network, timeout, 5xx): try again. */
  | { kind: "transient" }
  /** Anything else: retrying will not help. */
  | { kind: "fatal" };

/** The refusals providers give for a range too wide or a result too large, in their own words. */
const rangePatterns = [
  /block range/i, // Ankr "block range is too wide", QuickNode/BlockPI/Base "…block range…", Nodereal, dRPC
  /range (is )?too (large|wide|big)/i,
  /too (large|wide|big) (a )?(block )?range/i,
  /(max|maximum|allowed) (block )?range/i, // reth "query exceeds max block range 100000", Besu, PublicNode
  /range (limit|exceed)/i, // Chainstack "Block range limit exceeded", Besu "Requested range exceeds…"
  /limited to (a )?[\d,.]+k? ?(-| )?(block|range)/i, // QuickNode "eth_getLogs is limited to a 10,000 range"
  /more than [\d,]+ (results|logs|blocks)/i, // Infura, Erigon, geth "query returned more than 10000 results"
  /max(imum)? results/i, // reth "query exceeds max results 20000, retry with the range 0-100"
  /too many (results|logs|blocks)/i,
  /(log )?response size (exceeded|should|too)/i, // Alchemy "Log response size exceeded…", 1RPC
  /(log|result)s? (limit|cap) (exceeded|reached)/i,
  /ranges? over [\d,]+ blocks/i, // dRPC "ranges over 10000 blocks are not supported"
  /requested blocks/i, // thirdweb "Maximum allowed number of requested blocks is 1000"
  /query timeout/i, // geth "query timeout exceeded": the same query over less blocks answers in time
];

const ratePatterns = [/rate.?limit/i, /too many requests/i, /capacity/i, /throughput/i, /compute units/i, /slow down/i];

function causes(error: unknown): Record<string, unknown>[] {
  const chain: Record<string, unknown>[] = [];
  for (let e = error; e && typeof e === "object" && chain.length < 16; e = (e as { cause?: unknown }).cause) {
    chain.push(e as Record<string, unknown>);
  }
  return chain;
}

function textOf(chain: Record<string, unknown>[]): string {
  const parts: string[] = [];
  for (const e of chain) {
    for (const key of ["details", "shortMessage", "message"]) if (typeof e[key] === "string") parts.push(e[key]);
    if (e.data !== undefined) parts.push(safeJson(e.data));
    if (e.body !== undefined) parts.push(safeJson(e.body));
  }
  return parts.join("\n");
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v)) ?? "";
  } catch {
    return "";
  }
}

/** A number as providers write it: "10,000", "10000", "10k", "2K". */
function count(text: string): bigint | undefined {
  const m = /^([\d,.]+)\s*(k)?$/i.exec(text.trim());
  if (!m) return undefined;
  const digits = m[1].replace(/,/g, "");
  if (!/^\d+(\.\d+)?$/.test(digits)) return undefined;
  const value = m[2] ? Number(digits) * 1000 : Number(digits);
  return Number.isSafeInteger(value) && value > 0 ? BigInt(value) : undefined;
}

/** The range a refusal suggests instead, or the block limit it names. */
function hintOf(text: string, chain: Record<string, unknown>[]): { to?: bigint; span?: bigint } {
  // Infura puts the range it suggests in the error's data: { from, to, limit }.
  for (const e of chain) {
    const data = e.data as { from?: unknown; to?: unknown } | undefined;
    if (data && typeof data === "object" && typeof data.to === "string" && /^0x[0-9a-f]+$/i.test(data.to)) {
      return { to: BigInt(data.to) };
    }
  }
  // Alchemy "this block range should work: [0x0, 0x1b9f]", Infura "Try with this block range [0x.., 0x..]".
  const bracket = /\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]/i.exec(text);
  if (bracket) return { to: BigInt(bracket[2]) };
  // reth "retry with the range 100-200".
  const dashed = /range (\d+)\s*-\s*(\d+)/i.exec(text);
  if (dashed) return { to: BigInt(dashed[2]) };
  const limits = [
    /limited to (?:a )?([\d,.]+k?)[ -]?(?:block)?s?[ -]?range/i,
    /(?:max|maximum|allowed) (?:block )?range(?: limit)?(?: is| of)?:? ([\d,.]+k?)/i,
    /range (?:limit )?(?:is |of )?(?:currently )?(?:allowed )?(?:range )?(?:is )?([\d,.]+k?) blocks/i,
    /ranges? over ([\d,.]+k?) blocks/i,
    /(?:requested blocks|range) is ([\d,.]+k?)/i,
    /([\d,.]+k?) (?:blocks? )?(?:range )?(?:max|limit)\b/i,
    /range limit[^\d]{0,30}?([\d,.]+k?)\b/i,
    /max is ([\d,.]+k?)/i,
    /up to (?:a )?([\d,.]+k?) block range/i,
  ];
  for (const pattern of limits) {
    const m = pattern.exec(text);
    const span = m ? count(m[1]) : undefined;
    if (span) return { span };
  }
  return {};
}

function retryAfter(chain: Record<string, unknown>[]): number | undefined {
  for (const e of chain) {
    const headers = e.headers as Headers | undefined;
    const value = headers && typeof headers.get === "function" ? headers.get("retry-after") : null;
    if (value) {
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
      const date = Date.parse(value);
      if (Number.isFinite(date)) return Math.min(Math.max(date - Date.now(), 0), 60_000);
    }
  }
  return undefined;
}

/**
 * What a failed `eth_getLogs` means: the provider refused the range or the result size (split it), rate-limited
 * (wait and retry), did not answer (retry), or failed for good.
 */
export function classifyLogError(error: unknown): LogErrorKind {
  const chain = causes(error);
  const text = textOf(chain);
  const codes = chain.map((e) => e.code).filter((c): c is number => typeof c === "number");
  const status = chain.map((e) => e.status).find((s): s is number => typeof s === "number");
  if (status === 429 || codes.includes(429)) return { kind: "rate", after: retryAfter(chain) };
  if (rangePatterns.some((p) => p.test(text)) || status === 413) return { kind: "range", ...hintOf(text, chain) };
  if (codes.includes(-32005) || ratePatterns.some((p) => p.test(text)))
    return { kind: "rate", after: retryAfter(chain) };
  if (status !== undefined && status >= 500) return { kind: "transient" };
  const name = chain.map((e) => e.name);
  if (name.includes("TimeoutError") || name.includes("AbortError")) return { kind: "transient" };
  if (chain.some((e) => e instanceof HttpRequestError && e.status === undefined)) return { kind: "transient" };
  if (chain.some((e) => e instanceof TypeError && /fetch|network|socket/i.test(String(e.message)))) {
    return { kind: "transient" };
  }
  // -32603 Internal error with no recognisable words: some nodes answer a too-heavy query that way.
  if (codes.includes(-32603)) return { kind: "transient" };
  return { kind: "fatal" };
}

/** The widest range each client's provider accepted after refusing a wider one. */
const learnedSpans = new WeakMap<object, bigint>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function topicMatches(wanted: Hex | readonly Hex[] | null | undefined, topic: Hex | undefined): boolean {
  if (wanted === null || wanted === undefined) return true;
  if (topic === undefined) return false;
  const list = typeof wanted === "string" ? [wanted] : wanted;
  return list.length === 0 || list.some((w) => w.toLowerCase() === topic.toLowerCase());
}

/** Why an answer cannot be the logs asked for, or null when it can. */
function checkAnswer(answer: unknown, filter: LogFilter, from: bigint, to: bigint): string | null {
  if (!Array.isArray(answer)) return "the answer is not a list of logs";
  const addresses = (typeof filter.address === "string" ? [filter.address] : filter.address).map((a) => getAddress(a));
  for (const log of answer as RawLog[]) {
    if (!log || typeof log !== "object" || typeof log.blockNumber !== "string" || !Array.isArray(log.topics)) {
      return "a log has no block number or topics (a pending log?)";
    }
    if (log.removed) return "a log was removed by a reorganisation";
    const block = BigInt(log.blockNumber);
    if (block < from || block > to) return `a log of block ${block} lies outside the range ${from}–${to}`;
    if (!addresses.some((a) => isAddressEqual(a, log.address)))
      return `a log comes from another contract (${log.address})`;
    if (!(filter.topics ?? []).every((wanted, i) => topicMatches(wanted, log.topics[i]))) {
      return "a log does not match the topics asked for";
    }
  }
  return null;
}

function byPosition(a: RawLog, b: RawLog): number {
  const block = BigInt(a.blockNumber) - BigInt(b.blockNumber);
  if (block !== 0n) return block < 0n ? -1 : 1;
  return Number(BigInt(a.logIndex) - BigInt(b.logIndex));
}

/**
 * Reads the logs of `filter` from `fromBlock` to `toBlock` (inclusive), split into ranges the provider accepts.
 *
 * @example
 * ```ts
 * const { logs } = await readLogs(publicClient, {
 *   filter: { address: troth, topics: [transferTopic, null, toTopic] },
 *   fromBlock: startBlock,
 *   toBlock: await publicClient.getBlockNumber(),
 * });
 * ```
 */
export async function readLogs(
  publicClient: Pick<PublicClient, "request">,
  parameters: ReadLogsParameters,
): Promise<ReadLogsReturnType> {
  const { filter, fromBlock, toBlock, onLogs, concurrency = 16, retries = 6, retryDelay = 250 } = parameters;
  const all: RawLog[] = [];
  if (toBlock < fromBlock) return { logs: all, toBlock, requests: 0 };
  const address = typeof filter.address === "string" ? filter.address : [...filter.address];
  const topics = filter.topics?.map((t) => (t === null || typeof t === "string" ? t : [...t]));
  const spanOf = () => {
    const learned = learnedSpans.get(publicClient);
    const cap = parameters.maxSpan;
    if (learned === undefined || cap === undefined) return learned ?? cap;
    return [learned, cap].sort((a, b) => (a < b ? -1 : 1))[0];
  };

  // The pieces still to read, in block order; a refused piece is replaced by its halves (or the provider's range).
  const queue: { from: bigint; to: bigint; attempts: number }[] = [];
  const plan = (from: bigint, to: bigint) => {
    const span = spanOf();
    const pieces: { from: bigint; to: bigint; attempts: number }[] = [];
    for (let start = from; start <= to; ) {
      const end = span !== undefined && start + span - 1n < to ? start + span - 1n : to;
      pieces.push({ from: start, to: end, attempts: 0 });
      start = end + 1n;
    }
    queue.push(...pieces);
  };
  plan(fromBlock, toBlock);

  const done = new Map<bigint, LogPiece>();
  let next = fromBlock; // the first block not yet handed over
  let requests = 0;
  let pausedUntil = 0;
  let failure:
    | { reason: string; cause?: unknown; answer?: boolean; rethrow?: boolean; piece?: { from: bigint; to: bigint } }
    | undefined;
  let delivering = Promise.resolve();

  const deliver = async () => {
    for (let piece = done.get(next); piece; piece = done.get(next)) {
      done.delete(next);
      piece.logs.sort(byPosition);
      if (onLogs) await onLogs(piece);
      else all.push(...piece.logs);
      next = piece.toBlock + 1n;
    }
  };

  const backoff = (attempts: number, after?: number) =>
    after ?? Math.min(retryDelay * 2 ** (attempts - 1), 30_000) * (0.75 + Math.random() / 2);

  /** Splits a refused piece: the range the provider named (or half), then the rest at the learned width. */
  const split = (piece: { from: bigint; to: bigint }, verdict: { to?: bigint; span?: bigint }) => {
    let end = verdict.to !== undefined && verdict.to >= piece.from && verdict.to < piece.to ? verdict.to : undefined;
    if (verdict.span !== undefined && verdict.span < piece.to - piece.from + 1n) {
      const learned = learnedSpans.get(publicClient);
      if (learned === undefined || verdict.span < learned) learnedSpans.set(publicClient, verdict.span);
      end ??= piece.from + verdict.span - 1n;
    }
    end ??= piece.from + (piece.to - piece.from) / 2n;
    const pieces = [{ from: piece.from, to: end, attempts: 0 }];
    const span = spanOf() ?? end - piece.from + 1n;
    for (let start = end + 1n; start <= piece.to; ) {
      const stop = start + span - 1n < piece.to ? start + span - 1n : piece.to;
      pieces.push({ from: start, to: stop, attempts: 0 });
      start = stop + 1n;
    }
    queue.unshift(...pieces);
  };

  const read = async (piece: { from: bigint; to: bigint; attempts: number }) => {
    const wait = pausedUntil - Date.now();
    if (wait > 0) await sleep(wait);
    if (failure) return;
    requests += 1;
    let answer: unknown;
    try {
      answer = await publicClient.request({
        method: "eth_getLogs",
        params: [{ address, topics, fromBlock: toHex(piece.from), toBlock: toHex(piece.to) }],
      } as never);
    } catch (error) {
      const verdict = classifyLogError(error);
      if (verdict.kind === "range") {
        if (piece.from === piece.to) failure ??= { reason: "the provider refuses even a single block", cause: error };
        else split(piece, verdict);
        return;
      }
      piece.attempts += 1;
      if (verdict.kind === "fatal" || piece.attempts > retries) {
        const reason =
          verdict.kind === "rate"
            ? `the provider kept refusing for too many requests (${piece.attempts} tries)`
            : verdict.kind === "transient"
              ? `the provider did not answer (${piece.attempts} tries)`
              : "the provider refused the request";
        failure ??= { reason, cause: error };
        return;
      }
      const delay = backoff(piece.attempts, verdict.kind === "rate" ? verdict.after : undefined);
      // A rate limit holds every request back, not only this one.
      if (verdict.kind === "rate") pausedUntil = Math.max(pausedUntil, Date.now() + delay);
      else await sleep(delay);
      queue.unshift(piece);
      return;
    }
    const wrong = checkAnswer(answer, filter, piece.from, piece.to);
    if (wrong) {
      piece.attempts += 1;
      if (piece.attempts > retries) {
        failure ??= { reason: wrong, answer: true, piece };
        return;
      }
      await sleep(backoff(piece.attempts));
      queue.unshift(piece);
      return;
    }
    done.set(piece.from, { fromBlock: piece.from, toBlock: piece.to, logs: answer as RawLog[] });
    // Pieces are handed over one delivery at a time, in block order.
    delivering = delivering.then(deliver).catch((error) => {
      failure ??= { reason: "handling the logs failed", cause: error, rethrow: true };
    });
    await delivering;
  };

  const limit = Math.max(1, Math.min(concurrency, 64));
  const running = new Set<Promise<void>>();
  while (!failure && (queue.length > 0 || running.size > 0)) {
    while (!failure && running.size < limit && queue.length > 0) {
      const piece = queue.shift() as (typeof queue)[number];
      const task: Promise<void> = read(piece).finally(() => running.delete(task));
      running.add(task);
    }
    if (running.size > 0) await Promise.race(running);
  }
  await Promise.all(running);
  await delivering;
  if (failure) {
    const { reason, cause, answer, rethrow, piece } = failure;
    // The caller's own failure (applying a piece) is theirs to read, unwrapped.
    if (rethrow) throw cause;
    if (answer && piece) {
      throw new LogResponseError({ fromBlock: piece.from, toBlock: piece.to, resumeFrom: next, reason, logs: all });
    }
    throw new LogQueryError({ fromBlock: next, toBlock, resumeFrom: next, reason, cause, logs: all });
  }
  return { logs: all, toBlock, requests };
}

/** A Troth event as read from its log, with its arguments decoded. */
export type TrothEvent<name extends ContractEventName<typeof trothAbi>> = {
  eventName: name;
  args: GetEventArgs<typeof trothAbi, name, { EnableUnion: false; IndexedOnly: false; Required: true }>;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
};

export type ReadTrothEventsParameters<name extends ContractEventName<typeof trothAbi>> = {
  eventName: name;
  /** Values of indexed arguments to filter on (the node filters, by topic). */
  args?: GetEventArgs<typeof trothAbi, name, { EnableUnion: true; IndexedOnly: true; Required: false }>;
  /** Default: the deployment's block. */
  fromBlock?: bigint;
  /** Default: the latest block. */
  toBlock?: bigint;
};

/** Blocks kept out of the remembered logs: a reorganisation this deep is not expected outside a finality failure. */
const CACHE_CONFIRMATIONS = 64n;

/**
 * One Troth event, filtered by its indexed arguments, over a range (default: the deployment to the latest block)
 * read through {@link readLogs}. Reads of the same filter share the range already read: each call reads only the
 * blocks after what was read before (less the last few, in case they were reorganised), and calls at the same time
 * share one read.
 */
export async function readTrothEvents<const name extends ContractEventName<typeof trothAbi>>(
  client: TrothClient,
  { eventName, args, fromBlock = client.startBlock, toBlock }: ReadTrothEventsParameters<name>,
): Promise<TrothEvent<name>[]> {
  const topics = encodeEventTopics({ abi: trothAbi, eventName, args } as never) as (Hex | Hex[] | null)[];
  const filter: LogFilter = { address: client.address, topics };
  const decode = (log: RawLog): TrothEvent<name> => {
    const decoded = decodeEventLog({ abi: trothAbi, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
    return {
      eventName,
      args: decoded.args as TrothEvent<name>["args"],
      blockNumber: BigInt(log.blockNumber),
      logIndex: Number(log.logIndex),
      transactionHash: log.transactionHash,
    };
  };
  if (toBlock !== undefined || fromBlock !== client.startBlock) {
    const end = toBlock ?? (await client.publicClient.getBlockNumber());
    return (await readLogs(client.publicClient, { filter, fromBlock, toBlock: end })).logs.map(decode);
  }
  const key = `logs:${safeJson(topics)}`;
  const inFlight = client.cache.get(`${key}:reading`) as Promise<RawLog[]> | undefined;
  if (inFlight) return (await inFlight).map(decode);
  const reading = (async () => {
    const head = await client.publicClient.getBlockNumber();
    const kept = client.cache.get(key) as { toBlock: bigint; logs: RawLog[] } | undefined;
    const from = kept ? kept.toBlock + 1n : fromBlock;
    const { logs } = await readLogs(client.publicClient, { filter, fromBlock: from, toBlock: head });
    const settled = head - CACHE_CONFIRMATIONS;
    const known = [...(kept?.logs ?? []), ...logs];
    if (settled >= from) {
      client.cache.set(key, { toBlock: settled, logs: known.filter((log) => BigInt(log.blockNumber) <= settled) });
    }
    return known;
  })();
  client.cache.set(`${key}:reading`, reading);
  try {
    return (await reading).map(decode);
  } finally {
    client.cache.delete(`${key}:reading`);
  }
}
