import { type TrothClient, trothLensAbi } from "@troth/sdk";

export type GetRoundWindowsParameters = { podId: bigint; rounds: readonly number[] };
export type RoundWindow = { round: number; opensAt: number; closesAt: number; quorum: number };
export type GetRoundWindowsReturnType = RoundWindow[];

/** When each round opens and closes (grace included), as the schedule stands now (the lens's `roundWindow`). */
export async function getRoundWindows(
  client: TrothClient,
  { podId, rounds }: GetRoundWindowsParameters,
): Promise<GetRoundWindowsReturnType> {
  return Promise.all(
    rounds.map(async (round) => {
      const w = await client.publicClient.readContract({
        address: client.lens,
        abi: trothLensAbi,
        functionName: "roundWindow",
        args: [podId, round],
      });
      return { round, opensAt: Number(w.opensAt), closesAt: Number(w.closesAt), quorum: Number(w.quorum) };
    }),
  );
}
