import { randomBytes } from "@noble/hashes/utils.js";

/** A source of random bytes. Injected so tests and benchmarks can be reproducible; defaults to the platform CSPRNG. */
export type RandomSource = (length: number) => Uint8Array;

export const defaultRandom: RandomSource = (length) => randomBytes(length);

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}
