import { secp256k1 } from "@noble/curves/secp256k1.js";
import { type Hex, hashMessage, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  COVENANT_BOUNDARY,
  DecryptionError,
  DocumentValidationError,
  decodeKeyring,
  deriveIdentityKey,
  ENVELOPE_VERSION,
  type EnvelopeSlot,
  encodeKeyring,
  generateContentKey,
  InvalidKeyError,
  identityKeyFromSignature,
  identityMessage,
  keyringVersion,
  ListeningRuleError,
  MalformedEnvelopeError,
  NonDeterministicSignerError,
  NotARecipientError,
  openDocument,
  openEnvelope,
  openGrant,
  openKeyring,
  type ReportDocument,
  readEnvelopeHeader,
  sealDocument,
  sealEnvelope,
  sealGrants,
  sealKeyring,
  UnknownEnvelopeVersionError,
  validateDocument,
} from "../src/crypto/index.ts";

const keys = [1, 2, 3].map((i) => privateKeyToAccount(keccak256(toHex(`troth test key ${i}`))));

async function identityOf(account: (typeof keys)[number]) {
  return deriveIdentityKey({ address: account.address, signMessage: (message) => account.signMessage({ message }) });
}

const pod = keccak256(toHex("pod salt"));
const slot: EnvelopeSlot = { pod, epoch: 0, kind: "report", member: 1, round: 3 };
const report: ReportDocument = {
  type: "troth/report",
  version: 1,
  said: "Run three times this week",
  blocked: "Rain on Tuesday",
  next: "Swap Tuesday for Thursday",
};

describe("identity key", () => {
  it("is the same on every derivation with a deterministic (RFC 6979) signer", async () => {
    const a = await identityOf(keys[0]);
    const b = await identityOf(keys[0]);
    expect(a.publicKeyHex).to.equal(b.publicKeyHex);
    expect(a.publicKey.length).to.equal(32);
    expect(a.address).to.equal(keys[0].address);
    const other = await identityOf(keys[1]);
    expect(other.publicKeyHex).not.to.equal(a.publicKeyHex);
  });

  it("is bound to the versioned message naming the account", () => {
    const message = identityMessage(keys[0].address);
    expect(message.startsWith("Troth identity key, version 1")).to.equal(true);
    expect(message.endsWith(`Account: ${keys[0].address}`)).to.equal(true);
  });

  it("refuses a wallet that signs the same message differently each time", async () => {
    const secret = keccak256(toHex("randomized signer"));
    const address = privateKeyToAccount(secret).address;
    // Real ECDSA with fresh entropy in k (as some MPC and smart-contract wallets behave): valid, but not repeatable.
    const signMessage = async (message: string) => {
      const sig = secp256k1.sign(
        Buffer.from(hashMessage(message).slice(2), "hex"),
        Buffer.from(secret.slice(2), "hex"),
        {
          extraEntropy: true,
          prehash: false,
          format: "recovered",
        },
      );
      return toHex(sig) as Hex;
    };
    await expect(deriveIdentityKey({ address, signMessage })).rejects.toBeInstanceOf(NonDeterministicSignerError);
  });

  it("rejects a malformed signature", () => {
    expect(() => identityKeyFromSignature(keys[0].address, "0x1234")).toThrow(InvalidKeyError);
  });
});

describe("envelope", () => {
  const key = generateContentKey();
  const plaintext = new TextEncoder().encode("hello pod");

  it("round-trips and carries magic, version and epoch in its header", () => {
    const sealed = sealEnvelope(key, { ...slot, epoch: 7 }, plaintext);
    expect(new TextDecoder().decode(sealed.subarray(0, 4))).to.equal("TRTH");
    expect(readEnvelopeHeader(sealed)).to.deep.equal({ version: ENVELOPE_VERSION, epoch: 7 });
    expect(new TextDecoder().decode(openEnvelope(key, { ...slot, epoch: 7 }, sealed))).to.equal("hello pod");
  });

  it("rejects tampered ciphertext", () => {
    const sealed = sealEnvelope(key, slot, plaintext);
    sealed[sealed.length - 20] ^= 0x80;
    expect(() => openEnvelope(key, slot, sealed)).toThrow(DecryptionError);
  });

  it("rejects a tampered header (the epoch is bound as associated data)", () => {
    const sealed = sealEnvelope(key, slot, plaintext);
    sealed[8] = 1;
    expect(() => openEnvelope(key, { ...slot, epoch: 1 }, sealed)).toThrow(DecryptionError);
  });

  it("rejects the wrong key", () => {
    const sealed = sealEnvelope(key, slot, plaintext);
    expect(() => openEnvelope(generateContentKey(), slot, sealed)).toThrow(DecryptionError);
  });

  it("cannot be replayed into another slot (pod, epoch, kind, member or round)", () => {
    const sealed = sealEnvelope(key, slot, plaintext);
    for (const other of [
      { ...slot, pod: keccak256(toHex("other pod")) },
      { ...slot, epoch: 1 },
      { ...slot, kind: "reply" as const },
      { ...slot, member: 2 },
      { ...slot, round: 4 },
    ]) {
      expect(() => openEnvelope(key, other, sealed)).toThrow(DecryptionError);
    }
  });

  it("rejects an unknown version and a non-envelope with typed errors", () => {
    const sealed = sealEnvelope(key, slot, plaintext);
    sealed[4] = 9;
    expect(() => openEnvelope(key, slot, sealed)).toThrow(UnknownEnvelopeVersionError);
    expect(() => openEnvelope(key, slot, new TextEncoder().encode("{}"))).toThrow(MalformedEnvelopeError);
    expect(() => openEnvelope(key, slot, sealEnvelope(key, slot, plaintext).subarray(0, 30))).toThrow(
      MalformedEnvelopeError,
    );
  });

  it("rejects a content key of the wrong size", () => {
    expect(() => sealEnvelope(new Uint8Array(16), slot, plaintext)).toThrow(InvalidKeyError);
  });
});

describe("keyring", () => {
  it("wraps the epoch key for each member, and only for them", async () => {
    const [a, b, outsider] = await Promise.all(keys.map(identityOf));
    const contentKey = generateContentKey();
    const keyring = sealKeyring({
      pod,
      epoch: 0,
      previous: null,
      contentKey,
      recipients: [a, b].map((id) => ({ member: id.address, publicKey: id.publicKeyHex })),
    });
    const stored = decodeKeyring(encodeKeyring(keyring));
    expect(openKeyring(stored, a)).to.deep.equal(contentKey);
    expect(openKeyring(stored, b)).to.deep.equal(contentKey);
    expect(() => openKeyring(stored, outsider)).toThrow(NotARecipientError);
    // An outsider who copies a member's entry under their own address still cannot unwrap it.
    const forged = { ...stored, recipients: [{ ...stored.recipients[0], member: outsider.address }] };
    expect(() => openKeyring(forged, outsider)).toThrow(DecryptionError);
  });

  it("reads versions 1 (no covenant), 2 (a covenant digest) and 3 (grants); refuses an unknown version by name", async () => {
    const a = await identityOf(keys[0]);
    const contentKey = generateContentKey();
    const v1 = sealKeyring({
      pod,
      epoch: 1,
      previous: null,
      contentKey,
      recipients: [{ member: a.address, publicKey: a.publicKeyHex }],
    });
    expect(v1.version).to.equal(1);
    expect(openKeyring(decodeKeyring(encodeKeyring(v1)), a)).to.deep.equal(contentKey);
    const covenant = `0x${"ab".repeat(32)}` as Hex;
    const v2 = decodeKeyring(encodeKeyring({ ...v1, version: 2, covenant }));
    expect([v2.version, v2.covenant]).to.deep.equal([2, covenant]);
    expect(openKeyring(v2, a)).to.deep.equal(contentKey);
    const bytes = (value: object) => new TextEncoder().encode(JSON.stringify(value));
    // Version 1 has no covenant field; version 2 requires it; a newer version asks for an upgrade.
    expect(() => decodeKeyring(bytes({ ...v1, covenant }))).toThrow(/covenant: is not a known field/);
    expect(() => decodeKeyring(bytes({ ...v1, version: 2 }))).toThrow(DocumentValidationError);
    expect(() => decodeKeyring(bytes({ ...v1, version: 3 }))).toThrow(/grants: expected an array/);
    expect(() => decodeKeyring(bytes({ ...v1, version: 4 }))).toThrow(
      /version 4 is not supported \(known: 1, 2, 3\).*upgrade @troth\/sdk/,
    );
  });

  it("grants earlier epochs' keys to a recovered seat's new address, bound to their own epoch, for it alone", async () => {
    const [a, newAddress, outsider] = await Promise.all(keys.map(identityOf));
    const epoch0 = generateContentKey();
    const epoch1 = generateContentKey();
    const grants = sealGrants({
      pod,
      keys: [
        { epoch: 0, contentKey: epoch0 },
        { epoch: 1, contentKey: epoch1 },
      ],
      member: newAddress.address,
      publicKey: newAddress.publicKeyHex,
    });
    const recovery = {
      ...sealKeyring({
        pod,
        epoch: 2,
        previous: keccak256(toHex("epoch 1")),
        contentKey: generateContentKey(),
        recipients: [a, newAddress].map((id) => ({ member: id.address, publicKey: id.publicKeyHex })),
      }),
      grants,
    };
    expect(keyringVersion(recovery)).to.equal(3);
    expect(keyringVersion({ covenant: recovery.previous as Hex })).to.equal(2);
    expect(keyringVersion({})).to.equal(1);
    const stored = decodeKeyring(encodeKeyring({ ...recovery, version: 3 }));
    expect(stored.grants?.map((g) => g.epoch)).to.deep.equal([0, 1]);
    expect(openGrant(stored, 0, newAddress)).to.deep.equal(epoch0);
    expect(openGrant(stored, 1, newAddress)).to.deep.equal(epoch1);
    // Nothing granted for another epoch or to anyone else; a grant relabelled for another epoch does not open.
    expect(openGrant(stored, 2, newAddress)).to.equal(undefined);
    expect(openGrant(stored, 0, outsider)).to.equal(undefined);
    const relabelled = { ...stored, grants: [{ ...grants[0], epoch: 1 }] };
    expect(() => openGrant(relabelled, 1, newAddress)).toThrow(DecryptionError);
    const stolen = { ...stored, grants: [{ ...grants[0], member: outsider.address }] };
    expect(() => openGrant(stolen, 0, outsider)).toThrow(DecryptionError);
  });

  it("rejects a member without a usable identity key and malformed keyring bytes", async () => {
    const a = await identityOf(keys[0]);
    const recipients = [{ member: a.address, publicKey: `0x${"00".repeat(32)}` as Hex }];
    expect(() => sealKeyring({ pod, epoch: 0, previous: null, contentKey: generateContentKey(), recipients })).toThrow(
      InvalidKeyError,
    );
    expect(() => decodeKeyring(new TextEncoder().encode("not json"))).toThrow(DocumentValidationError);
    expect(() => decodeKeyring(new TextEncoder().encode('{"type":"troth/keyring"}'))).toThrow(DocumentValidationError);
  });
});

describe("documents", () => {
  const key = generateContentKey();

  it("seal and open a report, validated both ways", () => {
    const sealed = sealDocument(report, { key, slot: { ...slot, kind: "report" } });
    expect(openDocument(sealed, { key, slot: { ...slot, kind: "report" } })).to.deep.equal(report);
  });

  it("reject a document that breaks its schema before anything is encrypted", () => {
    expect(() => sealDocument({ ...report, said: "" }, { key, slot: { ...slot, kind: "report" } })).toThrow(
      DocumentValidationError,
    );
    expect(() => validateDocument("report", { ...report, mood: "great" })).toThrow(/mood: is not a known field/);
    expect(() => validateDocument("report", { ...report, next: "x".repeat(2001) })).toThrow(DocumentValidationError);
    const covenant = {
      type: "troth/covenant",
      version: 1,
      title: "Spring pod",
      members: keys.slice(0, 2).map((k) => ({ address: k.address, commitment: "Write daily" })),
      terms: { cadence: 604_800, grace: 172_800, rounds: 13, quorum: 1 },
      whenSomeoneMisses: "We ask what happened and begin again.",
      boundary: COVENANT_BOUNDARY,
    };
    expect(validateDocument("covenant", covenant).title).to.equal("Spring pod");
    expect(() => validateDocument("covenant", { ...covenant, boundary: "Therapy welcome" })).toThrow(
      DocumentValidationError,
    );
    expect(() => validateDocument("covenant", { ...covenant, members: covenant.members.slice(0, 1) })).toThrow(
      /members/,
    );
  });

  it("reject a document that fails its schema after decryption", () => {
    const bogus = sealEnvelope(
      key,
      slot,
      new TextEncoder().encode(JSON.stringify({ type: "troth/report", version: 2 })),
    );
    expect(() => openDocument(bogus, { key, slot: { ...slot, kind: "report" } })).toThrow(DocumentValidationError);
    const notJson = sealEnvelope(key, slot, new TextEncoder().encode("<html>"));
    expect(() => openDocument(notJson, { key, slot: { ...slot, kind: "report" } })).toThrow(DocumentValidationError);
  });

  it("hold a witness reply to the listening rule", () => {
    const from = keys[1].address;
    expect(validateDocument("reply", { type: "troth/reply", version: 1, from, reply: "Thank you" }).reply).to.equal(
      "Thank you",
    );
    expect(
      validateDocument("reply", { type: "troth/reply", version: 1, from, reply: "What did you notice?" }).reply,
    ).to.equal("What did you notice?");
    expect(() =>
      validateDocument("reply", { type: "troth/reply", version: 1, from, reply: "You should try harder" }),
    ).toThrow(ListeningRuleError);
  });
});
