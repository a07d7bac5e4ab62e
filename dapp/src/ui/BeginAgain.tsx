import { restart } from "@troth/sdk";
import { useId, useState } from "react";
import { isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { useContinuity } from "../hooks/reads.ts";
import { useTrothWrite } from "../hooks/useTrothWrite.ts";
import { sentenceCount } from "../lib/covenantForm.ts";
import { roundLabel, stillSeated } from "../lib/format.ts";
import { useIdentity } from "../lib/identity.tsx";
import { ErrorNote } from "./ErrorNote.tsx";
import { Field } from "./Field.tsx";

/**
 * Told kindly, where the member looks (pod home, My pods, the composer, Manage): they missed a round, and they can
 * begin again from the next one, with the button right there. Renders nothing for anyone who did not miss.
 * `compact` leaves out the optional new commitment and heads its panel as a card's part (h4, in My pods' list).
 */
export function BeginAgain({ podId, compact = false }: { podId: bigint; compact?: boolean }) {
  const { address } = useAccount();
  const { identity } = useIdentity();
  const continuity = useContinuity(podId);
  const [newCommitment, setNewCommitment] = useState("");
  const titleId = useId();
  const mine = continuity.data?.commitments.find(
    (c) => address && isAddressEqual(c.account, address) && stillSeated(c),
  );
  const write = useTrothWrite("Begin again", (client, commitment: string) =>
    restart(client, { tokenId: mine!.tokenId, ...(commitment ? { commitment, identity: identity! } : {}) }),
  );
  if (write.isSuccess)
    return (
      <p className="panel begin-again" role="status">
        Welcome back. The next round is yours.
      </p>
    );
  if (mine?.status !== "lapsed") return null;
  const missed = mine.roundStates.lastIndexOf("missed");
  const problem = newCommitment && sentenceCount(newCommitment) > 2 ? "Keep it to one or two sentences." : undefined;
  const begin = () => write.mutate(newCommitment.trim());

  return (
    <section className="panel begin-again" aria-labelledby={titleId}>
      {compact ? <h4 id={titleId}>You can begin again</h4> : <h2 id={titleId}>You can begin again</h2>}
      <p>
        {missed >= 0 ? `${roundLabel(missed)[0].toUpperCase()}${roundLabel(missed).slice(1)}` : "A round"} went by
        without a check-in. That's part of keeping a practice, not a failure of it. Begin again from the next round:
        nothing you've done is lost, and there's no penalty.
      </p>
      {!compact && (
        <Field label="A new commitment, if you'd like one (optional)" error={problem}>
          {(props) => (
            <textarea
              {...props}
              rows={2}
              maxLength={500}
              value={newCommitment}
              onChange={(e) => setNewCommitment(e.target.value)}
            />
          )}
        </Field>
      )}
      <button type="button" className="primary" disabled={write.isPending || !!problem} onClick={begin}>
        {write.isPending ? "Beginning again…" : "Begin again"}
      </button>
      <ErrorNote error={write.error} onRetry={begin} />
    </section>
  );
}
