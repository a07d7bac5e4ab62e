import { useMutation } from "@tanstack/react-query";
import {
  consentRequestOf,
  prepareAddMember,
  prepareProposeReplacement,
  prepareReplaceMember,
  signConsentRequest,
} from "@troth/sdk";
import { useState } from "react";
import { type Address, getAddress, isAddress, isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { useContinuity } from "../hooks/reads.ts";
import { sentenceCount } from "../lib/covenantForm.ts";
import { shortAddress } from "../lib/format.ts";
import { useIdentity } from "../lib/identity.tsx";
import { paths } from "../lib/links.ts";
import { navigate } from "../lib/router.tsx";
import { useTroth, writeClient } from "../lib/troth.tsx";
import { revealSection } from "./AmendTerms.tsx";
import { ErrorNote } from "./ErrorNote.tsx";
import { Field } from "./Field.tsx";

const THREE_DAYS = 3 * 86_400;

export type NewcomerProposal = { replaced?: Address; absent?: boolean; address: Address; commitment: string };

/**
 * The form for a newcomer: their address and commitment (one or two sentences), and for a replacement, whom they
 * replace. Proposes only a valid newcomer who is not in the pod already.
 */
export function NewcomerForm({
  members,
  replaceable,
  pending,
  onPropose,
}: {
  /** Everyone in the pod now (a newcomer cannot be one of them). */
  members: readonly Address[];
  /** For a replacement: the members who may be replaced (not the proposer). Absent for an addition. */
  replaceable?: readonly Address[];
  pending?: boolean;
  onPropose: (proposal: NewcomerProposal) => void;
}) {
  const [form, setForm] = useState({ replaced: replaceable?.[0] ?? "", address: "", commitment: "", why: "agreed" });
  const [tried, setTried] = useState(false);
  const problems: { address?: string; commitment?: string } = {};
  if (!isAddress(form.address.trim())) problems.address = "An Ethereum address, 0x followed by 40 hex digits.";
  else if (members.some((m) => isAddressEqual(m, form.address.trim() as Address)))
    problems.address = "They are in the pod already.";
  if (!form.commitment.trim()) problems.commitment = "What will they commit to?";
  else if (sentenceCount(form.commitment) > 2) problems.commitment = "Keep it to one or two sentences.";
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (Object.keys(problems).length) return;
        onPropose({
          ...(replaceable ? { replaced: getAddress(form.replaced), absent: form.why === "absent" } : {}),
          address: getAddress(form.address.trim()),
          commitment: form.commitment.trim(),
        });
      }}
    >
      {replaceable && (
        <Field label="Who steps out">
          {(p) => (
            <select {...p} value={form.replaced} onChange={set("replaced")}>
              {replaceable.map((m) => (
                <option key={m} value={m}>
                  {shortAddress(m)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {replaceable && (
        <fieldset className="choice">
          <legend>Why they step out</legend>
          <label>
            <input type="radio" name="why" value="agreed" checked={form.why === "agreed"} onChange={set("why")} /> They
            agree to step out (they sign too)
          </label>
          <label>
            <input type="radio" name="why" value="absent" checked={form.why === "absent"} onChange={set("why")} /> They
            haven't checked in for the last two rounds and don't answer (they get a waiting time of at least two days to
            say otherwise)
          </label>
        </fieldset>
      )}
      <Field
        label="The new partner's address"
        hint="They need to have opened Troth once, so their encryption key is published."
        error={tried ? problems.address : undefined}
      >
        {(p) => <input {...p} spellCheck={false} value={form.address} onChange={set("address")} />}
      </Field>
      <Field label="Their commitment (one or two sentences)" error={tried ? problems.commitment : undefined}>
        {(p) => <textarea {...p} rows={2} value={form.commitment} onChange={set("commitment")} />}
      </Field>
      <button type="submit" disabled={pending}>
        {pending ? "Preparing…" : replaceable ? "Propose the replacement" : "Propose the new partner"}
      </button>
    </form>
  );
}

/**
 * Add a partner, or replace one, with everyone's consent (the newcomer's and the replaced member's too), or replace an
 * absent one by the absence rule (everyone else's consent, then a waiting time in which any action of theirs cancels
 * it): the new key epoch and the newcomer's commitment are prepared and stored, the proposer signs, and the request
 * travels member to member as a link, as pause and resume do.
 */
export function MembershipChanges({
  podId,
  mode,
  suggested = false,
}: {
  podId: bigint;
  mode: "add" | "replace";
  /** Opened from a replant suggestion ("invite a third person"): brought into view with a word on why. */
  suggested?: boolean;
}) {
  const troth = useTroth();
  const { identity } = useIdentity();
  const { address: me } = useAccount();
  const continuity = useContinuity(podId);
  const pod = continuity.data?.pod;
  const propose = useMutation({
    mutationFn: async ({ replaced, absent, address, commitment }: NewcomerProposal) => {
      const client = await writeClient(troth);
      const block = await client.publicClient.getBlock();
      const deadline = block.timestamp + BigInt(THREE_DAYS);
      // The proposer's identity seals the covenant for the new key epoch, so the newcomer can read what they join.
      const newcomer = { address, commitment };
      const change = { podId, newcomer, identity: identity!, deadline };
      const prepared = !replaced
        ? await prepareAddMember(client, change)
        : absent
          ? await prepareProposeReplacement(client, { ...change, replaced })
          : await prepareReplaceMember(client, { ...change, replaced });
      navigate(
        paths.consent(
          await signConsentRequest(client, { request: consentRequestOf(prepared), signer: client.walletClient! }),
        ),
      );
    },
  });
  if (!continuity.data || !pod || (pod.status !== "active" && pod.status !== "scheduled")) return null;
  const active = continuity.data.members.filter((m) => m.status === "active").map((m) => m.account);
  const adding = mode === "add";
  if (adding && continuity.data.members.length >= 8) return null;
  const title = adding ? "Add a partner" : "Replace a partner";
  return (
    <section className="panel" aria-labelledby={`${mode}-title`} ref={suggested ? revealSection : undefined}>
      <h2 id={`${mode}-title`}>{title}</h2>
      {suggested && (
        <p role="status">
          You chose to invite a third person: enter who, and their commitment. Nothing is proposed until you do.
        </p>
      )}
      <p>
        {adding
          ? "Someone new joins from the next round, with a commitment of their own. Everyone agrees, the newcomer too."
          : "Someone steps out and someone new takes their place. Everyone agrees, the one stepping out and the newcomer too; a partner who has stopped answering can be replaced after a waiting time instead."}{" "}
        The pod's key changes, so whoever steps out reads nothing written after.
      </p>
      <NewcomerForm
        members={continuity.data.members.map((m) => m.account)}
        replaceable={adding ? undefined : active.filter((a) => !me || !isAddressEqual(a, me))}
        pending={propose.isPending || !identity}
        onPropose={(proposal) => propose.mutate(proposal)}
      />
      <ErrorNote error={propose.error} onRetry={() => propose.reset()} />
    </section>
  );
}
