import { useAccount } from "wagmi";
import { useWitnessInbox } from "../hooks/reads.ts";
import { roundLabel, shortAddress, when } from "../lib/format.ts";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Gate } from "../ui/Gate.tsx";
import { PodTitle } from "../ui/PodTitle.tsx";
import { WitnessPanel } from "../ui/WitnessPanel.tsx";

function InboxList() {
  const { address } = useAccount();
  const inbox = useWitnessInbox(address);
  if (inbox.error) return <ErrorNote error={inbox.error} onRetry={() => inbox.refetch()} />;
  if (!inbox.data) return <Loading what="check-ins waiting for you" />;
  if (inbox.data.length === 0) return <p>No check-in is waiting for your witness. Thank you for being there.</p>;
  return (
    <ul className="inbox">
      {inbox.data.map((r) => (
        <li key={`${r.tokenId}-${r.round}`} className="card">
          <h2>
            {shortAddress(r.member)} · {roundLabel(r.round)} of <PodTitle podId={r.podId} />
          </h2>
          <p className="quiet">
            {r.witnesses.length} of {r.quorum} witnesses so far · open until {when(r.closesAt)}
          </p>
          <WitnessPanel tokenId={r.tokenId} round={r.round} reportDigest={r.reportDigest} member={r.member} />
        </li>
      ))}
    </ul>
  );
}

export default function Inbox() {
  return (
    <>
      <h1>Witness your partners</h1>
      <p className="lead">
        Check-ins from your pods that wait for you. Witnessing says it happened; it never judges how it went.
      </p>
      <Gate>
        <InboxList />
      </Gate>
    </>
  );
}
