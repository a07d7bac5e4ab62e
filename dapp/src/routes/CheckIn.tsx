import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type CommitmentContinuity, checkIn, type DueCheckIn, type ReportInput, type TrothClient } from "@troth/sdk";
import { meetingTermsOf } from "@troth/sdk/crypto";
import { type FormEvent, useState } from "react";
import { type Address, isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { useCommitmentText, useContinuity, useCovenant, useDueCheckIns } from "../hooks/reads.ts";
import { draftStatusText, useDraft } from "../hooks/useDraft.ts";
import { roundLabel, when } from "../lib/format.ts";
import { useIdentity } from "../lib/identity.tsx";
import { idText, parseId, paths, shareUrl } from "../lib/links.ts";
import { transact } from "../lib/notify.tsx";
import { refreshChainReads } from "../lib/queryClient.ts";
import { Link } from "../lib/router.tsx";
import { useTroth, writeClient } from "../lib/troth.tsx";
import { BeginAgain } from "../ui/BeginAgain.tsx";
import { CopyLink } from "../ui/CopyLink.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Field } from "../ui/Field.tsx";
import { Gate } from "../ui/Gate.tsx";
import { Recorder } from "../ui/Recorder.tsx";
import { WitnessProgress } from "../ui/WitnessProgress.tsx";

type Stage = "encrypt" | "store" | "sign" | "submit" | "done";
const stages: { id: Stage; label: string }[] = [
  { id: "encrypt", label: "Encrypt on this device" },
  { id: "store", label: "Store the encrypted report" },
  { id: "sign", label: "Sign in your wallet" },
  { id: "submit", label: "Submit to the chain" },
];

type CheckInDraft = ReportInput & { podId: string };

function Progress({ stage, failed }: { stage: Stage | null; failed: boolean }) {
  if (!stage) return null;
  const at = stages.findIndex((s) => s.id === stage);
  return (
    <ol className="progress" aria-label="Check-in progress">
      {stages.map((s, i) => {
        const state = stage === "done" || i < at ? "done" : i === at ? (failed ? "failed" : "current") : "todo";
        return (
          <li key={s.id} className={`step step-${state}`} aria-current={state === "current" ? "step" : undefined}>
            {s.label}
            <span className="visually-hidden">
              {state === "done"
                ? " (done)"
                : state === "current"
                  ? " (in progress)"
                  : state === "failed"
                    ? " (stopped)"
                    : ""}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

export function CheckedIn({ podId, due }: { podId: bigint; due: Pick<DueCheckIn, "tokenId" | "round"> }) {
  return (
    <section className="panel" aria-labelledby="done-title">
      <h2 id="done-title">Checked in</h2>
      <p>Your report is with your partners, encrypted. Now it needs a witness.</p>
      <CopyLink
        label="Witness link: a partner opens it during your meeting to read and witness"
        url={shareUrl(paths.witness(due.tokenId, due.round))}
      />
      <p>Or partners witness later from their inbox.</p>
      <WitnessProgress tokenId={due.tokenId} round={due.round} />
      <p>
        <Link to={paths.pod(podId)}>Back to the pod</Link>
      </p>
    </section>
  );
}

/** The member's latest check-in still waiting for its witnesses, if any. */
function waitingCheckIn(
  commitments: readonly CommitmentContinuity[] | undefined,
  address: Address | undefined,
): { tokenId: bigint; round: number } | undefined {
  const own = commitments?.find((c) => address && isAddressEqual(c.account, address) && c.status === "active");
  const round = own?.roundStates.lastIndexOf("reported") ?? -1;
  return own && round >= 0 ? { tokenId: own.tokenId, round } : undefined;
}

function Composer({ podId, due, onDone }: { podId: bigint; due: DueCheckIn; onDone: () => void }) {
  const troth = useTroth();
  const queryClient = useQueryClient();
  const { identity } = useIdentity();
  const commitment = useCommitmentText(due.tokenId);
  // The covenant sets how long a recording may run (version 3; older covenants: the default 20 minutes).
  const covenantTerms = useCovenant(podId).data?.terms;
  const draft = useDraft<CheckInDraft>(`checkin:${idText(due.tokenId)}:${due.round}`, {
    podId: idText(podId),
    said: "",
    blocked: "",
    next: "",
  });
  const [stage, setStage] = useState<Stage | null>(null);
  const [touched, setTouched] = useState(false);
  const [recording, setRecording] = useState<string | undefined>();
  const [struggleFirst, setStruggleFirst] = useState(false);
  const report = draft.value;
  const set = (patch: Partial<ReportInput>) => draft.update((d) => ({ ...d, ...patch }));

  const submit = useMutation({
    mutationFn: async () => {
      await draft.flush();
      setStage("encrypt");
      const wallet = await writeClient(troth);
      // Follow the SDK's steps through its store: it stores only once the chain has accepted the check-in in a dry run.
      const client: TrothClient = {
        ...wallet,
        store: {
          name: wallet.store.name,
          get: (l) => wallet.store.get(l),
          put: async (bytes) => {
            setStage("store");
            const ref = await wallet.store.put(bytes);
            setStage("sign");
            return ref;
          },
        },
      };
      const input = {
        said: report.said.trim(),
        blocked: report.blocked.trim(),
        next: report.next.trim(),
        ...(struggleFirst ? { struggleFirst } : {}),
        ...(recording ? { recording } : {}),
      };
      await transact(client, `Check in for ${roundLabel(due.round)}`, async () => {
        const hash = await checkIn(client, {
          tokenId: due.tokenId,
          round: due.round,
          report: input,
          identity: identity!,
        });
        setStage("submit");
        return hash;
      });
      setStage("done");
      await draft.clear();
    },
    onSuccess: onDone,
    onSettled: () => refreshChainReads(queryClient),
  });

  const missing = { said: !report.said.trim(), next: !report.next.trim() };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!missing.said && !missing.next) submit.mutate();
  };

  if (!draft.ready) return <Loading what="your draft" />;

  return (
    <form onSubmit={onSubmit} noValidate className="composer">
      <p className="lead">
        {roundLabel(due.round)[0].toUpperCase() + roundLabel(due.round).slice(1)}, open until {when(due.closesAt)}.
      </p>
      <p className="draft-status" role="status">
        {draftStatusText(draft.status, draft.savedAt)}
      </p>
      {commitment.data && (
        <p className="commitment">
          Your commitment: <q>{commitment.data.commitment}</q>
        </p>
      )}
      <Field
        label="What I said I'd do"
        error={touched && missing.said ? "Say what you set out to do, even briefly." : undefined}
      >
        {(props) => (
          <textarea
            {...props}
            rows={3}
            maxLength={2000}
            value={report.said}
            onChange={(e) => set({ said: e.target.value })}
          />
        )}
      </Field>
      <Field
        label="What blocked or surprised me"
        hint="Leading with the struggle is normal here. It is often the most useful part of a check-in."
      >
        {(props) => (
          <textarea
            {...props}
            rows={4}
            maxLength={2000}
            value={report.blocked}
            onChange={(e) => set({ blocked: e.target.value })}
          />
        )}
      </Field>
      <label className="check">
        <input type="checkbox" checked={struggleFirst} onChange={(e) => setStruggleFirst(e.target.checked)} />I led with
        the struggle (only your pod sees this mark; it helps the pod's private mirror)
      </label>
      <Field label="What's next" error={touched && missing.next ? "One next step is enough." : undefined}>
        {(props) => (
          <textarea
            {...props}
            rows={3}
            maxLength={2000}
            value={report.next}
            onChange={(e) => set({ next: e.target.value })}
          />
        )}
      </Field>
      <Recorder
        tokenId={due.tokenId}
        round={due.round}
        capMs={covenantTerms && meetingTermsOf(covenantTerms).recordingCapMs}
        onChange={setRecording}
      />
      <Progress stage={stage} failed={submit.isError} />
      <button type="submit" className="primary" disabled={submit.isPending}>
        {submit.isPending ? "Checking in…" : submit.isError ? "Try again" : "Encrypt and check in"}
      </button>
      {submit.isError && (
        <ErrorNote error={submit.error} onRetry={() => submit.mutate()} retryLabel="Try the check-in again" />
      )}
      <p className="quiet">
        Only your pod can read this. The chain records a digest and that you checked in, never the words.
      </p>
    </form>
  );
}

function CheckInPage({ podId }: { podId: bigint }) {
  const { address } = useAccount();
  const due = useDueCheckIns(address);
  const continuity = useContinuity(podId);
  const [done, setDone] = useState<DueCheckIn | null>(null);
  if (done) return <CheckedIn podId={podId} due={done} />;
  if (due.error) return <ErrorNote error={due.error} onRetry={() => due.refetch()} />;
  if (!due.data) return <Loading what="your rounds" />;
  const mine = due.data.find((d) => d.podId === podId);
  if (!mine && continuity.error) return <ErrorNote error={continuity.error} onRetry={() => continuity.refetch()} />;
  if (!mine && !continuity.data) return <Loading what="your rounds" />;
  // Checked in already (on another visit, before a reload): the witness link and progress are shown again.
  const waiting = mine ? undefined : waitingCheckIn(continuity.data?.commitments, address);
  if (waiting) return <CheckedIn podId={podId} due={waiting} />;
  const lapsed = continuity.data?.commitments.some(
    (c) => c.status === "lapsed" && address && isAddressEqual(c.account, address),
  );
  // Missed the last round: nothing is due until they begin again, which they can do right here.
  if (!mine && lapsed) {
    return <BeginAgain podId={podId} />;
  }
  if (!mine) {
    return (
      <section className="panel">
        <p>Nothing is due for you in this pod right now. Thank you for keeping the rhythm.</p>
        <p>
          <Link to={paths.pod(podId)}>Back to the pod</Link>
        </p>
      </section>
    );
  }
  return (
    <>
      <BeginAgain podId={podId} />
      <Composer podId={podId} due={mine} onDone={() => setDone(mine)} />
    </>
  );
}

export default function CheckIn({ params }: { params: Record<string, string> }) {
  const podId = parseId(params.podId);
  return (
    <>
      <h1>Check in</h1>
      {podId === undefined ? (
        <p role="alert">This pod link is damaged.</p>
      ) : (
        <Gate>
          <CheckInPage podId={podId} />
        </Gate>
      )}
    </>
  );
}
