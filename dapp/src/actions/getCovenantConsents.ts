import { type TrothClient, trothAbi } from "@troth/sdk";
import type { Address } from "viem";

export type GetCovenantConsentsParameters = { podId: bigint };
export type GetCovenantConsentsReturnType = { accepted: Address[]; created: boolean };

/** Who has accepted a proposed covenant on-chain, and whether the pod exists (it does once everyone has). */
export async function getCovenantConsents(
  client: TrothClient,
  { podId }: GetCovenantConsentsParameters,
): Promise<GetCovenantConsentsReturnType> {
  const [accepted, created] = await Promise.all([
    client.publicClient.getContractEvents({
      address: client.address,
      abi: trothAbi,
      eventName: "CovenantAccepted",
      args: { podId },
      fromBlock: client.startBlock,
    }),
    client.publicClient.getContractEvents({
      address: client.address,
      abi: trothAbi,
      eventName: "PodCreated",
      args: { podId },
      fromBlock: client.startBlock,
    }),
  ]);
  return { accepted: accepted.map((log) => log.args.member as Address), created: created.length > 0 };
}
