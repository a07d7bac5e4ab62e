import { useQuery } from "@tanstack/react-query";
import { formatPodIdShort, formatTokenId } from "@troth/sdk";
import { type FormEvent, useEffect, useState } from "react";
import type { Address } from "viem";
import { useEnsNames } from "../hooks/useNames.ts";
import { duration, roundLabel, shortAddress, when } from "../lib/format.ts";
import { idText, parseId, paths } from "../lib/links.ts";
import { navigate } from "../lib/router.tsx";
import { useTroth } from "../lib/troth.tsx";
import { vitalityWords } from "../lib/vitality.ts";
import { vitalityQueryOptions } from "../queries/index.ts";
import { Loading } from "../ui/ErrorNote.tsx";
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

/** A pod's continuity for anyone: counts, rings and signals from the chain, no wallet, and never any content. */
function AuditView({ id }: { id: bigint }) {
  const { client, audit } = useTroth();
  // An id is a pod id, or a token id (pod id << 8 | member index): try it as a pod first. Both read the SDK's audit,
  // the one source pod home and My pods say how the pod is doing from.
  const asPod = useQuery({ ...vitalityQueryOptions(client, audit, { podId: id }), retry: false });
  const asToken = useQuery({
    ...vitalityQueryOptions(client, audit, { podId: id >> 8n }),
    retry: false,
    enabled: asPod.isError,
  });
  const result = asPod.data ? asPod : asToken;
  const token = asPod.data ? undefined : id;
  const ens = useEnsNames(result.data?.commitments.map((c) => c.account) ?? []);
  if (asPod.isPending || (asPod.isError && asToken.isPending)) return <Loading what="the record" />;
  const shown = result.data?.commitments.filter((c) => token === undefined || c.tokenId === token) ?? [];
  if (!result.data || shown.length === 0)
    return (
      <p role="alert" className="error-note">
        No pod or commitment has this id on this network. Check that the whole id was copied, or ask for the link again.
      </p>
    );
  const { pod } = result.data;
  const name = (a: Address) => ens.data?.[a.toLowerCase()] ?? shortAddress(a);
  return (
    <>
      <section className="panel" aria-labelledby="pod-facts">
        <h2 id="pod-facts">Pod {formatPodIdShort(pod.podId)}</h2>
        <p>
          Status: {pod.status}. Cycle {pod.cycle}
          {pod.started ? `, ${roundLabel(pod.currentRound)} of ${pod.rounds}` : `, starts ${when(pod.start)}`}. Rounds
          every {duration(pod.cadence)} with {duration(pod.grace)} of grace; quorum {pod.quorum}; {pod.activeCount}{" "}
          active members.
        </p>
        <ul className="signals" aria-label="How the pod is doing">
          {vitalityWords(result.data, name).map((s) => (
            <li key={s.text} className={`signal signal-${s.tone}`}>
              {s.text}
            </li>
          ))}
        </ul>
        <p className="quiet">
          This page shows continuity only. What members wrote is encrypted and is never shown here.
        </p>
      </section>
      <ul className="member-cards">
        {shown.map((c) => (
          <li key={c.tokenId.toString()} className="card member-card">
            <Ring states={c.roundStates} label={name(c.account)} />
            <dl className="facts">
              <dt>Commitment token</dt>
              <dd title={idText(c.tokenId)}>{formatTokenId(c.tokenId)}</dd>
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
  // Another link opened: what was typed before is no longer what is shown.
  useEffect(() => {
    setInvalid(false);
    setText(params.id ?? "");
  }, [params.id]);
  // What the link or the box holds that is not an id says so where the result would be, instead of it.
  const damagedLink = params.id !== undefined && id === undefined;
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
      {damagedLink && !invalid && (
        <p role="alert" className="error-note">
          This audit link is damaged: it doesn't hold a pod or commitment id. Paste the id above, or ask for the link
          again.
        </p>
      )}
      {id !== undefined && !invalid && <AuditView id={id} />}
    </>
  );
}
