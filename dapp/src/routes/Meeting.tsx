import { useMutation } from "@tanstack/react-query";
import {
  DEFAULT_TURN_SECONDS,
  formatClock,
  type MeetingLink,
  type MeetingMoment,
  meetingMoment,
  meetingPath,
  type PreparedCheckIn,
  parseMeetingLink,
  postReply,
  prepareCheckIn,
  signWitness,
  submitCheckIn,
} from "@troth/sdk";
import { meetingTermsOf, type WitnessReplyText, witnessReplies } from "@troth/sdk/crypto";
import { useEffect, useRef, useState } from "react";
import { renderSVG } from "uqr";
import { type Address, type Hex, isAddressEqual, isHex } from "viem";
import { useAccount } from "wagmi";
import { useContinuity, useCovenant, useSpeakingOrder } from "../hooks/reads.ts";
import { useTrothWrite } from "../hooks/useTrothWrite.ts";
import { roundLabel, shortAddress } from "../lib/format.ts";
import { useIdentity } from "../lib/identity.tsx";
import { decodeWitnessReturn, parseId, paths, shareUrl, type WitnessReturn } from "../lib/links.ts";
import { Link, navigate } from "../lib/router.tsx";
import { useTroth, writeClient } from "../lib/troth.tsx";
import { CopyLink } from "../ui/CopyLink.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Field, NumberField } from "../ui/Field.tsx";
import { Gate } from "../ui/Gate.tsx";

/**
 * Meeting mode, for a call held anywhere: the round's speaking order, a timer per speaker that every device derives
 * from the meeting link (no server), "no interruptions" while someone speaks, the listening rule after each turn, and
 * each speaker's check-in witnessed in one transaction (partners sign on their own devices from a QR code or link).
 */

/** The clock, ticking: unix seconds with fractions. */
function useNow(intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now() / 1000);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() / 1000), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** A soft two-note chime when a turn ends: a gentle signal, never an alarm (silent where audio is not allowed). */
function chime() {
  try {
    const audio = new AudioContext();
    for (const [i, frequency] of [523.25, 659.25].entries()) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, audio.currentTime + i * 0.35);
      gain.gain.exponentialRampToValueAtTime(0.06, audio.currentTime + i * 0.35 + 0.05);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + i * 0.35 + 0.9);
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + i * 0.35);
      tone.stop(audio.currentTime + i * 0.35 + 1);
    }
  } catch {
    // No audio here: the words on screen carry the signal.
  }
}

function Qr({ text, label }: { text: string; label: string }) {
  return (
    // biome-ignore lint/security/noDangerouslySetInnerHtml: the SVG is drawn by uqr from our own link, no user markup
    <figure className="qr" role="img" aria-label={label} dangerouslySetInnerHTML={{ __html: renderSVG(text) }} />
  );
}

/**
 * Start a meeting: the turn length the covenant sets (8 minutes when it sets none), then a link for everyone (the
 * start is now). The link carries the turn, so every device derives the same timeline without reading the covenant.
 */
function StartMeeting({ podId }: { podId: bigint }) {
  const continuity = useContinuity(podId);
  const covenant = useCovenant(podId);
  const fromCovenant = covenant.data && meetingTermsOf(covenant.data.terms).turnSeconds / 60;
  const [edited, setMinutes] = useState<number>();
  const minutes = edited ?? fromCovenant ?? DEFAULT_TURN_SECONDS / 60;
  const pod = continuity.data?.pod;
  if (continuity.error) return <ErrorNote error={continuity.error} onRetry={() => continuity.refetch()} />;
  if (!pod || covenant.isLoading) return <Loading what="the pod" />;
  if (!pod.started) return <p>The pod's first round hasn't opened yet: meet once it has.</p>;
  return (
    <form
      className="panel"
      onSubmit={(e) => {
        e.preventDefault();
        navigate(
          meetingPath({ podId, round: pod.currentRound, start: Math.ceil(Date.now() / 1000) + 10, turn: minutes * 60 }),
        );
      }}
    >
      <p>
        Everyone gets an uninterrupted turn in the order of {roundLabel(pod.currentRound)}. The link you get works for
        everyone: each device keeps the same time from it.
      </p>
      <NumberField
        label="Minutes per speaker"
        hint={
          fromCovenant === undefined
            ? "The peer-circle form is 8 minutes each."
            : `Your covenant sets ${fromCovenant} minutes each.`
        }
        min={1}
        max={60}
        value={minutes}
        onChange={(n) => setMinutes(Math.min(60, Math.max(1, n || 1)))}
      />
      <button type="submit" className="primary">
        Start the meeting
      </button>
    </form>
  );
}

/** The listeners' answer to the one who just spoke: only the listening rule's two, posted for the pod. */
function ListenerAnswer({ tokenId, round, speaker }: { tokenId: bigint; round: number; speaker: string }) {
  const { identity } = useIdentity();
  const send = useTrothWrite(
    (reply: WitnessReplyText) => `Answer ${speaker}: "${reply}"`,
    (client, reply: WitnessReplyText) => postReply(client, { tokenId, round, reply, identity: identity! }),
  );
  if (send.isSuccess) return <p role="status">Your answer reached {speaker}.</p>;
  return (
    <div className="listening">
      <p>Answer only with one of these: no advice, no fixing.</p>
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

function Timeline({
  moment,
  order,
  name,
  me,
  tokenOf,
  round,
}: {
  moment: MeetingMoment;
  order: readonly Address[];
  name: (a: Address) => string;
  me: Address | undefined;
  tokenOf: (a: Address) => bigint | undefined;
  round: number;
}) {
  const speaker = moment.phase === "speaking" || moment.phase === "listening" ? order[moment.speaker] : undefined;
  const isMe = !!me && !!speaker && isAddressEqual(speaker, me);
  const previous = useRef(moment.phase);
  useEffect(() => {
    if (previous.current === "speaking" && moment.phase === "listening") chime();
    previous.current = moment.phase;
  }, [moment.phase]);
  return (
    <section className="panel meeting-now" aria-labelledby="now-title">
      <h2 id="now-title">
        {moment.phase === "before" && "Starting soon"}
        {moment.phase === "speaking" && `${isMe ? "You have" : `${name(speaker!)} has`} the floor`}
        {moment.phase === "listening" && `${isMe ? "You" : name(speaker!)} finished: the listeners answer`}
        {moment.phase === "ended" && "Everyone has spoken"}
      </h2>
      {moment.phase !== "ended" && (
        <p className="meeting-clock" role="timer" aria-label="Time left">
          {formatClock(moment.phase === "before" ? moment.startsIn : moment.remaining)}
        </p>
      )}
      {moment.phase === "speaking" && (
        <p className="no-interruptions">
          No interruptions.{" "}
          {isMe ? "Take your time; lead with the struggle." : "Listen; you answer when the turn ends."}
        </p>
      )}
      {moment.phase === "speaking" && moment.remaining <= 30 && (
        <p role="status" className="gentle">
          The turn is ending; finish your thought.
        </p>
      )}
      {moment.phase === "listening" && !isMe && speaker && tokenOf(speaker) !== undefined && (
        <ListenerAnswer key={speaker} tokenId={tokenOf(speaker)!} round={round} speaker={name(speaker)} />
      )}
      {moment.phase === "listening" && isMe && <p>Listen to their answers: a thank-you, or one question.</p>}
      {moment.phase === "ended" && <p>Now each speaker's check-in is witnessed: see below.</p>}
      <h3>Speaking order</h3>
      <ol className="order">
        {order.map((a, i) => (
          <li
            key={a}
            aria-current={
              (moment.phase === "speaking" || moment.phase === "listening") && moment.speaker === i ? "step" : undefined
            }
          >
            {name(a)}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A partner's signature link (the collect link a witness returns), read back; anything else is refused plainly. */
function readSignatureLink(text: string, prepared: PreparedCheckIn): WitnessReturn {
  const at = text.indexOf("/collect/");
  if (at < 0) throw new Error("This isn't a partner's signature link (it has no /collect/ part).");
  const value = decodeWitnessReturn(text.slice(at + "/collect/".length).trim());
  if (
    value.tokenId !== prepared.tokenId ||
    value.round !== prepared.round ||
    value.reportDigest !== prepared.reportDigest
  )
    throw new Error("This signature is for another check-in: ask your partner to sign the current one.");
  return value;
}

/** The speaker's check-in: written before or during the meeting, then witnessed and sent in one transaction. */
function MyCheckIn({ tokenId, round, partners }: { tokenId: bigint; round: number; partners: number }) {
  const troth = useTroth();
  const { identity } = useIdentity();
  const [report, setReport] = useState({ said: "", blocked: "", next: "", struggleFirst: false });
  const [prepared, setPrepared] = useState<PreparedCheckIn | null>(null);
  const [pasted, setPasted] = useState("");
  const [signatures, setSignatures] = useState<WitnessReturn[]>([]);
  const [pasteError, setPasteError] = useState<Error | null>(null);
  const prepare = useMutation({
    mutationFn: async () =>
      prepareCheckIn(await writeClient(troth), {
        tokenId,
        round,
        report: { ...report, struggleFirst: report.struggleFirst || undefined },
        identity: identity!,
      }),
    onSuccess: setPrepared,
  });
  const submit = useTrothWrite("Check in with your partners' signatures", (client) =>
    submitCheckIn(client, { prepared: prepared!, witnesses: signatures.map((s) => s.witness) }),
  );
  if (submit.isSuccess)
    return (
      <p role="status" className="panel">
        Checked in and witnessed, in one transaction. Thank you for showing up.
      </p>
    );
  if (!prepared)
    return (
      <form
        className="panel"
        onSubmit={(e) => {
          e.preventDefault();
          prepare.mutate();
        }}
      >
        <h2>Your check-in for {roundLabel(round)}</h2>
        <p className="hint">Write it before or while you speak. It is encrypted on this device; the pod reads it.</p>
        <Field label="What I said I'd do">
          {(props) => (
            <textarea
              {...props}
              rows={2}
              maxLength={2000}
              value={report.said}
              onChange={(e) => setReport({ ...report, said: e.target.value })}
            />
          )}
        </Field>
        <Field label="What blocked or surprised me" hint="Lead with the struggle: it is the most useful part.">
          {(props) => (
            <textarea
              {...props}
              rows={3}
              maxLength={2000}
              value={report.blocked}
              onChange={(e) => setReport({ ...report, blocked: e.target.value })}
            />
          )}
        </Field>
        <label className="check">
          <input
            type="checkbox"
            checked={report.struggleFirst}
            onChange={(e) => setReport({ ...report, struggleFirst: e.target.checked })}
          />
          I led with the struggle (only your pod sees this mark)
        </label>
        <Field label="What's next">
          {(props) => (
            <textarea
              {...props}
              rows={2}
              maxLength={2000}
              value={report.next}
              onChange={(e) => setReport({ ...report, next: e.target.value })}
            />
          )}
        </Field>
        <button
          type="submit"
          className="primary"
          disabled={prepare.isPending || !report.said.trim() || !report.next.trim()}
        >
          {prepare.isPending ? "Encrypting…" : "Ready for my partners' signatures"}
        </button>
        <ErrorNote error={prepare.error} />
      </form>
    );
  const signLink = shareUrl(paths.meetingSign(prepared.tokenId, prepared.round, prepared.reportDigest));
  return (
    <section className="panel" aria-labelledby="sign-title">
      <h2 id="sign-title">Your partners sign your check-in</h2>
      <p>Each partner scans the code or opens the link on their own device, signs, and sends you back their link.</p>
      <Qr text={signLink} label="QR code of the link partners open to sign your check-in" />
      <CopyLink label="Link for your partners to sign" url={signLink} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          try {
            const value = readSignatureLink(pasted, prepared);
            setSignatures((all) => [
              ...all.filter((s) => !isAddressEqual(s.witness.signer, value.witness.signer)),
              value,
            ]);
            setPasted("");
            setPasteError(null);
          } catch (error) {
            setPasteError(error as Error);
          }
        }}
      >
        <Field label="A partner's signature link">
          {(props) => <input {...props} value={pasted} onChange={(e) => setPasted(e.target.value)} />}
        </Field>
        <button type="submit">Add the signature</button>
        {pasteError && (
          <p role="alert" className="field-error">
            {pasteError.message}
          </p>
        )}
      </form>
      <p>
        {signatures.length} of {partners} partners signed
        {signatures.length > 0 && `: ${signatures.map((s) => shortAddress(s.witness.signer)).join(", ")}`}.
      </p>
      <button
        type="button"
        className="primary"
        disabled={submit.isPending || signatures.length === 0}
        onClick={() => submit.mutate(undefined)}
      >
        {submit.isPending
          ? "Checking in…"
          : `Check in with ${signatures.length} signature${signatures.length === 1 ? "" : "s"} (one transaction)`}
      </button>
      <ErrorNote error={submit.error} onRetry={() => submit.mutate(undefined)} />
    </section>
  );
}

function MeetingRoom({ link }: { link: MeetingLink }) {
  const { address } = useAccount();
  const now = useNow();
  const continuity = useContinuity(link.podId);
  const order = useSpeakingOrder(link.podId, link.round);
  if (continuity.error || order.error)
    return <ErrorNote error={continuity.error ?? order.error} onRetry={() => order.refetch()} />;
  if (!continuity.data || !order.data) return <Loading what="the meeting" />;
  const commitments = continuity.data.commitments;
  const tokenOf = (a: Address) => commitments.find((c) => isAddressEqual(c.account, a))?.tokenId;
  const name = (a: Address) => (address && isAddressEqual(a, address) ? "You" : shortAddress(a));
  const moment = meetingMoment(link, order.data.length, now);
  const mine = address ? tokenOf(address) : undefined;
  const mySpeaking = !!mine && order.data.some((a) => address && isAddressEqual(a, address));
  return (
    <>
      <p className="lead">
        {roundLabel(link.round)[0].toUpperCase()}
        {roundLabel(link.round).slice(1)}: {order.data.length} speakers, {formatClock(link.turn)} each.
      </p>
      <Timeline moment={moment} order={order.data} name={name} me={address} tokenOf={tokenOf} round={link.round} />
      <CopyLink label="Meeting link for everyone in the call" url={shareUrl(meetingPath(link))} />
      {mySpeaking && mine !== undefined && (
        <MyCheckIn tokenId={mine} round={link.round} partners={order.data.length - 1} />
      )}
      <p>
        <Link to={paths.pod(link.podId)}>Back to the pod</Link>
      </p>
    </>
  );
}

/** A partner signs a speaker's check-in in the meeting (no fee), and sends the speaker back their link. */
function SignCheckIn({ tokenId, round, reportDigest }: { tokenId: bigint; round: number; reportDigest: Hex }) {
  const troth = useTroth();
  const continuity = useContinuity(tokenId >> 8n);
  const holder = continuity.data?.commitments.find((c) => c.tokenId === tokenId)?.account;
  const sign = useMutation({
    mutationFn: async () => {
      const client = await writeClient(troth);
      const witness = await signWitness(client, { tokenId, round, reportDigest, signer: client.walletClient! });
      return shareUrl(paths.collect({ tokenId, round, reportDigest, witness }));
    },
  });
  if (continuity.error) return <ErrorNote error={continuity.error} />;
  if (!holder) return <Loading what="the check-in" />;
  if (sign.data)
    return (
      <section className="panel" role="status">
        <p>Signed. Send this link back to {shortAddress(holder)}: their check-in goes out with it.</p>
        <Qr text={sign.data} label="QR code of your signature link" />
        <CopyLink label={`Your signature link for ${shortAddress(holder)}`} url={sign.data} />
      </section>
    );
  return (
    <section className="panel">
      <p className="lead">
        {shortAddress(holder)} spoke in the meeting for {roundLabel(round)}. Sign that their check-in happened: it costs
        you nothing, and it says nothing about how it went.
      </p>
      <button type="button" className="primary" disabled={sign.isPending} onClick={() => sign.mutate()}>
        {sign.isPending ? "Signing…" : "Sign their check-in"}
      </button>
      <ErrorNote error={sign.error} />
    </section>
  );
}

export default function Meeting({ params }: { params: Record<string, string> }) {
  if (params.reportDigest !== undefined) {
    const tokenId = parseId(params.tokenId);
    const round = Number(params.round);
    const valid =
      tokenId !== undefined &&
      Number.isInteger(round) &&
      round >= 0 &&
      round < 64 &&
      isHex(params.reportDigest) &&
      params.reportDigest.length === 66;
    return (
      <>
        <h1>Witness a check-in from the meeting</h1>
        {valid ? (
          <Gate>
            <SignCheckIn tokenId={tokenId} round={round} reportDigest={params.reportDigest as Hex} />
          </Gate>
        ) : (
          <p role="alert">This signing link is damaged. Ask the speaker to show it again.</p>
        )}
      </>
    );
  }
  if (params.start === undefined) {
    const podId = parseId(params.podId);
    return (
      <>
        <h1>Start a meeting</h1>
        {podId === undefined ? <p role="alert">This pod link is damaged.</p> : <StartMeeting podId={podId} />}
      </>
    );
  }
  let link: MeetingLink | undefined;
  let error: Error | undefined;
  try {
    link = parseMeetingLink(`/meeting/${params.podId}/${params.round}/${params.start}/${params.turn}`);
  } catch (e) {
    error = e as Error;
  }
  return (
    <>
      <h1>Meeting</h1>
      {error ? (
        <p role="alert">{(error as { shortMessage?: string }).shortMessage ?? error.message}</p>
      ) : (
        <Gate>{link && <MeetingRoom link={link} />}</Gate>
      )}
    </>
  );
}
