import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, waitForEvents, write } from "../internal/contract.ts";
import { digestOf, type RevokeHashParameters } from "./revokeHash.ts";

export type ApproveHashParameters = RevokeHashParameters;
export type ApproveHashReturnType = Hash;
export type ApproveHashErrorType = TrothContractError;

/**
 * Consents on-chain instead of by signature: approves an EIP-712 digest (a prepared change's `typedData`, or its
 * digest), so the submit can pass `{ signer, signature: "0x" }` for the sender. {@link revokeHash} withdraws it
 * before it is used.
 *
 * @example
 * ```ts
 * await approveHash(bobTroth, { typedData: prepared.typedData });
 * await submitPause(aliceTroth, { prepared, signatures: [aliceWallet, { signer: bob, signature: "0x" }] });
 * ```
 */
export async function approveHash(
  client: TrothClient,
  parameters: ApproveHashParameters,
): Promise<ApproveHashReturnType> {
  return write(client, "approveHash", "approveHash", [digestOf(parameters)], parameters.account);
}

/**
 * {@link approveHash}, then waits for the receipt.
 *
 * @example
 * ```ts
 * const { digest } = await approveHashSync(bobTroth, { typedData: prepared.typedData });
 * ```
 */
export async function approveHashSync(client: TrothClient, parameters: ApproveHashParameters) {
  const result = await waitForEvents(client, await approveHash(client, parameters));
  const [approved] = eventsNamed(result.events, "HashApproved");
  return { ...result, signer: approved.args.signer, digest: approved.args.digest };
}
