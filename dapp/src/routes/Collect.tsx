import { witnessBySig } from "@troth/sdk";
import { isAddressEqual } from "viem";
import { useContinuity, usePendingCheckIn, useReplies } from "../hooks/reads.ts";
import { useTrothWrite } from "../hooks/useTrothWrite.ts";
import { roundLabel, shortAddress } from "../lib/format.ts";
import { decodeWitnessReturn, paths, type WitnessReturn } from "../lib/links.ts";
import { Link } from "../lib/router.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Gate } from "../ui/Gate.tsx";
import { WitnessProgress } from "../ui/WitnessProgress.tsx";

function Collected({ value }: { value: WitnessReturn }) {
  const { tokenId, round, witness } = value;
  const podId = tokenId >> 8n;
  const continuity = useContinuity(podId);
  const pending = usePendingCheckIn(tokenId, round);
  const replies = useReplies(tokenId, round, witness.reply ? [witness.reply] : []);
  const record = useTrothWrite("Record the witness", (client) =>
    witnessBySig(client, { tokenId, round, witnesses: [witness] }),
  );
  if (!continuity.data || pending.isPending) return <Loading what="the check-in" />;
  const witnessed = continuity.data.commitments.find((c) => c.tokenId === tokenId)?.roundStates[round] === "witnessed";
  const counted = pending.data?.witnesses.some((w) => isAddressEqual(w, witness.signer)) ?? false;
  return (
    <section className="panel">
      <p className="lead">
        {shortAddress(witness.signer)} witnessed your check-in for {roundLabel(round)}.
      </p>
      {replies.data?.map((r) => (
        <blockquote key={r.from} className="reply">
          {r.reply}
        </blockquote>
      ))}
      <ErrorNote error={replies.error} />
      {witnessed || counted || record.isSuccess ? (
        <WitnessProgress tokenId={tokenId} round={round} />
      ) : pending.data?.reportDigest ? (
        <>
          <p>Record their witness on the chain (one transaction from you; it costs them nothing).</p>
          <button type="button" className="primary" disabled={record.isPending} onClick={() => record.mutate()}>
            {record.isPending ? "Recording…" : "Record this witness"}
          </button>
          <ErrorNote error={record.error} onRetry={() => record.mutate()} />
        </>
      ) : (
        <p>This check-in isn't waiting for witnesses any more.</p>
      )}
      <p>
        <Link to={paths.pod(podId)}>Go to the pod</Link>
      </p>
    </section>
  );
}

export default function Collect({ params }: { params: Record<string, string> }) {
  let value: WitnessReturn | undefined;
  let error: Error | undefined;
  try {
    value = decodeWitnessReturn(params.payload);
  } catch (e) {
    error = e as Error;
  }
  return (
    <>
      <h1>A partner witnessed you</h1>
      {error ? <p role="alert">{error.message}</p> : <Gate>{value && <Collected value={value} />}</Gate>}
    </>
  );
}
