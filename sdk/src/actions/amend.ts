import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import { type CovenantDocument, sealDocument } from "../crypto/documents.ts";
import { NO_SLOT } from "../crypto/envelope.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import type { MissingSignerError, StaleKeyringError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, prepareWrite, readTroth, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { type ConsentParameters, governanceContext, podConsents } from "../internal/governance.ts";
import { openPodDocument } from "../internal/read.ts";
import { writingKey } from "../internal/report.ts";
import { blobRef } from "../storage/cid.ts";

export type AmendParameters = WriteOptions &
  ConsentParameters & {
    podId: bigint;
    /** New terms; each defaults to the current one. They apply from the round after the one open now. */
    cadence?: number;
    grace?: number;
    quorum?: number;
    /** New wording of the covenant (title, what the pod does when someone misses). */
    changes?: Partial<Pick<CovenantDocument, "title" | "whenSomeoneMisses">>;
    /** The identity key of the member preparing the amendment (to read and re-encrypt the covenant). */
    identity: IdentityKey;
  };
export type AmendReturnType = Hash;
export type AmendErrorType = TrothContractError | MissingSignerError | StaleKeyringError;

async function submit(client: TrothClient, parameters: AmendParameters) {
  const { podId, identity, changes, signers, account } = parameters;
  const [context, state, { podKey }] = await Promise.all([
    governanceContext(client, podId, parameters.deadline),
    readTroth(client, "podState", [podId]),
    writingKey(client, podId, identity),
  ]);
  const current = await openPodDocument(client, {
    podId,
    digest: context.record.covenantDigest,
    kind: "covenant",
    member: NO_SLOT,
    round: NO_SLOT,
    identity,
    keyringDigest: context.record.keyringDigest,
  });
  const terms = {
    cadence: parameters.cadence ?? state.cadence,
    grace: parameters.grace ?? state.grace,
    quorum: parameters.quorum ?? state.quorum,
  };
  // The amended covenant is written under the current epoch, so everyone in the pod now (newcomers too) can read it.
  const document: CovenantDocument = { ...current, ...changes, terms: { ...current.terms, ...terms } };
  const blob = sealDocument(document, {
    key: podKey.key,
    slot: { pod: podKey.pod, epoch: podKey.epoch, kind: "covenant", member: NO_SLOT, round: NO_SLOT },
    random: client.random,
  });
  const amendment = { ...terms, covenantDigest: blobRef(blob).digest };
  const message = { podId, ...amendment, nonce: context.nonce, deadline: context.deadline };
  const consents = await podConsents(client, { members: context.members, signers, primaryType: "Amend", message });
  const send = await prepareWrite(client, "amend", "amend", [podId, amendment, context.deadline, consents], account);
  await client.store.put(blob);
  return send();
}

/**
 * Amends the pod's terms (cadence, grace, quorum, covenant wording) with every active member's consent, from the
 * next round on. The covenant document is rewritten and re-encrypted under the current key epoch.
 *
 * @example
 * ```ts
 * const hash = await amend(troth, { podId, cadence: 14 * 86_400, identity, signers: [alice, bob, carol] });
 * ```
 */
export async function amend(client: TrothClient, parameters: AmendParameters): Promise<AmendReturnType> {
  return submit(client, parameters);
}

/**
 * {@link amend}, then waits: returns the round the new terms start at.
 *
 * @example
 * ```ts
 * const { fromRound } = await amendSync(troth, { podId, quorum: 2, identity, signers });
 * ```
 */
export async function amendSync(client: TrothClient, parameters: AmendParameters) {
  const result = await waitForEvents(client, await submit(client, parameters));
  return { ...result, fromRound: eventsNamed(result.events, "PodAmended")[0].args.fromRound };
}
