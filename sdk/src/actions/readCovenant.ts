import type { TrothClient } from "../client.ts";
import type { CovenantDocument } from "../crypto/documents.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import type { DecryptionError, NotARecipientError } from "../errors/crypto.ts";
import type { IntegrityError } from "../errors/storage.ts";
import { readTroth } from "../internal/contract.ts";
import { openCovenant } from "../internal/read.ts";

export type ReadCovenantParameters = { podId: bigint; identity: IdentityKey };
export type ReadCovenantReturnType = CovenantDocument;
export type ReadCovenantErrorType = NotARecipientError | DecryptionError | IntegrityError;

/**
 * Fetches, verifies and decrypts the pod's covenant (its current version, after any amendment). A member who joined
 * after it was sealed reads the copy their joining key epoch carries (sealed for it when they were added).
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
  const { covenantDigest, keyringDigest } = await readTroth(client, "podRecord", [podId]);
  return openCovenant(client, { podId, identity, covenantDigest, keyringDigest });
}
