import type { Hex } from "viem";
import type { TrothClient } from "../client.ts";
import { amendedCovenantProblem, type CovenantChange, covenantChanges } from "../covenantChanges.ts";
import type { CovenantDocument } from "../crypto/documents.ts";
import { NO_SLOT, readEnvelopeHeader } from "../crypto/envelope.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { AmendmentMismatchError } from "../errors/client.ts";
import { readTroth } from "../internal/contract.ts";
import { loadKeyring } from "../internal/keys.ts";
import { openCovenant, openPodDocument } from "../internal/read.ts";
import type { ReadCovenantErrorType } from "./readCovenant.ts";

export type ReadAmendmentParameters = {
  podId: bigint;
  /** The amendment as members sign it (`PreparedAmend.amendment`, or a consent request's `amendment`). */
  amendment: { cadence: number; grace: number; quorum: number; covenantDigest: Hex };
  /** The identity key of a member reading it (the amended covenant is sealed under the pod's current key). */
  identity: IdentityKey;
};
export type ReadAmendmentReturnType = {
  /** The covenant as it stands. */
  before: CovenantDocument;
  /** The covenant the amendment would put in its place. */
  after: CovenantDocument;
  /** Everything that differs, wording and meeting terms included (see {@link covenantChanges}). */
  changes: CovenantChange[];
};
export type ReadAmendmentErrorType = ReadCovenantErrorType | AmendmentMismatchError;

/**
 * What a proposed amendment would change, read before consenting: the pod's covenant now and the amended one the
 * amendment points to, both decrypted on this device, and every difference between them. The chain checks only the
 * amended covenant's digest, so this is how a member sees a changed title, meeting term or commitment, not only the
 * new rhythm. An amended covenant whose rhythm is not the amendment's, that changes the members or the number of
 * rounds, or that is sealed under an earlier key than the pod's (partners who joined since could not read it), is
 * refused with an {@link AmendmentMismatchError}.
 *
 * @example
 * ```ts
 * const { changes } = await readAmendment(troth, { podId, amendment: request.amendment, identity });
 * for (const change of changes) console.log(change.field, change.before, "→", change.after);
 * ```
 */
export async function readAmendment(
  client: TrothClient,
  { podId, amendment, identity }: ReadAmendmentParameters,
): Promise<ReadAmendmentReturnType> {
  const [{ covenantDigest, keyringDigest }, blob] = await Promise.all([
    readTroth(client, "podRecord", [podId]),
    client.store.get(amendment.covenantDigest),
  ]);
  const [before, after, keyring] = await Promise.all([
    openCovenant(client, { podId, identity, covenantDigest, keyringDigest }),
    // The amended covenant itself, never an older copy a late joiner would fall back to.
    openPodDocument(client, {
      podId,
      digest: amendment.covenantDigest,
      blob,
      kind: "covenant",
      member: NO_SLOT,
      round: NO_SLOT,
      identity,
      keyringDigest,
    }),
    loadKeyring(client, keyringDigest),
  ]);
  const { epoch } = readEnvelopeHeader(blob);
  const problem =
    epoch === keyring.epoch
      ? amendedCovenantProblem(before, after, amendment)
      : `its covenant is sealed under key epoch ${epoch}, not the pod's current ${keyring.epoch}`;
  if (problem) throw new AmendmentMismatchError({ podId, reason: problem });
  return { before, after, changes: covenantChanges(before, after) };
}
