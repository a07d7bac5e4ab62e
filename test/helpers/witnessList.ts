/**
 * Single entries of the packed witness list, built byte by byte from the format in `contracts/libraries/WitnessList.sol`
 * (not with the SDK's encoder), so tests can choose an entry's kind and craft malformed lists:
 *  - `0x01 ‖ signer (20 bytes) ‖ signature (65 bytes)` for an ECDSA signature;
 *  - `0x02 ‖ signer (20 bytes) ‖ length (uint16, big-endian) ‖ signature` for any length (ERC-1271; 0 stands for a
 *    digest the signer approved on-chain).
 */
import { concatHex, type Hex, numberToHex, size } from "viem";
import type { Signature } from "./troth.ts";

/** An entry of kind 0x01; the signature must be 65 bytes. */
export function ecdsaEntry({ signer, signature }: Signature): Hex {
  return concatHex(["0x01", signer, signature]);
}

/** An entry of kind 0x02, with the signature's length in front (any length, including 65 or 0). */
export function signedEntry({ signer, signature }: Signature): Hex {
  return concatHex(["0x02", signer, numberToHex(size(signature), { size: 2 }), signature]);
}

/** Packs a whole list, each entry as compactly as its signature allows (the SDK's encoder, which the contract reads). */
export { encodeWitnessList } from "../../sdk/src/witnessList.ts";
