import { BaseError } from "./base.ts";

/** A write needs an account: pass `account`, or give the client a wallet with one. */
export class AccountNotFoundError extends BaseError {
  override name = "AccountNotFoundError" as const;
  constructor({ action }: { action: string }) {
    super(`${action} needs an account: pass \`account\` or create the Troth client with a wallet that has one.`);
  }
}

/** No Troth deployment is known for the chain: pass the addresses to `createTrothClient`. */
export class DeploymentNotFoundError extends BaseError {
  override name = "DeploymentNotFoundError" as const;
  constructor({ chainId }: { chainId: number }) {
    super(`No Troth deployment is known for chain ${chainId}.`, {
      metaMessages: ["Pass `address` (and `lens`) to createTrothClient, or deploy and run `npm run generate -w sdk`."],
    });
  }
}

/** A member has not published an identity key, so the pod key cannot be wrapped for them. */
export class MissingEncryptionKeyError extends BaseError {
  override name = "MissingEncryptionKeyError" as const;
  readonly member: string;
  constructor({ member }: { member: string }) {
    super(`${member} has not published an identity key.`, {
      metaMessages: ["Each member runs publishIdentityKey once (from any device) before a pod can include them."],
    });
    this.member = member;
  }
}

/** A consent or witness signature is needed from an account no signer was given for. */
export class MissingSignerError extends BaseError {
  override name = "MissingSignerError" as const;
  readonly missing: readonly string[];
  constructor({ missing, what }: { missing: readonly string[]; what: string }) {
    super(`No signer was given for ${what} of ${missing.join(", ")}.`, {
      metaMessages: ["Pass a wallet (or a signature, or an on-chain approval) for every account that must consent."],
    });
    this.missing = missing;
  }
}

/**
 * The pod's current keyring still wraps the key for someone who left. Writing under it would let them read; any
 * active member runs rotateKeyring first.
 */
export class StaleKeyringError extends BaseError {
  override name = "StaleKeyringError" as const;
  constructor({ podId }: { podId: bigint }) {
    super(`The keyring of pod ${podId} still includes a member who left: rotate it before writing.`, {
      metaMessages: ["Call rotateKeyring(client, { podId }) as any active member, then retry."],
    });
  }
}

/**
 * A keyring breaks the pod's key rules, so nothing is read or written under it: it does not follow the keyring it
 * replaced, or it does not wrap the pod key for exactly the pod's readers (every active member; never an outsider, a
 * replaced member or a lost wallet whose seat moved). `reason` says which. Any active member can start a sound key
 * epoch with `rotateKeyring` (a proposed keyring that fails is simply not consented to).
 */
export class InvalidKeyringError extends BaseError {
  override name = "InvalidKeyringError" as const;
  readonly reason: string;
  readonly keyringDigest: string;
  constructor({ podId, keyringDigest, reason }: { podId: bigint; keyringDigest: string; reason: string }) {
    super(`The keyring of pod ${podId} breaks the pod's key rules: ${reason}.`, {
      metaMessages: [
        `Keyring: ${keyringDigest}`,
        "Nothing was read or written under it. An active member can start a sound key epoch: rotateKeyring(client, { podId }).",
      ],
    });
    this.reason = reason;
    this.keyringDigest = keyringDigest;
  }
}

/**
 * A proposed membership change does not do what it says: its new keyring wraps the pod key for other accounts than the
 * members who stay and the newcomer, does not follow the pod's current keyring, or carries another covenant.
 */
export class MembershipChangeMismatchError extends BaseError {
  override name = "MembershipChangeMismatchError" as const;
  readonly reason: string;
  constructor({ podId, reason }: { podId: bigint; reason: string }) {
    super(`The proposed change to pod ${podId} does not match what it says: ${reason}.`, {
      metaMessages: ["Do not consent: ask the proposer to prepare it again."],
    });
    this.reason = reason;
  }
}

/**
 * A proposed amendment does not do what it says: the covenant it carries has another rhythm than the terms the chain
 * would hold, other members, or another number of rounds.
 */
export class AmendmentMismatchError extends BaseError {
  override name = "AmendmentMismatchError" as const;
  readonly reason: string;
  constructor({ podId, reason }: { podId: bigint; reason: string }) {
    super(`The proposed amendment of pod ${podId} does not match what it says: ${reason}.`, {
      metaMessages: ["Do not consent: ask the proposer to prepare it again."],
    });
    this.reason = reason;
  }
}

/** The pod's membership changed (or it paused) between preparing a check-in and submitting it. */
export class PodChangedError extends BaseError {
  override name = "PodChangedError" as const;
  constructor({ podId }: { podId: bigint }) {
    super(`Pod ${podId} changed since this check-in was prepared: prepare it again.`, {
      metaMessages: [
        "Someone joined, left or was replaced, or the pod paused: the report is re-encrypted for who is in the pod now.",
      ],
    });
  }
}

/** No check-in with a report exists for this commitment and round. */
export class ReportNotFoundError extends BaseError {
  override name = "ReportNotFoundError" as const;
  constructor({ tokenId, round }: { tokenId: bigint; round: number }) {
    super(`No check-in was found for commitment ${tokenId}, round ${round}.`);
  }
}

/**
 * Reading the contract's logs failed part-way: the provider kept refusing, rate-limiting or not answering. Everything
 * before `resumeFrom` was read (handed over, or in `logs`); read again from `resumeFrom` to go on.
 */
export class LogQueryError extends BaseError {
  override name: string = "LogQueryError";
  /** The first block not read. */
  readonly resumeFrom: bigint;
  readonly toBlock: bigint;
  /** The logs read before `resumeFrom`, when no handler took them. */
  readonly logs: readonly unknown[];
  readonly reason: string;
  constructor({
    fromBlock,
    toBlock,
    resumeFrom,
    reason,
    cause,
    logs = [],
  }: {
    fromBlock: bigint;
    toBlock: bigint;
    resumeFrom: bigint;
    reason: string;
    cause?: unknown;
    logs?: readonly unknown[];
  }) {
    super(`Reading the chain's logs failed at block ${fromBlock}: ${reason}.`, {
      cause,
      metaMessages: [`Read up to block ${resumeFrom - 1n} of ${toBlock}; try again to go on from there.`],
    });
    this.resumeFrom = resumeFrom;
    this.toBlock = toBlock;
    this.logs = logs;
    this.reason = reason;
  }
}

/**
 * The provider answered `eth_getLogs` with something that cannot be the logs asked for (outside the range, another
 * contract, other topics, removed logs), again and again. Nothing of that range was used.
 */
export class LogResponseError extends LogQueryError {
  override name = "LogResponseError" as const;
  constructor({
    fromBlock,
    toBlock,
    resumeFrom,
    reason,
    logs,
  }: {
    fromBlock: bigint;
    toBlock: bigint;
    resumeFrom: bigint;
    reason: string;
    logs?: readonly unknown[];
  }) {
    super({
      fromBlock,
      toBlock,
      resumeFrom,
      reason: `the provider's answer for blocks ${fromBlock}–${toBlock} is wrong (${reason})`,
      logs,
    });
  }
}

/**
 * The chain's RPC could not be reached, or refused every request (every URL given, when several were). Nothing was
 * read or sent.
 */
export class RpcUnavailableError extends BaseError {
  override name = "RpcUnavailableError" as const;
  readonly urls: readonly string[];
  constructor({ urls, cause }: { urls: readonly string[]; cause?: unknown }) {
    super(
      urls.length > 1
        ? `None of the chain's ${urls.length} RPC endpoints answered.`
        : "The chain's RPC endpoint did not answer.",
      { cause, metaMessages: urls.length ? [`RPC: ${urls.join(", ")}`] : [] },
    );
    this.urls = urls;
  }
}
