import {
  InvalidKeyringError,
  LogQueryError,
  MissingEncryptionKeyError,
  RpcUnavailableError,
  BaseError as SdkBaseError,
} from "@troth/sdk";
import {
  AllStoresFailedError,
  BlobNotFoundError,
  BlobTooLargeError,
  IntegrityError,
  PinningError,
  ReadOnlyStoreError,
  StorageAuthError,
  StoreRequestError,
  StoreUnreachableError,
} from "@troth/sdk/storage";
import {
  HttpRequestError,
  RpcRequestError,
  TimeoutError,
  UserRejectedRequestError,
  BaseError as ViemBaseError,
} from "viem";

/**
 * One sentence, in plain words, for anything that can go wrong; and whether what the member wrote is safe. The SDK's
 * errors already carry a human `shortMessage` (contract custom errors decoded by name); this adds what to do next.
 */
export type PlainError = {
  title: string;
  detail?: string;
  /** `rule`: a protocol rule (its detail is the error's name, for debugging); `advice`: the detail says what to do. */
  kind: "rejected" | "storage" | "network" | "rule" | "advice" | "unknown";
};

/** Every error in the `cause` chain, outermost first (the SDK's and viem's `BaseError.walk` follow the same links). */
function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let e = error;
  while (e && typeof e === "object" && out.length < 12) {
    out.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: any error class, whatever its constructor takes
type ErrorClass<T> = abstract new (...args: any[]) => T;

/** The first error in the chain that is an instance of one of `classes` (subclasses included). */
function find<T>(errors: unknown[], ...classes: ErrorClass<T>[]): T | undefined {
  return errors.find((e) => classes.some((c) => e instanceof c)) as T | undefined;
}

/** Friendlier words for the protocol rules a member meets in ordinary use. */
const ruleWords: Record<string, string> = {
  CheckInRoundNotOpen: "This round isn't open for a check-in right now: it has closed, or hasn't opened yet.",
  CheckInAlreadyReported: "You have already checked in for this round.",
  CheckInNotPending:
    "This check-in isn't waiting for witnesses any more (it may already be witnessed, or its round has closed).",
  WitnessSelf: "You can't witness your own check-in; a partner witnesses it.",
  WitnessDuplicate: "This partner has already witnessed this check-in.",
  WitnessNotMember: "Only active members of this pod can witness.",
  WitnessInactive: "Only active members of this pod can witness.",
  PodIsPaused: "The pod is paused: check-ins wait until everyone agrees to resume.",
  PodNotLive: "This pod has ended.",
  PodNotMember: "This account isn't an active member of the pod.",
  CommitmentNotOwner: "This account doesn't hold that commitment. Is the right account selected in your wallet?",
  RestartWithoutMiss: "There's no missed round to begin again from. You're on track.",
  ConsentExpired: "The time to sign this has passed. Prepare it again and ask everyone to sign the new one.",
  PodAlreadyExists: "This covenant has already created its pod.",
  PodStartInPast:
    "This covenant's start is more than an hour past: gathering everyone's signatures took longer. Prepare it again; the new start is now.",
  PodNotEnded: "The pod's last round hasn't closed yet, so it can't be renewed.",
  PodNotRenewable: "Everyone in a renewal must have been in the pod when it ended.",
  PodAlreadyRenewed: "This pod has been renewed already with this partner: a pod renews once.",
  PodAlreadyMember: "That account is, or was, a member of this pod.",
  ClaimPending: "A request about this partner's seat is already open. It must finish or be cancelled first.",
  ClaimNotFound: "There is no open request about this seat (it may have been cancelled by its holder).",
  ClaimWindowOpen: "The waiting time isn't over yet: the holder can still answer. Come back when the countdown ends.",
  ClaimStale:
    "The pod's keys changed since this request was made, so it no longer fits the pod. Make the request again.",
  ClaimMemberNotAbsent:
    "This partner has checked in, or begun again, in the last two rounds: replacing them needs their own agreement.",
  ClaimPodTooSmall:
    "A pod of two changes only with both partners' agreement (and a recovery needs a partner still in the pod).",
};

export function plainError(error: unknown): PlainError {
  const errors = chain(error);
  // EIP-1193 4001 comes from wallets that don't go through viem's classes: a code, which is data.
  if (
    find(errors, UserRejectedRequestError) ||
    errors.some((e) => (e as { code?: unknown }).code === UserRejectedRequestError.code)
  ) {
    return { kind: "rejected", title: "You declined in your wallet. Nothing was sent, and nothing you wrote is lost." };
  }
  // Rule words are keyed by the decoded contract error's name: data carried on the error, not the class's name. The
  // SDK error carrying `errorName` is TrothContractError; importing that class would put the SDK's table of contract
  // messages (7 KB gzip) into the first load, so it is recognised as the SDK error that carries the decoded name.
  const contract = errors.find(
    (e): e is SdkBaseError & { errorName: string } =>
      e instanceof SdkBaseError && typeof (e as { errorName?: unknown }).errorName === "string",
  );
  if (contract) {
    return {
      kind: "rule",
      title: ruleWords[contract.errorName] ?? contract.shortMessage ?? contract.errorName,
      detail: contract.errorName,
    };
  }
  const missingKey = find(errors, MissingEncryptionKeyError);
  if (missingKey) {
    return {
      kind: "advice",
      title: `${missingKey.member || "A partner"} hasn't set up Troth yet, so nothing can be encrypted for them.`,
      detail:
        "Send them an invitation link: they connect their wallet and publish their encryption key (one step, once). What you wrote is kept, encrypted, on this device meanwhile.",
    };
  }
  const keyring = find(errors, InvalidKeyringError);
  if (keyring) {
    return {
      kind: "advice",
      title: "This pod's keys don't follow the pod's rules, so nothing was read or written under them.",
      detail: `${keyring.reason}. Any member can start fresh keys from "Pause, change or leave" (renew the pod's key).`,
    };
  }
  const refused = find(errors, StorageAuthError);
  if (refused) {
    return {
      kind: "storage",
      title: "Your storage refused this app's access: check its token (or user name and password) in Settings.",
      detail: `${refused.shortMessage} Your words are kept, encrypted, on this device; try again once it's set.`,
    };
  }
  const tooLarge = find(errors, BlobTooLargeError);
  if (tooLarge) {
    return {
      kind: "storage",
      title: "This is too large for the encrypted storage to take.",
      detail: `${tooLarge.shortMessage} Shorten it and try again; your words are kept, encrypted, on this device.`,
    };
  }
  const storage = find<Error & { shortMessage?: string }>(
    errors,
    StoreRequestError,
    StoreUnreachableError,
    AllStoresFailedError,
    PinningError,
    BlobNotFoundError,
    IntegrityError,
    ReadOnlyStoreError,
  );
  if (storage) {
    return {
      kind: "storage",
      title: "The encrypted storage (IPFS) can't be reached right now.",
      detail: `${storage.shortMessage ?? storage.message} Your words are kept, encrypted, on this device; try again when it's back.`,
    };
  }
  // A bare failed `fetch` is a TypeError, with no class of its own.
  if (
    find<Error>(errors, RpcUnavailableError, LogQueryError, HttpRequestError, TimeoutError, RpcRequestError) ||
    errors.some((e) => e instanceof TypeError && /fetch/i.test(e.message))
  ) {
    return {
      kind: "network",
      title: "The network node can't be reached right now.",
      detail: "Nothing was lost: what you wrote is kept, encrypted, on this device. Try again in a moment.",
    };
  }
  const described = find<{ shortMessage: string }>(errors, SdkBaseError, ViemBaseError);
  const first = errors[0] as { message?: unknown } | undefined;
  return {
    kind: "unknown",
    title:
      described?.shortMessage ?? (typeof first?.message === "string" ? first.message : String(error)).split("\n")[0],
  };
}
