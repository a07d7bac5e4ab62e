import type { Hash } from "viem";
import { requireAccount, type TrothClient } from "../client.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import type { StaleKeyringError } from "../errors/client.ts";
import type { DecryptionError, NotARecipientError } from "../errors/crypto.ts";
import type { DocumentValidationError } from "../errors/document.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, prepareWrite, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { buildCheckIn, sendCheckIn } from "../internal/report.ts";
import type { WitnessSource } from "../internal/witness.ts";
import type { ReportInput, WitnessSignature } from "../types.ts";

export type CheckInParameters = WriteOptions & {
  tokenId: bigint;
  round: number;
  /** What I said I'd do, what blocked or surprised me, what's next. Encrypted before it leaves this machine. */
  report: ReportInput;
  /** The member's identity key (to unwrap the pod key). */
  identity: IdentityKey;
  /** Witnesses who sign now (their wallets) or signed already; reaching quorum witnesses the round at once. */
  witnesses?: readonly WitnessSource[];
};
export type CheckInReturnType = Hash;
export type CheckInErrorType =
  | TrothContractError
  | StaleKeyringError
  | NotARecipientError
  | DecryptionError
  | DocumentValidationError;

async function submit(client: TrothClient, parameters: CheckInParameters) {
  const account = requireAccount(client, parameters.account, "checkIn");
  const { result: hash, built } = await sendCheckIn(async (speculative) => {
    const built = await buildCheckIn(client, { ...parameters, holder: account, speculative });
    const args = [parameters.tokenId, parameters.round, built.reportDigest, built.witnessList] as const;
    return { built, send: prepareWrite(client, "checkIn", "checkIn", args, account) };
  });
  return { hash, reportDigest: built.reportDigest, witnesses: built.witnesses };
}

/**
 * Checks in for a round: encrypts the report under the pod key, collects the witnesses' signatures, checks the
 * transaction against the chain (a closed round, a non-member witness… raise typed errors and nothing is stored or
 * sent), stores the encrypted report and submits.
 *
 * @example
 * ```ts
 * const hash = await checkIn(aliceTroth, {
 *   tokenId,
 *   round: 0,
 *   identity: aliceIdentity,
 *   report: { said: "Write 500 words a day", blocked: "A cold on Tuesday", next: "Mornings, not evenings" },
 *   witnesses: [bob],
 * });
 * ```
 */
export async function checkIn(client: TrothClient, parameters: CheckInParameters): Promise<CheckInReturnType> {
  return (await submit(client, parameters)).hash;
}

export type CheckInSyncReturnType = Awaited<ReturnType<typeof waitForEvents>> & {
  reportDigest: `0x${string}`;
  /** True when the witnesses given reached quorum. */
  witnessed: boolean;
  witnesses: WitnessSignature[];
};

/**
 * {@link checkIn}, then waits: returns the report digest and whether the round is witnessed.
 *
 * @example
 * ```ts
 * const { witnessed, reportDigest } = await checkInSync(aliceTroth, { tokenId, round: 0, identity, report, witnesses: [bob] });
 * ```
 */
export async function checkInSync(client: TrothClient, parameters: CheckInParameters): Promise<CheckInSyncReturnType> {
  const { hash, reportDigest, witnesses } = await submit(client, parameters);
  const result = await waitForEvents(client, hash);
  const [checkedIn] = eventsNamed(result.events, "CheckedIn");
  return { ...result, reportDigest, witnessed: checkedIn.args.witnessed, witnesses };
}
