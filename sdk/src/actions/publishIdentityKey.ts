import type { Hash } from "viem";
import { signerAddress, signMessageWith, type TrothClient, type TrothSigner } from "../client.ts";
import { deriveIdentityKey, type IdentityKey } from "../crypto/identity.ts";
import type { NonDeterministicSignerError } from "../errors/crypto.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, type WriteOptions, waitForEvents, write } from "../internal/contract.ts";

/**
 * Derives a member's identity key with their wallet (two signatures of the fixed message, compared, so a wallet that
 * does not sign deterministically is refused).
 *
 * @example
 * ```ts
 * const identity = await getIdentityKey(walletClient);
 * ```
 */
export async function getIdentityKey(signer: TrothSigner): Promise<IdentityKey> {
  return deriveIdentityKey({
    address: signerAddress(signer),
    signMessage: (message) => signMessageWith(signer, message),
  });
}

export type PublishIdentityKeyParameters = WriteOptions & { identity: IdentityKey };
export type PublishIdentityKeyReturnType = Hash;
export type PublishIdentityKeyErrorType = TrothContractError | NonDeterministicSignerError;

/**
 * Publishes the identity key's public half to the on-chain key registry, so partners can wrap pod keys for it.
 *
 * @example
 * ```ts
 * const identity = await getIdentityKey(walletClient);
 * const hash = await publishIdentityKey(troth, { identity });
 * ```
 */
export async function publishIdentityKey(
  client: TrothClient,
  { identity, account }: PublishIdentityKeyParameters,
): Promise<PublishIdentityKeyReturnType> {
  return write(
    client,
    "publishIdentityKey",
    "publishEncryptionKey",
    [identity.publicKeyHex],
    account ?? identity.address,
  );
}

/**
 * {@link publishIdentityKey}, then waits for the receipt.
 *
 * @example
 * ```ts
 * const { key } = await publishIdentityKeySync(troth, { identity });
 * ```
 */
export async function publishIdentityKeySync(client: TrothClient, parameters: PublishIdentityKeyParameters) {
  const result = await waitForEvents(client, await publishIdentityKey(client, parameters));
  const [published] = eventsNamed(result.events, "EncryptionKeyPublished");
  return { ...result, key: published.args.key };
}
