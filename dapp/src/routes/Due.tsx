import { useAccount } from "wagmi";
import { useContinuity, useDueCheckIns, useMemberships, useWitnessInbox } from "../hooks/reads.ts";
import { roundLabel, shortAddress, when } from "../lib/format.ts";
import { idText, paths } from "../lib/links.ts";
import { Link } from "../lib/router.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Gate } from "../ui/Gate.tsx";
import { IcsButton } from "../ui/IcsButton.tsx";
import { PodTitle } from "../ui/PodTitle.tsx";

function PodCalendar({ podId }: { podId: bigint }) {
  const continuity = useContinuity(podId);
  if (!continuity.data || continuity.data.pod.status === "ended" || continuity.data.pod.status === "dissolved")
    return null;
  return (
    <li>
      <PodTitle podId={podId} />: <IcsButton podId={podId} title={`Troth pod ${idText(podId).slice(0, 8)}`} />
    </li>
  );
}

function Reminders() {
  const { address } = useAccount();
  const due = useDueCheckIns(address);
  const inbox = useWitnessInbox(address);
  const memberships = useMemberships(address);
  return (
    <>
      <section className="panel" aria-labelledby="checkins-title">
        <h2 id="checkins-title">Your check-ins</h2>
        <ErrorNote error={due.error} onRetry={() => due.refetch()} />
        {!due.data ? (
          <Loading what="your rounds" />
        ) : due.data.length === 0 ? (
          <p>Nothing is due right now.</p>
        ) : (
          <ul>
            {due.data.map((d) => (
              <li key={`${d.tokenId}-${d.round}`}>
                <Link to={paths.checkIn(d.podId)}>
                  {roundLabel(d.round)} of <PodTitle podId={d.podId} />
                </Link>
                : open until {when(d.closesAt)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="witness-title">
        <h2 id="witness-title">Partners waiting for your witness</h2>
        {!inbox.data ? (
          <Loading what="your partners' check-ins" />
        ) : inbox.data.length === 0 ? (
          <p>No one is waiting for you.</p>
        ) : (
          <ul>
            {inbox.data.map((r) => (
              <li key={`${r.tokenId}-${r.round}`}>
                <Link to={paths.inbox()}>
                  {shortAddress(r.member)}, {roundLabel(r.round)}
                </Link>
                : open until {when(r.closesAt)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="calendar-title">
        <h2 id="calendar-title">Calendar</h2>
        <p>
          Each round becomes an event from when it opens until it closes, grace included, with a reminder the day
          before.
        </p>
        <ul>
          {memberships.data?.map((m) => (
            <PodCalendar key={idText(m.podId)} podId={m.podId} />
          ))}
        </ul>
      </section>
    </>
  );
}

export default function Due() {
  return (
    <>
      <h1>Due now</h1>
      <Gate identity={false}>
        <Reminders />
      </Gate>
    </>
  );
}
