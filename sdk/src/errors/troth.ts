import { ContractFunctionRevertedError, decodeErrorResult, type Hex, BaseError as ViemBaseError } from "viem";
import { trothAbi, trothLensAbi } from "../generated/abis.ts";
import { BaseError } from "./base.ts";

type AbiErrorName<abi extends readonly { type: string }[]> = Extract<
  abi[number],
  { type: "error"; name: string }
>["name"];

/** Every custom error the Troth contracts (and their lens) can revert with. */
export type TrothContractErrorName = AbiErrorName<typeof trothAbi> | AbiErrorName<typeof trothLensAbi>;

/** Human messages for each contract error (from the NatSpec of `ITrothErrors`). */
const messages: Partial<Record<TrothContractErrorName, string>> = {
  PodInvalidMemberCount: "A pod has 2 to 8 members (a live pod at most 8 active ones).",
  PodCommitmentCountMismatch: "Members and commitment digests must pair up one to one.",
  PodInvalidMember: "The zero address cannot be a member.",
  PodDuplicateMember: "An address appears twice among the members.",
  PodInvalidCadence: "Cadence must be 1 to 35 days.",
  PodInvalidGrace: "Grace must not exceed the cadence.",
  PodInvalidRounds: "A cycle has 1 to 64 rounds.",
  PodInvalidQuorum: "Quorum must be 1 to (members − 1).",
  PodStartTooLate: "Round 0 of this covenant would already have closed.",
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
  PodNotRenewable: "A renewal's member was not a member to the end of the previous pod.",
  ConsentExpired: "The signatures' deadline has passed.",
  ConsentInvalidSignature: "A signer neither signed this digest validly nor approved it on-chain.",
  ConsentWrongSigner: "Consent must come from every active member in token order, then the newcomer.",
  ConsentCountMismatch: "The number of consents does not match the number of consenting members.",
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
  ERC721NonexistentToken: "No commitment has this token id.",
};

export type TrothContractErrorParameters = {
  errorName: TrothContractErrorName | (string & {});
  args?: readonly unknown[];
  cause?: unknown;
  /** Raised by a preflight check rather than decoded from a revert. */
  preflight?: boolean;
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
  constructor({ errorName, args = [], cause, preflight }: TrothContractErrorParameters) {
    super(messages[errorName as TrothContractErrorName] ?? `The contract reverted with ${errorName}.`, {
      cause,
      metaMessages: [
        `Contract error: ${errorName}(${args.map(formatArg).join(", ")})`,
        ...(preflight ? ["Found by a preflight check: no transaction was sent."] : []),
      ],
    });
    this.errorName = errorName;
    this.args = args;
  }
}

function named<N extends string>(name: N) {
  return class extends TrothContractError {
    override name: N = name;
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
  PodStartTooLate: InvalidTermsError,
  PodAmendmentReordersRounds: InvalidTermsError,
  PodAlreadyMember: AlreadyMemberError,
  PodNotRenewable: NotRenewableError,
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
