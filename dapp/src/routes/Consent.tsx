import { useMutation } from "@tanstack/react-query";
import {
  AmendmentMismatchError,
  BaseError,
  type ConsentRequest,
  openConsentRequest,
  signConsentRequest,
  submitAddMember,
  submitAmend,
  submitPause,
  submitProposeReplacement,
  submitReplaceMember,
  submitRequestRecovery,
  submitResume,
  verifyKeyringRotation,
  verifyMembershipChange,
} from "@troth/sdk";
import { type Address, isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { useAmendment, useContinuity } from "../hooks/reads.ts";
import { useNames } from "../hooks/useNames.ts";
import { useTrothWrite } from "../hooks/useTrothWrite.ts";
import { changeWords } from "../lib/covenantChanges.ts";
import { duration, shortAddress, when } from "../lib/format.ts";
import { useIdentity } from "../lib/identity.tsx";
import { decodeConsent, paths, shareUrl } from "../lib/links.ts";
import { Link, navigate } from "../lib/router.tsx";
import { useRuntime, useTroth, writeClient } from "../lib/troth.tsx";
import { CopyLink } from "../ui/CopyLink.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Gate } from "../ui/Gate.tsx";

const titles = {
  Pause: "Pause the pod",
  Resume: "Resume the pod",
  Amend: "Change the terms",
  AddMember: "Add a partner",
  ReplaceMember: "Replace a partner",
  ReplaceAbsentMember: "Replace an absent partner",
  Recover: "Recover a partner's commitment",
} as const;
const verbs = {
  Pause: "pause",
  Resume: "resume",
  Amend: "change the terms of",
  AddMember: "add a partner to",
  ReplaceMember: "replace a partner in",
  ReplaceAbsentMember: "replace an absent partner in",
  Recover: "move a partner's commitment to their new wallet in",
} as const;
const agree = {
  Pause: "I agree to pause",
  Resume: "I agree to resume",
  Amend: "I agree to the new terms",
  AddMember: "I agree to the new partner",
  ReplaceMember: "I agree to the replacement",
  ReplaceAbsentMember: "I agree to ask for their seat",
  Recover: "I confirm it's really them",
} as const;
const done = {
  Pause: "The pod is paused.",
  Resume: "The pod is running again.",
  Amend: "The new terms are agreed: they start from the next round.",
  AddMember: "The new partner has joined.",
  ReplaceMember: "The replacement is done.",
  ReplaceAbsentMember:
    "The request is made. If the absent partner doesn't answer during the waiting time, anyone can complete it from the pod's page.",
  Recover:
    "The request is made. If the old wallet doesn't answer during the waiting time, anyone can complete it from the pod's page.",
} as const;

/** Who a request leaves out of the consents (the absent member, the lost wallet) and who joins in (last). */
function parties(request: ConsentRequest): { leaving?: Address; joining?: Address } {
  if (request.recovery) return { leaving: request.recovery.lost, joining: request.recovery.account };
  const { membership } = request;
  if (!membership) return {};
  return {
    // A member replaced with their consent signs too; an absent one is not asked.
    leaving: request.kind === "ReplaceAbsentMember" ? membership.replaced : undefined,
    joining: membership.member,
  };
}

/** What the request asks, in words. */
function Summary({ request }: { request: ConsentRequest }) {
  const { membership, recovery } = request;
  if (recovery) {
    return (
      <p>
        {shortAddress(recovery.lost)} lost their wallet and asks to carry on from {shortAddress(recovery.account)}, with
        their whole record. Agree only once you're sure it's really them (call them, or ask in person). After everyone
        agrees there is a waiting time of at least two days, during which their old wallet can still cancel it.
      </p>
    );
  }
  if (!membership) return null;
  if (request.kind === "ReplaceAbsentMember") {
    return (
      <p>
        {shortAddress(membership.replaced!)} hasn't checked in for the last two rounds.{" "}
        {shortAddress(membership.member)} would take their place, with a commitment of their own. They aren't asked, so
        there is a waiting time of at least two days: anything they do in the pod meanwhile (a check-in, a witness)
        cancels the request.
      </p>
    );
  }
  return (
    <p>
      {membership.replaced
        ? `${shortAddress(membership.replaced)} steps out (and agrees to it) and ${shortAddress(membership.member)} takes their place`
        : `${shortAddress(membership.member)} joins the pod`}
      , from the next round, with a commitment of their own. The pod's key changes with it.
    </p>
  );
}

/**
 * What an amendment changes, every line of it: the rhythm from the request at once, then everything the amended
 * covenant says differently (read and decrypted on this device), so nobody agrees to words they were not shown.
 */
function AmendmentSummary({
  amendment,
  read,
  nameOf,
}: {
  amendment: NonNullable<ConsentRequest["amendment"]>;
  /** The consent view's read of the amendment (the same one its sign button waits for). */
  read: ReturnType<typeof useAmendment>;
  nameOf: (member: Address) => string;
}) {
  const witnesses = amendment.quorum === 1 ? "one witness" : `${amendment.quorum} witnesses`;
  return (
    <>
      <p>
        From the next round: meet every {duration(amendment.cadence)}, with {duration(amendment.grace)} of grace to
        reschedule; each check-in needs {witnesses}.
      </p>
      {read.data ? (
        read.data.changes.length === 0 ? (
          <p>Nothing else in the covenant changes.</p>
        ) : (
          <>
            <p>What changes in the covenant:</p>
            <ul className="changes">
              {read.data.changes.map((change) => (
                <li key={`${change.field}-${"member" in change ? change.member : ""}`}>
                  {changeWords(change, nameOf)}
                </li>
              ))}
            </ul>
          </>
        )
      ) : read.error ? (
        read.error instanceof AmendmentMismatchError ? (
          <p role="alert">
            Don't agree to this: it doesn't do what it says ({read.error.reason}). Ask whoever proposed it to prepare it
            again.
          </p>
        ) : (
          <ErrorNote error={read.error} onRetry={() => read.refetch()} />
        )
      ) : (
        <Loading what="what the amendment changes" />
      )}
    </>
  );
}

function ConsentView({ request }: { request: ConsentRequest }) {
  const troth = useTroth();
  const { identity } = useIdentity();
  const { address } = useAccount();
  const continuity = useContinuity(request.podId);
  // The same read as the summary shows (one query): signing waits for it, and a mismatch hides the button.
  const amendment = useAmendment(request.podId, request.amendment);
  // "You", the name a member chose for the pod, their ENS name, or a short address (a newcomer sees addresses).
  const nameOf = useNames(request.podId);
  const { leaving, joining } = parties(request);
  // Who must agree, in the contract's order: the active members (but an absent one, or a lost wallet), then whoever
  // joins.
  const required = [
    ...(continuity.data?.members ?? [])
      .filter((m) => m.status === "active")
      .map((m) => m.account)
      .filter((a) => !leaving || !isAddressEqual(a, leaving)),
    ...(joining ? [joining] : []),
  ];
  const sign = useMutation({
    mutationFn: async () => {
      const client = await writeClient(troth);
      // Members sign the new keyring's digest: who it gives the pod's key to (and the covenant it carries for a
      // newcomer, or the earlier keys it hands a recovered member) is checked before the signature.
      if (request.membership) {
        const { replaced, ...entry } = request.membership;
        await verifyMembershipChange(client, {
          podId: request.podId,
          entry,
          replaced,
          identity: identity ?? undefined,
        });
      }
      if (request.recovery) {
        // An unsealed recovery never reaches this view (see Consent below).
        const { lost, account, keyringDigest = "0x" } = request.recovery;
        await verifyKeyringRotation(client, {
          podId: request.podId,
          keyringDigest,
          leaving: lost,
          joining: account,
          recovery: true,
        });
      }
      navigate(paths.consent(await signConsentRequest(client, { request, signer: client.walletClient! })));
    },
  });
  const submit = useTrothWrite(titles[request.kind], async (client) => {
    // Each signature is checked against the change, and what the proposer stored is fetched (hash-checked) and
    // stored again before sending.
    const opened = await openConsentRequest(client, { request });
    const { signatures } = opened;
    switch (opened.kind) {
      case "Pause":
        return submitPause(client, { prepared: opened.prepared, signatures });
      case "Resume":
        return submitResume(client, { prepared: opened.prepared, signatures });
      case "Amend":
        return submitAmend(client, { prepared: opened.prepared, signatures });
      case "AddMember":
        return submitAddMember(client, { prepared: opened.prepared, signatures });
      case "ReplaceMember":
        return submitReplaceMember(client, { prepared: opened.prepared, signatures });
      case "ReplaceAbsentMember":
        return submitProposeReplacement(client, { prepared: opened.prepared, signatures });
      case "Recover":
        return submitRequestRecovery(client, { prepared: opened.prepared, signatures });
    }
  });
  if (continuity.error) return <ErrorNote error={continuity.error} />;
  if (!continuity.data) return <Loading what="the pod" />;
  const { pod } = continuity.data;
  const signed = (a: `0x${string}`) => request.signatures.some((s) => isAddressEqual(s.signer, a));
  const everyone = required.every(signed);
  const stale = pod.nonce !== request.nonce || Number(request.deadline) * 1000 < Date.now();
  const verb = verbs[request.kind];
  const terms = request.amendment;
  if (submit.isSuccess) {
    return (
      <p role="status">
        {done[request.kind]} <Link to={paths.pod(request.podId)}>Go to the pod</Link>
      </p>
    );
  }
  return (
    <section className="panel">
      <p className="lead">
        A request to {verb} the pod, open until {when(Number(request.deadline))}.
      </p>
      <Summary request={request} />
      {terms && <AmendmentSummary amendment={terms} read={amendment} nameOf={nameOf} />}
      <ul className="members">
        {required.map((account) => (
          <li key={account}>
            <span className="who">
              {nameOf(account)}
              {joining && isAddressEqual(account, joining) ? (request.recovery ? " (new wallet)" : " (joining)") : ""}
            </span>
            <span className={signed(account) ? "signed" : "waiting"}>{signed(account) ? "Agreed" : "Not yet"}</span>
          </li>
        ))}
      </ul>
      {stale ? (
        <p>This request is out of date (the pod changed since, or its time ran out). Propose it again from the pod.</p>
      ) : everyone ? (
        <>
          <p>Everyone agrees. Anyone may now submit it.</p>
          <button type="button" className="primary" disabled={submit.isPending} onClick={() => submit.mutate()}>
            {submit.isPending ? "Submitting…" : `Submit: ${verb} the pod`}
          </button>
          <ErrorNote error={submit.error} onRetry={() => submit.mutate()} />
        </>
      ) : amendment.error ? null : address && required.some((a) => isAddressEqual(a, address)) && !signed(address) ? (
        <>
          <button
            type="button"
            className="primary"
            // An amendment is agreed to only once this device has read what it changes.
            disabled={sign.isPending || (terms !== undefined && !amendment.data)}
            onClick={() => sign.mutate()}
          >
            {sign.isPending ? "Signing…" : `${agree[request.kind]} (sign, no fee)`}
          </button>
          <ErrorNote error={sign.error} onRetry={() => sign.mutate()} />
        </>
      ) : (
        <CopyLink
          label="Pass this link to the next partner who hasn't agreed yet"
          url={shareUrl(paths.consent(request))}
        />
      )}
    </section>
  );
}

export default function Consent({ params }: { params: Record<string, string> }) {
  const { config } = useRuntime();
  let request: ConsentRequest | undefined;
  let error: Error | undefined;
  try {
    request = decodeConsent(params.payload, { chainId: config.chainId, address: config.contracts.troth });
  } catch (e) {
    error = e as Error;
  }
  // A recovery the new wallet asked for on the CLI waits for a partner to seal it: the recovery page does that.
  const unsealed = request?.recovery && !request.recovery.keyringDigest ? request.recovery : undefined;
  return (
    <>
      <h1>Everyone's consent</h1>
      {error ? (
        <p role="alert">{error instanceof BaseError ? error.shortMessage : error.message}</p>
      ) : unsealed ? (
        <p>
          A partner asks to move their commitment to a new wallet.{" "}
          <Link to={paths.recoveryRequest(unsealed.tokenId, unsealed.account)}>Check it's them and prepare it</Link>
        </p>
      ) : (
        <Gate>{request && <ConsentView request={request} />}</Gate>
      )}
    </>
  );
}
