/**
 * One sentence, in plain words, for anything that can go wrong; and whether what the member wrote is safe. The SDK's
 * errors already carry a human `shortMessage` (contract custom errors decoded by name); this adds what to do next.
 */
export type PlainError = {
  title: string;
  detail?: string;
  kind: "rejected" | "storage" | "network" | "rule" | "unknown";
};

type ErrorLike = {
  name?: string;
  message?: string;
  shortMessage?: string;
  code?: number;
  errorName?: string;
  cause?: unknown;
  member?: string;
};

function chain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let e = error as ErrorLike | undefined;
  while (e && typeof e === "object" && out.length < 12) {
    out.push(e);
    e = e.cause as ErrorLike | undefined;
  }
  return out;
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
  const named = (name: string) => errors.find((e) => e.name === name);
  if (errors.some((e) => e.code === 4001 || e.name === "UserRejectedRequestError")) {
    return { kind: "rejected", title: "You declined in your wallet. Nothing was sent, and nothing you wrote is lost." };
  }
  const contract = errors.find((e) => typeof e.errorName === "string");
  if (contract?.errorName) {
    return {
      kind: "rule",
      title: ruleWords[contract.errorName] ?? contract.shortMessage ?? contract.errorName,
      detail: contract.errorName,
    };
  }
  const missingKey = named("MissingEncryptionKeyError");
  if (missingKey) {
    return {
      kind: "rule",
      title: `${missingKey.member ?? "A partner"} hasn't set up Troth yet.`,
      detail: "Ask them to open Troth once and finish the first-run step (it publishes their encryption key).",
    };
  }
  const keyring = named("InvalidKeyringError") as (ErrorLike & { reason?: string }) | undefined;
  if (keyring) {
    return {
      kind: "rule",
      title: "This pod's keys don't follow the pod's rules, so nothing was read or written under them.",
      detail: `${keyring.reason ?? ""}. Any member can start fresh keys from "Pause, change or leave" (renew the pod's key).`,
    };
  }
  const storage = errors.find((e) =>
    /StoreRequestError|BlobNotFoundError|IntegrityError|ReadOnlyStoreError/.test(e.name ?? ""),
  );
  if (storage) {
    return {
      kind: "storage",
      title: "The encrypted storage (IPFS) can't be reached right now.",
      detail: `${storage.shortMessage ?? storage.message ?? ""} Your words are kept, encrypted, on this device; try again when it's back.`,
    };
  }
  if (errors.some((e) => /HttpRequestError|TimeoutError|RpcRequestError|fetch/i.test(`${e.name} ${e.message}`))) {
    return {
      kind: "network",
      title: "The network node can't be reached right now.",
      detail: "Nothing was lost: what you wrote is kept, encrypted, on this device. Try again in a moment.",
    };
  }
  const sdk = errors.find((e) => typeof e.shortMessage === "string");
  return { kind: "unknown", title: sdk?.shortMessage ?? (errors[0]?.message ?? String(error)).split("\n")[0] };
}
