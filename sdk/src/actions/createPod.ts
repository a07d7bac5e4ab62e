import type { Hash } from "viem";
import type { ConsentSource, TrothClient } from "../client.ts";
import { tokenIdOf } from "../eip712.ts";
import type { MissingEncryptionKeyError, MissingSignerError } from "../errors/client.ts";
import type { DocumentValidationError } from "../errors/document.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { collectConsents } from "../internal/consent.ts";
import { eventsNamed, prepareWrite, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { buildCovenant, type CovenantTerms, storeBlobs } from "../internal/covenant.ts";

export type CreatePodParameters = CovenantTerms &
  WriteOptions & {
    /**
     * One consent per member: their wallet (it signs the covenant now), a signature they made, or an empty signature
     * for a member who accepted the covenant on-chain.
     */
    signers: readonly ConsentSource[];
  };
export type CreatePodReturnType = Hash;
export type CreatePodErrorType =
  | MissingEncryptionKeyError
  | MissingSignerError
  | DocumentValidationError
  | TrothContractError;

async function submit(client: TrothClient, parameters: CreatePodParameters) {
  const built = await buildCovenant(client, parameters);
  const signatures = await collectConsents(client, {
    required: built.covenant.members,
    sources: parameters.signers,
    primaryType: "Covenant",
    message: built.covenant,
    what: "the covenant",
  });
  const send = await prepareWrite(
    client,
    "createPod",
    "createPod",
    [built.covenant, signatures.map((s) => s.signature)],
    parameters.account,
  );
  // Only a covenant the chain would accept gets its blobs stored.
  await storeBlobs(client, built.blobs);
  return { hash: await send(), built };
}

/**
 * Creates a pod in one transaction: builds the covenant (documents encrypted under a fresh pod key wrapped for every
 * member's published identity key), stores the blobs, collects every member's consent and submits.
 *
 * @example
 * ```ts
 * const hash = await createPod(troth, {
 *   title: "Spring pod",
 *   whenSomeoneMisses: "We ask what got in the way, and begin again.",
 *   members: [
 *     { address: alice.account.address, commitment: "Write 500 words a day" },
 *     { address: bob.account.address, commitment: "Run three times a week" },
 *   ],
 *   signers: [alice, bob],
 * });
 * ```
 */
export async function createPod(client: TrothClient, parameters: CreatePodParameters): Promise<CreatePodReturnType> {
  return (await submit(client, parameters)).hash;
}

/**
 * {@link createPod}, then waits for the receipt: returns the pod id, the token ids and the covenant.
 *
 * @example
 * ```ts
 * const { podId, tokenIds } = await createPodSync(troth, { ...terms, signers: [alice, bob] });
 * ```
 */
export async function createPodSync(client: TrothClient, parameters: CreatePodParameters) {
  const { hash, built } = await submit(client, parameters);
  const result = await waitForEvents(client, hash);
  const [created] = eventsNamed(result.events, "PodCreated");
  const podId = created.args.podId;
  return {
    ...result,
    podId,
    tokenIds: built.covenant.members.map((_, i) => tokenIdOf(podId, i)),
    covenant: built.covenant,
  };
}
