/**
 * The signer's key at rest: an Ethereum keystore file (Web3 Secret Storage v3: scrypt, AES-128-CTR, keccak MAC), the
 * format geth, Foundry (`cast wallet`) and ethers read and write, so a key moves between tools. Written with mode 0600.
 * Read with scrypt or PBKDF2-HMAC-SHA-256 (the two key derivations of the definition), after checking every field and
 * refusing a key derivation costlier than {@link KDF_LIMITS}: the file says how hard to work, and a crafted one must not
 * exhaust the machine's memory or CPU.
 */
import {
  createCipheriv,
  createDecipheriv,
  pbkdf2,
  randomBytes,
  randomUUID,
  scrypt,
  timingSafeEqual,
} from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { bytesToHex, getAddress, type Hex, hexToBytes, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { CliError } from "./errors.ts";

/** The keystore file is damaged, or not one troth reads: not JSON, another version, cipher or key derivation, a field
 * missing or malformed, a key for another address than it names. */
export class KeystoreError extends CliError {
  override name = "KeystoreError";
}

/** The keystore asks for a costlier key derivation than {@link KDF_LIMITS} allow; refused before deriving. */
export class KeystoreLimitError extends KeystoreError {
  override name = "KeystoreLimitError";
}

/** The password does not open the keystore: the MAC over the derived key and ciphertext does not match. (A file whose
 * MAC or ciphertext was altered fails the same way: the two cannot be told apart.) */
export class WrongPasswordError extends CliError {
  override name = "WrongPasswordError";
}

export type Keystore = {
  version: 3;
  id: string;
  address: string;
  crypto: {
    cipher: "aes-128-ctr";
    ciphertext: string;
    cipherparams: { iv: string };
    kdf: "scrypt" | "pbkdf2";
    kdfparams: Record<string, number | string>;
    mac: string;
  };
};

/** scrypt cost of new keystores (ethers' default: about half a second, 128 MiB). */
const SCRYPT = { n: 131_072, r: 8, p: 1 };

/**
 * The costliest key derivation troth performs for a keystore, checked before deriving.
 * - scrypt needs 128·n·r bytes of memory and time in proportion to n·r·p. n ≤ 2^18 with r ≤ 8 caps memory at 256 MiB:
 *   geth's standard keystores (n = 2^18, r = 8, p = 1, about a second), the costliest in common use, sit exactly at
 *   it. p ≤ 16 caps the time at 16 times theirs (some seconds, not hours); geth's light keystores use p = 6.
 * - PBKDF2-HMAC-SHA-256 needs no memory and time in proportion to c: 10,000,000 iterations take about two seconds (the
 *   definition's example uses 262,144).
 * - dklen is 32: the definition asks for at least 32, and only the first 32 bytes are used (16 of AES key, 16 of MAC key).
 */
export const KDF_LIMITS = {
  scrypt: { n: 2 ** 18, r: 8, p: 16 },
  pbkdf2: { c: 10_000_000 },
  dklen: 32,
} as const;

/** A keystore is a few hundred bytes; a larger file is not read into memory. */
const MAX_FILE_BYTES = 64 * 1024;

/** How the keystore derives its key from the password: checked, within {@link KDF_LIMITS}. */
export type KdfSpec =
  | { kdf: "scrypt"; salt: Buffer; n: number; r: number; p: number }
  | { kdf: "pbkdf2"; salt: Buffer; c: number };

/** A keystore whose every field was checked: what {@link deriveKey} and {@link openKeystore} take. */
export type CheckedKeystore = { kdf: KdfSpec; iv: Buffer; ciphertext: Buffer; mac: Buffer; address?: string };

function strip(hex: string): string {
  return hex.startsWith("0x") ? hex.slice(2) : hex;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A hex field of `bytes` bytes (or within [min, max]), with or without 0x; anything else is a {@link KeystoreError}. */
function hexField(value: unknown, field: string, file: string, min: number, max = min): Buffer {
  const size = min === max ? `${min} bytes` : `${min} to ${max} bytes`;
  if (typeof value !== "string" || !/^(0x)?([0-9a-fA-F]{2})*$/.test(value)) {
    throw new KeystoreError(`The keystore ${file} is damaged: ${field} is not hex.`);
  }
  const bytes = Buffer.from(strip(value), "hex");
  if (bytes.length < min || bytes.length > max) {
    throw new KeystoreError(`The keystore ${file} is damaged: ${field} is ${bytes.length} bytes, not ${size}.`);
  }
  return bytes;
}

/** A positive whole number from kdfparams. */
function countField(params: Record<string, unknown>, name: string, kdf: string, file: string): number {
  const value = params[name];
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new KeystoreError(`The keystore ${file} is damaged: ${kdf} ${name} is not a positive whole number.`);
  }
  return value;
}

/** A key derivation parameter within its limit, or a {@link KeystoreLimitError} naming both. */
function atMost(value: number, limit: number, name: string, kdf: string, file: string, why: string): void {
  if (value > limit) {
    throw new KeystoreLimitError(
      `The keystore ${file} sets ${kdf} ${name} = ${value}, above troth's limit ${name} ≤ ${limit} (${why}): ` +
        "refused before deriving.",
    );
  }
}

/**
 * Checks every field of a parsed keystore, and that its key derivation is within {@link KDF_LIMITS}, without deriving
 * anything: a damaged or unsupported file is a {@link KeystoreError}, a too costly one a {@link KeystoreLimitError}.
 */
export function checkKeystore(keystore: unknown, file: string): CheckedKeystore {
  if (!isRecord(keystore)) throw new KeystoreError(`${file} is not a keystore (not a JSON object).`);
  if (keystore.version !== 3) {
    throw new KeystoreError(
      `The keystore ${file} is version ${JSON.stringify(keystore.version ?? null)}; troth reads version 3 (Web3 Secret Storage).`,
    );
  }
  // Some older wallets capitalise the key (`Crypto`); geth reads both.
  const crypto = keystore.crypto ?? keystore.Crypto;
  if (!isRecord(crypto)) throw new KeystoreError(`${file} is not a keystore (no crypto section).`);
  if (crypto.cipher !== "aes-128-ctr") {
    throw new KeystoreError(
      `The keystore ${file} uses the cipher ${JSON.stringify(crypto.cipher ?? null)}; troth reads aes-128-ctr.`,
    );
  }
  const iv = hexField(isRecord(crypto.cipherparams) ? crypto.cipherparams.iv : undefined, "the iv", file, 16);
  // A private key is 32 bytes; geth once wrote keys with leading zero bytes dropped (31 or 30 bytes), read padded.
  const ciphertext = hexField(crypto.ciphertext, "the ciphertext", file, 1, 32);
  const mac = hexField(crypto.mac, "the mac", file, 32);
  if (
    keystore.address !== undefined &&
    (typeof keystore.address !== "string" || !/^(0x)?[0-9a-fA-F]{40}$/.test(keystore.address))
  ) {
    throw new KeystoreError(`The keystore ${file} is damaged: the address is not 20 bytes of hex.`);
  }
  const address = keystore.address as string | undefined;

  const kdf = crypto.kdf;
  if (kdf !== "scrypt" && kdf !== "pbkdf2") {
    throw new KeystoreError(
      `The keystore ${file} uses the key derivation ${JSON.stringify(kdf ?? null)}; troth reads scrypt and pbkdf2.`,
    );
  }
  const params = crypto.kdfparams;
  if (!isRecord(params)) throw new KeystoreError(`The keystore ${file} is damaged: it has no kdfparams.`);
  const dklen = countField(params, "dklen", kdf, file);
  if (dklen !== KDF_LIMITS.dklen) {
    throw new KeystoreError(
      `The keystore ${file} sets ${kdf} dklen = ${dklen}; troth reads dklen = ${KDF_LIMITS.dklen} ` +
        "(16 bytes of AES key and 16 of MAC key).",
    );
  }
  const salt = hexField(params.salt, `the ${kdf} salt`, file, 1, 1024);

  if (kdf === "pbkdf2") {
    if (params.prf !== "hmac-sha256") {
      throw new KeystoreError(
        `The keystore ${file} uses pbkdf2 with ${JSON.stringify(params.prf ?? null)}; troth reads pbkdf2 with hmac-sha256.`,
      );
    }
    const c = countField(params, "c", kdf, file);
    atMost(c, KDF_LIMITS.pbkdf2.c, "c", kdf, file, "about two seconds of work");
    return { kdf: { kdf, salt, c }, iv, ciphertext, mac, address };
  }

  const n = countField(params, "n", kdf, file);
  const r = countField(params, "r", kdf, file);
  const p = countField(params, "p", kdf, file);
  atMost(n, KDF_LIMITS.scrypt.n, "n", kdf, file, "2^18; memory is 128·n·r bytes, at most 256 MiB");
  atMost(r, KDF_LIMITS.scrypt.r, "r", kdf, file, "memory is 128·n·r bytes, at most 256 MiB");
  atMost(p, KDF_LIMITS.scrypt.p, "p", kdf, file, "16 times the work of geth's standard keystore");
  if (n < 2 || (n & (n - 1)) !== 0) {
    throw new KeystoreError(`The keystore ${file} is damaged: scrypt n = ${n} is not a power of two above 1.`);
  }
  // RFC 7914 asks for n < 2^(16·r), and OpenSSL (node's scrypt) holds to it; Go's scrypt (geth) and others do not, and
  // the definition's first scrypt example has n = 2^18 with r = 1. Within the limits above only r = 1 can fall foul.
  if (n >= 2 ** (16 * r)) {
    throw new KeystoreError(
      `The keystore ${file} sets scrypt n = ${n} with r = ${r}; troth's scrypt (OpenSSL) needs n < 2^(16·r) = ` +
        `${2 ** (16 * r)} (RFC 7914). Re-encrypt the key with r = 8 (as geth, ethers and Foundry write it).`,
    );
  }
  return { kdf: { kdf, salt, n, r, p }, iv, ciphertext, mac, address };
}

/** Derives the 32-byte key of a checked key derivation from `password` (NFKC-normalised, as ethers does). */
export function deriveKey(spec: KdfSpec, password: string): Promise<Buffer> {
  const secret = password.normalize("NFKC");
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, key: Buffer) => (error ? reject(error) : resolve(key));
    if (spec.kdf === "pbkdf2") {
      pbkdf2(secret, spec.salt, spec.c, KDF_LIMITS.dklen, "sha256", done);
    } else {
      // scrypt's memory: 128·r·n for V, 128·r·p for B; the limits above keep it within 256 MiB and a little.
      const maxmem = 128 * spec.r * (spec.n + spec.p + 2) + 1024 * 1024;
      scrypt(secret, spec.salt, KDF_LIMITS.dklen, { N: spec.n, r: spec.r, p: spec.p, maxmem }, done);
    }
  });
}

/** KECCAK(DK[16..31] ++ ciphertext), the definition's MAC. */
function mac(derived: Buffer, ciphertext: Buffer): Buffer {
  return Buffer.from(keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext]), "bytes"));
}

/**
 * Opens a checked keystore with its derived key: the MAC must match (else {@link WrongPasswordError}), then AES-128-CTR
 * under the first 16 bytes gives the private key, which must be the named address's.
 */
export function openKeystore(keystore: CheckedKeystore, derived: Buffer, file: string): Hex {
  if (!timingSafeEqual(mac(derived, keystore.ciphertext), keystore.mac)) {
    throw new WrongPasswordError(`Wrong password for the keystore ${file}.`);
  }
  const decipher = createDecipheriv("aes-128-ctr", derived.subarray(0, 16), keystore.iv);
  const plain = Buffer.concat([decipher.update(keystore.ciphertext), decipher.final()]);
  const privateKey = bytesToHex(Buffer.concat([Buffer.alloc(32 - plain.length), plain]));
  let address: string;
  try {
    address = privateKeyToAccount(privateKey).address;
  } catch {
    throw new KeystoreError(`The keystore ${file} is damaged: it does not hold a valid private key.`);
  }
  if (keystore.address && getAddress(`0x${strip(keystore.address).toLowerCase()}`) !== address) {
    throw new KeystoreError(`The keystore ${file} holds a key for another address than it names.`);
  }
  return privateKey;
}

/** Encrypts a private key under `password` (scrypt at the cost of {@link SCRYPT} unless told; tests use less). */
export async function encryptKeystore(
  privateKey: Hex,
  password: string,
  cost: { n: number; r: number; p: number } = SCRYPT,
): Promise<Keystore> {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const derived = await deriveKey({ kdf: "scrypt", salt, ...cost }, password);
  const cipher = createCipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(hexToBytes(privateKey)), cipher.final()]);
  return {
    version: 3,
    id: randomUUID(),
    address: strip(privateKeyToAccount(privateKey).address.toLowerCase()),
    crypto: {
      cipher: "aes-128-ctr",
      ciphertext: ciphertext.toString("hex"),
      cipherparams: { iv: iv.toString("hex") },
      kdf: "scrypt",
      kdfparams: { dklen: 32, n: cost.n, r: cost.r, p: cost.p, salt: salt.toString("hex") },
      mac: mac(derived, ciphertext).toString("hex"),
    },
  };
}

/**
 * Decrypts a keystore: a damaged or unsupported file is a {@link KeystoreError} (a too costly one a
 * {@link KeystoreLimitError}, before any work), a wrong password a {@link WrongPasswordError}.
 */
export async function decryptKeystore(keystore: Keystore, password: string, file: string): Promise<Hex> {
  const checked = checkKeystore(keystore, file);
  return openKeystore(checked, await deriveKey(checked.kdf, password), file);
}

/** Reads and checks a keystore file (so a damaged one fails before its password is asked for). */
export async function readKeystore(file: string): Promise<Keystore> {
  let text: string;
  try {
    if ((await stat(file)).size > MAX_FILE_BYTES) {
      throw new KeystoreError(`${file} is not a keystore (larger than ${MAX_FILE_BYTES / 1024} KiB).`);
    }
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new CliError(`No keystore at ${file}: create one with \`troth keys init\`, or set TROTH_PRIVATE_KEY.`);
    }
    throw error;
  }
  let keystore: unknown;
  try {
    keystore = JSON.parse(text);
  } catch {
    throw new KeystoreError(`${file} is not a keystore (not JSON).`);
  }
  checkKeystore(keystore, file);
  return keystore as Keystore;
}

/** Writes the keystore readable by its owner only; refuses to replace one unless `overwrite`. */
export async function writeKeystore(file: string, keystore: Keystore, overwrite: boolean): Promise<void> {
  if (!overwrite && existsSync(file)) {
    throw new CliError(`A keystore exists at ${file} already: pass --force to replace it (its key is then lost).`);
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written aside and renamed: a crash never leaves half a keystore in place of a good one.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(keystore, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}
