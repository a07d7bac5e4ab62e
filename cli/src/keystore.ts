/**
 * The signer's key at rest: an Ethereum keystore file (Web3 Secret Storage v3: scrypt, AES-128-CTR, keccak MAC), the
 * format geth, Foundry (`cast wallet`) and ethers read and write, so a key moves between tools. Written with mode 0600.
 */
import {
  createCipheriv,
  createDecipheriv,
  pbkdf2Sync,
  randomBytes,
  randomUUID,
  scrypt,
  timingSafeEqual,
} from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { bytesToHex, getAddress, type Hex, hexToBytes, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { CliError } from "./errors.ts";

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

function strip(hex: string): string {
  return hex.startsWith("0x") ? hex.slice(2) : hex;
}

function scryptKey(password: string, salt: Buffer, n: number, r: number, p: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, length, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function mac(derived: Buffer, ciphertext: Buffer): string {
  return strip(keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])));
}

/** Encrypts a private key under `password`. */
export async function encryptKeystore(privateKey: Hex, password: string): Promise<Keystore> {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const derived = await scryptKey(password, salt, SCRYPT.n, SCRYPT.r, SCRYPT.p, 32);
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
      kdfparams: { dklen: 32, n: SCRYPT.n, r: SCRYPT.r, p: SCRYPT.p, salt: salt.toString("hex") },
      mac: mac(derived, ciphertext),
    },
  };
}

/** Decrypts a keystore; a wrong password (the MAC does not match) is a {@link CliError}. */
export async function decryptKeystore(keystore: Keystore, password: string, file: string): Promise<Hex> {
  const { crypto } = keystore;
  if (keystore.version !== 3 || crypto?.cipher !== "aes-128-ctr") {
    throw new CliError(`${file} is not a version 3 keystore with aes-128-ctr.`);
  }
  const params = crypto.kdfparams;
  const salt = Buffer.from(String(params.salt), "hex");
  const length = Number(params.dklen);
  let derived: Buffer;
  if (crypto.kdf === "scrypt") {
    derived = await scryptKey(password, salt, Number(params.n), Number(params.r), Number(params.p), length);
  } else if (crypto.kdf === "pbkdf2" && params.prf === "hmac-sha256") {
    derived = pbkdf2Sync(password.normalize("NFKC"), salt, Number(params.c), length, "sha256");
  } else {
    throw new CliError(`${file} uses the key derivation "${crypto.kdf}", which troth does not read.`);
  }
  const ciphertext = Buffer.from(crypto.ciphertext, "hex");
  const expected = Buffer.from(mac(derived, ciphertext), "hex");
  if (!timingSafeEqual(expected, Buffer.from(strip(crypto.mac), "hex"))) {
    throw new CliError(`Wrong password for the keystore ${file}.`);
  }
  const decipher = createDecipheriv("aes-128-ctr", derived.subarray(0, 16), Buffer.from(crypto.cipherparams.iv, "hex"));
  const privateKey = bytesToHex(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  if (keystore.address && getAddress(`0x${strip(keystore.address)}`) !== privateKeyToAccount(privateKey).address) {
    throw new CliError(`The keystore ${file} holds a key for another address than it names.`);
  }
  return privateKey;
}

export async function readKeystore(file: string): Promise<Keystore> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new CliError(`No keystore at ${file}: create one with \`troth keys init\`, or set TROTH_PRIVATE_KEY.`);
    }
    throw error;
  }
  try {
    return JSON.parse(text) as Keystore;
  } catch {
    throw new CliError(`${file} is not a keystore (not JSON).`);
  }
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
