import { ContractFunctionRevertedError, decodeErrorResult, type Hex, BaseError as ViemBaseError } from "viem";
import { trothAbi, trothLensAbi } from "../generated/abis.ts";
import { contractErrorNatSpec } from "../generated/errors.ts";
import { BaseError } from "./base.ts";

type AbiErrorName<abi extends readonly { type: string }[]> = Extract<
  abi[number],
  { type: "error"; name: string }
>["name"];

/** Every custom error the Troth contracts (and their lens) can revert with. */
export type TrothContractErrorName = AbiErrorName<typeof trothAbi> | AbiErrorName<typeof trothLensAbi>;

/**
 * A plain message for each contract error, for an app's user: its NatSpec (generated, `contractErrorNatSpec`) is
 * written for developers and names parameters. Keyed by every error the generated NatSpec lists (every custom error of
 * the three ABIs), so a new contract error without a message here fails the type check.
 */
const messages: Record<TrothContractErrorName | keyof typeof contractErrorNatSpec, string> = {
  PodInvalidMemberCount: "A pod has 2 to 8 members (a live pod at most 8 active ones).",
  PodCommitmentCountMismatch: "Members and commitment digests must pair up one to one.",
  PodInvalidMember: "The zero address cannot be a member.",
  PodDuplicateMember: "An address appears twice among the members.",
  PodInvalidCadence: "Cadence must be 1 to 92 days (a quarter).",
  PodInvalidGrace: "Grace must not exceed the cadence.",
  PodInvalidRounds: "A cycle has 1 to 64 rounds.",
  PodInvalidQuorum: "Quorum must be 1 to (members − 1).",
  PodStartInPast:
    "The covenant's start is more than an hour in the past: draft the covenant again (its start is when it is drafted) and ask every member to accept the new one.",
  PodAlreadyExists: "This covenant already created its pod.",
  PodNonexistent: "No pod has this id.",
  PodNonexistentRound: "The pod's cycle has no such round.",
  PodIsPaused: "The pod is paused: nothing can be checked in or witnessed until it resumes.",
  PodNotPaused: "The pod is not paused.",
  PodNotLive: "The pod has ended or dissolved.",
  PodNotEnded: "The pod's last round has not closed yet.",
  PodNotMember: "The account is not an active member of the pod.",
  PodAlreadyMember: "The account is, or was, a member of the pod.",
  PodAmendmentReordersRounds: "Shortening the cadence below the current grace would close rounds out of order.",
  PodNotRenewable: "A renewal's member was not an active member when the previous pod ended.",
  PodAlreadyRenewed: "This member's place in the previous pod was renewed already: a pod renews once per member.",
  ConsentExpired: "The signatures' deadline has passed.",
  ConsentInvalidSignature: "A signer neither signed this digest validly nor approved it on-chain.",
  ConsentWrongSigner:
    "Consent must come from every active member in token order (but the claimed member, for a claim), then the newcomer.",
  ConsentCountMismatch: "The number of consents does not match the number of consenting members.",
  ClaimPending: "A claim already stands on this commitment: it must be completed or cancelled first.",
  ClaimNotFound: "No claim stands on this commitment (none was made, or the member acted and so cancelled it).",
  ClaimWindowOpen: "The claim's objection window is still open: it can be completed only after it closes.",
  ClaimStale:
    "The pod's keyring changed since the claim was made, so its key envelopes no longer follow the pod's: make the claim again.",
  ClaimMemberNotAbsent:
    "The member is not absent (they checked in for one of the last two closed rounds of their span, restarted since, or have not had two closed rounds yet): replacing them needs their consent.",
  ClaimPodTooSmall:
    "Too few active members for this claim: a recovery needs another member to vouch, and the absence rule needs two others besides the absent member.",
  CommitmentNotOwner: "The account does not hold this commitment.",
  CommitmentInactive: "The commitment's holder has left the pod.",
  CheckInRoundNotOpen: "The round is not open (not yet opened, or closed) or lies outside the member's span.",
  CheckInAlreadyReported: "A check-in for this round exists already.",
  CheckInNotPending: "No check-in for this round is waiting for witnesses.",
  CheckInReportMismatch: "The witness attested a different report than the one checked in.",
  WitnessSelf: "A member cannot witness their own check-in.",
  WitnessNotMember: "The witness is not a member of the pod.",
  WitnessInactive: "The witness has left the pod.",
  WitnessDuplicate: "The witness already witnessed this check-in.",
  WitnessInvalidSignature: "The signature is not the witness's over this token, round and report.",
  RestartWithoutMiss: "Restarting needs a missed round since the last restart.",
  CommitmentSoulbound: "Commitments are soulbound: they never move between accounts.",
  CommitmentApprovalDisabled: "Commitments are soulbound: nobody can be approved to move them.",
  CommitmentNotBurnable: "A commitment can be burned only by its holder, after leaving or after the pod ends.",
  KeyRegistryInvalidKey: "The zero key cannot be published as an encryption key.",
  GovernanceNotDelegated: "The governance module runs only inside Troth, never called at its own address.",
  CheckInEmptyReport: "A check-in names its report by the report's digest, which cannot be zero.",
  NoteEmpty: "A note or reply names its document by the document's digest, which cannot be zero.",
  WitnessListMalformed: "The packed witness list is malformed.",
  ERC721NonexistentToken: "No commitment has this token id.",
  ERC721InvalidOwner: "The zero address holds no commitment.",
  ERC721IncorrectOwner: "The account does not hold this commitment.",
  ERC721InsufficientApproval: "Commitments are soulbound: nobody is approved to move them.",
  ERC721InvalidApprover: "Commitments are soulbound: nobody can be approved to move them.",
  ERC721InvalidOperator: "Commitments are soulbound: nobody can be approved to move them.",
  ERC721InvalidReceiver: "Commitments are soulbound: they never move between accounts.",
  ERC721InvalidSender: "Commitments are soulbound: they never move between accounts.",
  InvalidShortString: "The contract's EIP-712 name is malformed.",
  StringTooLong: "The contract's EIP-712 name is malformed.",
  SafeCastOverflowedUintDowncast: "A value does not fit the contract's field (a time or a count out of range).",
};

export type TrothContractErrorParameters = {
  errorName: TrothContractErrorName | (string & {});
  args?: readonly unknown[];
  cause?: unknown;
  /** Raised by a preflight check rather than decoded from a revert. */
  preflight?: boolean;
};

/** A unix time as ISO 8601 (UTC), or undefined for anything that is not one. */
function iso(unix: unknown): string | undefined {
  const ms = Number(unix) * 1000;
  return Number.isFinite(ms) && unix !== undefined ? new Date(ms).toISOString().replace(".000Z", "Z") : undefined;
}

/** Lines that explain a contract error from its arguments, where the raw values are not enough. */
const hints: Partial<Record<TrothContractErrorName, (args: readonly unknown[]) => (string | false)[]>> = {
  PodStartInPast: ([start, earliest]) => [
    !!iso(start) && !!iso(earliest) && `Start ${iso(start)}; the earliest start accepted now is ${iso(earliest)}.`,
  ],
  ClaimWindowOpen: ([, notBefore]) => [!!iso(notBefore) && `The claim can be completed from ${iso(notBefore)}.`],
};

function formatArg(value: unknown): string {
  return typeof value === "bigint" ? value.toString() : String(value);
}

/**
 * A protocol rule the transaction would break. Raised before any gas is spent, by a preflight check or by decoding
 * the revert of a simulation; `errorName` and `args` are the contract's custom error. Named subclasses group the
 * errors an app handles differently (see {@link decodeTrothError}).
 *
 * @example
 * ```ts
 * try {
 *   await checkIn(troth, params);
 * } catch (error) {
 *   if (error instanceof RoundNotOpenError) console.log(error.errorName, error.args);
 * }
 * ```
 */
export class TrothContractError extends BaseError {
  override name: string = "TrothContractError";
  readonly errorName: string;
  readonly args: readonly unknown[];
  /** What the error means in the contract's own words (its NatSpec), for developers; undefined for an unknown error. */
  readonly natSpec: string | undefined;
  constructor({ errorName, args = [], cause, preflight }: TrothContractErrorParameters) {
    super(messages[errorName as TrothContractErrorName] ?? `The contract reverted with ${errorName}.`, {
      cause,
      metaMessages: [
        `Contract error: ${errorName}(${args.map(formatArg).join(", ")})`,
        ...(hints[errorName as TrothContractErrorName]?.(args) ?? []).filter((line) => line !== false),
        ...(preflight ? ["Found by a preflight check: no transaction was sent."] : []),
      ],
    });
    this.errorName = errorName;
    this.args = args;
    this.natSpec = (contractErrorNatSpec as Record<string, string>)[errorName];
  }
}

function named(name: string) {
  return class extends TrothContractError {
    override name: string = name;
  };
}

/** The account is not an active member of the pod, or does not hold the commitment. */
export class NotMemberError extends named("NotMemberError") {}
/** The round is not open for this member (not yet, or closed, or outside their span). */
export class RoundNotOpenError extends named("RoundNotOpenError") {}
/** The pod is paused. */
export class PodPausedError extends named("PodPausedError") {}
/** The pod is not paused. */
export class PodNotPausedError extends named("PodNotPausedError") {}
/** The pod has ended or dissolved. */
export class PodNotLiveError extends named("PodNotLiveError") {}
/** The pod has not ended yet (a renewal needs the previous cycle closed). */
export class PodNotEndedError extends named("PodNotEndedError") {}
/** No pod or commitment has this id. */
export class PodNotFoundError extends named("PodNotFoundError") {}
/** This covenant already created its pod. */
export class PodAlreadyExistsError extends named("PodAlreadyExistsError") {}
/** The covenant or amendment terms are invalid. */
export class InvalidTermsError extends named("InvalidTermsError") {}
/** The account is, or was, a member of the pod. */
export class AlreadyMemberError extends named("AlreadyMemberError") {}
/** A renewal's member was not a member to the end of the previous pod. */
export class NotRenewableError extends named("NotRenewableError") {}
/** A check-in for this round exists already. */
export class AlreadyCheckedInError extends named("AlreadyCheckedInError") {}
/** No check-in (with this report) is waiting for witnesses. */
export class CheckInNotPendingError extends named("CheckInNotPendingError") {}
/** The witness is not (or no longer) a member of the pod. */
export class WitnessNotMemberError extends named("WitnessNotMemberError") {}
/** A member cannot witness their own check-in. */
export class WitnessSelfError extends named("WitnessSelfError") {}
/** The same witness appears twice. */
export class WitnessDuplicateError extends named("WitnessDuplicateError") {}
/** A signature does not verify for its signer. */
export class InvalidSignatureError extends named("InvalidSignatureError") {}
/** Consents are missing, in the wrong order, or from the wrong signers. */
export class ConsentError extends named("ConsentError") {}
/** The consents' deadline has passed. */
export class ConsentExpiredError extends named("ConsentExpiredError") {}
/** Restarting needs a missed round since the last restart. */
export class RestartWithoutMissError extends named("RestartWithoutMissError") {}
/** Commitments are soulbound (no transfer, no approval; burn only after leaving or the end). */
export class SoulboundError extends named("SoulboundError") {}
/**
 * The covenant's start lies more than an hour before the block that would create the pod: its consents were gathered
 * too long ago. Draft the covenant again (the SDK's default start is the moment it is drafted). An `InvalidTermsError`.
 */
export class PodStartInPastError extends InvalidTermsError {
  override name = "PodStartInPastError";
}
/** The member's place in the previous pod was renewed already (once per pod and member). A `NotRenewableError`. */
export class PodAlreadyRenewedError extends NotRenewableError {
  override name = "PodAlreadyRenewedError";
}
/** A claim already stands on this commitment. */
export class ClaimPendingError extends named("ClaimPendingError") {}
/** No claim stands on this commitment (none was made, or the member acted and so cancelled it). */
export class ClaimNotFoundError extends named("ClaimNotFoundError") {}
/** The claim's objection window is still open (`args[1]` is when it closes). */
export class ClaimWindowOpenError extends named("ClaimWindowOpenError") {}
/** The pod's keyring changed since the claim was made: it must be made again. */
export class ClaimStaleError extends named("ClaimStaleError") {}
/** The member is not absent by the absence rule: replacing them needs their consent. */
export class ClaimMemberNotAbsentError extends named("ClaimMemberNotAbsentError") {}
/** Too few active members for the claim (a recovery needs two, the absence rule three). */
export class ClaimPodTooSmallError extends named("ClaimPodTooSmallError") {}

type ErrorClass = new (parameters: TrothContractErrorParameters) => TrothContractError;

const classes: Partial<Record<TrothContractErrorName, ErrorClass>> = {
  PodNotMember: NotMemberError,
  CommitmentNotOwner: NotMemberError,
  CommitmentInactive: NotMemberError,
  CheckInRoundNotOpen: RoundNotOpenError,
  PodNonexistentRound: RoundNotOpenError,
  PodIsPaused: PodPausedError,
  PodNotPaused: PodNotPausedError,
  PodNotLive: PodNotLiveError,
  PodNotEnded: PodNotEndedError,
  PodNonexistent: PodNotFoundError,
  ERC721NonexistentToken: PodNotFoundError,
  PodAlreadyExists: PodAlreadyExistsError,
  PodInvalidMemberCount: InvalidTermsError,
  PodCommitmentCountMismatch: InvalidTermsError,
  PodInvalidMember: InvalidTermsError,
  PodDuplicateMember: InvalidTermsError,
  PodInvalidCadence: InvalidTermsError,
  PodInvalidGrace: InvalidTermsError,
  PodInvalidRounds: InvalidTermsError,
  PodInvalidQuorum: InvalidTermsError,
  PodStartInPast: PodStartInPastError,
  PodAmendmentReordersRounds: InvalidTermsError,
  PodAlreadyMember: AlreadyMemberError,
  PodNotRenewable: NotRenewableError,
  PodAlreadyRenewed: PodAlreadyRenewedError,
  ClaimPending: ClaimPendingError,
  ClaimNotFound: ClaimNotFoundError,
  ClaimWindowOpen: ClaimWindowOpenError,
  ClaimStale: ClaimStaleError,
  ClaimMemberNotAbsent: ClaimMemberNotAbsentError,
  ClaimPodTooSmall: ClaimPodTooSmallError,
  CheckInAlreadyReported: AlreadyCheckedInError,
  CheckInNotPending: CheckInNotPendingError,
  CheckInReportMismatch: CheckInNotPendingError,
  WitnessNotMember: WitnessNotMemberError,
  WitnessInactive: WitnessNotMemberError,
  WitnessSelf: WitnessSelfError,
  WitnessDuplicate: WitnessDuplicateError,
  WitnessInvalidSignature: InvalidSignatureError,
  ConsentInvalidSignature: InvalidSignatureError,
  ConsentWrongSigner: ConsentError,
  ConsentCountMismatch: ConsentError,
  ConsentExpired: ConsentExpiredError,
  RestartWithoutMiss: RestartWithoutMissError,
  CommitmentSoulbound: SoulboundError,
  CommitmentApprovalDisabled: SoulboundError,
  CommitmentNotBurnable: SoulboundError,
  ERC721IncorrectOwner: NotMemberError,
  ERC721InvalidOwner: NotMemberError,
  ERC721InsufficientApproval: SoulboundError,
  ERC721InvalidApprover: SoulboundError,
  ERC721InvalidOperator: SoulboundError,
  ERC721InvalidReceiver: SoulboundError,
  ERC721InvalidSender: SoulboundError,
  KeyRegistryInvalidKey: InvalidTermsError,
};

/**
 * The SDK error for a contract error name and arguments (the class a preflight check raises for the same rule).
 *
 * @example
 * ```ts
 * throw trothError("WitnessNotMember", [podId, witness], { preflight: true });
 * ```
 */
export function trothError(
  errorName: TrothContractErrorName,
  args: readonly unknown[],
  options: { cause?: unknown; preflight?: boolean } = {},
): TrothContractError {
  const ErrorClass = classes[errorName] ?? TrothContractError;
  return new ErrorClass({ errorName, args, ...options });
}

/**
 * Turns a viem error from a simulation, a gas estimate or a read into the named SDK error of the contract's custom
 * error; other errors are returned unchanged.
 *
 * @example
 * ```ts
 * try {
 *   await publicClient.simulateContract(request);
 * } catch (error) {
 *   throw decodeTrothError(error);
 * }
 * ```
 */
export function decodeTrothError(error: unknown): unknown {
  if (error instanceof BaseError) return error;
  if (!(error instanceof ViemBaseError)) return error;
  const reverted = error.walk(
    (e) => e instanceof ContractFunctionRevertedError,
  ) as ContractFunctionRevertedError | null;
  if (reverted?.data?.errorName) {
    return trothError(reverted.data.errorName as TrothContractErrorName, reverted.data.args ?? [], { cause: error });
  }
  // Some nodes report a revert as a generic RPC error that still carries the revert data somewhere in its causes.
  const data = revertData(error);
  if (!data) return error;
  try {
    const decoded = decodeErrorResult({ abi: [...trothAbi, ...trothLensAbi], data });
    return trothError(decoded.errorName as TrothContractErrorName, decoded.args ?? [], { cause: error });
  } catch {
    return error;
  }
}

function revertData(error: unknown): Hex | undefined {
  for (
    let e = error as { data?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 10;
    e = e.cause as typeof e, ++depth
  ) {
    const data = typeof e.data === "object" && e.data !== null ? (e.data as { data?: unknown }).data : e.data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(data)) return data as Hex;
  }
  return undefined;
}
