import { type AbiEvent, decodeEventLog, getAddress, type Hex, toEventSelector } from "viem";
import { trothAbi } from "../generated/abis.ts";

/** A log as `eth_getLogs` returns it. */
export type RawLog = { address: Hex; topics: Hex[]; data: Hex; blockNumber: Hex; transactionHash: Hex; logIndex: Hex };

/** A decoded log: the event's name and arguments (viem's types: small uints as numbers, addresses checksummed). */
export type DecodedLog = {
  eventName: string;
  // biome-ignore lint/suspicious/noExplicitAny: arguments are typed by event name where they are used
  args: Record<string, any>;
  blockNumber: bigint;
  transactionHash: Hex;
};

type Field = { name: string; type: string; indexed: boolean };
type Decoder = { event: AbiEvent; fields: Field[]; static: boolean };

const checksummed = new Map<string, Hex>();
function address(word: string): Hex {
  const lower = `0x${word.slice(24)}`;
  let cached = checksummed.get(lower);
  if (!cached) {
    cached = getAddress(lower);
    checksummed.set(lower, cached);
  }
  return cached;
}

/** One 32-byte word (64 hex characters, no prefix) as viem would decode it. */
function decodeWord(type: string, word: string): unknown {
  if (type === "address") return address(word);
  if (type === "bool") return word.charCodeAt(63) !== 48; // not "0"
  if (type === "bytes32") return `0x${word}`;
  const bits = Number(/^u?int(\d+)$/.exec(type)?.[1] ?? 256);
  // viem gives numbers up to 48 bits and bigints above; Troth's events use only unsigned integers.
  return bits <= 48 ? Number.parseInt(word.slice(64 - bits / 4), 16) : BigInt(`0x${word}`);
}

/**
 * Decoders for the events the audit reads, derived from the generated ABI. Events whose fields are all static are
 * decoded word by word (tens of thousands of logs per second matter to the audit); the rest go through viem.
 */
export function createLogDecoder(names: readonly string[]) {
  const decoders = new Map<string, Decoder>();
  for (const item of trothAbi) {
    if (item.type !== "event" || !names.includes(item.name)) continue;
    const event = item as AbiEvent;
    const fields = event.inputs.map((input) => ({
      name: input.name ?? "",
      type: input.type,
      indexed: !!input.indexed,
    }));
    const isStatic = fields.every(
      (f) => f.type === "address" || f.type === "bool" || f.type === "bytes32" || /^uint\d+$/.test(f.type),
    );
    decoders.set(toEventSelector(event), { event, fields, static: isStatic });
  }
  return {
    /** The selectors to ask the node for (topic 0). */
    topics: [...decoders.keys()] as Hex[],
    decode(log: RawLog): DecodedLog | undefined {
      const decoder = decoders.get(log.topics[0]);
      if (!decoder) return undefined;
      const base = { blockNumber: BigInt(log.blockNumber), transactionHash: log.transactionHash };
      if (!decoder.static) {
        const decoded = decodeEventLog({ abi: [decoder.event], data: log.data, topics: log.topics as [Hex, ...Hex[]] });
        return { eventName: decoded.eventName as string, args: decoded.args as Record<string, unknown>, ...base };
      }
      const args: Record<string, unknown> = {};
      let topic = 1;
      let offset = 2;
      for (const field of decoder.fields) {
        if (field.indexed) {
          args[field.name] = decodeWord(field.type, log.topics[topic++].slice(2));
        } else {
          args[field.name] = decodeWord(field.type, log.data.slice(offset, offset + 64));
          offset += 64;
        }
      }
      return { eventName: decoder.event.name, args, ...base };
    },
  };
}
