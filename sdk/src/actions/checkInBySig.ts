import type { Hash } from "viem";
import { signerAddress, signTypedDataWith, type TrothClient, type TrothSigner } from "../client.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { trothTypedData } from "../eip712.ts";
import { eventsNamed, prepareWrite, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { buildCheckIn, sendCheckIn } from "../internal/report.ts";
import type { WitnessSource } from "../internal/witness.ts";
import type { ReportInput } from "../types.ts";
import type { CheckInErrorType } from "./checkIn.ts";

export type CheckInBySigParameters = WriteOptions & {
  tokenId: bigint;
  round: number;
  report: ReportInput;
  /** The holder's identity key. */
  identity: IdentityKey;
  /** The holder, who signs the `CheckIn` (the transaction is sent by the client's account, e.g. a relayer). */
  member: TrothSigner;
  witnesses?: readonly WitnessSource[];
};
export type CheckInBySigReturnType = Hash;
export type CheckInBySigErrorType = CheckInErrorType;

async function submit(client: TrothClient, parameters: CheckInBySigParameters) {
  const { tokenId, round } = parameters;
  const { result: hash, built } = await sendCheckIn(async (speculative) => {
    const built = await buildCheckIn(client, { ...parameters, holder: signerAddress(parameters.member), speculative });
    const memberSignature = await signTypedDataWith(
      parameters.member,
      trothTypedData(client, "CheckIn", { tokenId, round, reportDigest: built.reportDigest }),
    );
    const args = [tokenId, round, built.reportDigest, memberSignature, built.witnessList] as const;
    return { built, send: prepareWrite(client, "checkInBySig", "checkInBySig", args, parameters.account) };
  });
  return { hash, reportDigest: built.reportDigest, witnesses: built.witnesses };
}

/**
 * Checks in on the holder's behalf: the holder signs, anyone submits (a relayer pays the gas).
 *
 * @example
 * ```ts
 * const hash = await checkInBySig(relayerTroth, { tokenId, round: 1, identity, report, member: alice, witnesses: [bob] });
 * ```
 */
export async function checkInBySig(
  client: TrothClient,
  parameters: CheckInBySigParameters,
): Promise<CheckInBySigReturnType> {
  return (await submit(client, parameters)).hash;
}

/**
 * {@link checkInBySig}, then waits for the receipt.
 *
 * @example
 * ```ts
 * const { witnessed } = await checkInBySigSync(relayerTroth, { tokenId, round: 1, identity, report, member: alice });
 * ```
 */
export async function checkInBySigSync(client: TrothClient, parameters: CheckInBySigParameters) {
  const { hash, reportDigest, witnesses } = await submit(client, parameters);
  const result = await waitForEvents(client, hash);
  const [checkedIn] = eventsNamed(result.events, "CheckedIn");
  return { ...result, reportDigest, witnessed: checkedIn.args.witnessed, witnesses };
}
