import { useMutation } from "@tanstack/react-query";
import { consentRequestOf, prepareAmend, signConsentRequest } from "@troth/sdk";
import { useState } from "react";
import { useContinuity, useCovenant } from "../hooks/reads.ts";
import {
  DEFAULT_RECORDING_CAP_MINUTES,
  DEFAULT_TURN_MINUTES,
  meetingProblems,
  rhythmProblems,
} from "../lib/covenantForm.ts";
import { useIdentity } from "../lib/identity.tsx";
import { paths } from "../lib/links.ts";
import { navigate } from "../lib/router.tsx";
import { useTroth, writeClient } from "../lib/troth.tsx";
import { ErrorNote, Loading } from "./ErrorNote.tsx";
import { Field } from "./Field.tsx";

const DAY = 86_400;
const HOUR = 3_600;
const THREE_DAYS = 3 * DAY;

/** The pod's terms now: the rhythm the chain holds, and the covenant's meeting terms (minutes; absent = default). */
export type Terms = { cadence: number; grace: number; quorum: number; turnLength?: number; recordingCap?: number };
/** What to propose: the rhythm, and each meeting term that changes (`null`: back to its default). */
export type ProposedTerms = {
  cadence: number;
  grace: number;
  quorum: number;
  turnLength?: number | null;
  recordingCap?: number | null;
};
type TermsForm = {
  cadenceDays: string;
  graceHours: string;
  quorum: string;
  turnMinutes: string;
  recordingCapMinutes: string;
};

/**
 * A meeting term as `prepareAmend` takes it: `undefined` when it stays as it is, `null` when it goes back to the
 * default it had been changed from, else the new minutes.
 */
export function meetingTermChange(current: number | undefined, chosen: number, fallback: number) {
  if (chosen === (current ?? fallback)) return undefined;
  if (chosen === fallback) return current === undefined ? undefined : null;
  return chosen;
}

/** Why the new terms cannot be proposed, field by field (none when they can). */
export function termsProblems(
  form: TermsForm,
  { current, witnesses }: { current: Terms; witnesses: number },
): Partial<Record<"cadenceDays" | "graceHours" | "quorum" | "turnMinutes" | "recordingCapMinutes" | "same", string>> {
  const rhythm = {
    cadenceDays: Number(form.cadenceDays),
    graceHours: Number(form.graceHours),
    quorum: Number(form.quorum),
  };
  const meeting = { turnMinutes: Number(form.turnMinutes), recordingCapMinutes: Number(form.recordingCapMinutes) };
  const { cadence, grace, quorum } = rhythmProblems(rhythm, witnesses);
  const problems: ReturnType<typeof termsProblems> = {
    ...(cadence && { cadenceDays: cadence }),
    ...(grace && { graceHours: grace }),
    ...(quorum && { quorum }),
    ...meetingProblems(meeting),
  };
  // The contract keeps rounds in order: the open round's grace must end before the next round's does.
  if (!cadence && !grace && current.grace > rhythm.cadenceDays * DAY + rhythm.graceHours * HOUR)
    problems.graceHours = `With a rhythm this short, keep at least ${Math.ceil((current.grace - rhythm.cadenceDays * DAY) / HOUR)} hours of grace so the open round closes in order.`;
  if (
    !Object.keys(problems).length &&
    rhythm.cadenceDays * DAY === current.cadence &&
    rhythm.graceHours * HOUR === current.grace &&
    rhythm.quorum === current.quorum &&
    meeting.turnMinutes === (current.turnLength ?? DEFAULT_TURN_MINUTES) &&
    meeting.recordingCapMinutes === (current.recordingCap ?? DEFAULT_RECORDING_CAP_MINUTES)
  )
    problems.same = "These are the pod's terms already.";
  return problems;
}

/** Brings a section a link opened for into view (a replant suggestion), once, when it first renders. */
export function revealSection(section: HTMLElement | null) {
  section?.scrollIntoView?.({ block: "start" });
}

/** The form for new terms: cadence in days, grace in hours, quorum, meeting minutes; proposes only valid, changed terms. */
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
  onPropose: (terms: ProposedTerms) => void;
}) {
  const [form, setForm] = useState<TermsForm>({
    cadenceDays: String(initial.cadenceDays ?? Math.max(1, Math.round(current.cadence / DAY))),
    graceHours: String(initial.graceHours ?? Math.round(current.grace / HOUR)),
    quorum: String(current.quorum),
    turnMinutes: String(current.turnLength ?? DEFAULT_TURN_MINUTES),
    recordingCapMinutes: String(current.recordingCap ?? DEFAULT_RECORDING_CAP_MINUTES),
  });
  const [tried, setTried] = useState(false);
  const problems = termsProblems(form, { current, witnesses });
  const set = (key: keyof TermsForm) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const input = (key: keyof TermsForm) => (p: object) => (
    <input {...p} inputMode="numeric" value={form[key]} onChange={set(key)} />
  );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (Object.keys(problems).length) return;
        const turnLength = meetingTermChange(current.turnLength, Number(form.turnMinutes), DEFAULT_TURN_MINUTES);
        const recordingCap = meetingTermChange(
          current.recordingCap,
          Number(form.recordingCapMinutes),
          DEFAULT_RECORDING_CAP_MINUTES,
        );
        onPropose({
          cadence: Number(form.cadenceDays) * DAY,
          grace: Number(form.graceHours) * HOUR,
          quorum: Number(form.quorum),
          ...(turnLength !== undefined && { turnLength }),
          ...(recordingCap !== undefined && { recordingCap }),
        });
      }}
      noValidate
    >
      <Field label="Meet every (days)" error={tried ? problems.cadenceDays : undefined}>
        {input("cadenceDays")}
      </Field>
      <Field
        label="Grace to reschedule (hours)"
        hint="How long a round stays open after the next one opens."
        error={tried ? problems.graceHours : undefined}
      >
        {input("graceHours")}
      </Field>
      <Field label="Witnesses each check-in needs" error={tried ? problems.quorum : undefined}>
        {input("quorum")}
      </Field>
      <Field label="Each speaker's turn (minutes)" error={tried ? problems.turnMinutes : undefined}>
        {input("turnMinutes")}
      </Field>
      <Field label="Longest recorded reflection (minutes)" error={tried ? problems.recordingCapMinutes : undefined}>
        {input("recordingCapMinutes")}
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
  const covenant = useCovenant(podId);
  const pod = continuity.data?.pod;
  const propose = useMutation({
    mutationFn: async (terms: ProposedTerms) => {
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
        A new rhythm, more or less grace, more or fewer witnesses, longer or shorter turns when you meet. It starts from
        the next round, once everyone has agreed.
      </p>
      {prefill && (
        <p role="status">
          The suggestion you chose is filled in below. Look it over with your pod; nothing is proposed until you do.
        </p>
      )}
      {covenant.data ? (
        <AmendTermsForm
          key={JSON.stringify(prefill ?? {})}
          initial={prefill}
          current={{
            cadence: pod.cadence,
            grace: pod.grace,
            quorum: pod.quorum,
            turnLength: covenant.data.terms.turnLength,
            recordingCap: covenant.data.terms.recordingCap,
          }}
          witnesses={Math.max(1, pod.activeCount - 1)}
          pending={propose.isPending || !identity}
          onPropose={(terms) => propose.mutate(terms)}
        />
      ) : covenant.error ? (
        <ErrorNote error={covenant.error} onRetry={() => covenant.refetch()} />
      ) : (
        <Loading what="the covenant" />
      )}
      <ErrorNote error={propose.error} onRetry={() => propose.reset()} />
    </section>
  );
}
