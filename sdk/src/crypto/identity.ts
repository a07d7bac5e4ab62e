import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { type Address, bytesToHex, getAddress, type Hex, hexToBytes, isHex } from "viem";
import { InvalidKeyError, NonDeterministicSignerError } from "../errors/crypto.ts";
import { utf8 } from "./random.ts";

/** Version of the identity message and derivation. A new version means a new key, published again. */
export const IDENTITY_VERSION = 1;

/** A member's X25519 identity key: the public half goes to the on-chain key registry. */
export type IdentityKey = {
  version: typeof IDENTITY_VERSION;
  address: Address;
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  /** The public key as the registry's bytes32. */
  publicKeyHex: Hex;
};

/** Signs a text message (EIP-191 personal_sign), as `walletClient.signMessage` does. */
export type MessageSigner = { address: Address; signMessage: (message: string) => Promise<Hex> };

/**
 * The fixed message whose signature derives the identity key of `address`. It never changes within a version, so the
 * same wallet recovers the same key on any device.
 *
 * @example
 * ```ts
 * const message = identityMessage("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
 * ```
 */
export function identityMessage(address: Address): string {
  return [
    `Troth identity key, version ${IDENTITY_VERSION}`,
    "",
    "Signing this derives the key that encrypts your pods' covenants and check-ins.",
    "It sends no transaction and costs nothing. Sign it only in an app you trust with your Troth pods.",
    "",
    `Account: ${getAddress(address)}`,
  ].join("\n");
}

/**
 * Derives the identity key from a signature of {@link identityMessage} (HKDF-SHA256 → X25519 secret key).
 *
 * @example
 * ```ts
 * const signature = await wallet.signMessage({ account, message: identityMessage(account.address) });
 * const identity = identityKeyFromSignature(account.address, signature);
 * ```
 */
export function identityKeyFromSignature(address: Address, signature: Hex): IdentityKey {
  if (!isHex(signature) || signature.length < 2 + 64 * 2) {
    throw new InvalidKeyError({ what: "identity signature", reason: "expected a 64- or 65-byte signature" });
  }
  const privateKey = hkdf(
    sha256,
    hexToBytes(signature),
    utf8(`troth/identity/v${IDENTITY_VERSION}`),
    utf8("x25519 secret key"),
    32,
  );
  const publicKey = x25519.getPublicKey(privateKey);
  return {
    version: IDENTITY_VERSION,
    address: getAddress(address),
    privateKey,
    publicKey,
    publicKeyHex: bytesToHex(publicKey),
  };
}

/**
 * Asks the wallet to sign the identity message twice and derives the identity key. A wallet that signs the same
 * message differently each time (some smart-contract wallets, passkeys, MPC) would give a different key on every
 * device, so it is refused with {@link NonDeterministicSignerError}.
 *
 * @example
 * ```ts
 * const identity = await deriveIdentityKey({
 *   address: account.address,
 *   signMessage: (message) => walletClient.signMessage({ account, message }),
 * });
 * ```
 */
export async function deriveIdentityKey(signer: MessageSigner): Promise<IdentityKey> {
  const message = identityMessage(signer.address);
  const first = await signer.signMessage(message);
  const second = await signer.signMessage(message);
  if (first.toLowerCase() !== second.toLowerCase()) throw new NonDeterministicSignerError({ address: signer.address });
  return identityKeyFromSignature(signer.address, first);
}

/**
 * Parses a published X25519 public key (the registry's bytes32).
 *
 * @example
 * ```ts
 * const key = parsePublicKey(await troth.read.encryptionKey([member]));
 * ```
 */
export function parsePublicKey(key: Hex, what = "X25519 public key"): Uint8Array {
  if (!isHex(key) || key.length !== 66) throw new InvalidKeyError({ what, reason: "expected 32 bytes" });
  const bytes = hexToBytes(key);
  if (bytes.every((b) => b === 0)) throw new InvalidKeyError({ what, reason: "the zero key is not a key" });
  return bytes;
}
