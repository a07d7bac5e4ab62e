import { type TrothClient, trothAbi } from "@troth/sdk";
import { type Address, type Hex, zeroHash } from "viem";

export type GetPublishedKeyParameters = { account: Address };
export type GetPublishedKeyReturnType = Hex | null;

/** The identity key `account` published in the key registry, or null when it has not set up Troth yet. */
export async function getPublishedKey(
  client: TrothClient,
  { account }: GetPublishedKeyParameters,
): Promise<GetPublishedKeyReturnType> {
  const key = await client.publicClient.readContract({
    address: client.address,
    abi: trothAbi,
    functionName: "encryptionKey",
    args: [account],
  });
  return key === zeroHash ? null : key;
}
