import { queryOptions, useQuery } from "@tanstack/react-query";
import type { TrothClient } from "@troth/sdk";
import { type CommitmentContinuity, mirrorWords } from "@troth/sdk";
import type { IdentityKey } from "@troth/sdk/crypto";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import { getPodMirror } from "../actions/getPodMirror.ts";
import { roundLabel } from "../lib/format.ts";
import { useIdentity } from "../lib/identity.tsx";
import { useTroth } from "../lib/troth.tsx";
import { ErrorNote, Loading } from "./ErrorNote.tsx";

/** The mirror as a query: decrypted, so keyed "decrypted" (never persisted), per reader and per state of the rounds. */
function podMirrorQueryOptions(
  client: TrothClient,
  {
    podId,
    reader,
    identity,
    commitments,
  }: { podId: bigint; reader: Address; identity: IdentityKey; commitments: readonly CommitmentContinuity[] },
) {
  const states = commitments.map((c) => c.roundStates.join(",")).join("|");
  return queryOptions({
    queryKey: ["troth", client.chainId, "decrypted", reader, "mirror", podId, states],
    queryFn: () => getPodMirror(client, { podId, reader, identity, commitments }),
    staleTime: 30_000,
  });
}

/**
 * The pod's private mirror on pod home: signs that need what members wrote, computed on this device from what it
 * decrypted, shown to members only, in words that describe and never grade.
 */
export function PodMirror({
  podId,
  commitments,
  name,
}: {
  podId: bigint;
  commitments: readonly CommitmentContinuity[];
  name: (account: Address) => string;
}) {
  const { address } = useAccount();
  const { identity } = useIdentity();
  const { client } = useTroth();
  const member = !!address && commitments.some((c) => c.account.toLowerCase() === address.toLowerCase());
  const mirror = useQuery({
    ...podMirrorQueryOptions(client, { podId, reader: address!, identity: identity!, commitments }),
    enabled: member && !!identity,
  });
  if (!member || !identity) return null;
  const lines = mirror.data ? mirrorWords(mirror.data, name, roundLabel) : [];
  return (
    <section aria-labelledby="mirror-title" className="panel mirror">
      <h2 id="mirror-title">The pod's mirror</h2>
      <p className="hint">Read from what you and your partners wrote, on this device only. Nobody else sees it.</p>
      {mirror.error && <ErrorNote error={mirror.error} onRetry={() => mirror.refetch()} />}
      {!mirror.data && !mirror.error && <Loading what="the pod's mirror" />}
      {mirror.data && lines.length === 0 && <p>Nothing to reflect yet: it fills in as the rounds go by.</p>}
      {lines.length > 0 && (
        <ul className="signals">
          {lines.map((line) => (
            <li key={line} className="signal signal-calm">
              {line}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
