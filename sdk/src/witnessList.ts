import { type Address, concatHex, getAddress, type Hex, numberToHex, size, sliceHex } from "viem";
import { BaseError } from "./errors/base.ts";

/** One witness: who signed, and the signature (65-byte ECDSA, an ERC-1271 signature, or empty for approveHash). */
export type WitnessEntry = { signer: Address; signature: Hex };

const ECDSA_ENTRY = "0x01";
const SIGNED_ENTRY = "0x02";

/** The witness list is not well formed (see `encodeWitnessList` for the format). */
export class WitnessListMalformedError extends BaseError {
  override name = "WitnessListMalformedError" as const;
  readonly offset: number;
  constructor(offset: number) {
    super(`Witness list is malformed at byte ${offset}`);
    this.offset = offset;
  }
}

/**
 * Packs witness signatures the way Troth's `checkIn`, `checkInBySig` and `witnessBySig` take them
 * (`contracts/libraries/WitnessList.sol`): per entry, `0x01 ‖ signer ‖ 65-byte signature` for ECDSA, or
 * `0x02 ‖ signer ‖ uint16 length ‖ signature` for any other length (ERC-1271; 0 = approved on-chain).
 *
 * @example
 * const witnesses = encodeWitnessList([{ signer: bob, signature: await signWitness(...) }]);
 */
export function encodeWitnessList(entries: readonly WitnessEntry[]): Hex {
  return concatHex(
    entries.map(({ signer, signature }) => {
      const length = size(signature);
      if (length === 65) return concatHex([ECDSA_ENTRY, signer, signature]);
      if (length > 0xffff) throw new RangeError(`signature of ${signer} is ${length} bytes; at most 65535 fit`);
      return concatHex([SIGNED_ENTRY, signer, numberToHex(length, { size: 2 }), signature]);
    }),
  );
}

/**
 * Unpacks a witness list; the inverse of `encodeWitnessList`.
 *
 * @example
 * ```ts
 * const entries = decodeWitnessList(encodeWitnessList([{ signer: bob, signature }]));
 * ```
 */
export function decodeWitnessList(list: Hex): WitnessEntry[] {
  const entries: WitnessEntry[] = [];
  const total = size(list);
  let offset = 0;
  while (offset < total) {
    if (offset + 21 > total) throw new WitnessListMalformedError(offset);
    const kind = sliceHex(list, offset, offset + 1);
    const signer = getAddress(sliceHex(list, offset + 1, offset + 21));
    let start = offset + 21;
    let end: number;
    if (kind === ECDSA_ENTRY) {
      end = start + 65;
    } else if (kind === SIGNED_ENTRY) {
      if (offset + 23 > total) throw new WitnessListMalformedError(offset);
      end = offset + 23 + Number(BigInt(sliceHex(list, offset + 21, offset + 23)));
      start = offset + 23;
    } else {
      throw new WitnessListMalformedError(offset);
    }
    if (end > total) throw new WitnessListMalformedError(offset);
    entries.push({ signer, signature: start === end ? "0x" : sliceHex(list, start, end) });
    offset = end;
  }
  return entries;
}
