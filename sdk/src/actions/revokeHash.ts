import { type Hash, type Hex, hashTypedData } from "viem";
import type { TrothClient } from "../client.ts";
import type { TrothPrimaryType, TrothTypedData } from "../eip712.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, type WriteOptions, waitForEvents, write } from "../internal/contract.ts";

export type RevokeHashParameters = WriteOptions &
  (
    | {
        /** The EIP-712 digest approved before (with `approveHash`, or by accepting a covenant by transaction). */
        digest: Hex;
      }
    | {
        /** The typed data whose digest was approved (a prepared change's `typedData`, a covenant's). */
        typedData: TrothTypedData<TrothPrimaryType>;
      }
  );
export type RevokeHashReturnType = Hash;
export type RevokeHashErrorType = TrothContractError;

/** The digest a revoke or approve names: given, or hashed from the typed data. */
export function digestOf(parameters: { digest: Hex } | { typedData: TrothTypedData<TrothPrimaryType> }): Hex {
  return "digest" in parameters ? parameters.digest : hashTypedData(parameters.typedData);
}

/**
 * Withdraws the sender's on-chain approval of a digest (one not yet used stops counting as their consent): a change
 * approved with {@link approveHash} and not yet submitted, or a covenant accepted by transaction before the pod was
 * created. Revoking a digest that was never approved does nothing.
 *
 * @example
 * ```ts
 * await revokeHash(bobTroth, { typedData: prepared.typedData });
 * ```
 */
export async function revokeHash(client: TrothClient, parameters: RevokeHashParameters): Promise<RevokeHashReturnType> {
  return write(client, "revokeHash", "revokeHash", [digestOf(parameters)], parameters.account);
}

/**
 * {@link revokeHash}, then waits for the receipt.
 *
 * @example
 * ```ts
 * const { digest } = await revokeHashSync(bobTroth, { digest });
 * ```
 */
export async function revokeHashSync(client: TrothClient, parameters: RevokeHashParameters) {
  const result = await waitForEvents(client, await revokeHash(client, parameters));
  const [revoked] = eventsNamed(result.events, "HashRevoked");
  return { ...result, signer: revoked.args.signer, digest: revoked.args.digest };
}
