/**
 * Store values (graph-ts `Value`, graph-node `store::Value`) and BigDecimal, on the JavaScript side and in the heap.
 */
import { type AscHeap, AscHeapError, TypeId } from "./asc.ts";

/** graph-node `StoreValueKind` discriminants. */
export const StoreValueKind = {
  String: 0,
  Int: 1,
  BigDecimal: 2,
  Bool: 3,
  Array: 4,
  Null: 5,
  Bytes: 6,
  BigInt: 7,
  Int8: 8,
  Timestamp: 9,
} as const;
export type StoreValueKindName = keyof typeof StoreValueKind;

/** A decimal `digits · 10^exp`, normalized as graph-node stores it (34 significant digits, no trailing zeros). */
export type Decimal = { digits: bigint; exp: number };

export type StoreValue =
  | { kind: "String"; value: string }
  | { kind: "Int"; value: number }
  | { kind: "Int8"; value: bigint }
  | { kind: "Timestamp"; value: bigint }
  | { kind: "BigDecimal"; value: Decimal }
  | { kind: "Bool"; value: boolean }
  | { kind: "Array"; value: StoreValue[] }
  | { kind: "Null" }
  | { kind: "Bytes"; value: `0x${string}` }
  | { kind: "BigInt"; value: bigint };

export type EntityData = Map<string, StoreValue>;

// ─── BigDecimal ────────────────────────────────────────────────────────────────────────────────────────────────────

const MAX_SIGNIFICANT_DIGITS = 34;
/** graph-node computes quotients to 100 digits before normalizing. */
const DIVISION_DIGITS = 100;

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function digitCount(x: bigint): number {
  return x === 0n ? 1 : abs(x).toString().length;
}

/**
 * Rounds to 34 significant digits (half away from zero) and strips trailing zeros. graph-node's `bigdecimal` 0.1
 * rounding differs from this only at exact ties of the 35th digit, which the mappings here never produce.
 */
export function normalize(d: Decimal): Decimal {
  let { digits, exp } = d;
  if (digits === 0n) return { digits: 0n, exp: 0 };
  const excess = digitCount(digits) - MAX_SIGNIFICANT_DIGITS;
  if (excess > 0) {
    const p = 10n ** BigInt(excess);
    const q = digits / p;
    const r = abs(digits % p);
    digits = 2n * r >= p ? q + (digits < 0n ? -1n : 1n) : q;
    exp += excess;
  }
  while (digits % 10n === 0n) {
    digits /= 10n;
    exp += 1;
  }
  return { digits, exp };
}

export function decimalToString(d: Decimal): string {
  const n = normalize(d);
  const sign = n.digits < 0n ? "-" : "";
  const body = abs(n.digits).toString();
  if (n.exp >= 0) return sign + body + "0".repeat(n.exp);
  const scale = -n.exp;
  if (scale >= body.length) return `${sign}0.${"0".repeat(scale - body.length)}${body}`;
  return `${sign}${body.slice(0, body.length - scale)}.${body.slice(body.length - scale)}`;
}

export function decimalFromString(s: string): Decimal {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`string is not a BigDecimal: '${s}'`);
  const fraction = m[3] ?? "";
  const digits = BigInt(`${m[1]}${m[2] || "0"}${fraction}`);
  return normalize({ digits, exp: Number(m[4] ?? 0) - fraction.length });
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.digits * 10n ** BigInt(a.exp - exp), b.digits * 10n ** BigInt(b.exp - exp), exp];
}

export const decimal = {
  plus(a: Decimal, b: Decimal): Decimal {
    const [x, y, exp] = align(a, b);
    return normalize({ digits: x + y, exp });
  },
  minus(a: Decimal, b: Decimal): Decimal {
    const [x, y, exp] = align(a, b);
    return normalize({ digits: x - y, exp });
  },
  times(a: Decimal, b: Decimal): Decimal {
    return normalize({ digits: a.digits * b.digits, exp: a.exp + b.exp });
  },
  dividedBy(a: Decimal, b: Decimal): Decimal {
    if (b.digits === 0n) throw new Error(`attempted to divide BigDecimal \`${decimalToString(a)}\` by zero`);
    const shift = DIVISION_DIGITS + digitCount(b.digits) - digitCount(a.digits);
    const scaled = shift > 0 ? a.digits * 10n ** BigInt(shift) : a.digits / 10n ** BigInt(-shift);
    return normalize({ digits: scaled / b.digits, exp: a.exp - b.exp - shift });
  },
  equals(a: Decimal, b: Decimal): boolean {
    const x = normalize(a);
    const y = normalize(b);
    return x.digits === y.digits && x.exp === y.exp;
  },
};

// ─── Heap conversions ──────────────────────────────────────────────────────────────────────────────────────────────

const hex = (bytes: Uint8Array): `0x${string}` => `0x${Buffer.from(bytes).toString("hex")}`;

export function bytesFromHex(value: string): Uint8Array {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(value)) throw new Error(`not an even-length 0x hex string: ${value}`);
  return new Uint8Array(Buffer.from(value.slice(2), "hex"));
}

export function readDecimal(heap: AscHeap, ptr: number): Decimal {
  heap.requireNonNull(ptr);
  const digits = heap.readBigInt(heap.u32(ptr));
  const exp = heap.readBigInt(heap.u32(ptr + 4));
  return normalize({ digits, exp: Number(exp) });
}

export function allocDecimal(heap: AscHeap, d: Decimal): number {
  const n = normalize(d);
  return heap.allocStruct(TypeId.BigDecimal, [heap.allocBigInt(n.digits), heap.allocBigInt(BigInt(n.exp))]);
}

export function readStoreValue(heap: AscHeap, ptr: number): StoreValue {
  const { kind, payload } = heap.readEnum(ptr);
  const p = Number(BigInt.asUintN(32, payload));
  switch (kind) {
    case StoreValueKind.String:
      return { kind: "String", value: heap.readString(p) };
    case StoreValueKind.Int:
      return { kind: "Int", value: Number(BigInt.asIntN(32, payload)) };
    case StoreValueKind.Int8:
      return { kind: "Int8", value: BigInt.asIntN(64, payload) };
    case StoreValueKind.Timestamp:
      return { kind: "Timestamp", value: BigInt.asIntN(64, payload) };
    case StoreValueKind.BigDecimal:
      return { kind: "BigDecimal", value: readDecimal(heap, p) };
    case StoreValueKind.Bool:
      return { kind: "Bool", value: payload !== 0n };
    case StoreValueKind.Array:
      return { kind: "Array", value: heap.readArrayU32(p).map((e) => readStoreValue(heap, e)) };
    case StoreValueKind.Null:
      return { kind: "Null" };
    case StoreValueKind.Bytes:
      return { kind: "Bytes", value: hex(heap.readBytes(p)) };
    case StoreValueKind.BigInt:
      return { kind: "BigInt", value: heap.readBigInt(p) };
    default:
      throw new AscHeapError(`unknown store value kind ${kind}`);
  }
}

export function allocStoreValue(heap: AscHeap, v: StoreValue): number {
  const kind = StoreValueKind[v.kind];
  switch (v.kind) {
    case "String":
      return heap.allocEnum(TypeId.StoreValue, kind, BigInt(heap.allocString(v.value)));
    case "Int":
      return heap.allocEnum(TypeId.StoreValue, kind, BigInt(v.value));
    case "Int8":
    case "Timestamp":
      return heap.allocEnum(TypeId.StoreValue, kind, v.value);
    case "BigDecimal":
      return heap.allocEnum(TypeId.StoreValue, kind, BigInt(allocDecimal(heap, v.value)));
    case "Bool":
      return heap.allocEnum(TypeId.StoreValue, kind, v.value ? 1n : 0n);
    case "Array": {
      const elements = v.value.map((e) => allocStoreValue(heap, e));
      return heap.allocEnum(TypeId.StoreValue, kind, BigInt(heap.allocArray(TypeId.ArrayStoreValue, elements)));
    }
    case "Null":
      return heap.allocEnum(TypeId.StoreValue, kind, 0n);
    case "Bytes":
      return heap.allocEnum(TypeId.StoreValue, kind, BigInt(heap.allocBytes(bytesFromHex(v.value))));
    case "BigInt":
      return heap.allocEnum(TypeId.StoreValue, kind, BigInt(heap.allocBigInt(v.value)));
  }
}

/** An entity (graph-ts `Entity`, a `TypedMap<string, Value>`): { entries: Array<TypedMapEntry> }. */
export function readEntity(heap: AscHeap, ptr: number): EntityData {
  const data: EntityData = new Map();
  const entries = heap.readArrayU32(heap.u32(ptr));
  for (const entry of entries) {
    const key = heap.readString(heap.u32(entry));
    data.set(key, readStoreValue(heap, heap.u32(entry + 4)));
  }
  return data;
}

export function allocEntity(heap: AscHeap, data: EntityData): number {
  const entries = [...data].map(([key, value]) =>
    heap.allocStruct(TypeId.TypedMapEntryStringStoreValue, [heap.allocString(key), allocStoreValue(heap, value)]),
  );
  const array = heap.allocArray(TypeId.ArrayTypedMapEntryStringStoreValue, entries);
  return heap.allocStruct(TypeId.TypedMapStringStoreValue, [array]);
}

/** Human-readable form of a value, for error messages. */
export function showValue(v: StoreValue): string {
  switch (v.kind) {
    case "Null":
      return "null";
    case "Array":
      return `[${v.value.map(showValue).join(", ")}]`;
    case "BigDecimal":
      return decimalToString(v.value);
    default:
      return String(v.value);
  }
}
