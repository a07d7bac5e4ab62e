import { getContinuity, getMemberships, getPendingCheckIn, getRoundWindows, type TrothClient } from "@troth/sdk";
import { type Address, type Hex, isAddressEqual } from "viem";

export type GetWitnessInboxParameters = { account: Address };
export type WitnessRequest = {
  podId: bigint;
  tokenId: bigint;
  round: number;
  member: Address;
  reportDigest: Hex;
  /** Witnesses so far, and how many the round needs. */
  witnesses: Address[];
  quorum: number;
  closesAt: number;
};
export type GetWitnessInboxReturnType = WitnessRequest[];

/**
 * The check-ins in `account`'s pods that wait for witnesses and that `account` has not witnessed yet, the one
 * closing soonest first.
 */
export async function getWitnessInbox(
  client: TrothClient,
  { account }: GetWitnessInboxParameters,
): Promise<GetWitnessInboxReturnType> {
  const memberships = await getMemberships(client, { account });
  const perPod = await Promise.all(
    memberships.map(async ({ podId }) => {
      const { members, commitments } = await getContinuity(client, { podId });
      const me = members.find((m) => isAddressEqual(m.account, account));
      if (me?.status !== "active") return [];
      const waiting = commitments.flatMap((c) =>
        isAddressEqual(c.account, account)
          ? []
          : c.roundStates.flatMap((state, round) =>
              state === "reported" ? [{ tokenId: c.tokenId, member: c.account, round }] : [],
            ),
      );
      const requests = await Promise.all(
        waiting.map(async (w) => {
          const [pending, [window]] = await Promise.all([
            getPendingCheckIn(client, { tokenId: w.tokenId, round: w.round }),
            getRoundWindows(client, { podId, rounds: [w.round] }),
          ]);
          if (!pending.reportDigest || pending.witnesses.some((x) => isAddressEqual(x, account))) return [];
          return [
            {
              podId,
              ...w,
              reportDigest: pending.reportDigest,
              witnesses: pending.witnesses,
              quorum: window.quorum,
              closesAt: window.closesAt,
            },
          ];
        }),
      );
      return requests.flat();
    }),
  );
  return perPod.flat().sort((a, b) => a.closesAt - b.closesAt);
}
