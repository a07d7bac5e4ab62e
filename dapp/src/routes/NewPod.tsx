import { useMutation } from "@tanstack/react-query";
import { prepareCovenant } from "@troth/sdk";
import { COVENANT_BOUNDARY } from "@troth/sdk/crypto";
import { type FormEvent, useState } from "react";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import { draftStatusText, useDraft } from "../hooks/useDraft.ts";
import { type CovenantForm, covenantProblems, emptyCovenantForm, toCovenantTerms } from "../lib/covenantForm.ts";
import { useIdentity } from "../lib/identity.tsx";
import { encodeProposal, idText, paths } from "../lib/links.ts";
import { navigate } from "../lib/router.tsx";
import { useTroth } from "../lib/troth.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Field } from "../ui/Field.tsx";
import { Gate } from "../ui/Gate.tsx";

function CovenantWriter({ me }: { me: Address }) {
  const { client } = useTroth();
  const { vault } = useIdentity();
  const draft = useDraft<CovenantForm>("covenant:new", emptyCovenantForm(me));
  const [showProblems, setShowProblems] = useState(false);
  const form = draft.value;
  const problems = covenantProblems(form);
  const set = (patch: Partial<CovenantForm>) => draft.update((f) => ({ ...f, ...patch }));
  const setMember = (i: number, patch: Partial<CovenantForm["members"][number]>) =>
    draft.update((f) => ({ ...f, members: f.members.map((m, j) => (j === i ? { ...m, ...patch } : m)) }));

  const propose = useMutation({
    mutationFn: async () => {
      await draft.flush();
      const prepared = await prepareCovenant(client, toCovenantTerms(form));
      // The covenant stays on this device (encrypted) until the chain has created the pod.
      await vault!.save(`proposal:${idText(prepared.podId)}`, {
        title: form.title,
        podId: idText(prepared.podId),
        covenant: encodeProposal(prepared.covenant),
        form,
      });
      await draft.clear();
      return prepared;
    },
    onSuccess: (prepared) => navigate(paths.proposal(prepared.covenant)),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setShowProblems(true);
    if (Object.keys(problems).length === 0) propose.mutate();
  };
  const problem = (name: string) => (showProblems ? problems[name] : undefined);
  if (!draft.ready) return <Loading what="your draft" />;

  return (
    <form onSubmit={submit} noValidate className="covenant">
      <p className="draft-status" role="status">
        {draftStatusText(draft.status, draft.savedAt)}
      </p>
      <Field label="Name of the pod" error={problem("title")}>
        {(props) => (
          <input {...props} value={form.title} maxLength={120} onChange={(e) => set({ title: e.target.value })} />
        )}
      </Field>

      <fieldset>
        <legend>Who commits to what</legend>
        <p className="hint">
          Each member's commitment, in one or two sentences. Invite partners by their wallet address.
        </p>
        {form.members.map((m, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: members are positional (token order)
          <div className="member-row" key={i}>
            <Field label={i === 0 ? "You" : `Partner ${i}: address`} error={problem(`member-${i}-address`)}>
              {(props) => (
                <input
                  {...props}
                  value={m.address}
                  readOnly={i === 0}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="0x…"
                  onChange={(e) => setMember(i, { address: e.target.value.trim() })}
                />
              )}
            </Field>
            <Field
              label={i === 0 ? "My commitment" : `Partner ${i}: commitment`}
              error={problem(`member-${i}-commitment`)}
            >
              {(props) => (
                <textarea
                  {...props}
                  rows={2}
                  value={m.commitment}
                  maxLength={500}
                  onChange={(e) => setMember(i, { commitment: e.target.value })}
                />
              )}
            </Field>
            {i > 0 && form.members.length > 2 && (
              <button
                type="button"
                className="link"
                onClick={() => set({ members: form.members.filter((_, j) => j !== i) })}
              >
                Remove partner {i}
              </button>
            )}
          </div>
        ))}
        {form.members.length < 8 && (
          <button type="button" onClick={() => set({ members: [...form.members, { address: "", commitment: "" }] })}>
            Invite another partner
          </button>
        )}
        {problem("members") && <p className="field-error">{problem("members")}</p>}
      </fieldset>

      <fieldset>
        <legend>Rhythm</legend>
        <div className="grid">
          <Field label="Meet every (days)" error={problem("cadence")}>
            {(props) => (
              <input
                {...props}
                type="number"
                min={1}
                max={35}
                value={form.cadenceDays}
                onChange={(e) => set({ cadenceDays: Number(e.target.value) })}
              />
            )}
          </Field>
          <Field label="Grace to reschedule (hours)" error={problem("grace")}>
            {(props) => (
              <input
                {...props}
                type="number"
                min={0}
                value={form.graceHours}
                onChange={(e) => set({ graceHours: Number(e.target.value) })}
              />
            )}
          </Field>
          <Field label="Rounds in the cycle" error={problem("rounds")}>
            {(props) => (
              <input
                {...props}
                type="number"
                min={1}
                max={64}
                value={form.rounds}
                onChange={(e) => set({ rounds: Number(e.target.value) })}
              />
            )}
          </Field>
          <Field label="Witnesses each check-in needs" error={problem("quorum")}>
            {(props) => (
              <input
                {...props}
                type="number"
                min={1}
                max={7}
                value={form.quorum}
                onChange={(e) => set({ quorum: Number(e.target.value) })}
              />
            )}
          </Field>
        </div>
      </fieldset>

      <Field label="What we do when someone misses" error={problem("whenSomeoneMisses")}>
        {(props) => (
          <textarea
            {...props}
            rows={3}
            value={form.whenSomeoneMisses}
            maxLength={1000}
            onChange={(e) => set({ whenSomeoneMisses: e.target.value })}
          />
        )}
      </Field>

      <div className="boundary">
        <p>
          <strong>{COVENANT_BOUNDARY}</strong>
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={form.notTherapy}
            onChange={(e) => set({ notTherapy: e.target.checked })}
            aria-describedby={problem("notTherapy") ? "not-therapy-error" : undefined}
          />
          We understand: this pod is not therapy.
        </label>
        {problem("notTherapy") && (
          <p className="field-error" id="not-therapy-error">
            {problem("notTherapy")}
          </p>
        )}
      </div>

      <button type="submit" className="primary" disabled={propose.isPending}>
        {propose.isPending ? "Encrypting and storing the covenant…" : "Encrypt and create the share link"}
      </button>
      <ErrorNote error={propose.error} onRetry={() => propose.mutate()} />
    </form>
  );
}

export default function NewPod() {
  const { address } = useAccount();
  return (
    <>
      <h1>Write a covenant</h1>
      <p className="lead">
        A covenant is what your pod promises one another. It is encrypted on this device; only its members can read it.
      </p>
      <Gate>{address && <CovenantWriter me={address} />}</Gate>
    </>
  );
}
