/**
 * The harness itself: it must refuse what it does not implement, lay out events as graph-node does (checked through
 * the real mapping: what a handler stores is what the event carried), compute host operations with graph-node's
 * semantics, and enforce the schema on writes.
 */
import { keccak256, toHex } from "viem";
import { beforeEach, describe, expect, it } from "vitest";
import { buildDir } from "./build.ts";
import type { AscHeap } from "./harness/asc.ts";
import { allocEvent, type EthereumBlock, type EthereumTransaction } from "./harness/ethereum.ts";
import { buildImports, hostFunctions, MappingError, MissingHostFunctions } from "./harness/host.ts";
import { SchemaViolation } from "./harness/schema.ts";
import { StoreError } from "./harness/store.ts";
import { Subgraph } from "./harness/subgraph.ts";
import { decimalFromString, decimalToString, type EntityData, type StoreValue } from "./harness/values.ts";
import { plain, wordOf } from "./lens.ts";

const troth = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

/** A wasm module importing the given functions (type () → ()), assembled byte by byte. */
function moduleImporting(imports: [string, string][]): WebAssembly.Module {
  const name = (s: string) => [s.length, ...Buffer.from(s)];
  const section = (id: number, body: number[]) => [id, body.length, ...body];
  const entries = imports.flatMap(([module, field]) => [...name(module), ...name(field), 0x00, 0x00]);
  return new WebAssembly.Module(
    new Uint8Array([
      ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      ...section(0x01, [0x01, 0x60, 0x00, 0x00]),
      ...section(0x02, [imports.length, ...entries]),
    ]),
  );
}

const block: EthereumBlock = {
  hash: `0x${"11".repeat(32)}`,
  parentHash: `0x${"22".repeat(32)}`,
  sha3Uncles: `0x${"33".repeat(32)}`,
  miner: `0x${"44".repeat(20)}`,
  stateRoot: `0x${"55".repeat(32)}`,
  transactionsRoot: `0x${"66".repeat(32)}`,
  receiptsRoot: `0x${"77".repeat(32)}`,
  number: 5_000_000_000n,
  gasUsed: 21_000n,
  gasLimit: 30_000_000n,
  timestamp: 1_900_000_000n,
  difficulty: 0n,
  totalDifficulty: null,
  size: 1234n,
  baseFeePerGas: null,
};

const transaction: EthereumTransaction = {
  hash: `0x${"ab".repeat(32)}`,
  transactionIndex: 3,
  from: `0x${"99".repeat(20)}`,
  to: troth,
  value: 0n,
  gas: 100_000n,
  gasPrice: 1n,
  input: "0x",
  nonce: 7,
};

describe("harness", () => {
  let subgraph: Subgraph;

  beforeEach(() => {
    subgraph = Subgraph.load(buildDir, troth);
    subgraph.store.beginBlock(block.number, block.timestamp);
  });

  function event(name: string, args: Record<string, unknown>, logIndex = 300) {
    const abi = subgraph.abi.find((e) => e.name === name);
    if (!abi) throw new Error(name);
    return (heap: AscHeap) =>
      allocEvent(heap, {
        address: troth,
        logIndex,
        transactionLogIndex: 1,
        block,
        transaction,
        event: abi,
        topics: [],
        args,
      });
  }

  /** The id of an event entity: transaction hash ++ log index as 4 little-endian bytes. */
  const eventId = (logIndex: number) =>
    `${transaction.hash}${Buffer.from(new Uint32Array([logIndex]).buffer).toString("hex")}`;

  it("fails loudly, naming them, on imports it does not provide", () => {
    const module = moduleImporting([
      ["index", "store.get"],
      ["index", "store.frobnicate"],
      ["env", "seed"],
    ]);
    const { context } = subgraph.instantiate();
    expect(() => buildImports(module, context)).to.throw(
      MissingHostFunctions,
      "index.store.frobnicate (function), env.seed (function)",
    );
  });

  it("provides every import of the built mapping", () => {
    const imports = WebAssembly.Module.imports(subgraph.module);
    const provided = Object.keys(hostFunctions(subgraph.instantiate().context));
    expect(imports.filter((i) => !provided.includes(i.name))).to.deep.equal([]);
    // No contract calls: everything comes from the events.
    expect(imports.filter((i) => i.name.startsWith("ethereum."))).to.deep.equal([]);
  });

  it("lays out an event as graph-node does: what the handler stores is what the event carried", () => {
    const signer = "0x00000000000000000000000000000000000000ff";
    const digest = keccak256(toHex("digest"));
    subgraph.run("handleHashApproved", event("HashApproved", { signer, digest }));
    const stored = plain(subgraph.store.get("HashApproved", eventId(300)) as EntityData);
    expect(stored).to.deep.equal({
      id: eventId(300),
      signer,
      digest,
      blockNumber: block.number,
      blockTimestamp: block.timestamp,
      transactionHash: transaction.hash,
    });
  });

  it("reads a uint256 with its top bits set as the unsigned number it is", () => {
    // A pod id has 248 bits; a token id (podId << 8 | index) may use all 256.
    const podId = (1n << 248n) - 12345n;
    const member = `0x${"12".repeat(20)}`;
    subgraph.run("handleCovenantAccepted", event("CovenantAccepted", { podId, member }, 7));
    const stored = plain(subgraph.store.get("CovenantAccepted", eventId(7)) as EntityData);
    expect([stored.podId, stored.pod, stored.member]).to.deep.equal([podId, wordOf(podId), member]);
  });

  it("fails the handler, as graph-node would, when a mapping throws", () => {
    // A check-in of a token whose pod was never created cannot happen on chain; the mapping aborts.
    const args = { tokenId: 5n, round: 0, reportDigest: `0x${"00".repeat(32)}`, witnessIndexes: 0n, witnessed: false };
    expect(() => subgraph.run("handleCheckedIn", event("CheckedIn", args))).to.throw(MappingError, "unknown pod");
  });

  it("settles a check-in on a witness event that names nobody of the pod, without counting an attestation", () => {
    // Synthetic events (the harness builds any event): a pod, a check-in with one of two witnesses, and a settling
    // CheckInWitnessed naming the zero address, as a settling call that adds no witness may report it.
    const podId = 0x1234n;
    const members = [1, 2, 3].map((i) => `0x${i.toString(16).padStart(40, "0")}`);
    const digest = keccak256(toHex("d"));
    subgraph.run(
      "handlePodCreated",
      event(
        "PodCreated",
        {
          podId,
          previousPod: 0n,
          members,
          commitmentDigests: members.map(() => digest),
          start: block.timestamp - 3_600n,
          cadence: 7 * 86_400,
          grace: 2 * 86_400,
          rounds: 13,
          quorum: 2,
          cycle: 1,
          covenantDigest: digest,
          keyringDigest: digest,
        },
        1,
      ),
    );
    const tokenId = podId << 8n;
    const checkIn = { tokenId, round: 0, reportDigest: digest, witnessIndexes: 0b10n, witnessed: false };
    subgraph.run("handleCheckedIn", event("CheckedIn", checkIn, 2));
    const settle = { tokenId, round: 0, witness: `0x${"00".repeat(20)}`, witnessed: true };
    subgraph.run("handleCheckInWitnessed", event("CheckInWitnessed", settle, 3));
    const report = plain(subgraph.store.get("Report", `${wordOf(tokenId)}00000000`) as EntityData);
    expect([report.witnessed, report.attestationCount, report.witnesses, report.latency]).to.deep.equal([
      true,
      1,
      [members[1]],
      0n,
    ]);
    const commitment = plain(subgraph.store.get("Commitment", wordOf(tokenId)) as EntityData);
    expect([commitment.witnessedBits, commitment.witnessesReceived, commitment.status]).to.deep.equal([
      1n,
      1,
      "Active",
    ]);
    expect(subgraph.store.get("Member", `0x${"00".repeat(20)}`)).to.equal(undefined);
  });

  describe("host functions", () => {
    let heap: AscHeap;
    let host: ReturnType<typeof hostFunctions>;

    beforeEach(() => {
      const instance = subgraph.instantiate();
      heap = instance.heap;
      host = hostFunctions(instance.context);
    });

    const big = (x: bigint) => heap.allocBigInt(x);
    const call = (name: string, ...args: number[]) => host[name](...args) as number;

    it("computes BigInt arithmetic with num-bigint's semantics", () => {
      expect(heap.readBigInt(call("bigInt.dividedBy", big(-7n), big(2n)))).to.equal(-3n);
      expect(heap.readBigInt(call("bigInt.mod", big(-7n), big(2n)))).to.equal(-1n);
      expect(heap.readBigInt(call("bigInt.rightShift", big(-5n), 1))).to.equal(-3n);
      expect(heap.readBigInt(call("bigInt.leftShift", big(1n), 255))).to.equal(1n << 255n);
      expect(heap.readBigInt(call("bigInt.times", big(1n << 200n), big(-3n)))).to.equal(-3n << 200n);
      expect(heap.readBigInt(call("bigInt.pow", big(10n), 30))).to.equal(10n ** 30n);
      expect(heap.readBigInt(call("bigInt.bitAnd", big(-1n), big(0xf0n)))).to.equal(0xf0n);
      expect(() => call("bigInt.dividedBy", big(1n), big(0n))).to.throw(MappingError, "divide BigInt `1` by zero");
      expect(() => call("bigInt.fromString", heap.allocString("0x10"))).to.throw(MappingError, "not a BigInt");
    });

    it("converts types as graph-node does", () => {
      expect(heap.readString(call("typeConversion.bigIntToHex", big(0n)))).to.equal("0x0");
      expect(heap.readString(call("typeConversion.bigIntToHex", big(4095n)))).to.equal("0xfff");
      expect(heap.readString(call("typeConversion.bigIntToString", big(-(2n ** 70n))))).to.equal(
        (-(2n ** 70n)).toString(),
      );
      const bytes = heap.allocBytes(new Uint8Array([0xde, 0xad, 0x00, 0x41]));
      expect(heap.readString(call("typeConversion.bytesToHex", bytes))).to.equal("0xdead0041");
      expect(heap.readString(call("typeConversion.bytesToString", heap.allocBytes(Buffer.from("a\u0000b"))))).to.equal(
        "ab",
      );
      expect(
        heap.readString(call("typeConversion.bytesToBase58", heap.allocBytes(new Uint8Array([0, 0, 1])))),
      ).to.equal("112");
      expect(() => call("typeConversion.stringToH160", heap.allocString("0x1234"))).to.throw(MappingError);
    });

    it("hashes with keccak-256", () => {
      const hash = heap.readBytes(call("crypto.keccak256", heap.allocBytes(Buffer.from("abc"))));
      expect(toHex(hash)).to.equal(keccak256(toHex("abc")));
    });

    it("computes BigDecimal to 34 significant digits and prints it plainly", () => {
      const dec = (s: string) => call("bigDecimal.fromString", heap.allocString(s));
      const text = (ptr: number) => heap.readString(call("bigDecimal.toString", ptr));
      expect(text(call("bigDecimal.dividedBy", dec("1"), dec("3")))).to.equal(`0.${"3".repeat(34)}`);
      expect(text(call("bigDecimal.plus", dec("1.50"), dec("0.25")))).to.equal("1.75");
      expect(text(call("bigDecimal.times", dec("-2.5"), dec("4")))).to.equal("-10");
      expect(text(dec("1e3"))).to.equal("1000");
      expect(call("bigDecimal.equals", dec("1.0"), dec("1"))).to.equal(1);
      expect(decimalToString(decimalFromString("0.000123"))).to.equal("0.000123");
      expect(() => call("bigDecimal.dividedBy", dec("1"), dec("0"))).to.throw(Error, "by zero");
    });

    it("logs, and fails on a critical log", () => {
      call("log.log", 3, heap.allocString("hello"));
      expect(subgraph.logs.at(-1)).to.deep.equal({ level: "info", message: "hello" });
      expect(() => call("log.log", 0, heap.allocString("boom"))).to.throw(MappingError, "boom");
    });
  });

  describe("store", () => {
    const bytes = (hex: string) => ({ kind: "Bytes" as const, value: hex as `0x${string}` });
    const base = (): EntityData =>
      new Map<string, StoreValue>([
        ["id", bytes("0x01")],
        ["signer", bytes("0x02")],
        ["digest", bytes("0x03")],
        ["blockNumber", { kind: "BigInt", value: 1n }],
        ["blockTimestamp", { kind: "BigInt", value: 2n }],
        ["transactionHash", bytes("0x04")],
      ]);

    it("accepts a complete entity once, and refuses to overwrite an immutable one", () => {
      subgraph.store.set("HashApproved", "0x01", base());
      expect(() => subgraph.store.set("HashApproved", "0x01", base())).to.throw(StoreError, "immutable");
    });

    it("refuses missing, unknown, mistyped and derived fields, bad enum values and aggregations", () => {
      const missing = base();
      missing.delete("digest");
      expect(() => subgraph.store.set("HashApproved", "0x01", missing)).to.throw(SchemaViolation, "`digest`");
      const unknown = base().set("colour", { kind: "String", value: "red" });
      expect(() => subgraph.store.set("HashApproved", "0x01", unknown)).to.throw(SchemaViolation, "undefined field");
      const mistyped = base().set("blockNumber", { kind: "Int", value: 1 });
      expect(() => subgraph.store.set("HashApproved", "0x01", mistyped)).to.throw(SchemaViolation, "expects BigInt");
      const era = new Map([["id", bytes("0x05")]]) as EntityData;
      era.set("eras", { kind: "Array", value: [] });
      expect(() => subgraph.store.set("Pod", "0x05", era)).to.throw(SchemaViolation, "derived field `eras`");
      const status = new Map([["status", { kind: "String", value: "Frozen" }]]) as EntityData;
      status.set("id", bytes("0x06"));
      expect(() => subgraph.store.set("Pod", "0x06", status)).to.throw(
        SchemaViolation,
        "not a value of enum PodStatus",
      );
      expect(() => subgraph.store.set("ActivityStats", "1", new Map())).to.throw(SchemaViolation, "aggregation");
      expect(() => subgraph.store.set("HashApproved", "0x09", base())).to.throw(SchemaViolation, "conflicts");
    });

    it("gives time series points graph-node's generated id and the block's time", () => {
      const point: EntityData = new Map([
        ["id", { kind: "Int8", value: 0n }],
        ["checkIns", { kind: "Int8", value: 1n }],
        ["attestations", { kind: "Int8", value: 2n }],
        ["roundsWitnessed", { kind: "Int8", value: 1n }],
        ["witnessLatency", { kind: "Int8", value: 0n }],
      ]);
      subgraph.store.set("Activity", "0", point);
      subgraph.store.set("Activity", "0", point);
      const ids = subgraph.store.all("Activity").map((p) => plain(p).id);
      expect(ids).to.deep.equal([block.number << 32n, (block.number << 32n) | 1n]);
      expect(plain(subgraph.store.all("Activity")[0]).timestamp).to.equal(block.timestamp * 1_000_000n);
    });
  });
});
