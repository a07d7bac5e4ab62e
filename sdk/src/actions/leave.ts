import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, type WriteOptions, waitForEvents, write } from "../internal/contract.ts";

export type LeaveParameters = WriteOptions & { tokenId: bigint };
export type LeaveReturnType = Hash;
export type LeaveErrorType = TrothContractError;

/**
 * Leaves a pod. The member's history stays; afterwards any remaining member runs `rotateKeyring` so the one who left
 * reads nothing written after (the SDK refuses to write under a keyring that still includes them).
 *
 * @example
 * ```ts
 * await leave(carolTroth, { tokenId: carolToken });
 * await rotateKeyring(aliceTroth, { podId });
 * ```
 */
export async function leave(client: TrothClient, { tokenId, account }: LeaveParameters): Promise<LeaveReturnType> {
  return write(client, "leave", "leave", [tokenId], account);
}

/**
 * {@link leave}, then waits: returns the round the member's span ends at (exclusive).
 *
 * @example
 * ```ts
 * const { endRound } = await leaveSync(carolTroth, { tokenId: carolToken });
 * ```
 */
export async function leaveSync(client: TrothClient, parameters: LeaveParameters) {
  const result = await waitForEvents(client, await leave(client, parameters));
  return { ...result, endRound: eventsNamed(result.events, "MemberLeft")[0].args.endRound };
}
