import { type Claim, cancelClaim, completeClaim } from "@troth/sdk";
import { type Address, isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { useClaims } from "../hooks/reads.ts";
import { useTrothWrite } from "../hooks/useTrothWrite.ts";
import { duration, when } from "../lib/format.ts";
import { ErrorNote } from "./ErrorNote.tsx";

/** One claim: what it asks, its countdown, and what the one who sees it can do. */
function ClaimCard({ claim, name }: { claim: Claim; name: (a: Address) => string }) {
  const { address } = useAccount();
  const mine = address !== undefined && isAddressEqual(address, claim.member);
  const cancel = useTrothWrite("Cancel the request about your seat", (client) =>
    cancelClaim(client, { tokenId: claim.tokenId }),
  );
  const complete = useTrothWrite(
    claim.kind === "recovery" ? "Complete the recovery" : "Complete the replacement",
    (client) => completeClaim(client, { tokenId: claim.tokenId }),
  );
  const whose = mine ? "Your" : `${name(claim.member)}'s`;
  const what =
    claim.kind === "recovery"
      ? `${whose} commitment is to move to a new wallet, ${name(claim.successor)}, with its whole record.`
      : `${mine ? "You haven't" : `${name(claim.member)} hasn't`} checked in for two rounds; ${name(claim.successor)} is proposed in ${mine ? "your" : "their"} place.`;
  return (
    <li className={`card claim claim-${claim.kind}`}>
      <p>{what}</p>
      {claim.stale ? (
        <p>
          The pod's keys changed since this request was made, so it can't be completed. Make it again if it's still
          needed.
        </p>
      ) : claim.windowOpen ? (
        <p>
          Waiting time: {duration(claim.secondsLeft)} left (until {when(claim.notBefore)}).{" "}
          {claim.kind === "recovery"
            ? "Until then, the old wallet can cancel it."
            : "Until then, anything they do in the pod cancels it."}
        </p>
      ) : (
        <p>The waiting time is over: anyone can complete it.</p>
      )}
      {mine && (
        <>
          <p className="lead">
            {claim.kind === "recovery"
              ? "This is about your seat. If you didn't ask to move your commitment, cancel it now: your wallet is the one it was made for."
              : "This is about your seat. If you're still here, say so: cancelling it (or any check-in or witness of yours) keeps your place."}
          </p>
          <button type="button" className="primary" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
            {cancel.isPending ? "Cancelling…" : "I'm here: cancel this request"}
          </button>
          <ErrorNote error={cancel.error} onRetry={() => cancel.mutate()} />
        </>
      )}
      {claim.completable && !mine && (
        <>
          <button type="button" disabled={complete.isPending} onClick={() => complete.mutate()}>
            {complete.isPending
              ? "Completing…"
              : claim.kind === "recovery"
                ? "Complete the recovery"
                : "Complete the replacement"}
          </button>
          <ErrorNote error={complete.error} onRetry={() => complete.mutate()} />
        </>
      )}
    </li>
  );
}

/**
 * Requests standing on a pod's seats (a partner absent for two rounds, a wallet lost), shown to everyone who opens the
 * pod, with a countdown: the member they concern can cancel them, and anyone can complete them once the time is over.
 */
export function Claims({ podId, name }: { podId: bigint; name: (a: Address) => string }) {
  const claims = useClaims(podId);
  if (!claims.data?.length) return <ErrorNote error={claims.error} onRetry={() => claims.refetch()} />;
  return (
    <section aria-labelledby="claims-title" className="panel">
      <h2 id="claims-title">Open requests about a seat</h2>
      <ul className="claims">
        {claims.data.map((claim) => (
          <ClaimCard key={claim.tokenId.toString()} claim={claim} name={name} />
        ))}
      </ul>
    </section>
  );
}
