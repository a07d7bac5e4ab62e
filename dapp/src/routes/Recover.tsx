import { useMutation } from "@tanstack/react-query";
import { consentRequestOf, prepareRequestRecovery, signConsentRequest } from "@troth/sdk";
import { type FormEvent, useState } from "react";
import { type Address, getAddress, isAddress, isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { useContinuity } from "../hooks/reads.ts";
import { shortAddress } from "../lib/format.ts";
import { useIdentity } from "../lib/identity.tsx";
import { idText, parseId, paths, shareUrl } from "../lib/links.ts";
import { navigate } from "../lib/router.tsx";
import { useTroth, writeClient } from "../lib/troth.tsx";
import { CopyLink } from "../ui/CopyLink.tsx";
import { ErrorNote, Loading } from "../ui/ErrorNote.tsx";
import { Field } from "../ui/Field.tsx";
import { Gate } from "../ui/Gate.tsx";

/** Consents to a recovery stay usable for three days: partners and the new wallet sign on their own devices. */
const THREE_DAYS = 3 * 86_400;

/**
 * From the new wallet: "I lost my wallet". The member names the pod and their old address; the app finds the
 * commitment and makes the request link they send to a partner.
 */
function AskForMySeat() {
  const { address } = useAccount();
  const [form, setForm] = useState({ pod: "", lost: "" });
  const [asked, setAsked] = useState<{ podId: bigint; lost: Address }>();
  const [tried, setTried] = useState(false);
  const podId = parseId(
    form.pod
      .trim()
      .replace(/^.*\/pod\//, "")
      .split(/[/?#]/)[0],
  );
  const problems = {
    pod: podId === undefined ? "The pod's id (0x…), or the link to its page." : undefined,
    lost: !isAddress(form.lost.trim())
      ? "The address of the wallet you lost (0x followed by 40 hex digits)."
      : undefined,
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (podId === undefined || problems.lost) return;
    setAsked({ podId, lost: getAddress(form.lost.trim()) });
  };
  return (
    <>
      <p className="lead">
        Lost the wallet your commitment lives in? Your partners can move it, with your whole record, to this wallet (
        {address ? shortAddress(address) : "…"}). They confirm it's really you, everyone agrees, and after a waiting
        time of at least two days it's yours again here. Your old wallet, if it turns up, can still cancel it in that
        time.
      </p>
      <form noValidate onSubmit={submit}>
        <Field label="Your pod (its id or the link to its page)" error={tried ? problems.pod : undefined}>
          {(p) => (
            <input
              {...p}
              spellCheck={false}
              value={form.pod}
              onChange={(e) => setForm({ ...form, pod: e.target.value })}
            />
          )}
        </Field>
        <Field label="The address of the wallet you lost" error={tried ? problems.lost : undefined}>
          {(p) => (
            <input
              {...p}
              spellCheck={false}
              value={form.lost}
              onChange={(e) => setForm({ ...form, lost: e.target.value })}
            />
          )}
        </Field>
        <button type="submit" className="primary">
          Make my request
        </button>
      </form>
      {asked && address && <RequestLink podId={asked.podId} lost={asked.lost} account={address} />}
    </>
  );
}

/** The link to send once the old address is found among the pod's active members. */
function RequestLink({ podId, lost, account }: { podId: bigint; lost: Address; account: Address }) {
  const continuity = useContinuity(podId);
  if (continuity.error) return <ErrorNote error={continuity.error} onRetry={() => continuity.refetch()} />;
  if (!continuity.data) return <Loading what="the pod" />;
  const seat = continuity.data.members.find((m) => isAddressEqual(m.account, lost));
  if (seat?.status !== "active") {
    return <p role="alert">That address isn't an active member of this pod. Check the pod and the address you lost.</p>;
  }
  return (
    <CopyLink
      label="Send this link to a partner in your pod (by a way they know is you: call them, or tell them in person)"
      url={shareUrl(paths.recoveryRequest(seat.tokenId, account))}
    />
  );
}

/**
 * Opened by a partner: they confirm it's really their partner, then prepare the recovery (the pod's keys re-wrapped
 * for the new wallet, every earlier one too, so the history reads again) and sign first; the request then travels to
 * the others as a consent link, and the new wallet signs last.
 */
function PrepareRecovery({ tokenId, account }: { tokenId: bigint; account: Address }) {
  const troth = useTroth();
  const { identity } = useIdentity();
  const { address } = useAccount();
  const podId = tokenId >> 8n;
  const continuity = useContinuity(podId);
  const prepare = useMutation({
    mutationFn: async () => {
      const client = await writeClient(troth);
      const block = await client.publicClient.getBlock();
      const deadline = block.timestamp + BigInt(THREE_DAYS);
      const prepared = await prepareRequestRecovery(client, {
        tokenId,
        successor: account,
        identity: identity!,
        deadline,
      });
      navigate(
        paths.consent(
          await signConsentRequest(client, { request: consentRequestOf(prepared), signer: client.walletClient! }),
        ),
      );
    },
  });
  if (continuity.error) return <ErrorNote error={continuity.error} onRetry={() => continuity.refetch()} />;
  if (!continuity.data) return <Loading what="the pod" />;
  const seat = continuity.data.members.find((m) => m.tokenId === tokenId);
  if (seat?.status !== "active") {
    return <p role="alert">This commitment has no active holder any more, so there is nothing to recover.</p>;
  }
  if (address && isAddressEqual(address, account)) {
    return (
      <CopyLink
        label="This is your request. Send this link to a partner in your pod"
        url={shareUrl(paths.recoveryRequest(tokenId, account))}
      />
    );
  }
  const partner = continuity.data.members.some(
    (m) =>
      m.status === "active" &&
      address &&
      isAddressEqual(m.account, address) &&
      !isAddressEqual(m.account, seat.account),
  );
  if (!partner) return <p>Only a partner in this pod can prepare this recovery. Pass the link to one of them.</p>;
  return (
    <section className="panel">
      <p className="lead">
        {shortAddress(seat.account)} says they lost their wallet and asks to carry on from {shortAddress(account)}.
      </p>
      <p>
        Before you agree, make sure it's really them: call them, or ask in person. Agreeing hands this new wallet their
        seat, their whole record, and the keys to read the pod's history. The others agree after you; there is then a
        waiting time of at least two days, during which the old wallet can still cancel.
      </p>
      <button
        type="button"
        className="primary"
        disabled={prepare.isPending || !identity}
        onClick={() => prepare.mutate()}
      >
        {prepare.isPending ? "Preparing…" : "It's really them: prepare and agree (sign, no fee)"}
      </button>
      <ErrorNote error={prepare.error} onRetry={() => prepare.mutate()} />
    </section>
  );
}

export default function Recover({ params }: { params: Record<string, string> }) {
  const tokenId = params.tokenId === undefined ? undefined : parseId(params.tokenId);
  const account = params.account;
  const damaged = params.tokenId !== undefined && (tokenId === undefined || !account || !isAddress(account));
  return (
    <>
      <h1>{params.tokenId === undefined ? "I lost my wallet" : "A partner lost their wallet"}</h1>
      {damaged ? (
        <p role="alert">This recovery link is damaged. Ask your partner to send it again.</p>
      ) : (
        <Gate>
          {tokenId !== undefined && account ? (
            <PrepareRecovery tokenId={tokenId} account={getAddress(account)} />
          ) : (
            <AskForMySeat />
          )}
        </Gate>
      )}
      {tokenId !== undefined && <p className="quiet">Commitment {idText(tokenId)}</p>}
    </>
  );
}
