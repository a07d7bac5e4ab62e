import type { Address, Hex } from "viem";
import type { TrothClient } from "../client.ts";
import {
  type CovenantDocument,
  type CovenantDocumentTerms,
  covenantVersionFor,
  sealDocument,
} from "../crypto/documents.ts";
import { NO_SLOT } from "../crypto/envelope.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { type TrothTypedData, trothTypedData } from "../eip712.ts";
import type { StaleKeyringError } from "../errors/client.ts";
import type { DocumentValidationError } from "../errors/document.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { readTroth } from "../internal/contract.ts";
import { governanceContext } from "../internal/governance.ts";
import { activeAccounts } from "../internal/pod.ts";
import { openCovenant } from "../internal/read.ts";
import { writingKey } from "../internal/report.ts";
import { blobRef } from "../storage/cid.ts";

export type PrepareAmendParameters = {
  podId: bigint;
  /** New terms; each defaults to the current one. They apply from the round after the one open when it lands. */
  cadence?: number;
  grace?: number;
  quorum?: number;
  /**
   * New meeting terms, in whole minutes within `MEETING_TERM_MINUTES`: each speaker's turn and the longest recorded
   * reflection. Each defaults to the current one; `null` returns it to the default (8 and 20 minutes). They live in
   * the covenant only, so setting one writes covenant version 3.
   */
  turnLength?: number | null;
  recordingCap?: number | null;
  /** New wording of the covenant (title, what the pod does when someone misses). */
  changes?: Partial<Pick<CovenantDocument, "title" | "whenSomeoneMisses">>;
  /** The identity key of the member preparing the amendment (to read and re-encrypt the covenant). */
  identity: IdentityKey;
  /** Last second the consents may be used (default: an hour from the latest block). */
  deadline?: bigint;
  /**
   * Store the amended covenant now (default true), so partners on other devices can read what they consent to
   * before they sign. It is encrypted under the current epoch: only the pod's members can read it.
   */
  store?: boolean;
};

/** An amendment ready for consent: what every active member signs, and what `submitAmend` sends. */
export type PreparedAmend = {
  podId: bigint;
  amendment: { cadence: number; grace: number; quorum: number; covenantDigest: Hex };
  nonce: number;
  deadline: bigint;
  /** The accounts whose consent the contract checks, in its order: every active member. */
  required: Address[];
  /** The EIP-712 message each of them signs (`wallet.signTypedData(prepared.typedData)`). */
  typedData: TrothTypedData<"Amend">;
  /** The encrypted amended covenant (its digest is `amendment.covenantDigest`). */
  covenant: Uint8Array;
};
export type PrepareAmendReturnType = PreparedAmend;
export type PrepareAmendErrorType = TrothContractError | StaleKeyringError | DocumentValidationError;

/**
 * The first half of a two-phase amendment: rewrites and re-encrypts the covenant with the new terms, stores it, and
 * returns the typed-data message every active member signs, on their own device and in their own time (until the
 * deadline); {@link submitAmend} then sends it with the signatures collected. {@link amend} does both at once.
 *
 * @example
 * ```ts
 * const prepared = await prepareAmend(troth, { podId, cadence: 14 * 86_400, identity, deadline });
 * const bobSignature = await bobWallet.signTypedData({ account: bob, ...prepared.typedData }); // on Bob's device
 * const hash = await submitAmend(troth, { prepared, signatures: [aliceWallet, { signer: bob, signature: bobSignature }] });
 * ```
 */
export async function prepareAmend(
  client: TrothClient,
  parameters: PrepareAmendParameters,
): Promise<PrepareAmendReturnType> {
  const { podId, identity, changes, store = true } = parameters;
  const [context, state, { podKey }] = await Promise.all([
    governanceContext(client, podId, parameters.deadline),
    readTroth(client, "podState", [podId]),
    writingKey(client, podId, identity),
  ]);
  const current = await openCovenant(client, {
    podId,
    identity,
    covenantDigest: context.record.covenantDigest,
    keyringDigest: context.record.keyringDigest,
  });
  const terms = {
    cadence: parameters.cadence ?? state.cadence,
    grace: parameters.grace ?? state.grace,
    quorum: parameters.quorum ?? state.quorum,
  };
  const documentTerms: CovenantDocumentTerms = { ...current.terms, ...terms };
  for (const field of ["turnLength", "recordingCap"] as const) {
    const value = parameters[field];
    if (value === null) delete documentTerms[field];
    else if (value !== undefined) documentTerms[field] = value;
  }
  // Never a lower version than the covenant had (a reader that knew it keeps reading it); 3 once a meeting term is set.
  const version = Math.max(current.version, covenantVersionFor(current.members, documentTerms)) as 1 | 2 | 3;
  // The amended covenant is written under the current epoch, so everyone in the pod now (newcomers too) can read it.
  // An out-of-range meeting term is refused here (DocumentValidationError), before anything is stored or signed.
  const document: CovenantDocument = { ...current, ...changes, version, terms: documentTerms };
  const covenant = sealDocument(document, {
    key: podKey.key,
    slot: { pod: podKey.pod, epoch: podKey.epoch, kind: "covenant", member: NO_SLOT, round: NO_SLOT },
    random: client.random,
  });
  const amendment = { ...terms, covenantDigest: blobRef(covenant).digest };
  if (store) await client.store.put(covenant);
  return {
    podId,
    amendment,
    nonce: context.nonce,
    deadline: context.deadline,
    required: activeAccounts(context.members),
    typedData: trothTypedData(client, "Amend", {
      podId,
      ...amendment,
      nonce: context.nonce,
      deadline: context.deadline,
    }),
    covenant,
  };
}
