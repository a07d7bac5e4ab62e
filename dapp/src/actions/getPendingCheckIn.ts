import { type TrothClient, trothLensAbi } from "@troth/sdk";
import { type Address, type Hex, zeroHash } from "viem";

export type GetPendingCheckInParameters = { tokenId: bigint; round: number };
export type GetPendingCheckInReturnType = { reportDigest: Hex; witnesses: Address[] } | null;

/** A check-in waiting for witnesses (its report digest and who has witnessed so far), or null. */
export async function getPendingCheckIn(
  client: TrothClient,
  { tokenId, round }: GetPendingCheckInParameters,
): Promise<GetPendingCheckInReturnType> {
  const [reportDigest, witnesses] = await client.publicClient.readContract({
    address: client.lens,
    abi: trothLensAbi,
    functionName: "pendingCheckIn",
    args: [tokenId, round],
  });
  return reportDigest === zeroHash ? null : { reportDigest, witnesses: [...witnesses] };
}
