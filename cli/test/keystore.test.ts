/**
 * The keystore without a chain: the Web3 Secret Storage Definition's test vectors, a round trip through the file the
 * CLI writes, a wrong password, damaged files, key derivations too costly to attempt, and the password prompt's
 * keystrokes (a pure function, so no terminal is needed).
 */
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Hex } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { CliError } from "../src/errors.ts";
import {
  checkKeystore,
  decryptKeystore,
  deriveKey,
  encryptKeystore,
  KDF_LIMITS,
  type Keystore,
  KeystoreError,
  KeystoreLimitError,
  openKeystore,
  readKeystore,
  WrongPasswordError,
  writeKeystore,
} from "../src/keystore.ts";
import { EMPTY_ENTRY, type PasswordEntry, type PasswordStep, settleEscape, typePassword } from "../src/prompt.ts";

// The Web3 Secret Storage Definition's test vectors (once the ethereum wiki page, now
// https://ethereum.org/developers/docs/data-structures-and-encoding/web3-secret-storage/#test-vectors):
// password "testpassword", secret 7a28b5ba…fe9d, address 008aeeda…786b.
const PASSWORD = "testpassword";
const SECRET: Hex = "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";
const ADDRESS = "0x008AeEda4D805471dF9b2A5B0f38A0C3bCBA786b";

/** The PBKDF2-SHA-256 vector, with its published derived key. */
const PBKDF2_VECTOR = {
  crypto: {
    cipher: "aes-128-ctr",
    cipherparams: { iv: "6087dab2f9fdbbfaddc31a909735c1e6" },
    ciphertext: "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
    kdf: "pbkdf2",
    kdfparams: {
      c: 262144,
      dklen: 32,
      prf: "hmac-sha256",
      salt: "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd",
    },
    mac: "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2",
  },
  id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  version: 3,
};
const PBKDF2_DERIVED = "f06d69cdc7da0faffb1008270bca38f5e31891a3a773950e6d0fea48a7188551";

/** The scrypt vector as published today (n = 2^18, r = 8, p = 1; ethereum-org-website PR #10825, 2023). */
const SCRYPT_VECTOR = {
  crypto: {
    cipher: "aes-128-ctr",
    cipherparams: { iv: "740770fce12ce862af21264dab25f1da" },
    ciphertext: "dd8a1132cf57db67c038c6763afe2cbe6ea1949a86abc5843f8ca656ebbb1ea2",
    kdf: "scrypt",
    kdfparams: {
      dklen: 32,
      n: 262144,
      p: 1,
      r: 8,
      salt: "25710c2ccd7c610b24d068af83b959b7a0e5f40641f0c82daeb1345766191034",
    },
    mac: "337aeb86505d2d0bb620effe57f18381377d67d76dac1090626aa5cd20886a7c",
  },
  id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  version: 3,
};
const SCRYPT_DERIVED = "7446f59ecc301d2d79bc3302650d8a5cedc185ccbb4bf3ca1ebd2c163eaa6c2d";

/** The scrypt vector as the wiki first published it (n = 2^18, r = 1, p = 8), still in go-ethereum's
 * accounts/keystore/testdata/v3_test_vector.json ("wikipage_test_vector_scrypt"), with its published derived key. */
const WIKI_SCRYPT_VECTOR = {
  crypto: {
    cipher: "aes-128-ctr",
    cipherparams: { iv: "83dbcc02d8ccb40e466191a123791e0e" },
    ciphertext: "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
    kdf: "scrypt",
    kdfparams: {
      dklen: 32,
      n: 262144,
      r: 1,
      p: 8,
      salt: "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19",
    },
    mac: "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097",
  },
  id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  version: 3,
};
const WIKI_SCRYPT_DERIVED = "fac192ceb5fd772906bea3e118a69e8bbb5cc24229e20d8766fd298291bba6bd";

/** go-ethereum's "31_byte_key" vector (same file): a key geth once wrote without its leading zero byte. */
const GETH_31_BYTE_VECTOR = {
  crypto: {
    cipher: "aes-128-ctr",
    cipherparams: { iv: "e0c41130a323adc1446fc82f724bca2f" },
    ciphertext: "9517cd5bdbe69076f9bf5057248c6c050141e970efa36ce53692d5d59a3984",
    kdf: "scrypt",
    kdfparams: {
      dklen: 32,
      n: 2,
      r: 8,
      p: 1,
      salt: "711f816911c92d649fb4c84b047915679933555030b3552c1212609b38208c63",
    },
    mac: "d5e116151c6aa71470e67a7d42c9620c75c4d23229847dcc127794f0732b0db5",
  },
  id: "fecfc4ce-e956-48fd-953b-30f8b52ed66c",
  version: 3,
};

const asKeystore = (value: unknown) => value as Keystore;

describe("the Web3 Secret Storage Definition's test vectors", () => {
  it("PBKDF2-SHA-256: derives the published key and decrypts the secret", async () => {
    const checked = checkKeystore(PBKDF2_VECTOR, "pbkdf2.json");
    expect((await deriveKey(checked.kdf, PASSWORD)).toString("hex")).to.equal(PBKDF2_DERIVED);
    expect(await decryptKeystore(asKeystore(PBKDF2_VECTOR), PASSWORD, "pbkdf2.json")).to.equal(SECRET);
    for (const address of [ADDRESS.slice(2).toLowerCase(), ADDRESS]) {
      const named = { ...PBKDF2_VECTOR, address };
      expect(await decryptKeystore(asKeystore(named), PASSWORD, "pbkdf2.json")).to.equal(SECRET);
    }
  });

  it("scrypt as published today: its MAC and cipher agree with its derived key, which scrypt over its salt's hex text gives", async () => {
    const checked = checkKeystore(SCRYPT_VECTOR, "scrypt.json");
    // The MAC and AES half of the vector holds: its published derived key opens it.
    expect(openKeystore(checked, Buffer.from(SCRYPT_DERIVED, "hex"), "scrypt.json")).to.equal(SECRET);
    // But that key is scrypt over the salt's 64 hex characters as text, not over the 32 bytes they spell (what the
    // definition says, and geth, ethers and Foundry do), so the file does not open with its own password. Over the
    // text it is a known answer for troth's scrypt at geth's standard cost (n = 2^18, r = 8, p = 1).
    const asText = { ...checked.kdf, salt: Buffer.from(SCRYPT_VECTOR.crypto.kdfparams.salt, "utf8") };
    expect((await deriveKey(asText, PASSWORD)).toString("hex")).to.equal(SCRYPT_DERIVED);
    await expect(decryptKeystore(asKeystore(SCRYPT_VECTOR), PASSWORD, "scrypt.json")).rejects.toThrow(
      WrongPasswordError,
    );
  });

  it("scrypt as the wiki first published it: r = 1 is refused with the reason; its published derived key opens it", async () => {
    // n = 2^18 with r = 1 breaks RFC 7914's n < 2^(16·r), which OpenSSL (node's scrypt) enforces.
    await expect(decryptKeystore(asKeystore(WIKI_SCRYPT_VECTOR), PASSWORD, "wiki.json")).rejects.toThrow(
      /^The keystore wiki\.json sets scrypt n = 262144 with r = 1; .*n < 2\^\(16·r\) = 65536 \(RFC 7914\)/,
    );
    // Its MAC and AES half, given its published derived key, gives the secret (r only matters to the derivation).
    const params = { ...WIKI_SCRYPT_VECTOR.crypto.kdfparams, r: 8 };
    const checked = checkKeystore(
      { ...WIKI_SCRYPT_VECTOR, crypto: { ...WIKI_SCRYPT_VECTOR.crypto, kdfparams: params } },
      "wiki.json",
    );
    expect(openKeystore(checked, Buffer.from(WIKI_SCRYPT_DERIVED, "hex"), "wiki.json")).to.equal(SECRET);
  });

  it("go-ethereum's 31-byte key: read padded to 32 bytes, as geth does", async () => {
    expect(await decryptKeystore(asKeystore(GETH_31_BYTE_VECTOR), "foo", "geth.json")).to.equal(
      "0x00fa7b3db73dc7dfdf8c5fbdb796d741e4488628c41fc4febd9160a866ba0f35",
    );
  });
});

const work = mkdtempSync(path.join(tmpdir(), "troth-keystore-"));
afterAll(() => rm(work, { recursive: true, force: true }));

/** A keystore of `key` at a low scrypt cost (n = 2^10), so that damaged copies fail or open quickly. */
const KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const cheap = () => encryptKeystore(KEY, "pass phrase", { n: 1024, r: 8, p: 1 });

// biome-ignore lint/suspicious/noExplicitAny: a keystore's JSON, damaged field by field
type Json = Record<string, any>;

/** A copy of `keystore` with `change` applied to a deep clone. */
function damaged(keystore: Keystore, change: (copy: Json) => void): Keystore {
  const copy = structuredClone(keystore) as unknown as Json;
  change(copy);
  return copy as unknown as Keystore;
}

describe("a keystore the CLI writes", () => {
  it("round-trips through its file, readable by its owner only", async () => {
    const file = path.join(work, "sub", "keystore.json");
    const written = await encryptKeystore(KEY, "correct horse battery staple");
    expect(written.crypto.kdfparams).to.include({ n: 131072, r: 8, p: 1, dklen: 32 });
    await writeKeystore(file, written, false);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const read = await readKeystore(file);
    expect(read).to.deep.equal(written);
    expect(await decryptKeystore(read, "correct horse battery staple", file)).to.equal(KEY);
    await expect(writeKeystore(file, written, false)).rejects.toThrow(/A keystore exists at .* already/);
  });

  it("a wrong password is the typed error the CLI has always given", async () => {
    const keystore = await cheap();
    const error = await decryptKeystore(keystore, "pass phrase!", "k.json").catch((e) => e);
    expect(error).to.be.instanceOf(WrongPasswordError);
    expect(error).to.be.instanceOf(CliError);
    expect(error.message).to.equal("Wrong password for the keystore k.json.");
    expect(await decryptKeystore(keystore, "pass phrase", "k.json")).to.equal(KEY);
  });

  it("reads pbkdf2 and a capitalised Crypto section, as geth does", async () => {
    const keystore = await cheap();
    const capitalised = damaged(keystore, (copy) => {
      copy.Crypto = copy.crypto;
      delete copy.crypto;
    });
    expect(await decryptKeystore(capitalised, "pass phrase", "k.json")).to.equal(KEY);
  });
});

describe("a damaged keystore is a clear typed error", () => {
  const file = (name: string, text: string) => {
    const where = path.join(work, name);
    writeFileSync(where, text);
    return where;
  };

  it("a file that is not JSON, not an object, or too large to be a keystore", async () => {
    const notJson = file("not-json.json", "{ version: 3,");
    await expect(readKeystore(notJson)).rejects.toThrow(KeystoreError);
    await expect(readKeystore(notJson)).rejects.toThrow(`${notJson} is not a keystore (not JSON).`);
    await expect(readKeystore(file("array.json", "[]"))).rejects.toThrow(/is not a keystore \(not a JSON object\)/);
    const big = file("big.json", JSON.stringify({ ...PBKDF2_VECTOR, padding: "x".repeat(70_000) }));
    await expect(readKeystore(big)).rejects.toThrow(/is not a keystore \(larger than 64 KiB\)/);
    await expect(readKeystore(path.join(work, "absent.json"))).rejects.toThrow(/^No keystore at .*absent\.json/);
  });

  it("is checked when read, before any password is asked for", async () => {
    const v4 = file("v4.json", JSON.stringify({ ...PBKDF2_VECTOR, version: 4 }));
    await expect(readKeystore(v4)).rejects.toThrow(
      `The keystore ${v4} is version 4; troth reads version 3 (Web3 Secret Storage).`,
    );
    expect(await readKeystore(file("vector.json", JSON.stringify(PBKDF2_VECTOR)))).to.deep.equal(PBKDF2_VECTOR);
  });

  it("another version, cipher or key derivation", async () => {
    const keystore = await cheap();
    const cases: [Keystore, RegExp][] = [
      [damaged(keystore, (c) => delete c.version), /is version null; troth reads version 3/],
      [damaged(keystore, (c) => (c.version = "3")), /is version "3"; troth reads version 3/],
      [damaged(keystore, (c) => delete c.crypto), /is not a keystore \(no crypto section\)/],
      [
        damaged(keystore, (c) => (c.crypto.cipher = "aes-128-cbc")),
        /uses the cipher "aes-128-cbc"; troth reads aes-128-ctr/,
      ],
      [
        damaged(keystore, (c) => (c.crypto.kdf = "argon2id")),
        /uses the key derivation "argon2id"; troth reads scrypt and pbkdf2/,
      ],
      [
        damaged(asKeystore(PBKDF2_VECTOR), (c) => (c.crypto.kdfparams.prf = "hmac-sha512")),
        /uses pbkdf2 with "hmac-sha512"; troth reads pbkdf2 with hmac-sha256/,
      ],
    ];
    for (const [bad, message] of cases) {
      const error = await decryptKeystore(bad, "pass phrase", "k.json").catch((e) => e);
      expect(error, String(message)).to.be.instanceOf(KeystoreError);
      expect(error.message).to.match(/^(The keystore )?k\.json /);
      expect(error.message).to.match(message);
    }
  });

  it("a malformed field", async () => {
    const keystore = await cheap();
    const cases: [Keystore, string][] = [
      [damaged(keystore, (c) => (c.crypto.mac = "zz".repeat(32))), "the mac is not hex"],
      [damaged(keystore, (c) => (c.crypto.mac = c.crypto.mac.slice(2))), "the mac is 31 bytes, not 32 bytes"],
      [damaged(keystore, (c) => delete c.crypto.mac), "the mac is not hex"],
      [damaged(keystore, (c) => (c.crypto.cipherparams.iv = "00")), "the iv is 1 bytes, not 16 bytes"],
      [damaged(keystore, (c) => delete c.crypto.cipherparams), "the iv is not hex"],
      [
        damaged(keystore, (c) => (c.crypto.ciphertext = `${c.crypto.ciphertext}00`)),
        "the ciphertext is 33 bytes, not 1 to 32 bytes",
      ],
      [damaged(keystore, (c) => (c.crypto.ciphertext = "abc")), "the ciphertext is not hex"],
      [damaged(keystore, (c) => (c.crypto.kdfparams.salt = "")), "the scrypt salt is 0 bytes, not 1 to 1024 bytes"],
      [damaged(keystore, (c) => delete c.crypto.kdfparams), "it has no kdfparams"],
      [damaged(keystore, (c) => (c.crypto.kdfparams.n = "1024")), "scrypt n is not a positive whole number"],
      [damaged(keystore, (c) => (c.crypto.kdfparams.r = 0)), "scrypt r is not a positive whole number"],
      [damaged(keystore, (c) => (c.crypto.kdfparams.p = 1.5)), "scrypt p is not a positive whole number"],
      [damaged(keystore, (c) => (c.crypto.kdfparams.n = 1000)), "scrypt n = 1000 is not a power of two above 1"],
      [damaged(keystore, (c) => (c.crypto.kdfparams.n = 1)), "scrypt n = 1 is not a power of two above 1"],
      [damaged(keystore, (c) => (c.address = "not an address")), "the address is not 20 bytes of hex"],
    ];
    for (const [bad, reason] of cases) {
      const error = await decryptKeystore(bad, "pass phrase", "k.json").catch((e) => e);
      expect(error, reason).to.be.instanceOf(KeystoreError);
      expect(error.message).to.equal(`The keystore k.json is damaged: ${reason}.`);
    }
    const dklen = damaged(keystore, (c) => (c.crypto.kdfparams.dklen = 64));
    await expect(decryptKeystore(dklen, "pass phrase", "k.json")).rejects.toThrow(
      "The keystore k.json sets scrypt dklen = 64; troth reads dklen = 32 (16 bytes of AES key and 16 of MAC key).",
    );
  });

  it("an altered MAC or ciphertext fails as a wrong password does (the two cannot be told apart)", async () => {
    const keystore = await cheap();
    const flip = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);
    for (const bad of [
      damaged(keystore, (c) => (c.crypto.mac = flip(c.crypto.mac))),
      damaged(keystore, (c) => (c.crypto.ciphertext = flip(c.crypto.ciphertext))),
      damaged(keystore, (c) => (c.crypto.kdfparams.salt = flip(c.crypto.kdfparams.salt))),
    ]) {
      await expect(decryptKeystore(bad, "pass phrase", "k.json")).rejects.toThrow(WrongPasswordError);
    }
  });

  it("a key for another address than the file names", async () => {
    const other = damaged(await cheap(), (c) => (c.address = ADDRESS.slice(2)));
    const error = await decryptKeystore(other, "pass phrase", "k.json").catch((e) => e);
    expect(error).to.be.instanceOf(KeystoreError);
    expect(error.message).to.equal("The keystore k.json holds a key for another address than it names.");
  });
});

describe("a key derivation too costly to attempt is refused before deriving", () => {
  /** The vector with these kdfparams. */
  const scrypt = (params: Record<string, number>) =>
    damaged(asKeystore(SCRYPT_VECTOR), (c) => Object.assign(c.crypto.kdfparams, params));

  it("scrypt n = 2^30 (128 GiB of memory) fails at once, naming n and the limit", async () => {
    const crafted = scrypt({ n: 2 ** 30 });
    const error = await decryptKeystore(crafted, PASSWORD, "crafted.json").catch((e) => e);
    expect(error).to.be.instanceOf(KeystoreLimitError);
    expect(error).to.be.instanceOf(KeystoreError);
    expect(error.message).to.equal(
      "The keystore crafted.json sets scrypt n = 1073741824, above troth's limit n ≤ 262144 " +
        "(2^18; memory is 128·n·r bytes, at most 256 MiB): refused before deriving.",
    );
    // And when read from disk, before the password is asked for.
    const where = path.join(work, "crafted.json");
    writeFileSync(where, JSON.stringify(crafted));
    await expect(readKeystore(where)).rejects.toThrow(KeystoreLimitError);
  });

  it("every parameter past its limit, each named with the limit", async () => {
    const cases: [Keystore, string][] = [
      [scrypt({ n: 2 ** 19 }), "scrypt n = 524288, above troth's limit n ≤ 262144"],
      [scrypt({ n: 2 ** 60 }), "scrypt n = 1152921504606847000, above troth's limit n ≤ 262144"],
      [scrypt({ r: 16 }), "scrypt r = 16, above troth's limit r ≤ 8"],
      [scrypt({ p: 17 }), "scrypt p = 17, above troth's limit p ≤ 16"],
      [
        damaged(asKeystore(PBKDF2_VECTOR), (c) => (c.crypto.kdfparams.c = 20_000_000)),
        "pbkdf2 c = 20000000, above troth's limit c ≤ 10000000",
      ],
    ];
    for (const [bad, reason] of cases) {
      const error = await decryptKeystore(bad, PASSWORD, "k.json").catch((e) => e);
      expect(error, reason).to.be.instanceOf(KeystoreLimitError);
      expect(error.message).to.contain(`The keystore k.json sets ${reason} (`);
    }
  });

  it("the limits are those documented, and geth's standard keystore is within them", () => {
    expect(KDF_LIMITS).to.deep.equal({ scrypt: { n: 262144, r: 8, p: 16 }, pbkdf2: { c: 10_000_000 }, dklen: 32 });
    expect(128 * KDF_LIMITS.scrypt.n * KDF_LIMITS.scrypt.r).to.equal(256 * 1024 * 1024);
    expect(checkKeystore(scrypt({ n: 262144, r: 8, p: 16 }), "k.json").kdf).to.include({ n: 262144, r: 8, p: 16 });
    expect(
      checkKeystore(
        damaged(asKeystore(PBKDF2_VECTOR), (c) => (c.crypto.kdfparams.c = 10_000_000)),
        "k",
      ).kdf,
    ).to.include({ c: 10_000_000 });
  });
});

/** Types `chunks` one after another at a fresh prompt (settling a pending escape where a chunk is `null`). */
function typed(...chunks: (string | Uint8Array | null)[]): PasswordStep {
  let entry: PasswordEntry = EMPTY_ENTRY;
  let step: PasswordStep = { status: "typing", entry };
  for (const chunk of chunks) {
    if (step.status !== "typing") throw new Error("typed past the end of the prompt");
    if (chunk === null) {
      entry = settleEscape(entry);
      step = { status: "typing", entry };
    } else {
      step = typePassword(entry, chunk);
      if (step.status === "typing") entry = step.entry;
    }
  }
  return step;
}

const done = (password: string) => ({ status: "done", password });

describe("the password prompt's keystrokes", () => {
  it("Enter (or Ctrl-D) ends the password; what follows is not read", () => {
    expect(typed("hunter2\r")).to.deep.equal(done("hunter2"));
    expect(typed("hunter2\n")).to.deep.equal(done("hunter2"));
    expect(typed("hunter2\u0004")).to.deep.equal(done("hunter2"));
    expect(typed("a", "b", "c", "\r")).to.deep.equal(done("abc"));
    expect(typed("ab\rcd")).to.deep.equal(done("ab"));
    expect(typed("a b\tc\r")).to.deep.equal(done("a b\tc"));
  });

  it("Ctrl-C aborts, even inside an escape sequence", () => {
    expect(typed("secret\u0003")).to.deep.equal({ status: "aborted" });
    expect(typed("secret\u001b[1;\u0003")).to.deep.equal({ status: "aborted" });
    expect(typed("secret\u001b", "\u0003")).to.deep.equal({ status: "aborted" });
  });

  it("Backspace deletes the last character, Ctrl-U the whole password", () => {
    expect(typed("abc\u007f\u007fd\r")).to.deep.equal(done("ad"));
    expect(typed("abc\b\r")).to.deep.equal(done("ab"));
    expect(typed("\u007f\u007fa\r")).to.deep.equal(done("a"));
    expect(typed("wrong\u0015right\r")).to.deep.equal(done("right"));
  });

  it("arrow keys are ignored, in either cursor mode (CSI and SS3), with modifiers", () => {
    expect(typed("ab\u001b[Acd\u001b[B\u001b[C\u001b[D\r")).to.deep.equal(done("abcd"));
    expect(typed("ab\u001bOAcd\u001bOB\u001bOC\u001bOD\r")).to.deep.equal(done("abcd"));
    expect(typed("ab\u001b[1;5Dcd\u001b[1;2C\r")).to.deep.equal(done("abcd"));
    for (const arrow of ["\u001b[A", "\u001b[B", "\u001b[C", "\u001b[D"]) {
      expect(typed("pass", arrow, "word", "\r")).to.deep.equal(done("password"));
    }
  });

  it("Home, End, Delete, Insert, Page Up/Down and function keys are ignored; Delete does not delete", () => {
    const keys = ["\u001b[H", "\u001b[F", "\u001bOH", "\u001bOF", "\u001b[1~", "\u001b[4~", "\u001b[7~", "\u001b[8~"];
    keys.push(
      "\u001b[3~",
      "\u001b[2~",
      "\u001b[5~",
      "\u001b[6~",
      "\u001bOP",
      "\u001b[15~",
      "\u001b[24~",
      "\u001b[3;5~",
    );
    for (const key of keys) {
      expect(typed(`pass${key}word\r`), JSON.stringify(key)).to.deep.equal(done("password"));
    }
  });

  it("a lone ESC is ignored; so is ESC with one character (Alt-x)", () => {
    expect(typed("ab", "\u001b", null, "cd\r")).to.deep.equal(done("abcd"));
    expect(typed("ab\u001b", null, "[cd\r")).to.deep.equal(done("ab[cd"));
    expect(typed("ab\u001b\r")).to.deep.equal(done("ab"));
    expect(typed("ab\u001b\u001b\u001b", null, "c\r")).to.deep.equal(done("abc"));
    expect(typed("ab\u001bxc\r")).to.deep.equal(done("abc"));
    expect(typed("ab\u001b\u001b[Ac\r")).to.deep.equal(done("abc"));
  });

  it("pasted text keeps its characters and loses its sequences (bracketed paste included)", () => {
    expect(typed("\u001b[200~correct horse\u001b[201~", " battery\r")).to.deep.equal(done("correct horse battery"));
    expect(typed("copy\u001b[D\u001b[Dpaste\u001b[3~d\r")).to.deep.equal(done("copypasted"));
    expect(typed("\u001b]0;title\u0007x\r")).to.deep.equal(done("0;titlex"));
  });

  it("an escape sequence split across chunks is still ignored", () => {
    expect(typed("ab\u001b", "[", "A", "c\r")).to.deep.equal(done("abc"));
    expect(typed("ab\u001b[", "1;5", "D", "c\r")).to.deep.equal(done("abc"));
    expect(typed("ab\u001b", "O", "H", "c\r")).to.deep.equal(done("abc"));
    expect(typed("ab\u001b[3", "~c\r")).to.deep.equal(done("abc"));
    // A sequence left unfinished past the timeout is dropped, and typing resumes.
    expect(typed("ab\u001b[1;", null, "5Dc\r")).to.deep.equal(done("ab5Dc"));
    // Enter inside a sequence still ends the password.
    expect(typed("ab\u001b[1;", "\r")).to.deep.equal(done("ab"));
  });

  it("multibyte UTF-8 characters, whole or split across chunks", () => {
    expect(typed("pässwörd €5 🔑\r")).to.deep.equal(done("pässwörd €5 🔑"));
    const euro = Buffer.from("€", "utf8"); // e2 82 ac
    const key = Buffer.from("🔑", "utf8"); // f0 9f 94 91
    expect(typed(Buffer.from("a"), euro.subarray(0, 1), euro.subarray(1, 2), euro.subarray(2), "b\r")).to.deep.equal(
      done("a€b"),
    );
    expect(typed(key.subarray(0, 3), key.subarray(3), "\r")).to.deep.equal(done("🔑"));
    expect(typed(Buffer.concat([Buffer.from("x"), key.subarray(0, 2)]), key.subarray(2), "\r")).to.deep.equal(
      done("x🔑"),
    );
    // A character cut short by another is dropped; bytes that are not UTF-8 are ignored.
    expect(typed(Buffer.from([0x61, 0xe2, 0x82, 0x62, 0x0d]))).to.deep.equal(done("ab"));
    expect(typed(Buffer.from([0x61, 0xff, 0xc0, 0xaf, 0x62, 0x0d]))).to.deep.equal(done("ab"));
    // C1 controls (U+0080–U+009F, 8-bit CSI among them) are not typed.
    expect(typed("a\u009bb\r")).to.deep.equal(done("ab"));
  });

  it("Backspace deletes a whole character: an emoji, an accented letter however composed", () => {
    expect(typed("ab🔑\u007f\r")).to.deep.equal(done("ab"));
    expect(typed("abé\u007f\r")).to.deep.equal(done("ab"));
    expect(typed("abe\u0301\u007f\r")).to.deep.equal(done("ab"));
    expect(typed("a👩‍👩‍👧\u007f\r")).to.deep.equal(done("a"));
    expect(typed("€€\u007f\r")).to.deep.equal(done("€"));
  });

  it("other control characters are ignored", () => {
    expect(typed("a\u0000b\u0001c\u0007d\u001a\r")).to.deep.equal(done("abcd"));
  });

  it("is a pure function of the entry and the chunk", () => {
    const step = typePassword(EMPTY_ENTRY, "ab\u001b[");
    expect(step).to.deep.equal({ status: "typing", entry: { password: "ab", sequence: "csi", partial: [] } });
    expect(EMPTY_ENTRY).to.deep.equal({ password: "", sequence: "none", partial: [] });
    if (step.status !== "typing") throw new Error("unreachable");
    expect(typePassword(step.entry, "Ac\r")).to.deep.equal(done("abc"));
    expect(typePassword(step.entry, "Ad\r")).to.deep.equal(done("abd"));
  });
});
