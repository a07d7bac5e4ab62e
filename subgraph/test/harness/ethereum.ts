/**
 * `ethereum.Event` objects in the mapping's heap, laid out as graph-node builds them for apiVersion ≥ 0.0.7
 * (chain/ethereum/src/runtime/abi.rs: AscEthereumEvent_0_0_7 with AscEthereumBlock_0_0_6 and
 * AscEthereumTransaction_0_0_6; runtime/wasm/src/to_from/external.rs for the values).
 */
import type { AbiEvent, AbiParameter } from "viem";
import { type AscHeap, TypeId } from "./asc.ts";
import { bytesFromHex } from "./values.ts";

/** graph-node `EthereumValueKind` discriminants. */
export const EthereumValueKind = {
  Address: 0,
  FixedBytes: 1,
  Bytes: 2,
  Int: 3,
  Uint: 4,
  Bool: 5,
  String: 6,
  FixedArray: 7,
  Array: 8,
  Tuple: 9,
  Function: 10,
} as const;

type Hex = `0x${string}`;

export type EthereumBlock = {
  hash: Hex;
  parentHash: Hex;
  sha3Uncles: Hex;
  miner: Hex;
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  number: bigint;
  gasUsed: bigint;
  gasLimit: bigint;
  timestamp: bigint;
  difficulty: bigint;
  totalDifficulty?: bigint | null;
  size?: bigint | null;
  baseFeePerGas?: bigint | null;
};

export type EthereumTransaction = {
  hash: Hex;
  transactionIndex: number;
  from: Hex;
  to: Hex | null;
  value: bigint;
  gas: bigint;
  gasPrice?: bigint | null;
  input: Hex;
  nonce: number;
};

export type EthereumEventInput = {
  address: Hex;
  logIndex: number;
  transactionLogIndex: number;
  block: EthereumBlock;
  transaction: EthereumTransaction;
  event: AbiEvent;
  /** Topic values of indexed parameters, for dynamic indexed types (which hold a hash, not the value). */
  topics: readonly Hex[];
  /** Decoded arguments by name (viem `decodeEventLog`). */
  args: Record<string, unknown>;
};

export class EventEncodingError extends Error {
  override name = "EventEncodingError";
}

function isDynamic(type: string): boolean {
  return type === "string" || type === "bytes" || type.endsWith("]") || type.startsWith("tuple");
}

/** An `ethereum.Value` for an ABI value. */
export function allocEthereumValue(heap: AscHeap, param: AbiParameter, value: unknown): number {
  const value_ = (kind: number, payload: number | bigint) =>
    heap.allocEnum(TypeId.EthereumValue, kind, BigInt(payload));
  const type = param.type;
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) throw new EventEncodingError(`${param.name}: expected an array for ${type}`);
    const element = { ...param, type: array[1] } as AbiParameter;
    const items = value.map((v) => allocEthereumValue(heap, element, v));
    const list = heap.allocArray(TypeId.ArrayEthereumValue, items);
    return value_(array[2] === "" ? EthereumValueKind.Array : EthereumValueKind.FixedArray, list);
  }
  if (type === "tuple") {
    const components = (param as { components?: readonly AbiParameter[] }).components ?? [];
    const items = components.map((c, i) => {
      const v = Array.isArray(value) ? value[i] : (value as Record<string, unknown>)[c.name ?? String(i)];
      return allocEthereumValue(heap, c, v);
    });
    return value_(EthereumValueKind.Tuple, heap.allocArray(TypeId.ArrayEthereumValue, items));
  }
  if (type === "address") return value_(EthereumValueKind.Address, heap.allocBytes(bytesFromHex(value as string)));
  if (type === "bool") return value_(EthereumValueKind.Bool, value ? 1 : 0);
  if (type === "string") return value_(EthereumValueKind.String, heap.allocString(value as string));
  if (type === "bytes") return value_(EthereumValueKind.Bytes, heap.allocBytes(bytesFromHex(value as string)));
  if (/^bytes\d+$/.test(type))
    return value_(EthereumValueKind.FixedBytes, heap.allocBytes(bytesFromHex(value as string)));
  if (/^uint\d*$/.test(type)) return value_(EthereumValueKind.Uint, heap.allocBigInt(BigInt(value as bigint)));
  if (/^int\d*$/.test(type)) return value_(EthereumValueKind.Int, heap.allocBigInt(BigInt(value as bigint)));
  throw new EventEncodingError(`${param.name}: unsupported ABI type ${type}`);
}

function allocBlock(heap: AscHeap, b: EthereumBlock): number {
  const bytes = (h: Hex) => heap.allocBytes(bytesFromHex(h));
  const big = (n: bigint) => heap.allocBigInt(n);
  return heap.allocStruct(TypeId.EthereumBlock, [
    bytes(b.hash),
    bytes(b.parentHash),
    bytes(b.sha3Uncles),
    bytes(b.miner),
    bytes(b.stateRoot),
    bytes(b.transactionsRoot),
    bytes(b.receiptsRoot),
    big(b.number),
    big(b.gasUsed),
    big(b.gasLimit),
    big(b.timestamp),
    big(b.difficulty),
    big(b.totalDifficulty ?? 0n),
    b.size == null ? 0 : big(b.size),
    b.baseFeePerGas == null ? 0 : big(b.baseFeePerGas),
  ]);
}

function allocTransaction(heap: AscHeap, t: EthereumTransaction): number {
  const bytes = (h: Hex) => heap.allocBytes(bytesFromHex(h));
  const big = (n: bigint | number) => heap.allocBigInt(BigInt(n));
  return heap.allocStruct(TypeId.EthereumTransaction, [
    bytes(t.hash),
    big(t.transactionIndex),
    bytes(t.from),
    t.to ? bytes(t.to) : 0,
    big(t.value),
    big(t.gas),
    big(t.gasPrice ?? 0n),
    bytes(t.input),
    big(t.nonce),
  ]);
}

/** The `ethereum.Event` a handler receives. No receipt: the handlers do not ask for one (`receipt: true`). */
export function allocEvent(heap: AscHeap, e: EthereumEventInput): number {
  let topic = 1;
  const params = e.event.inputs.map((input, i) => {
    const name = input.name ?? `param${i}`;
    let value: number;
    if (input.indexed && isDynamic(input.type)) {
      // An indexed dynamic value is only its hash in the topic.
      value = heap.allocEnum(
        TypeId.EthereumValue,
        EthereumValueKind.FixedBytes,
        BigInt(heap.allocBytes(bytesFromHex(e.topics[topic]))),
      );
    } else {
      if (!(name in e.args)) throw new EventEncodingError(`${e.event.name}: no decoded value for ${name}`);
      value = allocEthereumValue(heap, input, e.args[name]);
    }
    if (input.indexed) topic++;
    return heap.allocStruct(TypeId.EventParam, [heap.allocString(name), value]);
  });
  return heap.allocStruct(TypeId.EthereumEvent, [
    heap.allocBytes(bytesFromHex(e.address)),
    heap.allocBigInt(BigInt(e.logIndex)),
    heap.allocBigInt(BigInt(e.transactionLogIndex)),
    0, // logType: null
    allocBlock(heap, e.block),
    allocTransaction(heap, e.transaction),
    heap.allocArray(TypeId.ArrayEventParam, params),
    0, // receipt: null
  ]);
}
