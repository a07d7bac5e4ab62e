/**
 * The log reader every SDK log read goes through, against providers that refuse, rate-limit and lie: a fake transport
 * playing each provider's refusal in its own words (through viem's real error handling), then a real JSON-RPC proxy
 * (latency, a 10,000-block limit, 429s) in front of a real in-process Hardhat chain.
 */
import { type Address, createPublicClient, custom, getAddress, type Hex, HttpRequestError, pad, toHex } from "viem";
import { describe, expect, it } from "vitest";
import { LogQueryError, LogResponseError } from "../src/errors/client.ts";
import { classifyLogError, type RawLog, readLogs } from "../src/internal/logs.ts";

const contract = getAddress("0x00000000000000000000000000000000000000aa");
const topic = pad("0x01");

/** A chain of `blocks` blocks with a log every `every` blocks (and two in each block divisible by 1,000). */
function chainLogs(blocks: number, every: number): RawLog[] {
  const logs: RawLog[] = [];
  for (let b = 0; b < blocks; b += every) {
    const n = b % 1000 === 0 ? 2 : 1;
    for (let i = 0; i < n; ++i) {
      logs.push({
        address: contract,
        topics: [topic, pad(toHex(b))],
        data: "0x",
        blockNumber: toHex(b),
        transactionHash: pad(toHex(b * 2 + i)),
        logIndex: toHex(i),
      });
    }
  }
  return logs;
}

type Filter = { fromBlock: Hex; toBlock: Hex; address: Address };
type Behaviour = (filter: { from: bigint; to: bigint }, call: number) => unknown;

/** A viem client over a fake provider: `behaviour` throws a provider's error or returns an answer (undefined: the truth). */
function fakeProvider(logs: RawLog[], behaviour: Behaviour = () => undefined) {
  let calls = 0;
  let inFlight = 0;
  const seen = { calls: 0, maxInFlight: 0, ranges: [] as [bigint, bigint][] };
  const client = createPublicClient({
    transport: custom(
      {
        async request({ method, params }: { method: string; params: [Filter] }) {
          if (method !== "eth_getLogs") throw new Error(`unexpected ${method}`);
          const from = BigInt(params[0].fromBlock);
          const to = BigInt(params[0].toBlock);
          calls += 1;
          seen.calls = calls;
          seen.ranges.push([from, to]);
          inFlight += 1;
          seen.maxInFlight = Math.max(seen.maxInFlight, inFlight);
          try {
            await new Promise((r) => setTimeout(r, 1));
            const answer = behaviour({ from, to }, calls);
            if (answer !== undefined) return answer;
            return logs.filter((l) => BigInt(l.blockNumber) >= from && BigInt(l.blockNumber) <= to);
          } finally {
            inFlight -= 1;
          }
        },
      },
      { retryCount: 0 },
    ),
  });
  return { client, seen };
}

const rpcError = (code: number, message: string, data?: unknown) => Object.assign(new Error(message), { code, data });

/** Each provider's refusal of a range or result too large, as it writes it, and what the reader must make of it. */
const refusals: { provider: string; error: () => unknown; hint?: { to?: bigint; span?: bigint } }[] = [
  {
    provider: "Alchemy (response size, suggested range)",
    error: () =>
      rpcError(
        -32602,
        "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters and the response size limit, this block range should work: [0x0, 0x1f3]",
      ),
    hint: { to: 0x1f3n },
  },
  {
    provider: "Alchemy free tier",
    error: () =>
      rpcError(
        -32600,
        "Under the Free tier plan, you can make eth_getLogs requests with up to a 10 block range. Based on your parameters, this block range should work: [0x0, 0x9]",
      ),
    hint: { to: 9n },
  },
  {
    provider: "Infura (-32005, suggested range in data)",
    error: () =>
      rpcError(-32005, "query returned more than 10000 results. Try with this block range [0x0, 0x12b].", {
        from: "0x0",
        limit: 10000,
        to: "0x12b",
      }),
    hint: { to: 0x12bn },
  },
  {
    provider: "QuickNode",
    error: () => rpcError(-32614, "eth_getLogs is limited to a 10,000 range"),
    hint: { span: 10_000n },
  },
  {
    provider: "QuickNode (older)",
    error: () => rpcError(-32602, "eth_getLogs and eth_newFilter are limited to a 10,000 blocks range"),
    hint: { span: 10_000n },
  },
  { provider: "Ankr", error: () => rpcError(-32600, "block range is too wide") },
  {
    provider: "Ankr (limit named)",
    error: () => rpcError(-32062, "Exceeded max range limit for eth_getLogs: 3000"),
    hint: { span: 3000n },
  },
  {
    provider: "geth / Erigon result cap",
    error: () => rpcError(-32000, "query returned more than 10000 results"),
  },
  { provider: "geth query timeout", error: () => rpcError(-32000, "query timeout exceeded") },
  {
    provider: "public Base / OP (op-geth range limit)",
    error: () => rpcError(-32000, "block range greater than 10000 max"),
    hint: { span: 10_000n },
  },
  {
    provider: "reth",
    error: () => rpcError(-32602, "query exceeds max block range 100000"),
    hint: { span: 100_000n },
  },
  {
    provider: "reth (result cap, suggested range)",
    error: () => rpcError(-32602, "query exceeds max results 20000, retry with the range 0-250"),
    hint: { to: 250n },
  },
  { provider: "Besu", error: () => rpcError(-32005, "Requested range exceeds maximum range limit") },
  { provider: "Chainstack", error: () => rpcError(-32000, "Block range limit exceeded.") },
  {
    provider: "Nodereal / BSC",
    error: () => rpcError(-32000, "exceed maximum block range: 5000"),
    hint: { span: 5000n },
  },
  {
    provider: "dRPC",
    error: () => rpcError(35, "ranges over 10000 blocks are not supported on freetier"),
    hint: { span: 10_000n },
  },
  {
    provider: "thirdweb",
    error: () => rpcError(-32602, "Maximum allowed number of requested blocks is 1000"),
    hint: { span: 1000n },
  },
  {
    provider: "BlockPI",
    error: () => rpcError(-32602, "eth_getLogs is limited to 1024 block range"),
    hint: { span: 1024n },
  },
  {
    provider: "HTTP 413 (response too large)",
    error: () => new HttpRequestError({ url: "https://rpc.example", status: 413, details: "Payload Too Large" }),
  },
];

async function viaViem(error: () => unknown): Promise<unknown> {
  const client = createPublicClient({
    transport: custom(
      {
        request: async () => {
          throw error();
        },
      },
      { retryCount: 0 },
    ),
  });
  try {
    await client.request({ method: "eth_getLogs", params: [{}] } as never);
  } catch (e) {
    return e;
  }
  throw new Error("the fake provider answered");
}

describe("classifyLogError", () => {
  for (const { provider, error, hint } of refusals) {
    it(`recognises ${provider} as a range refusal${hint ? " and reads its hint" : ""}`, async () => {
      const verdict = classifyLogError(await viaViem(error));
      expect(verdict.kind).to.equal("range");
      if (hint) expect(verdict).to.deep.include(hint);
    });
  }

  it("tells rate limits (HTTP 429 with Retry-After, JSON 429, -32005 limit exceeded) from refusals", async () => {
    const headers = new Headers({ "retry-after": "2" });
    expect(
      classifyLogError(await viaViem(() => new HttpRequestError({ url: "x", status: 429, headers }))),
    ).to.deep.equal({ kind: "rate", after: 2000 });
    expect(classifyLogError(await viaViem(() => rpcError(429, "Too Many Requests"))).kind).to.equal("rate");
    expect(classifyLogError(await viaViem(() => rpcError(-32005, "limit exceeded"))).kind).to.equal("rate");
    expect(
      classifyLogError(await viaViem(() => rpcError(-32005, "daily request count exceeded, request rate limited")))
        .kind,
    ).to.equal("rate");
    expect(
      classifyLogError(
        await viaViem(() => rpcError(429, "Your app has exceeded its compute units per second capacity")),
      ).kind,
    ).to.equal("rate");
  });

  it("retries what got no answer, and gives up on what retrying cannot fix", async () => {
    expect(classifyLogError(await viaViem(() => new HttpRequestError({ url: "x", status: 503 }))).kind).to.equal(
      "transient",
    );
    expect(classifyLogError(await viaViem(() => new HttpRequestError({ url: "x" }))).kind).to.equal("transient");
    expect(
      classifyLogError(await viaViem(() => rpcError(-32601, "the method eth_getLogs does not exist"))).kind,
    ).to.equal("fatal");
    expect(classifyLogError(await viaViem(() => rpcError(-32602, "invalid argument 0: hex string"))).kind).to.equal(
      "fatal",
    );
  });
});

const filter = { address: contract, topics: [topic] };

describe("readLogs against a fake provider", () => {
  const logs = chainLogs(20_000, 37);

  it("reads a range the provider accepts in one request", async () => {
    const { client, seen } = fakeProvider(logs);
    const result = await readLogs(client, { filter, fromBlock: 0n, toBlock: 19_999n });
    expect(result.logs).to.deep.equal(logs);
    expect(seen.calls).to.equal(1);
  });

  it("splits to the limit a provider names, remembers it, and keeps the requests in flight bounded", async () => {
    const { client, seen } = fakeProvider(logs, ({ from, to }) => {
      if (to - from + 1n > 1000n) throw rpcError(-32614, "eth_getLogs is limited to a 1,000 range");
    });
    const result = await readLogs(client, { filter, fromBlock: 0n, toBlock: 19_999n, concurrency: 4 });
    expect(result.logs).to.deep.equal(logs);
    expect(seen.calls).to.equal(21); // one refusal, then 20 ranges of 1,000
    expect(seen.maxInFlight).to.be.at.most(4);
    const again = fakeProvider(logs, ({ from, to }) => {
      if (to - from + 1n > 1000n) throw rpcError(-32614, "eth_getLogs is limited to a 1,000 range");
    });
    // Another client learns afresh; the same client does not ask too widely twice.
    await readLogs(client, { filter, fromBlock: 0n, toBlock: 19_999n });
    expect(seen.calls).to.equal(41);
    expect(again.seen.calls).to.equal(0);
  });

  it("follows the range a result-capped provider suggests (Infura), and halves when none is named", async () => {
    const capped = fakeProvider(logs, ({ from, to }) => {
      const n = logs.filter((l) => BigInt(l.blockNumber) >= from && BigInt(l.blockNumber) <= to).length;
      if (n > 50) {
        const suggested = from + 999n < to ? from + 999n : to - 1n;
        throw rpcError(
          -32005,
          `query returned more than 50 results. Try with this block range [${toHex(from)}, ${toHex(suggested)}].`,
          {
            from: toHex(from),
            limit: 50,
            to: toHex(suggested),
          },
        );
      }
    });
    expect((await readLogs(capped.client, { filter, fromBlock: 0n, toBlock: 19_999n })).logs).to.deep.equal(logs);
    const silent = fakeProvider(logs, ({ from, to }) => {
      if (to - from + 1n > 700n) throw rpcError(-32600, "block range is too wide");
    });
    expect((await readLogs(silent.client, { filter, fromBlock: 5n, toBlock: 19_990n })).logs).to.deep.equal(
      logs.filter((l) => BigInt(l.blockNumber) >= 5n && BigInt(l.blockNumber) <= 19_990n),
    );
  });

  it("rides out a storm of 429s, holding every request back while it lasts", async () => {
    const { client, seen } = fakeProvider(logs, ({ from, to }, call) => {
      if (call <= 30)
        throw new HttpRequestError({ url: "x", status: 429, headers: new Headers({ "retry-after": "0" }) });
      if (to - from + 1n > 2000n) throw rpcError(-32614, "eth_getLogs is limited to a 2,000 range");
    });
    const result = await readLogs(client, { filter, fromBlock: 0n, toBlock: 19_999n, retryDelay: 1, retries: 40 });
    expect(result.logs).to.deep.equal(logs);
    expect(seen.calls).to.be.greaterThan(30);
  });

  it("gives up on an endless storm with where it got to, and a second read from there completes with no gap or repeat", async () => {
    let storm = false;
    const { client } = fakeProvider(logs, ({ from, to }) => {
      if (to - from + 1n > 1000n) throw rpcError(-32614, "eth_getLogs is limited to a 1,000 range");
      if (storm || from >= 7000n) {
        storm = true;
        throw rpcError(-32005, "limit exceeded");
      }
    });
    const got: RawLog[] = [];
    const error = await readLogs(client, {
      filter,
      fromBlock: 0n,
      toBlock: 19_999n,
      concurrency: 1,
      retries: 2,
      retryDelay: 1,
      onLogs: ({ logs }) => void got.push(...logs),
    }).catch((e) => e);
    expect(error).to.be.instanceOf(LogQueryError);
    expect(error.resumeFrom).to.equal(7000n);
    expect(error.shortMessage).to.match(/too many requests/);
    storm = false;
    const rest = fakeProvider(logs);
    await readLogs(rest.client, {
      filter,
      fromBlock: error.resumeFrom,
      toBlock: 19_999n,
      onLogs: ({ logs }) => void got.push(...logs),
    });
    expect(got).to.deep.equal(logs);
  });

  it("refuses answers that cannot be what was asked (other blocks, another contract, other topics, removed logs)", async () => {
    const lies: ((from: bigint) => RawLog[])[] = [
      (from) => [{ ...logs[0], blockNumber: toHex(from + 5000n) }],
      () => [{ ...logs[0], address: getAddress("0x00000000000000000000000000000000000000bb") }],
      () => [{ ...logs[0], topics: [pad("0x02")] }],
      () => [{ ...logs[0], removed: true }],
      () => ({ partial: true }) as never,
    ];
    for (const lie of lies) {
      // Lies once, then tells the truth: the lie is never used.
      const once = fakeProvider(logs, ({ from }, call) => (call === 1 ? lie(from) : undefined));
      expect((await readLogs(once.client, { filter, fromBlock: 0n, toBlock: 999n, retryDelay: 1 })).logs).to.deep.equal(
        logs.filter((l) => BigInt(l.blockNumber) <= 999n),
      );
      const always = fakeProvider(logs, ({ from }) => lie(from));
      const error = await readLogs(always.client, {
        filter,
        fromBlock: 0n,
        toBlock: 999n,
        retries: 2,
        retryDelay: 1,
      }).catch((e) => e);
      expect(error).to.be.instanceOf(LogResponseError);
      expect(error.resumeFrom).to.equal(0n);
    }
  });

  it("stops on a provider that refuses a single block, and on an error retrying cannot fix", async () => {
    const tiny = fakeProvider(logs, () => {
      throw rpcError(-32600, "block range is too wide");
    });
    const error = await readLogs(tiny.client, { filter, fromBlock: 0n, toBlock: 7n }).catch((e) => e);
    expect(error).to.be.instanceOf(LogQueryError);
    expect(error.shortMessage).to.match(/single block/);
    const fatal = fakeProvider(logs, () => {
      throw rpcError(-32601, "the method eth_getLogs does not exist/is not available");
    });
    const refused = await readLogs(fatal.client, { filter, fromBlock: 0n, toBlock: 7n }).catch((e) => e);
    expect(refused).to.be.instanceOf(LogQueryError);
    expect(fatal.seen.calls).to.equal(1);
  });

  it("hands pieces over in block order even when they complete out of order, and passes a handler's own error on", async () => {
    const { client } = fakeProvider(logs, ({ from, to }) => {
      if (to - from + 1n > 500n) throw rpcError(-32614, "eth_getLogs is limited to a 500 range");
    });
    const starts: bigint[] = [];
    await readLogs(client, {
      filter,
      fromBlock: 0n,
      toBlock: 9_999n,
      onLogs: ({ fromBlock }) => void starts.push(fromBlock),
    });
    expect(starts).to.deep.equal([...starts].sort((a, b) => (a < b ? -1 : 1)));
    const mine = new Error("apply failed");
    const error = await readLogs(client, {
      filter,
      fromBlock: 0n,
      toBlock: 9_999n,
      onLogs: ({ fromBlock }) => {
        if (fromBlock === 3000n) throw mine;
      },
    }).catch((e) => e);
    expect(error).to.equal(mine);
  });
});
