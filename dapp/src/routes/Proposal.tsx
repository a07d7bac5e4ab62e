import { acceptCovenant, type Covenant } from "@troth/sdk";
import { COVENANT_BOUNDARY } from "@troth/sdk/crypto";
import { useEffect, useMemo } from "react";
import { isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { useCovenantConsents, useProposedCovenant } from "../hooks/reads.ts";
import { useTrothWrite } from "../hooks/useTrothWrite.ts";
import { podIdOfCovenant } from "../lib/covenantId.ts";
import { duration, shortAddress, when } from "../lib/format.ts";
import { useIdentity } from "../lib/identity.tsx";
import { decodeProposal, idText, paths, shareUrl } from "../lib/links.ts";
import { Link } from "../lib/router.tsx";
import { useTroth } from "../lib/troth.tsx";
import { CopyLink } from "../ui/CopyLink.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Gate } from "../ui/Gate.tsx";

function ProposalView({ covenant, link }: { covenant: Covenant; link: string }) {
  const { config } = useTroth();
  const { address } = useAccount();
  const { vault } = useIdentity();
  const podId = useMemo(() => podIdOfCovenant(covenant, config.chainId, config.contracts.troth), [covenant, config]);
  const document = useProposedCovenant(covenant, podId);
  const consents = useCovenantConsents(covenant, podId);
  const accept = useTrothWrite("Sign the covenant", (client) => acceptCovenant(client, { covenant }));
  const created = consents.data?.created ?? false;
  const signed = (a: string) => consents.data?.accepted.some((x) => isAddressEqual(x, a as `0x${string}`)) ?? false;
  const isMember = !!address && covenant.members.some((m) => isAddressEqual(m, address));
  const expired = Number(covenant.deadline) * 1000 < Date.now();

  // Once the pod exists, the covenant draft has become the pod: it is no longer kept on this device.
  useEffect(() => {
    if (created && vault) vault.remove(`proposal:${idText(podId)}`).catch(() => {});
  }, [created, vault, podId]);

  if (document.error) {
    return <ErrorNote error={document.error} onRetry={() => document.refetch()} />;
  }
  if (!document.data) return <Loading what="the covenant" />;
  const doc = document.data;
  const name = (a: string) => (address && isAddressEqual(a as `0x${string}`, address) ? "You" : shortAddress(a));
  return (
    <article className="covenant-view">
      <h2>{doc.title}</h2>
      {created ? (
        <p className="live" role="status">
          Everyone has signed: the pod is live. <Link to={paths.pod(podId)}>Go to the pod</Link>
        </p>
      ) : (
        <p role="status">
          {consents.data
            ? `${consents.data.accepted.length} of ${covenant.members.length} have signed.`
            : "Checking who has signed…"}{" "}
          The pod goes live when everyone has.
        </p>
      )}
      <section aria-labelledby="who-title">
        <h3 id="who-title">Who commits to what</h3>
        <ul className="members">
          {doc.members.map((m) => (
            <li key={m.address}>
              <span className="who">
                {name(m.address)}
                {m.name && ` (${m.name})`}
              </span>
              <q>{m.commitment}</q>
              <span className={signed(m.address) || created ? "signed" : "waiting"}>
                {signed(m.address) || created ? "Signed" : "Not signed yet"}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="rhythm-title">
        <h3 id="rhythm-title">Rhythm</h3>
        <p>
          We meet every {duration(doc.terms.cadence)}, for {doc.terms.rounds} rounds, starting {when(covenant.start)}.
          Each check-in is witnessed by {doc.terms.quorum === 1 ? "one partner" : `${doc.terms.quorum} partners`}.
          Anyone may reschedule within {duration(doc.terms.grace)} of grace.
        </p>
        <h3>When someone misses</h3>
        <p>{doc.whenSomeoneMisses}</p>
        <p className="boundary">
          <strong>{COVENANT_BOUNDARY}</strong>
        </p>
      </section>
      {!created && isMember && !signed(address!) && (
        <section className="panel" aria-labelledby="sign-title">
          <h3 id="sign-title">Your signature</h3>
          {expired ? (
            <p>The time to sign this covenant has passed. Ask the creator to prepare it again.</p>
          ) : (
            <>
              <p>
                Signing records your consent on the chain (one transaction). Only a digest is recorded; the words stay
                encrypted.
              </p>
              <button type="button" className="primary" disabled={accept.isPending} onClick={() => accept.mutate()}>
                {accept.isPending ? "Signing…" : "Sign the covenant"}
              </button>
              <ErrorNote error={accept.error} onRetry={() => accept.mutate()} />
            </>
          )}
        </section>
      )}
      {!created && <CopyLink label="Share this link with each partner: they open it to read and sign." url={link} />}
    </article>
  );
}

export default function Proposal({ params }: { params: Record<string, string> }) {
  let covenant: Covenant | undefined;
  let error: unknown;
  try {
    covenant = decodeProposal(params.covenant);
  } catch (e) {
    error = e;
  }
  return (
    <>
      <h1>Covenant</h1>
      {error ? (
        <p role="alert">{(error as Error).message}</p>
      ) : (
        <Gate>{covenant && <ProposalView covenant={covenant} link={shareUrl(paths.proposal(covenant))} />}</Gate>
      )}
    </>
  );
}
