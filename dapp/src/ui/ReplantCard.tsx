import { useVitality } from "../hooks/reads.ts";
import { paths } from "../lib/links.ts";
import { replantAdvice, replantQuery } from "../lib/replant.ts";
import { Link } from "../lib/router.tsx";

const openings = {
  "month-3": "Three months in: a good moment to look at how the pod meets.",
  "month-6": "Six months in: a good moment to look at how the pod meets.",
  decay:
    "The rhythm slipped early this cycle. Many pods pause here and redesign how they meet; it is part of the practice.",
} as const;

/**
 * Pod home's offer to replant (pause and redesign the covenant) at month three and six, or when decay showed by round
 * 6, with the usual fixes: each one that changes a term opens the consent flow (amend, or add a member) with it filled
 * in, for the member to review and propose; after two strong cycles, graduating.
 */
export function ReplantCard({ podId, member }: { podId: bigint; member: boolean }) {
  const vitality = useVitality(podId);
  if (!member || !vitality.data) return null;
  const advice = replantAdvice({ pod: vitality.data.pod, vitality: vitality.data.vitality, now: Date.now() / 1000 });
  if (!advice) return null;
  if (advice.kind === "graduate")
    return (
      <section className="panel" aria-labelledby="replant-title">
        <h2 id="replant-title">Two strong cycles</h2>
        <p>
          You kept the rhythm through two cycles. You may graduate, or begin the next cycle meeting quarterly, to keep
          the thread without the weekly weight.
        </p>
        <div className="actions">
          <Link to={paths.manage(podId) + replantQuery({ renewQuarterly: true })} className="button">
            Renew, meeting quarterly
          </Link>
        </div>
      </section>
    );
  return (
    <section className="panel" aria-labelledby="replant-title">
      <h2 id="replant-title">Time to replant?</h2>
      <p>{openings[advice.reason]}</p>
      <p>Pods often pause, talk it over, and change one thing. For example:</p>
      <ul>
        {advice.fixes.map((fix) => (
          <li key={fix.words}>
            {fix.prefill ? <Link to={paths.manage(podId) + replantQuery(fix.prefill)}>{fix.words}</Link> : fix.words}
          </li>
        ))}
      </ul>
      <p className="hint">A suggestion opens the change with it filled in: nothing is proposed until you review it.</p>
      <div className="actions">
        <Link to={paths.manage(podId)} className="button">
          Pause and redesign together
        </Link>
      </div>
    </section>
  );
}
