import { useMutation } from "@tanstack/react-query";
import { pause, resume } from "@troth/sdk";
import { isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { signPodConsent } from "../actions/signPodConsent.ts";
import { useContinuity } from "../hooks/reads.ts";
import { useTrothWrite } from "../hooks/useTrothWrite.ts";
import { shortAddress, when } from "../lib/format.ts";
import { type ConsentRequest, decodeConsent, paths, shareUrl } from "../lib/links.ts";
import { Link, navigate } from "../lib/router.tsx";
import { useTroth, writeClient } from "../lib/troth.tsx";
import { CopyLink } from "../ui/CopyLink.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Gate } from "../ui/Gate.tsx";

function ConsentView({ request }: { request: ConsentRequest }) {
  const troth = useTroth();
  const { address } = useAccount();
  const continuity = useContinuity(request.podId);
  const sign = useMutation({
    mutationFn: async () => {
      const client = await writeClient(troth);
      const signature = await signPodConsent(client, { ...request, signer: client.walletClient! });
      navigate(
        paths.consent({
          ...request,
          signatures: [...request.signatures, { signer: client.walletClient!.account!.address, signature }],
        }),
      );
    },
  });
  const submit = useTrothWrite(request.kind === "Pause" ? "Pause the pod" : "Resume the pod", (client) =>
    (request.kind === "Pause" ? pause : resume)(client, {
      podId: request.podId,
      deadline: request.deadline,
      signers: request.signatures,
    }),
  );
  if (continuity.error) return <ErrorNote error={continuity.error} />;
  if (!continuity.data) return <Loading what="the pod" />;
  const { pod, members } = continuity.data;
  const active = members.filter((m) => m.status === "active");
  const signed = (a: `0x${string}`) => request.signatures.some((s) => isAddressEqual(s.signer, a));
  const everyone = active.every((m) => signed(m.account));
  const stale = pod.nonce !== request.nonce || Number(request.deadline) * 1000 < Date.now();
  const verb = request.kind === "Pause" ? "pause" : "resume";
  if (submit.isSuccess) {
    return (
      <p role="status">
        The pod is {request.kind === "Pause" ? "paused" : "running again"}.{" "}
        <Link to={paths.pod(request.podId)}>Go to the pod</Link>
      </p>
    );
  }
  return (
    <section className="panel">
      <p className="lead">
        A request to {verb} the pod, open until {when(Number(request.deadline))}.
      </p>
      <ul className="members">
        {active.map((m) => (
          <li key={m.account}>
            <span className="who">
              {address && isAddressEqual(address, m.account) ? "You" : shortAddress(m.account)}
            </span>
            <span className={signed(m.account) ? "signed" : "waiting"}>{signed(m.account) ? "Agreed" : "Not yet"}</span>
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
      ) : address && active.some((m) => isAddressEqual(m.account, address)) && !signed(address) ? (
        <>
          <button type="button" className="primary" disabled={sign.isPending} onClick={() => sign.mutate()}>
            {sign.isPending ? "Signing…" : `I agree to ${verb} (sign, no fee)`}
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
  let request: ConsentRequest | undefined;
  let error: Error | undefined;
  try {
    request = decodeConsent(params.payload);
  } catch (e) {
    error = e as Error;
  }
  return (
    <>
      <h1>Everyone's consent</h1>
      {error ? <p role="alert">{error.message}</p> : <Gate>{request && <ConsentView request={request} />}</Gate>}
    </>
  );
}
