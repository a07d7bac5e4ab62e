import { splitTokenId, type TrothClient, trothAbi } from "@troth/sdk";
import { type Address, getAddress, zeroAddress } from "viem";

export type GetMembershipsParameters = { account: Address };
export type Membership = { podId: bigint; tokenId: bigint };
export type GetMembershipsReturnType = Membership[];

/** Every commitment ever minted to `account` (one per pod it joined), newest first. */
export async function getMemberships(
  client: TrothClient,
  { account }: GetMembershipsParameters,
): Promise<GetMembershipsReturnType> {
  const logs = await client.publicClient.getContractEvents({
    address: client.address,
    abi: trothAbi,
    eventName: "Transfer",
    args: { from: zeroAddress, to: getAddress(account) },
    fromBlock: client.startBlock,
  });
  return logs
    .map((log) => {
      const tokenId = log.args.tokenId as bigint;
      return { podId: splitTokenId(tokenId).podId, tokenId };
    })
    .reverse();
}
