import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import { PodChangedError } from "../errors/client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, prepareWrite, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { loadKeyring } from "../internal/keys.ts";
import { splitToken } from "../internal/pod.ts";
import { snapshotHolds, toContractSignature } from "../internal/report.ts";
import { requireWitnesses, type WitnessSource, witnessAddresses, witnessSignatures } from "../internal/witness.ts";
import type { WitnessSignature } from "../types.ts";
import { encodeWitnessList } from "../witnessList.ts";
import type { PreparedCheckIn } from "./prepareCheckIn.ts";

export type SubmitCheckInParameters = WriteOptions & {
  /** What {@link prepareCheckIn} returned. */
  prepared: PreparedCheckIn;
  /** Witness signatures gathered over `prepared.typedData`, or wallets that sign now. */
  witnesses?: readonly WitnessSource[];
};
export type SubmitCheckInReturnType = Hash;
export type SubmitCheckInErrorType = TrothContractError | PodChangedError;

async function submit(client: TrothClient, { prepared, witnesses = [], account }: SubmitCheckInParameters) {
  const { tokenId, round, reportDigest, holder, snapshot } = prepared;
  const { podId } = splitToken(tokenId);
  const [holds, keyring, signatures] = await Promise.all([
    snapshotHolds(client, podId, snapshot),
    loadKeyring(client, snapshot.keyringDigest),
    witnessSignatures(client, { tokenId, round, reportDigest, witnesses }),
  ]);
  // The report was encrypted for the pod as it was then: if anyone joined or left since, it is not stored or sent.
  if (!holds) throw new PodChangedError({ podId });
  requireWitnesses(
    keyring.recipients.map((r) => r.member),
    holder,
    tokenId,
    round,
    witnessAddresses(witnesses),
  );
  const witnessList = encodeWitnessList(signatures.map(toContractSignature));
  const send = await prepareWrite(client, "checkIn", "checkIn", [tokenId, round, reportDigest, witnessList], account);
  await client.store.put(prepared.report);
  return { hash: await send(), witnesses: signatures };
}

/**
 * The second half of a check-in prepared with {@link prepareCheckIn}: checks the pod is as the report was encrypted
 * for, runs the preflight (a witness who is not a member, a closed round… raise typed errors), stores the encrypted
 * report and sends it with the witness signatures gathered; reaching quorum witnesses the round at once.
 *
 * @example
 * ```ts
 * const hash = await submitCheckIn(aliceTroth, { prepared, witnesses: [{ signer: bob, signature }] });
 * ```
 */
export async function submitCheckIn(
  client: TrothClient,
  parameters: SubmitCheckInParameters,
): Promise<SubmitCheckInReturnType> {
  return (await submit(client, parameters)).hash;
}

/**
 * {@link submitCheckIn}, then waits: returns whether the round is witnessed.
 *
 * @example
 * ```ts
 * const { witnessed } = await submitCheckInSync(aliceTroth, { prepared, witnesses });
 * ```
 */
export async function submitCheckInSync(client: TrothClient, parameters: SubmitCheckInParameters) {
  const { hash, witnesses } = await submit(client, parameters);
  const result = await waitForEvents(client, hash);
  const [checkedIn] = eventsNamed(result.events, "CheckedIn");
  return {
    ...result,
    reportDigest: parameters.prepared.reportDigest,
    witnessed: checkedIn.args.witnessed,
    witnesses: witnesses as WitnessSignature[],
  };
}
