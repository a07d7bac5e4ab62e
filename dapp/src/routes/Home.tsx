import { useAccount } from "wagmi";
import { useContinuity, useDueCheckIns, useMemberships, useVitality, useWitnessInbox } from "../hooks/reads.ts";
import { useNames } from "../hooks/useNames.ts";
import { roundLabel, when } from "../lib/format.ts";
import { idText, paths } from "../lib/links.ts";
import { Link } from "../lib/router.tsx";
import { headlineSignal } from "../lib/vitality.ts";
import { BeginAgain } from "../ui/BeginAgain.tsx";
import { Drafts } from "../ui/Drafts.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Gate } from "../ui/Gate.tsx";
import { PodTitle } from "../ui/PodTitle.tsx";

const statusWords = {
  none: "",
  scheduled: "starting soon",
  active: "active",
  paused: "paused",
  ended: "ended",
  dissolved: "dissolved",
} as const;

function PodCard({ podId }: { podId: bigint }) {
  const continuity = useContinuity(podId);
  const health = useVitality(podId);
  const name = useNames(podId);
  const headline = health.data && headlineSignal(health.data, name);
  return (
    <li className="card pod-card">
      <h3>
        <Link to={paths.pod(podId)}>
          <PodTitle podId={podId} />
        </Link>
      </h3>
      {continuity.data ? (
        <p>
          {statusWords[continuity.data.pod.status]} · {continuity.data.pod.activeCount} members
          {continuity.data.pod.started &&
            ` · ${roundLabel(continuity.data.pod.currentRound)} of ${continuity.data.pod.rounds}`}
        </p>
      ) : (
        <p>Loading…</p>
      )}
      {headline && <p className={`signal signal-${headline.tone}`}>{headline.text}</p>}
      <BeginAgain podId={podId} compact />
    </li>
  );
}

function Dashboard() {
  const { address } = useAccount();
  const memberships = useMemberships(address);
  const due = useDueCheckIns(address);
  const inbox = useWitnessInbox(address);
  return (
    <>
      <h1>My pods</h1>
      <section aria-labelledby="due-title" className="panel">
        <h2 id="due-title">Due now</h2>
        {due.isPending ? (
          <Loading what="what's due" />
        ) : due.data && due.data.length > 0 ? (
          <ul>
            {due.data.map((d) => (
              <li key={`${d.tokenId}-${d.round}`}>
                <Link to={paths.checkIn(d.podId)}>
                  Check in for {roundLabel(d.round)} of <PodTitle podId={d.podId} />
                </Link>{" "}
                by {when(d.closesAt)}
              </li>
            ))}
          </ul>
        ) : (
          <p>Nothing is due right now.</p>
        )}
        {inbox.data && inbox.data.length > 0 && (
          <p>
            <Link to={paths.inbox()}>
              {inbox.data.length === 1 ? "1 check-in waits" : `${inbox.data.length} check-ins wait`} for your witness
            </Link>
          </p>
        )}
      </section>
      <Drafts />
      <section aria-labelledby="pods-title">
        <h2 id="pods-title">Pods</h2>
        {memberships.isPending && <Loading what="your pods" />}
        <ErrorNote error={memberships.error} onRetry={() => memberships.refetch()} />
        {memberships.data?.length === 0 && (
          <p>
            You're not in a pod yet. <Link to={paths.newPod()}>Write a covenant with your partners</Link>, or open the
            link a partner sent you.
          </p>
        )}
        <ul className="cards">
          {memberships.data?.map((m) => (
            <PodCard key={idText(m.podId)} podId={m.podId} />
          ))}
        </ul>
      </section>
    </>
  );
}

export default function Home() {
  return (
    <>
      <Gate>
        <Dashboard />
      </Gate>
      <p className="quiet">
        Lost the wallet your commitment was in? <Link to={paths.recover()}>Recover it from a new wallet</Link>.
      </p>
    </>
  );
}
