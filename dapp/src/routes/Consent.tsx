import { useMutation } from "@tanstack/react-query";
import { pause, resume, submitAmend, trothDomain, trothTypes } from "@troth/sdk";
import { isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { signPodConsent } from "../actions/signPodConsent.ts";
import { useContinuity } from "../hooks/reads.ts";
import { useTrothWrite } from "../hooks/useTrothWrite.ts";
import { duration, shortAddress, when } from "../lib/format.ts";
import { type ConsentRequest, decodeConsent, paths, shareUrl } from "../lib/links.ts";
import { Link, navigate } from "../lib/router.tsx";
import { useTroth, writeClient } from "../lib/troth.tsx";
import { CopyLink } from "../ui/CopyLink.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Gate } from "../ui/Gate.tsx";

const titles = { Pause: "Pause the pod", Resume: "Resume the pod", Amend: "Change the terms" } as const;
const verbs = { Pause: "pause", Resume: "resume", Amend: "change the terms of" } as const;
const agree = { Pause: "I agree to pause", Resume: "I agree to resume", Amend: "I agree to the new terms" } as const;
const done = {
  Pause: "The pod is paused.",
  Resume: "The pod is running again.",
  Amend: "The new terms are agreed: they start from the next round.",
} as const;

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
  const submit = useTrothWrite(titles[request.kind], async (client) => {
    const { kind, podId, deadline, nonce, signatures, amendment } = request;
    if (kind !== "Amend" || !amendment)
      return (kind === "Pause" ? pause : resume)(client, { podId, deadline, signers: signatures });
    // The amended covenant was stored when the amendment was prepared; it is stored again before sending.
    const covenant = await client.store.get(amendment.covenantDigest);
    const required = continuity.data!.members.filter((m) => m.status === "active").map((m) => m.account);
    return submitAmend(client, {
      prepared: {
        podId,
        amendment,
        nonce,
        deadline,
        required,
        covenant,
        typedData: {
          domain: trothDomain(client.chainId, client.address),
          types: trothTypes,
          primaryType: "Amend",
          message: { podId, ...amendment, nonce, deadline },
        },
      },
      signatures,
    });
  });
  if (continuity.error) return <ErrorNote error={continuity.error} />;
  if (!continuity.data) return <Loading what="the pod" />;
  const { pod, members } = continuity.data;
  const active = members.filter((m) => m.status === "active");
  const signed = (a: `0x${string}`) => request.signatures.some((s) => isAddressEqual(s.signer, a));
  const everyone = active.every((m) => signed(m.account));
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
      {terms && (
        <p>
          From the next round: meet every {duration(terms.cadence)}, with {duration(terms.grace)} of grace to
          reschedule; each check-in needs {terms.quorum === 1 ? "one witness" : `${terms.quorum} witnesses`}. The
          covenant's words stay as they are.
        </p>
      )}
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
