export {
  DecryptionError,
  InvalidKeyError,
  KeyEpochNotFoundError,
  MalformedEnvelopeError,
  NonDeterministicSignerError,
  NotARecipientError,
  UnknownEnvelopeVersionError,
} from "../errors/crypto.ts";
export { DocumentValidationError, ListeningRuleError } from "../errors/document.ts";
export {
  COVENANT_BOUNDARY,
  type CommitmentDocument,
  type CovenantDocument,
  DOCUMENT_VERSION,
  openDocument,
  type ReplyDocument,
  type ReportDocument,
  sealDocument,
  type TrothDocument,
  validateDocument,
  type WitnessReplyText,
  witnessReplies,
} from "./documents.ts";
export {
  type DocumentKind,
  documentKinds,
  ENVELOPE_MAGIC,
  ENVELOPE_VERSION,
  type EnvelopeSlot,
  NO_SLOT,
  openEnvelope,
  readEnvelopeHeader,
  sealEnvelope,
} from "./envelope.ts";
export {
  deriveIdentityKey,
  IDENTITY_VERSION,
  type IdentityKey,
  identityKeyFromSignature,
  identityMessage,
  type MessageSigner,
  parsePublicKey,
} from "./identity.ts";
export {
  decodeKeyring,
  encodeKeyring,
  generateContentKey,
  KEYRING_VERSION,
  type KeyringDocument,
  type KeyringGrant,
  type KeyringRecipient,
  keyringVersion,
  openGrant,
  openKeyring,
  type SealGrantsParameters,
  type SealKeyringParameters,
  sealGrants,
  sealKeyring,
} from "./keyring.ts";
export { defaultRandom, type RandomSource } from "./random.ts";
