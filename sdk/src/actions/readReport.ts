import type { Hex } from "viem";
import type { TrothClient } from "../client.ts";
import type { ReportDocument } from "../crypto/documents.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { type LogQueryError, ReportNotFoundError } from "../errors/client.ts";
import { readTrothEvents } from "../internal/logs.ts";
import { splitToken } from "../internal/pod.ts";
import { openPodDocument } from "../internal/read.ts";
import type { ReadCovenantErrorType } from "./readCovenant.ts";

export type ReadReportParameters = {
  tokenId: bigint;
  round: number;
  identity: IdentityKey;
  /** The report's digest, if known (otherwise found in the `CheckedIn` log). */
  reportDigest?: Hex;
};
export type ReadReportReturnType = ReportDocument & { reportDigest: Hex };
export type ReadReportErrorType = ReadCovenantErrorType | ReportNotFoundError | LogQueryError;

/**
 * Fetches and decrypts a member's check-in report for a round.
 *
 * @example
 * ```ts
 * const report = await readReport(bobTroth, { tokenId: aliceToken, round: 0, identity: bobIdentity });
 * console.log(report.said, report.blocked, report.next);
 * ```
 */
export async function readReport(client: TrothClient, parameters: ReadReportParameters): Promise<ReadReportReturnType> {
  const { tokenId, round, identity } = parameters;
  let reportDigest = parameters.reportDigest;
  if (!reportDigest) {
    const logs = await readTrothEvents(client, { eventName: "CheckedIn", args: { tokenId } });
    reportDigest = logs.find((log) => log.args.round === round)?.args.reportDigest;
    if (!reportDigest) throw new ReportNotFoundError({ tokenId, round });
  }
  const { podId, index } = splitToken(tokenId);
  const report = await openPodDocument(client, {
    podId,
    digest: reportDigest,
    kind: "report",
    member: index,
    round,
    identity,
  });
  return { ...report, reportDigest };
}
