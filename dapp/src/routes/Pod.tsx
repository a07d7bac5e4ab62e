import type { CommitmentContinuity, RoundState } from "@troth/sdk";
import { formatPodIdShort } from "@troth/sdk";
import { type Address, isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { useContinuity, useCovenant, useRoundWindows, useSpeakingOrder, useVitality } from "../hooks/reads.ts";
import { useNames } from "../hooks/useNames.ts";
import { duration, roundLabel, stillSeated, when } from "../lib/format.ts";
import { useIdentity } from "../lib/identity.tsx";
import { parseId, paths } from "../lib/links.ts";
import { Link } from "../lib/router.tsx";
import { vitalityWords } from "../lib/vitality.ts";
import { BeginAgain } from "../ui/BeginAgain.tsx";
import { Claims } from "../ui/Claims.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { ConnectPanel, UnlockPanel } from "../ui/Gate.tsx";
import { IcsButton } from "../ui/IcsButton.tsx";
import { MeetingButton } from "../ui/MeetingButton.tsx";
import { PodMirror } from "../ui/PodMirror.tsx";
import { PodNotes } from "../ui/PodNotes.tsx";
import { ReplantCard } from "../ui/ReplantCard.tsx";
import { Ring, RingLegend } from "../ui/Ring.tsx";

/**
 * What a member owes this round, in words: due until when, checked in and waiting, witnessed. The close comes from the
 * round's own window: a round keeps the grace of the terms it opened under, even after an amendment.
 */
function dueText(c: CommitmentContinuity, rounds: readonly { round: number; closesAt: number }[]): string {
  for (const w of rounds) {
    const state: RoundState | undefined = c.roundStates[w.round];
    if (state === "open") return `Due for ${roundLabel(w.round)} by ${when(w.closesAt)} (grace included)`;
    if (state === "reported")
      return `Checked in for ${roundLabel(w.round)}; waiting for a witness until ${when(w.closesAt)}`;
  }
  const current = rounds.at(-1);
  if (current && c.roundStates[current.round] === "witnessed") return `Witnessed for ${roundLabel(current.round)}`;
  if (current && c.roundStates[current.round] === "paused") return "Paused";
  return "Nothing due";
}

/**
 * What someone who is not (yet) reading as a member sees: the public continuity below, and how to read the rest.
 * Connecting and unlocking shows a member their pod; anyone else keeps the public view and the audit page.
 */
function VisitorPrompt({ isMember }: { isMember: boolean }) {
  const { isConnected } = useAccount();
  const { identity } = useIdentity();
  if (!isConnected) return <ConnectPanel title="Are you in this pod? Connect your wallet to read it and check in" />;
  if (isMember && !identity) return <UnlockPanel />;
  if (!isMember)
    return (
      <p className="panel">
        This wallet isn't a member of this pod. What you see is its public continuity: rounds and witnesses, never what
        members wrote.
      </p>
    );
  return null;
}

function PodHome({ podId }: { podId: bigint }) {
  const { address } = useAccount();
  const { identity } = useIdentity();
  const continuity = useContinuity(podId);
  const covenant = useCovenant(podId);
  const pod = continuity.data?.pod;
  const current = pod?.started ? pod.currentRound : undefined;
  const openRounds = current === undefined ? [] : current > 0 ? [current - 1, current] : [current];
  const windows = useRoundWindows(podId, openRounds);
  const order = useSpeakingOrder(podId, current);
  const vitality = useVitality(podId);
  const name = useNames(
    podId,
    continuity.data?.commitments.map((c) => c.account),
  );

  if (continuity.error) return <ErrorNote error={continuity.error} onRetry={() => continuity.refetch()} />;
  if (!continuity.data || !pod) return <Loading what="the pod" />;
  const { commitments } = continuity.data;
  const doc = covenant.data;
  const commitmentOf = (a: Address) => doc?.members.find((m) => isAddressEqual(m.address, a))?.commitment;
  const mine = address ? commitments.find((c) => isAddressEqual(c.account, address) && stillSeated(c)) : undefined;
  const iOwe = mine && openRounds.some((r) => mine.roundStates[r] === "open");
  const active = commitments.filter(stillSeated);
  const reading = !!mine && !!identity;
  const title = doc?.title ?? `Pod ${formatPodIdShort(podId)}`;

  return (
    <>
      <h1>{title}</h1>
      {!reading && <VisitorPrompt isMember={!!mine} />}
      <p className="lead">
        {pod.status === "scheduled" && `Starts ${when(pod.start)}.`}
        {pod.started &&
          `${roundLabel(pod.currentRound)[0].toUpperCase()}${roundLabel(pod.currentRound).slice(1)} of ${pod.rounds}. `}
        {pod.status === "paused" && "Paused. "}
        {pod.status === "ended" && "This cycle has ended. "}
        Meeting every {duration(pod.cadence)}, with {duration(pod.grace)} of grace;{" "}
        {pod.quorum === 1 ? "one witness" : `${pod.quorum} witnesses`} per check-in.
      </p>
      <BeginAgain podId={podId} />
      <div className="actions">
        <MeetingButton podId={podId} member={!!mine && pod.started} />
        {iOwe && (
          <Link to={paths.checkIn(podId)} className="button primary">
            Check in now
          </Link>
        )}
        {!iOwe && mine?.roundStates.includes("reported") && (
          <Link to={paths.checkIn(podId)} className="button">
            My witness link
          </Link>
        )}
        {mine && (
          <>
            <Link to={paths.inbox()} className="button">
              Witness partners
            </Link>
            <Link to={paths.manage(podId)} className="button">
              Pause, change or leave
            </Link>
          </>
        )}
        <Link to={paths.audit(podId)} className="button">
          Public audit page
        </Link>
      </div>

      <Claims podId={podId} name={name} />

      <section aria-labelledby="signals-title" className="panel">
        <h2 id="signals-title">How the pod is doing</h2>
        {vitality.data ? (
          <ul className="signals">
            {vitalityWords(vitality.data, name).map((s) => (
              <li key={s.text} className={`signal signal-${s.tone}`}>
                {s.text}
              </li>
            ))}
          </ul>
        ) : (
          <Loading what="the pod's signals" />
        )}
        <ErrorNote error={vitality.error} onRetry={() => vitality.refetch()} />
      </section>

      <PodMirror podId={podId} commitments={commitments} name={name} />
      <ReplantCard podId={podId} member={!!mine} />

      {current !== undefined && (
        <section aria-labelledby="order-title">
          <h2 id="order-title">Speaking order this round</h2>
          {order.data ? (
            <ol className="order">
              {order.data.map((a) => (
                <li key={a}>{name(a)}</li>
              ))}
            </ol>
          ) : (
            <Loading what="the speaking order" />
          )}
        </section>
      )}

      <section aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <ul className="member-cards">
          {active.map((c) => (
            <li key={c.tokenId.toString()} className="card member-card">
              <Ring states={c.roundStates} label={name(c.account)} />
              <div>
                <h3>{name(c.account)}</h3>
                {commitmentOf(c.account) && <q>{commitmentOf(c.account)}</q>}
                <p>{windows.data ? dueText(c, windows.data) : pod.started ? "…" : "Not started yet"}</p>
                <p className="quiet">
                  {c.witnessed} witnessed · streak {c.currentStreak}
                  {c.restarts > 0 && ` · began again ${c.restarts === 1 ? "once" : `${c.restarts} times`}`}
                </p>
              </div>
            </li>
          ))}
        </ul>
        <RingLegend />
      </section>
      <PodNotes podId={podId} round={current} mine={mine?.tokenId} name={name} />
      {reading && <IcsButton podId={podId} title={title} />}
    </>
  );
}

export default function Pod({ params }: { params: Record<string, string> }) {
  const podId = parseId(params.podId);
  if (podId === undefined) return <p role="alert">This pod link is damaged.</p>;
  return <PodHome podId={podId} />;
}
