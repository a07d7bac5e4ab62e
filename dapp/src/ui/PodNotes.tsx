import { NOTE_MAX_LENGTH, type PodNote, postNote, postReply } from "@troth/sdk";
import { type WitnessReplyText, witnessReplies } from "@troth/sdk/crypto";
import { useState } from "react";
import { type Address, type Hex, isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { useNotes } from "../hooks/reads.ts";
import { useTrothWrite } from "../hooks/useTrothWrite.ts";
import { roundLabel } from "../lib/format.ts";
import { useIdentity } from "../lib/identity.tsx";
import { ErrorNote, Loading } from "./ErrorNote.tsx";
import { Field } from "./Field.tsx";

type Name = (account: Address) => string;

/** The listening rule's two answers, as a partner's buttons under a note. */
function ListeningReply({
  tokenId,
  round,
  note,
  author,
}: {
  tokenId: bigint;
  round: number;
  note?: Hex;
  author: string;
}) {
  const { identity } = useIdentity();
  const send = useTrothWrite(
    (reply: WitnessReplyText) => `Reply "${reply}" to ${author}`,
    (client, reply: WitnessReplyText) => postReply(client, { tokenId, round, reply, note, identity: identity! }),
  );
  return (
    <div className="listening">
      <p className="hint">Listen, don't fix: thank them, or ask one question.</p>
      <div className="actions">
        {witnessReplies.map((reply) => (
          <button key={reply} type="button" disabled={send.isPending} onClick={() => send.mutate(reply)}>
            {reply}
          </button>
        ))}
      </div>
      <ErrorNote error={send.error} />
    </div>
  );
}

function Replies({ replies, name }: { replies: PodNote[]; name: Name }) {
  if (replies.length === 0) return null;
  return (
    <ul className="replies-list">
      {replies.map((r) => (
        <li key={r.digest}>
          <span className="quiet">{name(r.author)}:</span> {r.kind === "reply" ? r.document.reply : ""}
        </li>
      ))}
    </ul>
  );
}

function NoteComposer({ tokenId, round }: { tokenId: bigint; round: number }) {
  const { identity } = useIdentity();
  const [text, setText] = useState("");
  const post = useTrothWrite("Post your note", (client, note: string) =>
    postNote(client, { tokenId, round, text: note, identity: identity! }),
  );
  return (
    <form
      className="note-composer"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) post.mutate(text.trim(), { onSuccess: () => setText("") });
      }}
    >
      <Field
        label="A note to your pod"
        hint="Two or three sentences between meetings: what moved, what stalls. Only your pod can read it."
      >
        {(props) => (
          <textarea
            {...props}
            rows={3}
            maxLength={NOTE_MAX_LENGTH}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="primary" disabled={post.isPending || !text.trim()}>
        {post.isPending ? "Posting…" : "Post the note"}
      </button>
      <ErrorNote error={post.error} onRetry={() => post.mutate(text.trim())} />
    </form>
  );
}

/**
 * Notes between meetings and the replies partners sent, on pod home: a member writes a short note; partners answer
 * it under the listening rule; a member reads the replies to their check-ins here, however they were witnessed.
 */
export function PodNotes({
  podId,
  round,
  mine,
  name,
}: {
  podId: bigint;
  /** The open round (notes are written in it); undefined before the pod starts. */
  round: number | undefined;
  /** The reader's own commitment, when they hold one. */
  mine: bigint | undefined;
  name: Name;
}) {
  const { address } = useAccount();
  const { identity } = useIdentity();
  const notes = useNotes(podId);
  if (mine === undefined || !identity) return null;
  const all = notes.data?.notes ?? [];
  const posted = all.filter((n) => n.kind === "note").reverse();
  const answersTo = (digest: Hex) => all.filter((n) => n.kind === "reply" && n.document.note === digest);
  const toMyCheckIns = all.filter((n) => n.kind === "reply" && !n.document.note && n.tokenId === mine).reverse();
  const isMine = (a: Address) => !!address && isAddressEqual(a, address);
  return (
    <section aria-labelledby="notes-title" className="notes">
      <h2 id="notes-title">Between meetings</h2>
      {round !== undefined && <NoteComposer tokenId={mine} round={round} />}
      {notes.error && <ErrorNote error={notes.error} onRetry={() => notes.refetch()} />}
      {!notes.data && !notes.error && <Loading what="the pod's notes" />}
      {toMyCheckIns.length > 0 && (
        <>
          <h3>Replies to your check-ins</h3>
          <ul className="replies-list">
            {toMyCheckIns.map((r) => (
              <li key={r.digest}>
                {name(r.author)}, {roundLabel(r.round)}: <strong>{r.kind === "reply" ? r.document.reply : ""}</strong>
              </li>
            ))}
          </ul>
        </>
      )}
      {posted.length > 0 && (
        <ul className="note-list">
          {posted.map((n) => (
            <li key={n.digest} className="card note">
              <p className="quiet">
                {isMine(n.author) ? "You" : name(n.author)} · {roundLabel(n.round)}
              </p>
              <p>{n.kind === "note" ? n.document.text : ""}</p>
              <Replies replies={answersTo(n.digest)} name={name} />
              {!isMine(n.author) && n.round === round && !answersTo(n.digest).some((r) => isMine(r.author)) && (
                <ListeningReply tokenId={n.tokenId} round={n.round} note={n.digest} author={name(n.author)} />
              )}
            </li>
          ))}
        </ul>
      )}
      {notes.data && posted.length === 0 && <p className="quiet">No notes yet this cycle.</p>}
    </section>
  );
}
