/**
 * A JSON-RPC proxy that behaves like a public RPC provider in front of a local chain: it adds latency to every HTTP
 * request, refuses `eth_getLogs` over a block range limit with the words a provider uses, can rate-limit (HTTP 429),
 * and counts what it is asked. `npm run bench:network` and the SDK's log-reader tests put it in front of a Hardhat chain.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Where the proxy sends what it passes on: a node's URL, or a function answering one JSON-RPC call. */
export type Upstream = string | ((call: { method: string; params?: unknown[] }) => Promise<unknown>);

export type RpcProxyOptions = {
  upstream: Upstream;
  /** Added before each HTTP request is answered (ms; default 0). */
  latency?: number;
  /** The widest `eth_getLogs` range answered (blocks; default: no limit). */
  maxLogRange?: number;
  /** Answers HTTP 429 to a request when this returns true (it sees the request's number, from 1). */
  rateLimit?: (request: number) => boolean;
  /** Calls answered per HTTP request when batched (default 100, as many providers cap). */
  maxBatch?: number;
};

export type RpcProxy = {
  url: string;
  /** HTTP requests received, JSON-RPC calls in them, calls by method, refusals. */
  stats: { requests: number; calls: number; byMethod: Record<string, number>; refusedRanges: number; limited: number };
  reset(): void;
  close(): Promise<void>;
};

type Call = { jsonrpc?: string; id?: unknown; method: string; params?: unknown[] };

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const number = (value: unknown, latest: bigint): bigint =>
  typeof value === "string" && value.startsWith("0x") ? BigInt(value) : latest;

/** Starts the proxy on a free port of 127.0.0.1. */
export async function startRpcProxy(options: RpcProxyOptions): Promise<RpcProxy> {
  const { upstream, latency = 0, maxLogRange, rateLimit, maxBatch = 100 } = options;
  const stats = { requests: 0, calls: 0, byMethod: {} as Record<string, number>, refusedRanges: 0, limited: 0 };

  const forward = async (call: Call): Promise<unknown> => {
    if (typeof upstream === "function") return upstream({ method: call.method, params: call.params });
    const response = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: call.method, params: call.params ?? [] }),
    });
    const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string } };
    if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code, data: body.error });
    return body.result;
  };

  const answer = async (call: Call) => {
    stats.calls += 1;
    stats.byMethod[call.method] = (stats.byMethod[call.method] ?? 0) + 1;
    try {
      if (call.method === "eth_getLogs" && maxLogRange !== undefined) {
        const filter = (call.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string; blockHash?: string };
        if (!filter.blockHash) {
          const latest = BigInt((await forward({ method: "eth_blockNumber" })) as string);
          const from = number(filter.fromBlock, latest);
          const to = number(filter.toBlock, latest);
          if (to - from + 1n > BigInt(maxLogRange)) {
            stats.refusedRanges += 1;
            // QuickNode's words (others say much the same: Alchemy, Infura, Ankr… are recognised by the SDK).
            return {
              jsonrpc: "2.0",
              id: call.id,
              error: { code: -32602, message: `eth_getLogs is limited to a ${maxLogRange.toLocaleString("en")} range` },
            };
          }
        }
      }
      return { jsonrpc: "2.0", id: call.id, result: (await forward(call)) ?? null };
    } catch (error) {
      // The node's own error (a revert with its data, an invalid parameter) passes through as the node gave it.
      let code = -32603;
      let data: unknown;
      let message = String((error as Error)?.message ?? error);
      for (
        let e = error as Record<string, unknown> | undefined;
        e;
        e = e.cause as Record<string, unknown> | undefined
      ) {
        if (typeof e.code === "number" && e.code !== -1) {
          code = e.code;
          if (typeof e.details === "string") message = e.details;
          else if (typeof e.message === "string") message = e.message;
        }
        if (typeof e.data === "string" || (e.data && typeof e.data === "object")) data ??= e.data;
      }
      return { jsonrpc: "2.0", id: call.id, error: { code, message, ...(data === undefined ? {} : { data }) } };
    }
  };

  const server: Server = createServer(async (req, res) => {
    stats.requests += 1;
    const n = stats.requests;
    const cors = {
      "access-control-allow-origin": "*",
      "access-control-allow-headers": "content-type",
      "access-control-allow-methods": "POST, OPTIONS",
    };
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors).end();
      return;
    }
    const body = await read(req);
    await new Promise((resolve) => setTimeout(resolve, latency));
    if (rateLimit?.(n)) {
      stats.limited += 1;
      res.writeHead(429, { ...cors, "content-type": "application/json", "retry-after": "0" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: 429, message: "Too Many Requests" } }));
      return;
    }
    let parsed: Call | Call[];
    try {
      parsed = JSON.parse(body);
    } catch {
      res.writeHead(400, { ...cors, "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }));
      return;
    }
    let reply: unknown;
    if (Array.isArray(parsed)) {
      if (parsed.length > maxBatch) {
        reply = { jsonrpc: "2.0", id: null, error: { code: -32600, message: `batch too large (max ${maxBatch})` } };
      } else reply = await Promise.all(parsed.map(answer));
    } else reply = await answer(parsed);
    res.writeHead(200, { ...cors, "content-type": "application/json" });
    res.end(JSON.stringify(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    reset() {
      Object.assign(stats, { requests: 0, calls: 0, byMethod: {}, refusedRanges: 0, limited: 0 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
