import { useMutation } from "@tanstack/react-query";
import { signConsentRequest } from "@troth/sdk";
import { useContinuity } from "../hooks/reads.ts";
import { paths } from "../lib/links.ts";
import { navigate } from "../lib/router.tsx";
import { useTroth, writeClient } from "../lib/troth.tsx";
import { ErrorNote } from "./ErrorNote.tsx";

const THREE_DAYS = 3 * 86_400;

/** Pause or resume: changes every active member consents to. The request travels member to member as a link. */
export function ConsentChanges({ podId }: { podId: bigint }) {
  const troth = useTroth();
  const continuity = useContinuity(podId);
  const pod = continuity.data?.pod;
  const propose = useMutation({
    mutationFn: async () => {
      const client = await writeClient(troth);
      const kind = pod!.status === "paused" ? "Resume" : "Pause";
      const block = await client.publicClient.getBlock();
      const deadline = block.timestamp + BigInt(THREE_DAYS);
      const request = { kind, podId, nonce: pod!.nonce, deadline } as const;
      navigate(paths.consent(await signConsentRequest(client, { request, signer: client.walletClient! })));
    },
  });
  if (!pod || (pod.status !== "active" && pod.status !== "paused" && pod.status !== "scheduled")) return null;
  const pausing = pod.status !== "paused";
  return (
    <section className="panel" aria-labelledby="pause-title">
      <h2 id="pause-title">{pausing ? "Pause the pod" : "Resume the pod"}</h2>
      <p>
        {pausing
          ? "Life happens. While the pod is paused no round closes and nobody can miss. Everyone signs, then it takes effect."
          : "Start the clock again when everyone is ready. Everyone signs, then it takes effect."}
      </p>
      <button type="button" disabled={propose.isPending} onClick={() => propose.mutate()}>
        {propose.isPending ? "Signing…" : pausing ? "Propose a pause" : "Propose resuming"}
      </button>
      <ErrorNote error={propose.error} onRetry={() => propose.mutate()} />
    </section>
  );
}
