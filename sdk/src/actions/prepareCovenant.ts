import type { TrothClient } from "../client.ts";
import type { MissingEncryptionKeyError } from "../errors/client.ts";
import type { DocumentValidationError } from "../errors/document.ts";
import type { BlobTooLargeError } from "../errors/storage.ts";
import { type BuiltCovenant, buildCovenant, type CovenantTerms, storeBlobs } from "../internal/covenant.ts";

export type PrepareCovenantParameters = CovenantTerms;
export type PrepareCovenantReturnType = Omit<BuiltCovenant, "blobs">;
export type PrepareCovenantErrorType = MissingEncryptionKeyError | DocumentValidationError | BlobTooLargeError;

/**
 * Builds a covenant and stores its encrypted documents and keyring, without any transaction: share the returned
 * `covenant` with the members, who each sign it (see {@link createPod}) or accept it by transaction
 * (see {@link acceptCovenant}).
 *
 * @example
 * ```ts
 * const { covenant, podId } = await prepareCovenant(troth, {
 *   title: "Spring pod",
 *   whenSomeoneMisses: "We ask what got in the way, and begin again.",
 *   members: [
 *     { address: alice, commitment: "Write 500 words a day" },
 *     { address: bob, commitment: "Run three times a week" },
 *   ],
 * });
 * ```
 */
export async function prepareCovenant(
  client: TrothClient,
  parameters: PrepareCovenantParameters,
): Promise<PrepareCovenantReturnType> {
  const { blobs, ...built } = await buildCovenant(client, parameters);
  await storeBlobs(client, blobs);
  return built;
}
