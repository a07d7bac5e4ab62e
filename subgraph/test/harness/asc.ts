/**
 * The AssemblyScript heap of a mapping built by graph-cli (AssemblyScript 0.19, `--runtime stub`), read and written
 * the way graph-node does it for apiVersion ≥ 0.0.5 (runtime/wasm/src/asc_abi, graph/src/runtime/asc_ptr.rs):
 *
 * - every object has a 20-byte header before its payload: mmInfo, gcInfo, gcInfo2, rtId (class id) and rtSize (payload
 *   bytes); a pointer points at the payload;
 * - String: UTF-16LE code units; ArrayBuffer: raw bytes;
 * - TypedArray (Uint8Array, so Bytes, Address and BigInt): { buffer, dataStart, byteLength };
 * - Array<T>: { buffer, dataStart, byteLength, length };
 * - an enum-like Value (store or ethereum): { kind: u32, padding: u32, payload: u64 };
 * - class ids are the mapping's own: graph-node asks the exported `id_of_type(TypeId)` for them;
 * - the host allocates in arenas obtained from the exported `allocate` (+12 bytes: `__alloc` returns the mmInfo field).
 */

/** graph-ts `TypeId` discriminants (graph-ts global/global.ts, graph-node `IndexForAscTypeId`) the harness allocates. */
export const TypeId = {
  String: 0,
  ArrayBuffer: 1,
  Uint8Array: 6,
  BigDecimal: 12,
  ArrayUint8Array: 14,
  ArrayEthereumValue: 15,
  ArrayStoreValue: 16,
  ArrayString: 18,
  ArrayEventParam: 19,
  ArrayTypedMapEntryStringStoreValue: 21,
  EventParam: 23,
  EthereumTransaction: 24,
  EthereumBlock: 25,
  EthereumValue: 30,
  StoreValue: 31,
  EthereumEvent: 33,
  TypedMapEntryStringStoreValue: 34,
  TypedMapStringStoreValue: 36,
  ArrayTypedMapStringStoreValue: 52,
} as const;
export type TypeIdName = keyof typeof TypeId;

const HEADER_SIZE = 20;
const MIN_ARENA_SIZE = 10_000;

export type AscExports = {
  memory: WebAssembly.Memory;
  allocate: (size: number) => number;
  id_of_type: (typeId: number) => number;
};

export class AscHeapError extends Error {
  override name = "AscHeapError";
}

export class AscHeap {
  private arenaStart = 0;
  private arenaFree = 0;
  private readonly classIds = new Map<number, number>();
  private exports?: AscExports;

  /** Binds the heap to an instance (imports are created before the instance exists). */
  bind(exports: AscExports): void {
    this.exports = exports;
  }

  private get bound(): AscExports {
    if (!this.exports) throw new AscHeapError("the heap is used before the module was instantiated");
    return this.exports;
  }

  private view(): DataView {
    // Growing memory detaches the old buffer: take a fresh view every time.
    return new DataView(this.bound.memory.buffer);
  }

  private bytesAt(ptr: number, length: number): Uint8Array {
    const buffer = this.bound.memory.buffer;
    if (ptr < 0 || ptr + length > buffer.byteLength) {
      throw new AscHeapError(`heap access out of bounds: ${ptr}+${length} > ${buffer.byteLength}`);
    }
    return new Uint8Array(buffer, ptr, length);
  }

  // ─── Reading ───────────────────────────────────────────────────────────────────────────────────────────────────

  u32(ptr: number): number {
    return this.view().getUint32(ptr, true);
  }

  i32(ptr: number): number {
    return this.view().getInt32(ptr, true);
  }

  u64(ptr: number): bigint {
    return this.view().getBigUint64(ptr, true);
  }

  /** The class id in an object's header. */
  classIdOf(ptr: number): number {
    this.requireNonNull(ptr);
    return this.u32(ptr - 8);
  }

  /** The payload size in an object's header. */
  sizeOf(ptr: number): number {
    this.requireNonNull(ptr);
    return this.u32(ptr - 4);
  }

  requireNonNull(ptr: number): void {
    if (ptr === 0) throw new AscHeapError("tried to read an AssemblyScript value that is null");
  }

  readString(ptr: number): string {
    const size = this.sizeOf(ptr);
    const units = this.bytesAt(ptr, size);
    return Buffer.from(units).toString("utf16le");
  }

  readArrayBuffer(ptr: number): Uint8Array {
    return this.bytesAt(ptr, this.sizeOf(ptr)).slice();
  }

  /** A Uint8Array (Bytes, Address, BigInt): its view of its buffer. */
  readBytes(ptr: number): Uint8Array {
    this.requireNonNull(ptr);
    const buffer = this.u32(ptr);
    const dataStart = this.u32(ptr + 4);
    const byteLength = this.u32(ptr + 8);
    this.requireNonNull(buffer);
    if (dataStart < buffer || dataStart + byteLength > buffer + this.sizeOf(buffer)) {
      throw new AscHeapError(`typed array at ${ptr} points outside its buffer`);
    }
    return this.bytesAt(dataStart, byteLength).slice();
  }

  /** An Array<T> of 4-byte elements (pointers or i32). */
  readArrayU32(ptr: number): number[] {
    this.requireNonNull(ptr);
    const dataStart = this.u32(ptr + 4);
    const length = this.i32(ptr + 12);
    const out: number[] = [];
    for (let i = 0; i < length; i++) out.push(this.u32(dataStart + 4 * i));
    return out;
  }

  /** A BigInt: little-endian two's complement bytes. */
  readBigInt(ptr: number): bigint {
    return bigIntFromSignedLE(this.readBytes(ptr));
  }

  /** An enum-like value: { kind, payload }. */
  readEnum(ptr: number): { kind: number; payload: bigint } {
    this.requireNonNull(ptr);
    return { kind: this.u32(ptr), payload: this.u64(ptr + 8) };
  }

  // ─── Allocating ────────────────────────────────────────────────────────────────────────────────────────────────

  private classId(typeId: number): number {
    let id = this.classIds.get(typeId);
    if (id === undefined) {
      id = this.bound.id_of_type(typeId) >>> 0;
      this.classIds.set(typeId, id);
    }
    return id;
  }

  /** Writes bytes into the current arena (a new one when full) and returns where. */
  private rawNew(bytes: Uint8Array): number {
    if (bytes.length > this.arenaFree) {
      let size = Math.max(bytes.length, MIN_ARENA_SIZE);
      let start = this.bound.allocate(size) >>> 0;
      // `__alloc` returns the block's mmInfo; objects must be 16-byte aligned after their 20-byte header.
      start += 12;
      size -= 12;
      this.arenaStart = start;
      this.arenaFree = size;
    }
    const ptr = this.arenaStart;
    this.bytesAt(ptr, bytes.length).set(bytes);
    this.arenaStart += bytes.length;
    this.arenaFree -= bytes.length;
    return ptr;
  }

  /** Allocates an object of class `typeId` with `payload`, whose `rtSize` is `contentLength`; returns its pointer. */
  allocObject(typeId: number, payload: Uint8Array, contentLength = payload.length): number {
    const padded = payload.length + ((16 - (payload.length % 16)) % 16);
    const body = new Uint8Array(HEADER_SIZE + padded);
    const header = new DataView(body.buffer);
    header.setUint32(0, 12 + padded, true); // mmInfo: gcInfo + gcInfo2 + rtId + rtSize + payload
    header.setUint32(4, 0, true);
    header.setUint32(8, 0, true);
    header.setUint32(12, this.classId(typeId), true);
    header.setUint32(16, contentLength, true);
    body.set(payload, HEADER_SIZE);
    return this.rawNew(body) + HEADER_SIZE;
  }

  /** Pointers and 32-bit fields, as a class payload. */
  allocStruct(typeId: number, fields: readonly number[]): number {
    const payload = new Uint8Array(fields.length * 4);
    const view = new DataView(payload.buffer);
    for (const [i, f] of fields.entries()) view.setUint32(i * 4, f >>> 0, true);
    return this.allocObject(typeId, payload);
  }

  allocString(value: string): number {
    return this.allocObject(TypeId.String, new Uint8Array(Buffer.from(value, "utf16le")));
  }

  private allocArrayBuffer(content: Uint8Array): number {
    // graph-node rounds an ArrayBuffer's capacity up to a power of two (header included), as asc does.
    const capacity = 2 ** Math.ceil(Math.log2(content.length + HEADER_SIZE));
    const payload = new Uint8Array(capacity - HEADER_SIZE);
    payload.set(content);
    return this.allocObject(TypeId.ArrayBuffer, payload, content.length);
  }

  /** A Uint8Array (Bytes, Address, or a BigInt's bytes). */
  allocBytes(bytes: Uint8Array, typeId: number = TypeId.Uint8Array): number {
    const buffer = this.allocArrayBuffer(bytes);
    return this.allocStruct(typeId, [buffer, buffer, bytes.length]);
  }

  allocBigInt(value: bigint): number {
    return this.allocBytes(bigIntToSignedLE(value));
  }

  /** An Array<T> of 4-byte elements (pointers). */
  allocArray(typeId: number, elements: readonly number[]): number {
    const content = new Uint8Array(elements.length * 4);
    const view = new DataView(content.buffer);
    for (const [i, e] of elements.entries()) view.setUint32(i * 4, e >>> 0, true);
    const buffer = this.allocArrayBuffer(content);
    return this.allocStruct(typeId, [buffer, buffer, content.length, elements.length]);
  }

  /** An enum-like value: { kind: u32, padding: u32, payload: u64 }. */
  allocEnum(typeId: number, kind: number, payload: bigint): number {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, kind, true);
    view.setBigUint64(8, BigInt.asUintN(64, payload), true);
    return this.allocObject(typeId, bytes);
  }
}

/** Little-endian two's complement, minimal length (as graph-node's `BigInt::to_signed_bytes_le`). */
export function bigIntToSignedLE(value: bigint): Uint8Array {
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = Number(BigInt.asUintN(8, v));
    out.push(byte);
    v >>= 8n;
    const signBit = (byte & 0x80) !== 0;
    if ((v === 0n && !signBit) || (v === -1n && signBit)) break;
  }
  return new Uint8Array(out);
}

export function bigIntFromSignedLE(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return BigInt.asIntN(bytes.length * 8, v);
}
