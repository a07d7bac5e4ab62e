import { useMutation, useQueries } from "@tanstack/react-query";
import { MissingEncryptionKeyError, prepareCovenant } from "@troth/sdk";
import { COVENANT_BOUNDARY } from "@troth/sdk/crypto";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { type Address, getAddress, isAddress } from "viem";
import { useAccount } from "wagmi";
import { draftStatusText, useDraft } from "../hooks/useDraft.ts";
import {
  type CovenantForm,
  covenantProblems,
  DEFAULT_RECORDING_CAP_MINUTES,
  DEFAULT_TURN_MINUTES,
  DISPLAY_NAME_MAX,
  emptyCovenantForm,
  MEETING_MINUTES,
  toCovenantTerms,
} from "../lib/covenantForm.ts";
import { shortAddress } from "../lib/format.ts";
import { useIdentity } from "../lib/identity.tsx";
import { encodeProposal, idText, paths, shareUrl } from "../lib/links.ts";
import { navigate } from "../lib/router.tsx";
import { useTroth } from "../lib/troth.tsx";
import { publishedKeyQueryOptions } from "../queries/index.ts";
import { CopyLink } from "../ui/CopyLink.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Field, NumberField } from "../ui/Field.tsx";
import { Gate } from "../ui/Gate.tsx";

/** How often a covenant waiting for a partner's key looks for it. */
const KEY_POLL_MS = 4_000;

/** The link a partner opens to set up Troth (connect, publish their key), knowing who invited them. */
export const invitationUrl = (from: Address) => shareUrl(`${paths.setup()}?invited-by=${from}`);

/**
 * A covenant written before every partner had set up Troth: nothing can be encrypted for them yet. It waits here,
 * saved and encrypted on this device, looks for their keys, and is made as soon as they all appear; meanwhile the
 * creator has an invitation link to send.
 */
function WaitingForKeys({ me, partners, onReady }: { me: Address; partners: Address[]; onReady: () => void }) {
  const { client } = useTroth();
  const keys = useQueries({
    queries: partners.map((account) => ({
      ...publishedKeyQueryOptions(client, { account }),
      refetchInterval: KEY_POLL_MS,
      staleTime: 0,
    })),
  });
  const missing = partners.filter((_, i) => keys[i].data === null);
  const ready = keys.every((k) => typeof k.data === "string");
  const fired = useRef(false);
  useEffect(() => {
    if (ready && !fired.current) {
      fired.current = true;
      onReady();
    }
  }, [ready, onReady]);
  if (ready) return <p role="status">Everyone's key is here: making your covenant…</p>;
  return (
    <section className="panel" aria-labelledby="waiting-title" role="status">
      <h2 id="waiting-title">Waiting for {missing.length === 1 ? "a partner" : "partners"} to set up Troth</h2>
      <p>
        {missing.map(shortAddress).join(", ")} {missing.length === 1 ? "hasn't" : "haven't"} set up Troth yet, so
        nothing can be encrypted for {missing.length === 1 ? "them" : "them yet"}. Send{" "}
        {missing.length === 1 ? "them" : "each of them"} this invitation: they connect their wallet and publish their
        key, one step, once.
      </p>
      <CopyLink label="Invitation link to send your partner" url={invitationUrl(me)} />
      <p>
        Your covenant waits here, saved and encrypted on this device. It finishes by itself the moment their key
        appears, and gives you the link to sign: you can close this page and come back.
      </p>
    </section>
  );
}

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
      let prepared: Awaited<ReturnType<typeof prepareCovenant>>;
      try {
        prepared = await prepareCovenant(client, toCovenantTerms(form));
      } catch (error) {
        // A partner without a key: the covenant waits for it (the draft remembers), with an invitation to send.
        if (error instanceof MissingEncryptionKeyError) {
          draft.update((f) => ({ ...f, awaitingKeys: true }));
          await draft.flush();
          return null;
        }
        throw error;
      }
      // The covenant stays on this device (encrypted) until the chain has created the pod.
      await vault!.save(`proposal:${idText(prepared.podId)}`, {
        title: form.title,
        podId: idText(prepared.podId),
        covenant: encodeProposal(prepared.covenant),
        form: { ...form, awaitingKeys: undefined },
      });
      await draft.clear();
      return prepared;
    },
    onSuccess: (prepared) => prepared && navigate(paths.proposal(prepared.covenant)),
  });
  const partners = form.members
    .slice(1)
    .filter((m) => isAddress(m.address))
    .map((m) => getAddress(m.address));
  const waiting = form.awaitingKeys === true && Object.keys(problems).length === 0 && !propose.isPending;

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
          Each member's commitment, in one or two sentences. Invite partners by their wallet address. A name is how
          someone appears to the pod instead of their address: it is sealed in the covenant, so only members read it,
          and each partner sees theirs before they sign.
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
              label={i === 0 ? "My name in the pod (optional)" : `Partner ${i}: name in the pod (optional)`}
              error={problem(`member-${i}-name`)}
            >
              {(props) => (
                <input
                  {...props}
                  value={m.name ?? ""}
                  maxLength={DISPLAY_NAME_MAX}
                  autoComplete="off"
                  onChange={(e) => setMember(i, { name: e.target.value })}
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
          <button
            type="button"
            onClick={() => set({ members: [...form.members, { address: "", commitment: "", name: "" }] })}
          >
            Invite another partner
          </button>
        )}
        {problem("members") && <p className="field-error">{problem("members")}</p>}
      </fieldset>

      <fieldset>
        <legend>Rhythm</legend>
        <div className="grid">
          <NumberField
            label="Meet every (days)"
            error={problem("cadence")}
            min={1}
            max={92}
            value={form.cadenceDays}
            onChange={(n) => set({ cadenceDays: n })}
          />
          <NumberField
            label="Grace to reschedule (hours)"
            error={problem("grace")}
            min={0}
            value={form.graceHours}
            onChange={(n) => set({ graceHours: n })}
          />
          <NumberField
            label="Rounds in the cycle"
            error={problem("rounds")}
            min={1}
            max={64}
            value={form.rounds}
            onChange={(n) => set({ rounds: n })}
          />
          <NumberField
            label="Witnesses each check-in needs"
            error={problem("quorum")}
            min={1}
            max={7}
            value={form.quorum}
            onChange={(n) => set({ quorum: n })}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>Meetings</legend>
        <p className="hint">
          When the pod meets, each person speaks without interruption for their turn; a recorded reflection sent instead
          stops at its length.
        </p>
        <div className="grid">
          <NumberField
            label="Each speaker's turn (minutes)"
            error={problem("turnMinutes")}
            min={MEETING_MINUTES.min}
            max={MEETING_MINUTES.max}
            value={form.turnMinutes ?? DEFAULT_TURN_MINUTES}
            onChange={(n) => set({ turnMinutes: n })}
          />
          <NumberField
            label="Longest recorded reflection (minutes)"
            error={problem("recordingCapMinutes")}
            min={MEETING_MINUTES.min}
            max={MEETING_MINUTES.max}
            value={form.recordingCapMinutes ?? DEFAULT_RECORDING_CAP_MINUTES}
            onChange={(n) => set({ recordingCapMinutes: n })}
          />
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

      {waiting ? (
        <WaitingForKeys me={me} partners={partners} onReady={() => propose.mutate()} />
      ) : (
        <button type="submit" className="primary" disabled={propose.isPending}>
          {propose.isPending ? "Encrypting and storing the covenant…" : "Encrypt and create the share link"}
        </button>
      )}
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
