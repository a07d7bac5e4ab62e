/**
 * The host functions a graph-ts mapping imports, implemented as graph-node implements them
 * (runtime/wasm/src/host_exports.rs, module/instance.rs). The import object is built from the module's own import
 * list: an import the harness does not provide fails instantiation with its name, never silently.
 */
import { keccak256 } from "viem";
import { type AscHeap, TypeId } from "./asc.ts";
import type { Store } from "./store.ts";
import {
  allocDecimal,
  allocEntity,
  decimal,
  decimalFromString,
  decimalToString,
  readDecimal,
  readEntity,
} from "./values.ts";

export class MissingHostFunctions extends Error {
  override name = "MissingHostFunctions";
  constructor(readonly missing: string[]) {
    super(`the mapping imports host functions the harness does not provide: ${missing.join(", ")}`);
  }
}

/** A deterministic failure of the mapping (abort, critical log, bad host call): graph-node fails the subgraph. */
export class MappingError extends Error {
  override name = "MappingError";
}

export type LogEntry = { level: "critical" | "error" | "warning" | "info" | "debug"; message: string };
const levels = ["critical", "error", "warning", "info", "debug"] as const;

export type HostContext = {
  heap: AscHeap;
  store: Store;
  logs: LogEntry[];
  /** The data source's address and network (dataSource.address / dataSource.network). */
  address: Uint8Array;
  network: string;
};

type HostFunction = (...args: number[]) => number | bigint | undefined;

const hexOf = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString("hex")}`;

function bigIntOp(ctx: HostContext, op: (x: bigint, y: bigint) => bigint): HostFunction {
  return (x, y) => ctx.heap.allocBigInt(op(ctx.heap.readBigInt(x), ctx.heap.readBigInt(y)));
}

function decimalOp(ctx: HostContext, op: typeof decimal.plus): HostFunction {
  return (x, y) => allocDecimal(ctx.heap, op(readDecimal(ctx.heap, x), readDecimal(ctx.heap, y)));
}

/** Every host function the harness provides, by import name. */
export function hostFunctions(ctx: HostContext): Record<string, HostFunction> {
  const { heap, store } = ctx;
  const str = (ptr: number) => heap.readString(ptr);
  return {
    abort: (message, file, line, column) => {
      const text = message ? str(message) : "(no message)";
      const where = file ? `${str(file)}, line ${line}, column ${column}` : "unknown location";
      throw new MappingError(`Mapping aborted at ${where}, with message: ${text}`);
    },

    // ─── Store ───────────────────────────────────────────────────────────────────────────────────────────────────
    "store.get": (type, id) => {
      const data = store.get(str(type), str(id));
      return data ? allocEntity(heap, data) : 0;
    },
    "store.get_in_block": (type, id) => {
      const data = store.getInBlock(str(type), str(id));
      return data ? allocEntity(heap, data) : 0;
    },
    "store.set": (type, id, data) => {
      store.set(str(type), str(id), readEntity(heap, data));
      return undefined;
    },
    "store.remove": (type, id) => {
      store.remove(str(type), str(id));
      return undefined;
    },
    "store.loadRelated": (type, id, field) => {
      const related = store.loadRelated(str(type), str(id), str(field));
      return heap.allocArray(
        TypeId.ArrayTypedMapStringStoreValue,
        related.map((e) => allocEntity(heap, e)),
      );
    },

    // ─── Type conversions ────────────────────────────────────────────────────────────────────────────────────────
    "typeConversion.bytesToString": (ptr) =>
      // UTF-8, lossy, without NUL characters (graph-node `bytes_to_string`).
      heap.allocString(Buffer.from(heap.readBytes(ptr)).toString("utf8").replaceAll("\u0000", "")),
    "typeConversion.bytesToHex": (ptr) => heap.allocString(hexOf(heap.readBytes(ptr))),
    "typeConversion.bigIntToString": (ptr) => heap.allocString(heap.readBigInt(ptr).toString()),
    "typeConversion.bigIntToHex": (ptr) => {
      // The magnitude in hex, least digits, "0x0" for zero (graph-node `big_int_to_hex`).
      const n = heap.readBigInt(ptr);
      return heap.allocString(`0x${(n < 0n ? -n : n).toString(16)}`);
    },
    "typeConversion.stringToH160": (ptr) => {
      const s = str(ptr);
      const hex = s.startsWith("0x") ? s.slice(2) : s;
      if (!/^[0-9a-fA-F]{40}$/.test(hex)) throw new MappingError(`Failed to convert string to Address/H160: '${s}'`);
      return heap.allocBytes(new Uint8Array(Buffer.from(hex, "hex")));
    },
    "typeConversion.bytesToBase58": (ptr) => heap.allocString(base58(heap.readBytes(ptr))),

    // ─── BigInt ──────────────────────────────────────────────────────────────────────────────────────────────────
    "bigInt.plus": bigIntOp(ctx, (x, y) => x + y),
    "bigInt.minus": bigIntOp(ctx, (x, y) => x - y),
    "bigInt.times": bigIntOp(ctx, (x, y) => x * y),
    "bigInt.dividedBy": bigIntOp(ctx, (x, y) => {
      if (y === 0n) throw new MappingError(`attempted to divide BigInt \`${x}\` by zero`);
      return x / y; // truncates toward zero, as num-bigint
    }),
    "bigInt.mod": bigIntOp(ctx, (x, y) => {
      if (y === 0n) throw new MappingError(`attempted to calculate the remainder of \`${x}\` with a divisor of zero`);
      return x % y; // the sign of the dividend, as Rust's %
    }),
    "bigInt.pow": (x, exp) => heap.allocBigInt(heap.readBigInt(x) ** BigInt(exp & 0xff)),
    "bigInt.fromString": (ptr) => {
      const s = str(ptr);
      if (!/^[+-]?\d+$/.test(s)) throw new MappingError(`string is not a BigInt: \`${s}\``);
      return heap.allocBigInt(BigInt(s));
    },
    "bigInt.bitOr": bigIntOp(ctx, (x, y) => x | y),
    "bigInt.bitAnd": bigIntOp(ctx, (x, y) => x & y),
    "bigInt.leftShift": (x, bits) => heap.allocBigInt(heap.readBigInt(x) << BigInt(bits & 0xff)),
    "bigInt.rightShift": (x, bits) => heap.allocBigInt(heap.readBigInt(x) >> BigInt(bits & 0xff)),
    "bigInt.dividedByDecimal": (x, y) =>
      allocDecimal(heap, decimal.dividedBy({ digits: heap.readBigInt(x), exp: 0 }, readDecimal(heap, y))),

    // ─── BigDecimal ──────────────────────────────────────────────────────────────────────────────────────────────
    "bigDecimal.plus": decimalOp(ctx, decimal.plus),
    "bigDecimal.minus": decimalOp(ctx, decimal.minus),
    "bigDecimal.times": decimalOp(ctx, decimal.times),
    "bigDecimal.dividedBy": decimalOp(ctx, decimal.dividedBy),
    "bigDecimal.equals": (x, y) => (decimal.equals(readDecimal(heap, x), readDecimal(heap, y)) ? 1 : 0),
    "bigDecimal.toString": (ptr) => heap.allocString(decimalToString(readDecimal(heap, ptr))),
    "bigDecimal.fromString": (ptr) => allocDecimal(heap, decimalFromString(str(ptr))),

    // ─── Crypto, logging, data source ────────────────────────────────────────────────────────────────────────────
    "crypto.keccak256": (ptr) =>
      heap.allocBytes(new Uint8Array(Buffer.from(keccak256(heap.readBytes(ptr)).slice(2), "hex"))),
    "log.log": (level, message) => {
      const entry: LogEntry = { level: levels[level] ?? "debug", message: str(message) };
      ctx.logs.push(entry);
      if (entry.level === "critical") {
        throw new MappingError(`Critical error logged in mapping with log message: ${entry.message}`);
      }
      return undefined;
    },
    "dataSource.address": () => heap.allocBytes(ctx.address),
    "dataSource.network": () => heap.allocString(ctx.network),
  };
}

/** The import object for `module`, or MissingHostFunctions listing every import the harness lacks. */
export function buildImports(module: WebAssembly.Module, ctx: HostContext): WebAssembly.Imports {
  const provided = hostFunctions(ctx);
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  const missing: string[] = [];
  for (const entry of WebAssembly.Module.imports(module)) {
    const fn = provided[entry.name];
    if (entry.kind !== "function" || !fn) {
      missing.push(`${entry.module}.${entry.name} (${entry.kind})`);
      continue;
    }
    imports[entry.module] ??= {};
    imports[entry.module][entry.name] = fn;
  }
  if (missing.length > 0) throw new MissingHostFunctions(missing);
  return imports;
}

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58(bytes: Uint8Array): string {
  let n = bytes.length === 0 ? 0n : BigInt(hexOf(bytes));
  let out = "";
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}
