// Actions: one per file, `action(client, parameters)`; writes return a hash, `…Sync` twins wait and decode events.
export {
  type AcceptCovenantErrorType,
  type AcceptCovenantParameters,
  type AcceptCovenantReturnType,
  acceptCovenant,
  acceptCovenantSync,
} from "./actions/acceptCovenant.ts";
export {
  type AddMemberErrorType,
  type AddMemberParameters,
  type AddMemberReturnType,
  addMember,
  addMemberSync,
} from "./actions/addMember.ts";
export { type AmendErrorType, type AmendParameters, type AmendReturnType, amend, amendSync } from "./actions/amend.ts";
export {
  type ApproveHashErrorType,
  type ApproveHashParameters,
  type ApproveHashReturnType,
  approveHash,
  approveHashSync,
} from "./actions/approveHash.ts";
export {
  type AttachRecordingErrorType,
  type AttachRecordingParameters,
  type AttachRecordingReturnType,
  attachRecording,
} from "./actions/attachRecording.ts";
export {
  type CancelClaimErrorType,
  type CancelClaimParameters,
  type CancelClaimReturnType,
  cancelClaim,
  cancelClaimSync,
} from "./actions/cancelClaim.ts";
export {
  type CheckInErrorType,
  type CheckInParameters,
  type CheckInReturnType,
  type CheckInSyncReturnType,
  checkIn,
  checkInSync,
} from "./actions/checkIn.ts";
export {
  type CheckInBySigErrorType,
  type CheckInBySigParameters,
  type CheckInBySigReturnType,
  checkInBySig,
  checkInBySigSync,
} from "./actions/checkInBySig.ts";
export {
  type CompleteClaimErrorType,
  type CompleteClaimParameters,
  type CompleteClaimReturnType,
  completeClaim,
  completeClaimSync,
} from "./actions/completeClaim.ts";
export {
  type CreatePodErrorType,
  type CreatePodParameters,
  type CreatePodReturnType,
  createPod,
  createPodSync,
} from "./actions/createPod.ts";
export {
  type Claim,
  type GetClaimErrorType,
  type GetClaimParameters,
  type GetClaimReturnType,
  getClaim,
} from "./actions/getClaim.ts";
export {
  type GetClaimsErrorType,
  type GetClaimsParameters,
  type GetClaimsReturnType,
  getClaims,
} from "./actions/getClaims.ts";
export {
  type GetCommitmentErrorType,
  type GetCommitmentParameters,
  type GetCommitmentReturnType,
  getCommitment,
} from "./actions/getCommitment.ts";
export {
  type CommitmentContinuity,
  type GetContinuityErrorType,
  type GetContinuityParameters,
  type GetContinuityReturnType,
  getContinuity,
} from "./actions/getContinuity.ts";
export {
  type GetCovenantConsentsErrorType,
  type GetCovenantConsentsParameters,
  type GetCovenantConsentsReturnType,
  getCovenantConsents,
} from "./actions/getCovenantConsents.ts";
export {
  type DueCheckIn,
  type GetDueCheckInsParameters,
  type GetDueCheckInsReturnType,
  getDueCheckIns,
} from "./actions/getDueCheckIns.ts";
export {
  type GetMembershipsErrorType,
  type GetMembershipsParameters,
  type GetMembershipsReturnType,
  getMemberships,
  type Membership,
} from "./actions/getMemberships.ts";
export {
  type GetPendingCheckInErrorType,
  type GetPendingCheckInParameters,
  type GetPendingCheckInReturnType,
  getPendingCheckIn,
} from "./actions/getPendingCheckIn.ts";
export { type GetPodErrorType, type GetPodParameters, type GetPodReturnType, getPod } from "./actions/getPod.ts";
export {
  type GetPodCalendarErrorType,
  type GetPodCalendarParameters,
  type GetPodCalendarReturnType,
  getPodCalendar,
} from "./actions/getPodCalendar.ts";
export {
  type GetPublishedIdentityKeyErrorType,
  type GetPublishedIdentityKeyParameters,
  type GetPublishedIdentityKeyReturnType,
  getPublishedIdentityKey,
} from "./actions/getPublishedIdentityKey.ts";
export {
  type GetRoundWindowsErrorType,
  type GetRoundWindowsParameters,
  type GetRoundWindowsReturnType,
  getRoundWindows,
  type RoundWindow,
} from "./actions/getRoundWindows.ts";
export {
  type GetSpeakingOrderErrorType,
  type GetSpeakingOrderParameters,
  type GetSpeakingOrderReturnType,
  getSpeakingOrder,
} from "./actions/getSpeakingOrder.ts";
export { type LeaveErrorType, type LeaveParameters, type LeaveReturnType, leave, leaveSync } from "./actions/leave.ts";
export {
  type OpenConsentRequestErrorType,
  type OpenConsentRequestParameters,
  type OpenConsentRequestReturnType,
  type OpenedConsentChange,
  openConsentRequest,
} from "./actions/openConsentRequest.ts";
export { type PauseErrorType, type PauseParameters, type PauseReturnType, pause, pauseSync } from "./actions/pause.ts";
export {
  NOTE_MAX_LENGTH,
  noteKinds,
  type PostNoteErrorType,
  type PostNoteParameters,
  type PostNoteReturnType,
  postNote,
  postNoteSync,
} from "./actions/postNote.ts";
export {
  type PostReplyErrorType,
  type PostReplyParameters,
  type PostReplyReturnType,
  postReply,
  postReplySync,
} from "./actions/postReply.ts";
export {
  type PrepareAddMemberErrorType,
  type PrepareAddMemberParameters,
  type PrepareAddMemberReturnType,
  type PreparedAddMember,
  prepareAddMember,
} from "./actions/prepareAddMember.ts";
export {
  type PrepareAmendErrorType,
  type PrepareAmendParameters,
  type PrepareAmendReturnType,
  type PreparedAmend,
  prepareAmend,
} from "./actions/prepareAmend.ts";
export {
  type PrepareCheckInErrorType,
  type PrepareCheckInParameters,
  type PrepareCheckInReturnType,
  type PreparedCheckIn,
  prepareCheckIn,
} from "./actions/prepareCheckIn.ts";
export {
  type PrepareCovenantErrorType,
  type PrepareCovenantParameters,
  type PrepareCovenantReturnType,
  prepareCovenant,
} from "./actions/prepareCovenant.ts";
export {
  type PreparedPause,
  type PreparePauseErrorType,
  type PreparePauseParameters,
  type PreparePauseReturnType,
  preparePause,
} from "./actions/preparePause.ts";
export {
  type PreparedProposeReplacement,
  type PrepareProposeReplacementErrorType,
  type PrepareProposeReplacementParameters,
  type PrepareProposeReplacementReturnType,
  prepareProposeReplacement,
} from "./actions/prepareProposeReplacement.ts";
export {
  type PreparedReplaceMember,
  type PrepareReplaceMemberErrorType,
  type PrepareReplaceMemberParameters,
  type PrepareReplaceMemberReturnType,
  prepareReplaceMember,
} from "./actions/prepareReplaceMember.ts";
export {
  type PreparedRequestRecovery,
  type PrepareRequestRecoveryErrorType,
  type PrepareRequestRecoveryParameters,
  type PrepareRequestRecoveryReturnType,
  prepareRequestRecovery,
} from "./actions/prepareRequestRecovery.ts";
export {
  type PreparedResume,
  type PrepareResumeErrorType,
  type PrepareResumeParameters,
  type PrepareResumeReturnType,
  prepareResume,
} from "./actions/prepareResume.ts";
export {
  type ProposeReplacementErrorType,
  type ProposeReplacementParameters,
  type ProposeReplacementReturnType,
  proposeReplacement,
  proposeReplacementSync,
} from "./actions/proposeReplacement.ts";
export {
  getIdentityKey,
  type PublishIdentityKeyErrorType,
  type PublishIdentityKeyParameters,
  type PublishIdentityKeyReturnType,
  publishIdentityKey,
  publishIdentityKeySync,
} from "./actions/publishIdentityKey.ts";
export {
  type ReadAmendmentErrorType,
  type ReadAmendmentParameters,
  type ReadAmendmentReturnType,
  readAmendment,
} from "./actions/readAmendment.ts";
export {
  type ReadCommitmentErrorType,
  type ReadCommitmentParameters,
  type ReadCommitmentReturnType,
  readCommitment,
} from "./actions/readCommitment.ts";
export {
  type ReadCovenantErrorType,
  type ReadCovenantParameters,
  type ReadCovenantReturnType,
  readCovenant,
} from "./actions/readCovenant.ts";
export {
  MAX_NOTES_PER_AUTHOR_ROUND,
  type NoteOrigin,
  type PodNote,
  type ReadNotesErrorType,
  type ReadNotesParameters,
  type ReadNotesReturnType,
  readNotes,
} from "./actions/readNotes.ts";
export {
  type ReadRecordingErrorType,
  type ReadRecordingParameters,
  type ReadRecordingReturnType,
  readRecording,
} from "./actions/readRecording.ts";
export {
  type ReadRepliesErrorType,
  type ReadRepliesParameters,
  type ReadRepliesReturnType,
  readReplies,
} from "./actions/readReplies.ts";
export {
  type ReadReportErrorType,
  type ReadReportParameters,
  type ReadReportReturnType,
  readReport,
} from "./actions/readReport.ts";
export {
  type RenewPodErrorType,
  type RenewPodParameters,
  type RenewPodReturnType,
  renewPod,
  renewPodSync,
} from "./actions/renewPod.ts";
export {
  type ReplaceMemberErrorType,
  type ReplaceMemberParameters,
  type ReplaceMemberReturnType,
  replaceMember,
  replaceMemberSync,
} from "./actions/replaceMember.ts";
export {
  type RequestRecoveryErrorType,
  type RequestRecoveryParameters,
  type RequestRecoveryReturnType,
  requestRecovery,
  requestRecoverySync,
} from "./actions/requestRecovery.ts";
export {
  type RestartErrorType,
  type RestartParameters,
  type RestartReturnType,
  restart,
  restartSync,
} from "./actions/restart.ts";
export {
  type ResumeErrorType,
  type ResumeParameters,
  type ResumeReturnType,
  resume,
  resumeSync,
} from "./actions/resume.ts";
export {
  type RevokeHashErrorType,
  type RevokeHashParameters,
  type RevokeHashReturnType,
  revokeHash,
  revokeHashSync,
} from "./actions/revokeHash.ts";
export {
  type RotateKeyringErrorType,
  type RotateKeyringParameters,
  type RotateKeyringReturnType,
  rotateKeyring,
  rotateKeyringSync,
} from "./actions/rotateKeyring.ts";
export {
  type SignConsentRequestErrorType,
  type SignConsentRequestParameters,
  type SignConsentRequestReturnType,
  signConsentRequest,
} from "./actions/signConsentRequest.ts";
export {
  type SignWitnessErrorType,
  type SignWitnessParameters,
  type SignWitnessReturnType,
  signWitness,
} from "./actions/signWitness.ts";
export {
  type RecordingSession,
  type StartRecordingErrorType,
  type StartRecordingParameters,
  type StartRecordingReturnType,
  startRecording,
} from "./actions/startRecording.ts";
export {
  type SubmitAddMemberErrorType,
  type SubmitAddMemberParameters,
  type SubmitAddMemberReturnType,
  submitAddMember,
  submitAddMemberSync,
} from "./actions/submitAddMember.ts";
export {
  type SubmitAmendErrorType,
  type SubmitAmendParameters,
  type SubmitAmendReturnType,
  submitAmend,
  submitAmendSync,
} from "./actions/submitAmend.ts";
export {
  type SubmitCheckInErrorType,
  type SubmitCheckInParameters,
  type SubmitCheckInReturnType,
  submitCheckIn,
  submitCheckInSync,
} from "./actions/submitCheckIn.ts";
export {
  type SubmitPauseErrorType,
  type SubmitPauseParameters,
  type SubmitPauseReturnType,
  submitPause,
  submitPauseSync,
} from "./actions/submitPause.ts";
export {
  type SubmitProposeReplacementErrorType,
  type SubmitProposeReplacementParameters,
  type SubmitProposeReplacementReturnType,
  submitProposeReplacement,
  submitProposeReplacementSync,
} from "./actions/submitProposeReplacement.ts";
export {
  type SubmitReplaceMemberErrorType,
  type SubmitReplaceMemberParameters,
  type SubmitReplaceMemberReturnType,
  submitReplaceMember,
  submitReplaceMemberSync,
} from "./actions/submitReplaceMember.ts";
export {
  type SubmitRequestRecoveryErrorType,
  type SubmitRequestRecoveryParameters,
  type SubmitRequestRecoveryReturnType,
  submitRequestRecovery,
  submitRequestRecoverySync,
} from "./actions/submitRequestRecovery.ts";
export {
  type SubmitResumeErrorType,
  type SubmitResumeParameters,
  type SubmitResumeReturnType,
  submitResume,
  submitResumeSync,
} from "./actions/submitResume.ts";
export {
  type VerifyKeyringRotationErrorType,
  type VerifyKeyringRotationParameters,
  type VerifyKeyringRotationReturnType,
  verifyKeyringRotation,
} from "./actions/verifyKeyringRotation.ts";
export {
  type VerifyMembershipChangeErrorType,
  type VerifyMembershipChangeParameters,
  type VerifyMembershipChangeReturnType,
  verifyMembershipChange,
} from "./actions/verifyMembershipChange.ts";
export {
  type WitnessErrorType,
  type WitnessParameters,
  type WitnessReturnType,
  witness,
  witnessSync,
} from "./actions/witness.ts";
export {
  type WitnessBySigErrorType,
  type WitnessBySigParameters,
  type WitnessBySigReturnType,
  witnessBySig,
  witnessBySigSync,
} from "./actions/witnessBySig.ts";
// Client helpers
export {
  type ConsentSource,
  type CreateTrothClientParameters,
  createTrothClient,
  isRpcUnavailable,
  type RpcTransportParameters,
  rpcTransport,
  type SignatureInput,
  type TrothClient,
  type TrothSigner,
} from "./client.ts";
// Consent requests: one format for the dApp's links and the CLI's files
export * from "./consentRequest.ts";
export * from "./covenantChanges.ts";
export * from "./eip712.ts";
// Errors
export { BaseError, type BaseErrorParameters } from "./errors/base.ts";
export {
  AccountNotFoundError,
  AmendmentMismatchError,
  DeploymentNotFoundError,
  InvalidKeyringError,
  LogQueryError,
  LogResponseError,
  MembershipChangeMismatchError,
  MissingEncryptionKeyError,
  MissingSignerError,
  PodChangedError,
  ReportNotFoundError,
  RpcUnavailableError,
  StaleKeyringError,
} from "./errors/client.ts";
export {
  EmptyRecordingError,
  NoRecordingError,
  RecordingChunkError,
  RecordingChunkOutOfOrderError,
  RecordingChunkRangeError,
  RecordingChunkTamperedError,
  RecordingClosedError,
  RecordingEpochError,
  RecordingExtendedError,
  RecordingResumeError,
  RecordingTooLargeError,
  RecordingTruncatedError,
} from "./errors/media.ts";
export {
  AlreadyCheckedInError,
  AlreadyMemberError,
  CheckInNotPendingError,
  ClaimMemberNotAbsentError,
  ClaimNotFoundError,
  ClaimPendingError,
  ClaimPodTooSmallError,
  ClaimStaleError,
  ClaimWindowOpenError,
  ConsentError,
  ConsentExpiredError,
  decodeTrothError,
  InvalidSignatureError,
  InvalidTermsError,
  NotMemberError,
  NotRenewableError,
  PodAlreadyExistsError,
  PodAlreadyRenewedError,
  PodNotEndedError,
  PodNotFoundError,
  PodNotLiveError,
  PodNotPausedError,
  PodPausedError,
  PodStartInPastError,
  RestartWithoutMissError,
  RoundNotOpenError,
  SoulboundError,
  TrothContractError,
  type TrothContractErrorName,
  type TrothContractErrorParameters,
  trothError,
  WitnessDuplicateError,
  WitnessNotMemberError,
  WitnessSelfError,
} from "./errors/troth.ts";
export { formatId, formatPodIdShort, formatTokenId } from "./format.ts";
// Generated ABIs and deployments
export { trothAbi, trothGovernanceAbi, trothLensAbi } from "./generated/abis.ts";
export { deployments } from "./generated/deployments.ts";
// Calendars: the one .ics writer of the CLI and the dApp
export {
  escapeIcsText,
  foldIcsLine,
  icsDateTime,
  icsFileName,
  type PodCalendarParameters,
  podCalendar,
} from "./ics.ts";
export type { SyncReturnType, TrothEvent, WriteOptions } from "./internal/contract.ts";
export type { CovenantTerms } from "./internal/covenant.ts";
// Log reads that public RPC providers accept: ranges split on refusal, bounded parallelism, backoff, resume
export {
  classifyLogError,
  type LogErrorKind,
  type LogFilter,
  type LogPiece,
  type RawLog,
  type ReadLogsParameters,
  type ReadLogsReturnType,
  readLogs,
} from "./internal/logs.ts";
export type { WitnessSource } from "./internal/witness.ts";
export {
  DEFAULT_TURN_SECONDS,
  formatClock,
  InvalidMeetingLinkError,
  LISTENING_SECONDS,
  MAX_TURN_SECONDS,
  type MeetingLink,
  type MeetingMoment,
  type MeetingTurn,
  MIN_TURN_SECONDS,
  meetingMoment,
  meetingPath,
  meetingSchedule,
  parseMeetingLink,
} from "./meeting.ts";
export {
  ALIKE_REPORTS,
  ALIKE_THRESHOLD,
  ASKING_MIN_QUESTIONS,
  ASKING_SHARE,
  type MirrorReply,
  type MirrorReport,
  mirrorWords,
  type PodMirror,
  podMirror,
} from "./mirror.ts";
// Types
export {
  type ClaimKind,
  type CommitmentStatus,
  type CommitmentView,
  claimKinds,
  commitmentStatuses,
  type MemberStatus,
  type MemberView,
  memberStatuses,
  type PodStatus,
  type PodView,
  podStatuses,
  type ReportInput,
  type RoundState,
  roundStates,
  type WitnessSignature,
} from "./types.ts";
export {
  decodeWitnessList,
  encodeWitnessList,
  type WitnessEntry,
  WitnessListMalformedError,
} from "./witnessList.ts";
