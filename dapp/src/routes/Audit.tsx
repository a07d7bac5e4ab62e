import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { duration, roundLabel, shortAddress, when } from "../lib/format.ts";
import { idText, parseId, paths } from "../lib/links.ts";
import { navigate } from "../lib/router.tsx";
import { useTroth } from "../lib/troth.tsx";
import { continuityQueryOptions } from "../queries/index.ts";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Field } from "../ui/Field.tsx";
import { Ring, RingLegend } from "../ui/Ring.tsx";

const commitmentWords = {
  none: "—",
  active: "keeping the rhythm",
  lapsed: "missed the last round",
  paused: "paused",
  left: "left the pod",
  replaced: "was replaced",
  completed: "completed the cycle",
  ended: "was there when the cycle ended",
  graduated: "graduated",
  dissolved: "pod dissolved",
  burned: "token burned",
} as const;

/** A pod's continuity for anyone: counts and rings from the chain, no wallet, and never any content. */
function AuditView({ id }: { id: bigint }) {
  const { client } = useTroth();
  // An id is a pod id, or a token id (pod id << 8 | member index): try it as a pod first.
  const asPod = useQuery({ ...continuityQueryOptions(client, { podId: id }), retry: false });
  const asToken = useQuery({
    ...continuityQueryOptions(client, { podId: id >> 8n }),
    retry: false,
    enabled: asPod.isError,
  });
  const result = asPod.data ? asPod : asToken;
  const token = asPod.data ? undefined : id;
  if (asPod.isPending || (asPod.isError && asToken.isPending)) return <Loading what="the record" />;
  if (!result.data) return <ErrorNote error={new Error("No pod or commitment has this id on this network.")} />;
  const { pod, commitments } = result.data;
  const shown = token === undefined ? commitments : commitments.filter((c) => c.tokenId === token);
  return (
    <>
      <section className="panel" aria-labelledby="pod-facts">
        <h2 id="pod-facts">Pod {idText(pod.podId).slice(0, 12)}…</h2>
        <p>
          Status: {pod.status}. Cycle {pod.cycle}
          {pod.started ? `, ${roundLabel(pod.currentRound)} of ${pod.rounds}` : `, starts ${when(pod.start)}`}. Rounds
          every {duration(pod.cadence)} with {duration(pod.grace)} of grace; quorum {pod.quorum}; {pod.activeCount}{" "}
          active members.
        </p>
        <p className="quiet">
          This page shows continuity only. What members wrote is encrypted and is never shown here.
        </p>
      </section>
      <ul className="member-cards">
        {shown.map((c) => (
          <li key={c.tokenId.toString()} className="card member-card">
            <Ring states={c.roundStates} label={shortAddress(c.account)} />
            <dl className="facts">
              <dt>Commitment token</dt>
              <dd className="mono">{idText(c.tokenId).slice(0, 14)}…</dd>
              <dt>Standing</dt>
              <dd>{commitmentWords[c.status]}</dd>
              <dt>Witnessed</dt>
              <dd>{c.witnessed}</dd>
              <dt>Missed</dt>
              <dd>{c.missed}</dd>
              <dt>Streak (longest)</dt>
              <dd>
                {c.currentStreak} ({c.longestStreak})
              </dd>
              <dt>Began again</dt>
              <dd>{c.restarts}</dd>
            </dl>
          </li>
        ))}
      </ul>
      <RingLegend />
    </>
  );
}

export default function Audit({ params }: { params: Record<string, string> }) {
  const id = parseId(params.id);
  const [text, setText] = useState(params.id ?? "");
  const [invalid, setInvalid] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseId(text.trim());
    setInvalid(parsed === undefined);
    if (parsed !== undefined) navigate(paths.audit(parsed));
  };
  return (
    <>
      <h1>Public audit</h1>
      <p className="lead">Anyone can check a pod's or a commitment's continuity here, without a wallet.</p>
      <form onSubmit={submit} className="inline-form">
        <Field label="Pod or commitment id" error={invalid ? "Enter a pod or token id (0x… or a number)." : undefined}>
          {(props) => <input {...props} value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <button type="submit">Show</button>
      </form>
      {id !== undefined && <AuditView id={id} />}
    </>
  );
}
