import type { Account, Address, Hex } from "viem";
import { getAddress } from "viem";
import { requireAccount, type TrothClient } from "../client.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { type TrothTypedData, trothTypedData } from "../eip712.ts";
import type { StaleKeyringError } from "../errors/client.ts";
import type { DecryptionError, NotARecipientError } from "../errors/crypto.ts";
import type { DocumentValidationError } from "../errors/document.ts";
import { type TrothContractError, trothError } from "../errors/troth.ts";
import { splitToken } from "../internal/pod.ts";
import { requireRecordingFor } from "../internal/recording.ts";
import { type PodSnapshot, requireActive, sealReport, writingKey } from "../internal/report.ts";
import type { ReportInput } from "../types.ts";

export type PrepareCheckInParameters = {
  tokenId: bigint;
  round: number;
  /** What I said I'd do, what blocked or surprised me, what's next. Encrypted before it leaves this machine. */
  report: ReportInput;
  /** The member's identity key (to unwrap the pod key). */
  identity: IdentityKey;
  /** The member checking in; defaults to the client's wallet account. */
  account?: Account | Address;
};

/** A check-in ready for witnesses: the digest they sign, and what `submitCheckIn` sends. */
export type PreparedCheckIn = {
  tokenId: bigint;
  round: number;
  holder: Address;
  /** The digest of the encrypted report: what the transaction and every witness signature carry. */
  reportDigest: Hex;
  /** The EIP-712 message each witness signs (`wallet.signTypedData(prepared.typedData)`), e.g. during the meeting. */
  typedData: TrothTypedData<"Witness">;
  /** The encrypted report; stored by `submitCheckIn`, once it has checked the pod is as it was. */
  report: Uint8Array;
  /** The pod as the report was encrypted for it (who may read it). */
  snapshot: PodSnapshot;
};
export type PrepareCheckInReturnType = PreparedCheckIn;
export type PrepareCheckInErrorType =
  | TrothContractError
  | StaleKeyringError
  | NotARecipientError
  | DecryptionError
  | DocumentValidationError;

/**
 * The first half of a check-in whose witnesses sign before it is sent (the cheap path: one transaction carries the
 * check-in and its quorum): encrypts the report under the pod key and returns its digest and the message witnesses
 * sign. Nothing is stored or sent yet; {@link submitCheckIn} does both. A member who is not active, or a paused pod,
 * is refused here, before anyone is asked to sign.
 *
 * @example
 * ```ts
 * const prepared = await prepareCheckIn(aliceTroth, { tokenId, round: 3, identity, report });
 * const signature = await bobWallet.signTypedData({ account: bob, ...prepared.typedData }); // Bob, in the meeting
 * const hash = await submitCheckIn(aliceTroth, { prepared, witnesses: [{ signer: bob, signature }] });
 * ```
 */
export async function prepareCheckIn(
  client: TrothClient,
  { tokenId, round, report, identity, account }: PrepareCheckInParameters,
): Promise<PrepareCheckInReturnType> {
  const sender = requireAccount(client, account, "prepareCheckIn");
  const holder = getAddress(typeof sender === "string" ? sender : sender.address);
  const { podId, index } = splitToken(tokenId);
  const { podKey, pod } = await writingKey(client, podId, identity, (active, snapshot) => {
    requireActive(active, podId, holder);
    if (snapshot.paused) throw trothError("PodIsPaused", [podId], { preflight: true });
  });
  await requireRecordingFor(client, podKey, { member: index, round, report });
  const { blob, reportDigest } = sealReport(client, podKey, index, round, report);
  return {
    tokenId,
    round,
    holder,
    reportDigest,
    typedData: trothTypedData(client, "Witness", { tokenId, round, reportDigest }),
    report: blob,
    snapshot: pod,
  };
}
