import { leave, rotateKeyring } from "@troth/sdk";
import { useState } from "react";
import { isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { useContinuity, useCovenant, useVitality } from "../hooks/reads.ts";
import { useTrothWrite } from "../hooks/useTrothWrite.ts";
import { renewalForm } from "../lib/covenantForm.ts";
import { stillSeated } from "../lib/format.ts";
import { useIdentity } from "../lib/identity.tsx";
import { idText, parseId, paths } from "../lib/links.ts";
import { readReplantPrefill } from "../lib/replant.ts";
import { Link, navigate, usePath } from "../lib/router.tsx";
import { AmendChanges, revealSection } from "../ui/AmendTerms.tsx";
import { BeginAgain } from "../ui/BeginAgain.tsx";
import { ConsentChanges } from "../ui/ConsentChanges.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Gate } from "../ui/Gate.tsx";
import { MembershipChanges } from "../ui/MembershipChanges.tsx";

function ManagePod({ podId }: { podId: bigint }) {
  const { address } = useAccount();
  const { vault } = useIdentity();
  const continuity = useContinuity(podId);
  const covenant = useCovenant(podId);
  const vitality = useVitality(podId);
  // A replant suggestion from pod home (`?cadence-days=14`, `?add-member`) fills in its consent flow, unproposed.
  const prefill = readReplantPrefill(usePath());
  const quarterly = prefill !== undefined && "renewQuarterly" in prefill;
  const [confirmLeave, setConfirmLeave] = useState(false);
  const leaveWrite = useTrothWrite("Leave the pod", (client) => leave(client, { tokenId: mine!.tokenId }));
  const rotateWrite = useTrothWrite("Renew the pod's key", (client) => rotateKeyring(client, { podId }));

  if (continuity.error) return <ErrorNote error={continuity.error} onRetry={() => continuity.refetch()} />;
  if (!continuity.data) return <Loading what="the pod" />;
  const { pod, commitments, members } = continuity.data;
  const mine = commitments.find((c) => address && isAddressEqual(c.account, address) && stillSeated(c));
  if (!mine) return <p>You're not an active member of this pod.</p>;
  const someoneLeft = members.some((m) => m.status !== "active");
  const live = pod.status === "active" || pod.status === "scheduled" || pod.status === "paused";

  /** Writes the renewal covenant as a draft for the new-pod form: this cycle's terms, or the quarterly rhythm. */
  const renew = async (quarterly: boolean) => {
    const doc = covenant.data;
    if (!doc || !vault) return;
    const active = members.filter((m) => m.status === "active").map((m) => m.account);
    const form = renewalForm({ covenant: doc, pod, active, previousPod: idText(podId), quarterly });
    await vault.save("covenant:new", form);
    navigate(paths.newPod());
  };

  return (
    <>
      <BeginAgain podId={podId} />

      {someoneLeft && live && (
        <section className="panel" aria-labelledby="rotate-title">
          <h2 id="rotate-title">Renew the pod's key</h2>
          <p>
            Someone left. Renewing the key means what the pod writes from now on is readable only by those still in it.
          </p>
          <button type="button" disabled={rotateWrite.isPending} onClick={() => rotateWrite.mutate()}>
            {rotateWrite.isPending ? "Renewing…" : "Renew the key"}
          </button>
          <ErrorNote error={rotateWrite.error} onRetry={() => rotateWrite.mutate()} />
        </section>
      )}

      {(vitality.data?.vitality.renewal.renewable || pod.status === "ended") && (
        <section className="panel" aria-labelledby="renew-title" ref={quarterly ? revealSection : undefined}>
          <h2 id="renew-title">{pod.cycle >= 2 ? "Graduation" : "Renew for another cycle"}</h2>
          {pod.cycle >= 2 ? (
            <p>
              You've kept {pod.cycle} cycles together: this pod has graduated. You may still renew, if the rhythm still
              serves you.
            </p>
          ) : (
            <p>
              The cycle is complete. Renewing starts a second cycle with the same people; finishing it is graduation.
            </p>
          )}
          {quarterly && (
            <p role="status">
              The quarterly rhythm is filled in: every 13 weeks, four rounds (a year), a week of grace. You can change
              any of it on the next page before anyone is asked.
            </p>
          )}
          <button type="button" className="primary" disabled={!covenant.data} onClick={() => renew(quarterly)}>
            {quarterly ? "Write the quarterly renewal covenant" : "Write the renewal covenant"}
          </button>
        </section>
      )}

      <ConsentChanges podId={podId} />
      <AmendChanges podId={podId} prefill={prefill && "amend" in prefill ? prefill.amend : undefined} />
      <MembershipChanges podId={podId} mode="add" suggested={prefill !== undefined && "addMember" in prefill} />
      <MembershipChanges podId={podId} mode="replace" />

      {live && (
        <section className="panel" aria-labelledby="leave-title">
          <h2 id="leave-title">Leave the pod</h2>
          <p>
            Your history stays as it is. Your partners carry on; leaving is allowed, at any time, without explanation.
          </p>
          {confirmLeave ? (
            <>
              <button
                type="button"
                className="danger"
                disabled={leaveWrite.isPending}
                onClick={() => leaveWrite.mutate()}
              >
                {leaveWrite.isPending ? "Leaving…" : "Yes, leave this pod"}
              </button>{" "}
              <button type="button" onClick={() => setConfirmLeave(false)}>
                Stay
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirmLeave(true)}>
              Leave…
            </button>
          )}
          <ErrorNote error={leaveWrite.error} onRetry={() => leaveWrite.mutate()} />
        </section>
      )}
      <p>
        <Link to={paths.pod(podId)}>Back to the pod</Link>
      </p>
    </>
  );
}

export default function Manage({ params }: { params: Record<string, string> }) {
  const podId = parseId(params.podId);
  return (
    <>
      <h1>Pause, change or leave</h1>
      {podId === undefined ? (
        <p role="alert">This pod link is damaged.</p>
      ) : (
        <Gate>
          <ManagePod podId={podId} />
        </Gate>
      )}
    </>
  );
}
