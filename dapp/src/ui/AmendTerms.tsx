import { useMutation } from "@tanstack/react-query";
import { consentRequestOf, prepareAmend, signConsentRequest } from "@troth/sdk";
import { useState } from "react";
import { useContinuity } from "../hooks/reads.ts";
import { quorumProblem } from "../lib/covenantForm.ts";
import { useIdentity } from "../lib/identity.tsx";
import { paths } from "../lib/links.ts";
import { navigate } from "../lib/router.tsx";
import { useTroth, writeClient } from "../lib/troth.tsx";
import { ErrorNote } from "./ErrorNote.tsx";
import { Field } from "./Field.tsx";

const DAY = 86_400;
const HOUR = 3_600;
const THREE_DAYS = 3 * DAY;

export type Terms = { cadence: number; grace: number; quorum: number };

/** Why the new terms cannot be proposed, field by field (none when they can). */
export function termsProblems(
  form: { cadenceDays: string; graceHours: string; quorum: string },
  { current, witnesses }: { current: Terms; witnesses: number },
): { cadenceDays?: string; graceHours?: string; quorum?: string; same?: string } {
  const days = Number(form.cadenceDays);
  const hours = Number(form.graceHours);
  const quorum = Number(form.quorum);
  const problems: ReturnType<typeof termsProblems> = {};
  if (!Number.isInteger(days) || days < 1 || days > 60) problems.cadenceDays = "Meet every 1 to 60 days.";
  if (!Number.isInteger(hours) || hours < 0 || hours > 24 * 14) problems.graceHours = "Grace is 0 to 336 hours.";
  else if (Number.isInteger(days) && hours * HOUR >= days * DAY)
    problems.graceHours = "Grace must be shorter than the time between meetings.";
  if (!Number.isInteger(quorum) || quorum < 1 || quorum > witnesses) problems.quorum = quorumProblem(witnesses);
  if (
    !Object.keys(problems).length &&
    days * DAY === current.cadence &&
    hours * HOUR === current.grace &&
    quorum === current.quorum
  )
    problems.same = "These are the pod's terms already.";
  return problems;
}

/** Brings a section a link opened for into view (a replant suggestion), once, when it first renders. */
export function revealSection(section: HTMLElement | null) {
  section?.scrollIntoView?.({ block: "start" });
}

/** The form for new terms: cadence in days, grace in hours, quorum; proposes only valid, changed terms. */
export function AmendTermsForm({
  current,
  initial = {},
  witnesses,
  pending,
  onPropose,
}: {
  current: Terms;
  /** Values to start from instead of the current terms (a replant suggestion); the member still reviews them. */
  initial?: { cadenceDays?: number; graceHours?: number };
  /** Active members but one: the most witnesses a check-in can have. */
  witnesses: number;
  pending?: boolean;
  onPropose: (terms: Terms) => void;
}) {
  const [form, setForm] = useState({
    cadenceDays: String(initial.cadenceDays ?? Math.max(1, Math.round(current.cadence / DAY))),
    graceHours: String(initial.graceHours ?? Math.round(current.grace / HOUR)),
    quorum: String(current.quorum),
  });
  const [tried, setTried] = useState(false);
  const problems = termsProblems(form, { current, witnesses });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (Object.keys(problems).length) return;
        onPropose({
          cadence: Number(form.cadenceDays) * DAY,
          grace: Number(form.graceHours) * HOUR,
          quorum: Number(form.quorum),
        });
      }}
      noValidate
    >
      <Field label="Meet every (days)" error={tried ? problems.cadenceDays : undefined}>
        {(p) => <input {...p} inputMode="numeric" value={form.cadenceDays} onChange={set("cadenceDays")} />}
      </Field>
      <Field
        label="Grace to reschedule (hours)"
        hint="How long a round stays open after the next one opens."
        error={tried ? problems.graceHours : undefined}
      >
        {(p) => <input {...p} inputMode="numeric" value={form.graceHours} onChange={set("graceHours")} />}
      </Field>
      <Field label="Witnesses each check-in needs" error={tried ? problems.quorum : undefined}>
        {(p) => <input {...p} inputMode="numeric" value={form.quorum} onChange={set("quorum")} />}
      </Field>
      {tried && problems.same && <p role="alert">{problems.same}</p>}
      <button type="submit" disabled={pending}>
        {pending ? "Preparing…" : "Propose these terms"}
      </button>
    </form>
  );
}

/**
 * Amend the pod's terms with everyone's consent: the new covenant is prepared (re-encrypted and stored), the proposer
 * signs, and the request travels member to member as a link, as pause and resume do.
 */
export function AmendChanges({
  podId,
  prefill,
}: {
  podId: bigint;
  /** A replant suggestion to start from (from pod home's card): shown, filled in, not proposed. */
  prefill?: { cadenceDays?: number; graceHours?: number };
}) {
  const troth = useTroth();
  const { identity } = useIdentity();
  const continuity = useContinuity(podId);
  const pod = continuity.data?.pod;
  const propose = useMutation({
    mutationFn: async (terms: Terms) => {
      const client = await writeClient(troth);
      const block = await client.publicClient.getBlock();
      const deadline = block.timestamp + BigInt(THREE_DAYS);
      const prepared = await prepareAmend(client, { podId, ...terms, identity: identity!, deadline });
      navigate(
        paths.consent(
          await signConsentRequest(client, { request: consentRequestOf(prepared), signer: client.walletClient! }),
        ),
      );
    },
  });
  if (!pod || (pod.status !== "active" && pod.status !== "scheduled")) return null;
  return (
    <section className="panel" aria-labelledby="amend-title" ref={prefill ? revealSection : undefined}>
      <h2 id="amend-title">Change the terms</h2>
      <p>
        A new rhythm, more or less grace, more or fewer witnesses. It starts from the next round, once everyone has
        agreed.
      </p>
      {prefill && (
        <p role="status">
          The suggestion you chose is filled in below. Look it over with your pod; nothing is proposed until you do.
        </p>
      )}
      <AmendTermsForm
        key={JSON.stringify(prefill ?? {})}
        initial={prefill}
        current={{ cadence: pod.cadence, grace: pod.grace, quorum: pod.quorum }}
        witnesses={Math.max(1, pod.activeCount - 1)}
        pending={propose.isPending || !identity}
        onPropose={(terms) => propose.mutate(terms)}
      />
      <ErrorNote error={propose.error} onRetry={() => propose.reset()} />
    </section>
  );
}
