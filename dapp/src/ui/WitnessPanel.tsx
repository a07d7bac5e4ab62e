import { useMutation } from "@tanstack/react-query";
import { postReply, signWitness, witness } from "@troth/sdk";
import { type WitnessReplyText, witnessReplies } from "@troth/sdk/crypto";
import { useId, useState } from "react";
import type { Address, Hex } from "viem";
import { useReport } from "../hooks/reads.ts";
import { useTrothWrite } from "../hooks/useTrothWrite.ts";
import { roundLabel, shortAddress } from "../lib/format.ts";
import { useIdentity } from "../lib/identity.tsx";
import { paths, shareUrl } from "../lib/links.ts";
import { useTroth, writeClient } from "../lib/troth.tsx";
import { CopyLink } from "./CopyLink.tsx";
import { ErrorNote, Loading } from "./ErrorNote.tsx";
import { Player } from "./Player.tsx";

/**
 * Read a partner's check-in and witness it. The listening rule: a witness may answer only "Thank you" or ask "What did
 * you notice?"; there is no place for advice. A reply is posted to the pod first (`postReply`), so it reaches the
 * member whichever way the witness is given, with no link carried by hand.
 */
export function WitnessPanel({
  tokenId,
  round,
  reportDigest,
  member,
}: {
  tokenId: bigint;
  round: number;
  reportDigest: Hex;
  member: Address;
}) {
  const troth = useTroth();
  const { identity } = useIdentity();
  const report = useReport(tokenId, round, reportDigest);
  const [reply, setReply] = useState<WitnessReplyText | "">("");
  const [returnLink, setReturnLink] = useState<string | null>(null);
  const groupId = useId();

  const sendReply = useTrothWrite(`Send your reply to ${shortAddress(member)}`, (client, text: WitnessReplyText) =>
    postReply(client, { tokenId, round, reply: text, identity: identity! }),
  );
  const sign = async () => {
    const client = await writeClient(troth);
    const signature = await signWitness(client, { tokenId, round, reportDigest, signer: client.walletClient! });
    setReturnLink(shareUrl(paths.collect({ tokenId, round, reportDigest, witness: signature })));
  };
  // The reply goes first: once the witness lands the check-in leaves the inbox, and nothing may be left undone.
  const replyFirst = async () => {
    if (reply && !sendReply.isSuccess) await sendReply.mutateAsync(reply);
  };
  const bySignature = useMutation({ mutationFn: () => replyFirst().then(sign) });
  const byTransaction = useTrothWrite("Witness the check-in", (client) =>
    witness(client, { tokenId, round, reportDigest }),
  );
  const witnessByTransaction = useMutation({ mutationFn: () => replyFirst().then(() => byTransaction.mutateAsync()) });

  if (report.error) return <ErrorNote error={report.error} onRetry={() => report.refetch()} />;
  if (!report.data) return <Loading what="the check-in" />;
  const done = byTransaction.isSuccess || returnLink !== null;

  return (
    <article className="witness" aria-label={`Check-in of ${shortAddress(member)} for ${roundLabel(round)}`}>
      <dl className="report">
        <dt>What I said I'd do</dt>
        <dd>{report.data.said}</dd>
        <dt>What blocked or surprised me</dt>
        <dd>{report.data.blocked || <em>Nothing written.</em>}</dd>
        <dt>What's next</dt>
        <dd>{report.data.next}</dd>
      </dl>
      {report.data.recording && <Player tokenId={tokenId} round={round} recording={report.data.recording} />}
      {!done && (
        <>
          <fieldset className="replies">
            <legend id={groupId}>Your reply (optional)</legend>
            <p className="hint">
              Witnesses listen; they don't advise. You may thank them, or ask one question. A reply is sent to your pod
              with a small transaction of its own, so it reaches them however you witness.
            </p>
            {(["", ...witnessReplies] as const).map((r) => (
              <label key={r || "none"} className="check">
                <input
                  type="radio"
                  name={`reply-${tokenId}-${round}`}
                  checked={reply === r}
                  onChange={() => setReply(r)}
                />
                {r || "No reply"}
              </label>
            ))}
          </fieldset>
          {/* The path that needs nothing carried by hand comes first: the partner may not be in the same meeting. */}
          <div className="witness-choices">
            <div className="witness-choice">
              <button
                type="button"
                className="primary"
                aria-describedby={`${groupId}-now`}
                disabled={witnessByTransaction.isPending}
                onClick={() => witnessByTransaction.mutate()}
              >
                {witnessByTransaction.isPending ? "Witnessing…" : "Witness now"}
              </button>
              <p className="hint" id={`${groupId}-now`}>
                Recorded at once from your wallet, for a small network fee. Nothing to send back.
              </p>
            </div>
            <div className="witness-choice">
              <button
                type="button"
                aria-describedby={`${groupId}-sign`}
                disabled={bySignature.isPending}
                onClick={() => bySignature.mutate()}
              >
                {bySignature.isPending ? "Signing…" : "Sign only, without a fee"}
              </button>
              <p className="hint" id={`${groupId}-sign`}>
                You then send {shortAddress(member)} a link; opening it records your witness, and they pay the fee.
                Easiest when you're together in a meeting.
              </p>
            </div>
          </div>
          <ErrorNote error={bySignature.error ?? witnessByTransaction.error} />
        </>
      )}
      {byTransaction.isSuccess && <p role="status">Witnessed. Thank you for listening.</p>}
      {sendReply.isSuccess && (
        <p role="status">
          Your reply "{reply}" reached {shortAddress(member)}.
        </p>
      )}
      {returnLink && (
        <div className="panel" role="status">
          <p>Signed. Your witness counts once the member records it.</p>
          <CopyLink
            label={`Send this link back to ${shortAddress(member)}: opening it records your witness`}
            url={returnLink}
          />
        </div>
      )}
    </article>
  );
}
