import type { TrothClient } from "../client.ts";
import type { CovenantDocument } from "../crypto/documents.ts";
import { NO_SLOT } from "../crypto/envelope.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import type { DecryptionError, NotARecipientError } from "../errors/crypto.ts";
import type { IntegrityError } from "../errors/storage.ts";
import { readTroth } from "../internal/contract.ts";
import { openPodDocument } from "../internal/read.ts";

export type ReadCovenantParameters = { podId: bigint; identity: IdentityKey };
export type ReadCovenantReturnType = CovenantDocument;
export type ReadCovenantErrorType = NotARecipientError | DecryptionError | IntegrityError;

/**
 * Fetches, verifies and decrypts the pod's covenant (its current version, after any amendment).
 *
 * @example
 * ```ts
 * const covenant = await readCovenant(troth, { podId, identity });
 * console.log(covenant.title, covenant.members.map((m) => m.commitment));
 * ```
 */
export async function readCovenant(
  client: TrothClient,
  { podId, identity }: ReadCovenantParameters,
): Promise<ReadCovenantReturnType> {
  const record = await readTroth(client, "podRecord", [podId]);
  return openPodDocument(client, {
    podId,
    digest: record.covenantDigest,
    kind: "covenant",
    member: NO_SLOT,
    round: NO_SLOT,
    identity,
    keyringDigest: record.keyringDigest,
  });
}
