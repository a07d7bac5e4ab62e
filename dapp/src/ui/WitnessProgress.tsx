import { useQuery } from "@tanstack/react-query";
import { splitTokenId } from "@troth/sdk";
import { isAddressEqual } from "viem";
import { useContinuity } from "../hooks/reads.ts";
import { shortAddress } from "../lib/format.ts";
import { useTroth } from "../lib/troth.tsx";
import { pendingCheckInQueryOptions } from "../queries/index.ts";

/** Where a check-in stands: who has witnessed it, and whether it has its quorum. Follows the chain as it changes (see useFollowChain). */
export function WitnessProgress({ tokenId, round }: { tokenId: bigint; round: number }) {
  const { client } = useTroth();
  const { podId } = splitTokenId(tokenId);
  const continuity = useContinuity(podId);
  const pending = useQuery(pendingCheckInQueryOptions(client, { tokenId, round }));
  const commitment = continuity.data?.commitments.find((c) => c.tokenId === tokenId);
  const witnessed = commitment?.roundStates[round] === "witnessed";
  const members = continuity.data?.members ?? [];
  const name = (a: `0x${string}`) => shortAddress(members.find((m) => isAddressEqual(m.account, a))?.account ?? a);
  return (
    <p className={witnessed ? "witnessed" : "waiting"} role="status" aria-live="polite">
      {witnessed
        ? "Witnessed. Thank you for showing up."
        : pending.data && pending.data.witnesses.length > 0
          ? `Witnessed so far by ${pending.data.witnesses.map(name).join(", ")}; waiting for ${Math.max(0, (continuity.data?.pod.quorum ?? 1) - pending.data.witnesses.length)} more.`
          : "Waiting for a witness."}
    </p>
  );
}
