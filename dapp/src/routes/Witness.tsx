import { splitTokenId } from "@troth/sdk";
import { isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { useContinuity, usePendingCheckIn } from "../hooks/reads.ts";
import { roundLabel, shortAddress } from "../lib/format.ts";
import { parseId, paths } from "../lib/links.ts";
import { Link } from "../lib/router.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Gate } from "../ui/Gate.tsx";
import { WitnessPanel } from "../ui/WitnessPanel.tsx";

function WitnessLink({ tokenId, round }: { tokenId: bigint; round: number }) {
  const { address } = useAccount();
  const { podId } = splitTokenId(tokenId);
  const continuity = useContinuity(podId);
  const pending = usePendingCheckIn(tokenId, round);
  if (continuity.error || pending.error) return <ErrorNote error={continuity.error ?? pending.error} />;
  if (!continuity.data || pending.isPending) return <Loading what="the check-in" />;
  const commitment = continuity.data.commitments.find((c) => c.tokenId === tokenId);
  if (!commitment) return <p role="alert">This check-in isn't part of a pod on this network.</p>;
  const member = commitment.account;
  if (address && isAddressEqual(address, member)) {
    return <p>This is your own check-in: share this link with a partner so they can witness it.</p>;
  }
  if (commitment.roundStates[round] === "witnessed") {
    return (
      <p role="status">
        This check-in has been witnessed already. <Link to={paths.pod(podId)}>Go to the pod</Link>
      </p>
    );
  }
  const reportDigest = pending.data.reportDigest;
  if (!reportDigest)
    return (
      <p role="status">
        This check-in isn't waiting for a witness (it may not be submitted yet, or its round has closed).
      </p>
    );
  return (
    <>
      <p className="lead">
        {shortAddress(member)} checked in for {roundLabel(round)}. Read it, then witness that it happened.
      </p>
      <WitnessPanel tokenId={tokenId} round={round} reportDigest={reportDigest} member={member} />
    </>
  );
}

export default function Witness({ params }: { params: Record<string, string> }) {
  const tokenId = parseId(params.tokenId);
  const round = Number(params.round);
  const valid = tokenId !== undefined && Number.isInteger(round) && round >= 0 && round < 64;
  return (
    <>
      <h1>Witness a check-in</h1>
      {valid ? (
        <Gate>
          <WitnessLink tokenId={tokenId} round={round} />
        </Gate>
      ) : (
        <p role="alert">This witness link is damaged. Ask for it again.</p>
      )}
    </>
  );
}
