import { useVitality } from "../hooks/reads.ts";
import { paths } from "../lib/links.ts";
import { replantAdvice } from "../lib/replant.ts";
import { Link } from "../lib/router.tsx";

const openings = {
  "month-3": "Three months in: a good moment to look at how the pod meets.",
  "month-6": "Six months in: a good moment to look at how the pod meets.",
  decay:
    "The rhythm slipped early this cycle. Many pods pause here and redesign how they meet; it is part of the practice.",
} as const;

/**
 * Pod home's offer to replant (pause and redesign the covenant) at month three and six, or when decay showed by round
 * 6, with the usual fixes in words and the way into the consent flows; after two strong cycles, graduating.
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
      </section>
    );
  return (
    <section className="panel" aria-labelledby="replant-title">
      <h2 id="replant-title">Time to replant?</h2>
      <p>{openings[advice.reason]}</p>
      <p>Pods often pause, talk it over, and change one thing. For example: {advice.fixes.join("; ")}.</p>
      <div className="actions">
        <Link to={paths.manage(podId)} className="button">
          Pause and redesign together
        </Link>
      </div>
    </section>
  );
}
