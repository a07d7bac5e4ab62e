/**
 * Runs a built subgraph (graph-cli's `build/`) in Node the way graph-node runs it: the manifest's event handlers
 * select logs by address, start block, topic0 and topic filters; blocks are processed in order; every trigger gets a
 * fresh instance of the compiled mapping (started with `_start`, as `--explicitStart` requires) and its own
 * `ethereum.Event`; the store checks every write against the schema.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type AbiEvent, decodeEventLog, type Hex, keccak256, type Log, type PublicClient, toHex } from "viem";
import { parse as parseYaml } from "yaml";
import { type AscExports, AscHeap } from "./asc.ts";
import { allocEvent, type EthereumBlock, type EthereumTransaction } from "./ethereum.ts";
import { buildImports, type HostContext, type LogEntry, MappingError } from "./host.ts";
import { Schema } from "./schema.ts";
import { Store } from "./store.ts";
import { bytesFromHex } from "./values.ts";

type ManifestHandler = { event: string; handler: string; topic1?: string[]; topic2?: string[]; topic3?: string[] };
type Manifest = {
  specVersion: string;
  schema: { file: string };
  dataSources: {
    kind: string;
    name: string;
    network: string;
    source: { address: string; abi: string; startBlock?: number };
    mapping: {
      apiVersion: string;
      file: string;
      abis: { name: string; file: string }[];
      eventHandlers?: ManifestHandler[];
      blockHandlers?: unknown[];
      callHandlers?: unknown[];
    };
  }[];
  templates?: unknown[];
};

export type Handler = {
  handler: string;
  event: AbiEvent;
  topic0: Hex;
  topics: (Hex[] | undefined)[];
};

export type Trigger = { handler: string; event: string; blockNumber: bigint; logIndex: number; transactionHash: Hex };

export class SubgraphError extends Error {
  override name = "SubgraphError";
}

/** The manifest's signature of an event: `Name(indexed uint256,address[],…)`. */
export function signatureOf(event: AbiEvent): string {
  const type = (p: AbiEvent["inputs"][number]): string =>
    p.type.startsWith("tuple")
      ? `(${((p as { components?: AbiEvent["inputs"] }).components ?? []).map(type).join(",")})${p.type.slice(5)}`
      : p.type;
  return `${event.name}(${event.inputs.map((p) => `${p.indexed ? "indexed " : ""}${type(p)}`).join(",")})`;
}

/** Topic filters as graph-node reads them: hex left-padded to 32 bytes. */
function topicFilter(values: string[] | undefined): Hex[] | undefined {
  return values?.map((v) => `0x${v.replace(/^0x/, "").toLowerCase().padStart(64, "0")}` as Hex);
}

export class Subgraph {
  readonly store: Store;
  readonly logs: LogEntry[] = [];
  readonly triggers: Trigger[] = [];
  readonly handlers: Handler[];
  readonly abi: AbiEvent[];
  readonly startBlock: bigint;
  /** The compiled mapping (graph-node compiles once and instantiates per trigger). */
  readonly module: WebAssembly.Module;
  private readonly blocks = new Map<bigint, EthereumBlock>();
  private readonly transactions = new Map<Hex, EthereumTransaction>();
  private lastBlock = -1n;

  constructor(
    readonly manifest: Manifest,
    readonly buildDir: string,
    readonly address: Hex,
    readonly network: string,
    startBlock?: bigint,
  ) {
    if (manifest.dataSources.length !== 1) throw new SubgraphError("the harness runs one data source");
    if (manifest.templates?.length) throw new SubgraphError("data source templates are not supported");
    const source = manifest.dataSources[0];
    if (source.kind !== "ethereum") throw new SubgraphError(`unsupported data source kind ${source.kind}`);
    if (source.mapping.blockHandlers?.length || source.mapping.callHandlers?.length) {
      throw new SubgraphError("block and call handlers are not supported by the harness");
    }
    this.startBlock = startBlock ?? BigInt(source.source.startBlock ?? 0);
    this.store = new Store(Schema.load(path.join(buildDir, manifest.schema.file)));
    this.module = new WebAssembly.Module(readFileSync(path.join(buildDir, source.mapping.file)));
    const abiFile = source.mapping.abis.find((a) => a.name === source.source.abi)?.file;
    if (!abiFile) throw new SubgraphError(`no ABI file for ${source.source.abi}`);
    this.abi = (JSON.parse(readFileSync(path.join(buildDir, abiFile), "utf8")) as { type: string }[]).filter(
      (e): e is AbiEvent => e.type === "event",
    );
    this.handlers = (source.mapping.eventHandlers ?? []).map((h) => {
      const event = this.abi.find(
        (e) => signatureOf(e) === h.event.replaceAll(" ", "").replaceAll("indexed", "indexed "),
      );
      if (!event) throw new SubgraphError(`${h.event} is not an event of the ABI`);
      return {
        handler: h.handler,
        event,
        topic0: keccak256(toHex(h.event.replaceAll("indexed ", "").replaceAll(" ", ""))),
        topics: [topicFilter(h.topic1), topicFilter(h.topic2), topicFilter(h.topic3)],
      };
    });
  }

  /** Loads graph-cli's build output (`build/subgraph.yaml` and what it names) for a deployed contract. */
  static load(buildDir: string, address: Hex, options: { network?: string; startBlock?: bigint } = {}): Subgraph {
    const manifest = parseYaml(readFileSync(path.join(buildDir, "subgraph.yaml"), "utf8")) as Manifest;
    return new Subgraph(
      manifest,
      buildDir,
      address,
      options.network ?? manifest.dataSources[0].network,
      options.startBlock,
    );
  }

  /** The handlers a log triggers, in manifest order (graph-node runs each). */
  matching(log: Pick<Log, "address" | "topics">): Handler[] {
    if (log.address.toLowerCase() !== this.address.toLowerCase()) return [];
    return this.handlers.filter(
      (h) =>
        log.topics[0] === h.topic0 &&
        h.topics.every((filter, i) => !filter || filter.includes(log.topics[i + 1]?.toLowerCase() as Hex)),
    );
  }

  /** Indexes every log of the data source from the last indexed block (or the start block) to `toBlock`. */
  async sync(client: PublicClient, toBlock?: bigint): Promise<Trigger[]> {
    const to = toBlock ?? (await client.getBlockNumber());
    const from = this.lastBlock >= 0n ? this.lastBlock + 1n : this.startBlock;
    if (to < from) return [];
    const logs = await client.getLogs({ address: this.address, fromBlock: from, toBlock: to });
    const done: Trigger[] = [];
    for (const log of logs) done.push(...(await this.process(client, log)));
    this.lastBlock = to;
    return done;
  }

  private async block(client: PublicClient, number: bigint): Promise<EthereumBlock> {
    let b = this.blocks.get(number);
    if (!b) {
      const raw = await client.getBlock({ blockNumber: number });
      b = { ...raw, hash: raw.hash as Hex, number: raw.number as bigint, miner: raw.miner } as EthereumBlock;
      this.blocks.set(number, b);
    }
    return b;
  }

  private async transaction(client: PublicClient, hash: Hex): Promise<EthereumTransaction> {
    let t = this.transactions.get(hash);
    if (!t) {
      const raw = await client.getTransaction({ hash });
      t = { ...raw, transactionIndex: raw.transactionIndex ?? 0 } as EthereumTransaction;
      this.transactions.set(hash, t);
    }
    return t;
  }

  /** Runs the handlers one log triggers; logs must come in chain order. */
  async process(client: PublicClient, log: Log): Promise<Trigger[]> {
    if (log.blockNumber == null || log.logIndex == null || log.transactionHash == null) {
      throw new SubgraphError("pending logs cannot be indexed");
    }
    if (log.blockNumber < this.startBlock) return [];
    const handlers = this.matching(log);
    if (handlers.length === 0) return [];
    const block = await this.block(client, log.blockNumber);
    if (log.blockNumber !== this.lastBlock) {
      if (log.blockNumber < this.lastBlock) throw new SubgraphError("logs out of order");
      this.store.beginBlock(block.number, block.timestamp);
      this.lastBlock = log.blockNumber;
    }
    const transaction = await this.transaction(client, log.transactionHash);
    const receipt = await client.getTransactionReceipt({ hash: log.transactionHash });
    const transactionLogIndex = receipt.logs.findIndex((l) => l.logIndex === log.logIndex);
    const triggers: Trigger[] = [];
    for (const h of handlers) {
      const decoded = decodeEventLog({ abi: [h.event], data: log.data, topics: log.topics as [Hex, ...Hex[]] });
      this.run(h.handler, (heap) =>
        allocEvent(heap, {
          address: log.address,
          logIndex: log.logIndex as number,
          transactionLogIndex,
          block,
          transaction,
          event: h.event,
          topics: log.topics as Hex[],
          args: decoded.args as unknown as Record<string, unknown>,
        }),
      );
      const trigger = {
        handler: h.handler,
        event: h.event.name,
        blockNumber: log.blockNumber,
        logIndex: log.logIndex,
        transactionHash: log.transactionHash,
      };
      this.triggers.push(trigger);
      triggers.push(trigger);
    }
    return triggers;
  }

  /** A fresh, started instance of the mapping with the harness's host functions, as graph-node makes per trigger. */
  instantiate(): { heap: AscHeap; context: HostContext; exports: AscExports & Record<string, unknown> } {
    const heap = new AscHeap();
    const context: HostContext = {
      heap,
      store: this.store,
      logs: this.logs,
      address: bytesFromHex(this.address.toLowerCase()),
      network: this.network,
    };
    const instance = new WebAssembly.Instance(this.module, buildImports(this.module, context));
    const exports = instance.exports as unknown as AscExports & Record<string, unknown>;
    heap.bind(exports);
    const start = exports._start;
    if (typeof start !== "function") throw new SubgraphError("the mapping exports no `_start`");
    start();
    return { heap, context, exports };
  }

  /** Instantiates the mapping afresh, builds the handler's argument in its heap and calls the handler. */
  run(handler: string, argument: (heap: AscHeap) => number): void {
    const { heap, exports } = this.instantiate();
    const fn = exports[handler];
    if (typeof fn !== "function") throw new SubgraphError(`the mapping exports no handler \`${handler}\``);
    try {
      fn(argument(heap));
    } catch (error) {
      if (error instanceof MappingError || !(error instanceof WebAssembly.RuntimeError)) throw error;
      throw new MappingError(`${handler} trapped: ${error.message}`);
    }
  }
}
