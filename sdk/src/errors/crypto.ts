import { BaseError } from "./base.ts";

/**
 * The ciphertext does not open with this key and slot: it was tampered with, encrypted under another key, or bound to
 * another pod, epoch, kind, member or round (a blob replayed into the wrong slot).
 */
export class DecryptionError extends BaseError {
  override name = "DecryptionError" as const;
  constructor({ what, cause }: { what: string; cause?: unknown }) {
    super(`Could not decrypt ${what}: wrong key, wrong slot, or tampered ciphertext.`, { cause });
  }
}

/** The envelope carries a format version this SDK does not know. */
export class UnknownEnvelopeVersionError extends BaseError {
  override name = "UnknownEnvelopeVersionError" as const;
  readonly version: number;
  constructor({ version, known }: { version: number; known: readonly number[] }) {
    super(`Envelope version ${version} is not supported.`, {
      metaMessages: [`Supported versions: ${known.join(", ")}`, "Upgrade @troth/sdk to read newer envelopes."],
    });
    this.version = version;
  }
}

/** The bytes are not a Troth envelope (wrong magic or truncated). */
export class MalformedEnvelopeError extends BaseError {
  override name = "MalformedEnvelopeError" as const;
  constructor({ reason }: { reason: string }) {
    super(`Not a Troth envelope: ${reason}.`);
  }
}

/** The keyring of this epoch holds no wrapped key for the member: they were not in the pod when it was written. */
export class NotARecipientError extends BaseError {
  override name = "NotARecipientError" as const;
  readonly member: string;
  readonly epoch: number;
  constructor({ member, epoch }: { member: string; epoch: number }) {
    super(`${member} holds no key for epoch ${epoch} of this pod.`, {
      metaMessages: [
        "A member reads from the epoch they joined in on; a member who left reads nothing written after they left.",
      ],
    });
    this.member = member;
    this.epoch = epoch;
  }
}

/** The key epoch a document names is not in the pod's keyring chain. */
export class KeyEpochNotFoundError extends BaseError {
  override name = "KeyEpochNotFoundError" as const;
  constructor({ epoch, latest }: { epoch: number; latest: number }) {
    super(`Key epoch ${epoch} is not in this pod's keyring chain (latest is ${latest}).`);
  }
}

/**
 * Signing the identity message twice gave two different signatures, so the identity key would differ on every
 * device and every session. Use a wallet that signs deterministically (RFC 6979 ECDSA).
 */
export class NonDeterministicSignerError extends BaseError {
  override name = "NonDeterministicSignerError" as const;
  constructor({ address }: { address: string }) {
    super(`The wallet of ${address} does not sign deterministically, so it cannot hold a Troth identity key.`, {
      metaMessages: [
        "Signing the same message twice gave different signatures.",
        "Use a wallet that signs with RFC 6979 ECDSA (MetaMask, most browser and hardware wallets, a private key).",
        "Smart-contract wallets, passkeys and MPC wallets may sign differently each time.",
      ],
    });
  }
}

/** A key has the wrong length or is not a valid X25519 public key. */
export class InvalidKeyError extends BaseError {
  override name = "InvalidKeyError" as const;
  constructor({ what, reason }: { what: string; reason: string }) {
    super(`Invalid ${what}: ${reason}.`);
  }
}
