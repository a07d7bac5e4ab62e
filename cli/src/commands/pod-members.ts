/** Membership changes: add a member, replace one (with consent, or by the absence rule), recover a lost wallet's seat. */
import {
  type ConsentSource,
  getClaim,
  getPod,
  getPublishedIdentityKey,
  PodNotFoundError,
  type PreparedProposeReplacement,
  type PreparedReplaceMember,
  prepareAddMember,
  prepareProposeReplacement,
  prepareReplaceMember,
  publishIdentityKeySync,
  submitAddMemberSync,
  submitProposeReplacementSync,
  submitReplaceMemberSync,
  submitRequestRecoverySync,
  type TrothClient,
} from "@troth/sdk";
import { type Address, getAddress, isAddressEqual } from "viem";
import {
  type Command,
  consentSigners,
  noMorePositionals,
  parseAddress,
  parseId,
  parseMember,
  positional,
} from "../args.ts";
import {
  type ConsentRequestFile,
  isRecoveryAsk,
  type RecoveryAsk,
  readConsentRequest,
  readConsentSignatures,
  writeConsentRequest,
} from "../consent-files.ts";
import { CliError, UsageError } from "../errors.ts";
import { idText, roundLabel } from "../format.ts";
import { formatTime, parseDuration } from "../output.ts";
import { chainNow, twoPhaseCommand } from "./pod-two-phase.ts";

export const podAdd = twoPhaseCommand({
  action: "add",
  summary: "add a member to a live pod (every active member and the newcomer consent)",
  help: "  --member <address>=<commitment>   the newcomer (who must have published an identity key and consents too)\n",
  options: { member: { type: "string" } },
  terms: " --member <address>=<commitment>",
  preparing: "preparing the change and storing it on IPFS",
  async prepare(client, podId, deadline, ctx, values) {
    if (!values.member) throw new UsageError("--member <address>=<commitment> names the newcomer.");
    // The proposer's identity seals the covenant for the new key epoch: the newcomer can read what they join.
    const identity = await ctx.identity();
    return prepareAddMember(client, { podId, newcomer: parseMember(values.member), identity, deadline });
  },
  async submit(client, prepared, signatures) {
    const { tokenId, joinedRound, hash } = await submitAddMemberSync(client, { prepared, signatures });
    const member = prepared.entry.member;
    return {
      data: { podId: prepared.podId, member, tokenId, joinedRound, transaction: hash },
      lines: [
        `Added ${member} to pod ${idText(prepared.podId)} from ${roundLabel(joinedRound)} (token ${idText(tokenId)}).`,
        `Transaction ${hash}`,
      ],
    };
  },
});

/** What `pod replace` prints once a replacement landed, or an absence-rule claim was made. */
async function submitReplacement(
  client: TrothClient,
  prepared: PreparedReplaceMember | PreparedProposeReplacement,
  signatures: ConsentSource[],
) {
  if (prepared.typedData.primaryType === "ReplaceAbsentMember") {
    const made = await submitProposeReplacementSync(client, {
      prepared: prepared as PreparedProposeReplacement,
      signatures,
    });
    const data = {
      podId: prepared.podId,
      replaced: prepared.replaced,
      member: prepared.entry.member,
      claim: { tokenId: made.tokenId, kind: "replacement", notBefore: made.notBefore },
      transaction: made.hash,
    };
    return {
      data,
      lines: [
        `Proposed to replace ${prepared.replaced} (absent) with ${prepared.entry.member} in pod ${idText(prepared.podId)}.`,
        `Anyone completes it from ${formatTime(made.notBefore)} with \`troth claim complete ${idText(made.tokenId)}\`, unless ${prepared.replaced} acts first (any check-in, witness or consent of theirs, or \`troth claim cancel ${idText(made.tokenId)}\`, cancels it).`,
        `Transaction ${made.hash}`,
      ],
    };
  }
  const { tokenId, joinedRound, hash } = await submitReplaceMemberSync(client, {
    prepared: prepared as PreparedReplaceMember,
    signatures,
  });
  const member = prepared.entry.member;
  return {
    data: { podId: prepared.podId, replaced: prepared.replaced, member, tokenId, joinedRound, transaction: hash },
    lines: [
      `Replaced ${prepared.replaced} with ${member} in pod ${idText(prepared.podId)} from ${roundLabel(joinedRound)} (token ${idText(tokenId)}).`,
      `Transaction ${hash}`,
    ],
  };
}

export const podReplace = twoPhaseCommand<"replace" | "replace-absent">({
  action: "replace",
  actionOf: (values) => (values.absent ? "replace-absent" : "replace"),
  accepts: ["replace", "replace-absent"],
  summary:
    "replace a member (every active member, the replaced one too, and the newcomer consent; --absent: the absence rule)",
  help:
    "  --replaced <address>              the member who steps out: they consent too (nobody is pushed out by the others)\n" +
    "  --member <address>=<commitment>   the newcomer (who must have published an identity key and consents too)\n" +
    "  --absent                          the replaced member no longer answers: propose their replacement by the absence\n" +
    "                                    rule instead. The other members and the newcomer consent; it makes a claim that\n" +
    "                                    anyone completes after an objection window of max(48 h, one cadence) with\n" +
    "                                    `troth claim complete <token>`, unless the absent member acts first. It needs 3\n" +
    "                                    active members, and no check-in of theirs in the last two closed rounds of their\n" +
    "                                    span (nor a restart since).\n",
  options: { replaced: { type: "string" }, member: { type: "string" }, absent: { type: "boolean", default: false } },
  terms: " --replaced <address> --member <address>=<commitment> [--absent]",
  preparing: "preparing the change and storing it on IPFS",
  async prepare(client, podId, deadline, ctx, values) {
    if (!values.replaced) throw new UsageError("--replaced <address> names the member who steps out.");
    if (!values.member) throw new UsageError("--member <address>=<commitment> names the newcomer.");
    const replaced = parseAddress(values.replaced, "--replaced");
    const identity = await ctx.identity();
    const change = { podId, replaced, newcomer: parseMember(values.member), identity, deadline };
    return values.absent ? prepareProposeReplacement(client, change) : prepareReplaceMember(client, change);
  },
  submit: (client, prepared, signatures) => submitReplacement(client, prepared, signatures),
});

/** The seat a recovery names: a token id, or a pod id and the lost address (`--lost`). */
async function seatOf(client: TrothClient, id: bigint, lost: Address | undefined) {
  let pod: Awaited<ReturnType<typeof getPod>> | undefined;
  try {
    pod = await getPod(client, { podId: id });
  } catch (error) {
    if (!(error instanceof PodNotFoundError)) throw error;
  }
  if (pod) {
    if (!lost) throw new UsageError("Name the lost address with --lost <address> (or give the seat's token id).");
    const seat = pod.members.find((m) => isAddressEqual(m.account, lost));
    if (!seat) throw new CliError(`${lost} is not a member of pod ${idText(id)}.`);
    return { pod, seat };
  }
  if (lost) throw new UsageError("--lost goes with a pod id; this id is not a pod.");
  const podId = id >> 8n;
  pod = await getPod(client, { podId }).catch((error) => {
    if (error instanceof PodNotFoundError) throw new CliError(`No pod or commitment has the id ${idText(id)}.`);
    throw error;
  });
  const seat = pod.members.find((m) => m.tokenId === id);
  if (!seat) throw new CliError(`No pod or commitment has the id ${idText(id)}.`);
  return { pod, seat };
}

/** What `pod recover --submit` prints once the recovery claim is made. */
async function submitRecovery(
  client: TrothClient,
  request: ConsentRequestFile<"recover">,
  signatures: ConsentSource[],
) {
  const prepared = request.prepared;
  if (isRecoveryAsk(prepared)) {
    throw new CliError(
      "This recovery request is not sealed yet: a partner runs `troth consent <file>` first (it seals the pod's keys for the new address).",
    );
  }
  const made = await submitRequestRecoverySync(client, { prepared, signatures });
  return {
    data: {
      podId: prepared.podId,
      tokenId: prepared.tokenId,
      lost: prepared.lost,
      successor: prepared.successor,
      claim: { tokenId: made.tokenId, kind: "recovery", notBefore: made.notBefore },
      transaction: made.hash,
    },
    lines: [
      `Asked to move token ${idText(prepared.tokenId)} of pod ${idText(prepared.podId)} from ${prepared.lost} to ${prepared.successor}.`,
      `Anyone completes it from ${formatTime(made.notBefore)} with \`troth claim complete ${idText(prepared.tokenId)}\`; any action of ${prepared.lost} in the pod before then cancels it.`,
      `Transaction ${made.hash}`,
    ],
  };
}

export const podRecover: Command = {
  summary: "recover your seat after losing your wallet: run with the NEW wallet; partners consent, then it is sent",
  usage: "<token | pod --lost <address>> [--deadline <duration>] [--out <file>] | --submit <file> --signature <file>…",
  help: `Run with your new wallet (the address your seat moves to). It publishes the new wallet's identity key if needed
and writes a recovery request (--out, default recover-<token>.json). Send it to your partners: the first who runs
\`troth consent <file>\` seals it — their machine re-wraps the pod's keys (the current epoch and every earlier one
your old address held) for your new key, so you read the pod's whole history again — and the file then holds the
change every other partner signs with \`troth consent <file>\`. Then \`troth pod recover --submit <file> --signature
<file>…\` (you consent by signing as you send). After an objection window of max(48 h, one cadence), anyone runs
\`troth claim complete <token>\`; any action of the old address in the pod before then cancels it.
  --lost <address>        with a pod id: the address that lost its wallet
  --deadline <duration>   how long the consents stay valid (default 1d)`,
  options: {
    lost: { type: "string" },
    deadline: { type: "string" },
    out: { type: "string" },
    submit: { type: "string" },
    signature: { type: "string", multiple: true },
    consent: { type: "string", multiple: true },
  },
  async run(ctx, values, positionals) {
    if (values.submit) {
      noMorePositionals(positionals, 0);
      const client = await ctx.client({ write: true });
      const request = await readConsentRequest(values.submit, client, "recover");
      const signatures = [
        ...(await consentSigners(ctx, values.consent)),
        ...(await readConsentSignatures(values.signature ?? [], request)),
      ];
      ctx.out.progress("checking the consents and sending");
      const { data, lines } = await submitRecovery(client, request, signatures);
      return ctx.out.result(data, lines);
    }
    if (values.signature) throw new UsageError("--signature goes with --submit <file>.");
    const id = parseId(positional(positionals, 0, "token (or pod)"), "token");
    noMorePositionals(positionals, 1);
    const lost = values.lost ? parseAddress(values.lost, "--lost") : undefined;
    const deadlineIn = parseDuration(values.deadline ?? "1d", "--deadline");
    const [client, me] = await Promise.all([ctx.client({ write: true }), ctx.signer()]);
    const { pod, seat } = await seatOf(client, id, lost);
    if (pod.members.some((m) => isAddressEqual(m.account, me.address))) {
      throw new CliError(
        `${me.address} is already in pod ${idText(pod.podId)}: run \`troth pod recover\` with the NEW wallet, the address your seat moves to.`,
      );
    }
    if (seat.status !== "active") {
      throw new CliError(
        `${seat.account} is not an active member of pod ${idText(pod.podId)}: only an active seat is recovered.`,
      );
    }
    const active = pod.members.filter((m) => m.status === "active");
    if (active.length < 2)
      throw new CliError(`Pod ${idText(pod.podId)} has no other active member to vouch for a recovery.`);
    // A stale claim (the pod's keyring moved on since) gives way to a new one; a live one must be answered first.
    const claim = await getClaim(client, { tokenId: seat.tokenId });
    if (claim.kind !== "none" && !claim.stale) {
      throw new CliError(
        `A ${claim.kind} claim already stands on token ${idText(seat.tokenId)} (see \`troth claim show ${idText(seat.tokenId)}\`).`,
      );
    }
    const identity = await ctx.identity();
    if ((await getPublishedIdentityKey(client, { account: me.address })) !== identity.publicKeyHex) {
      ctx.out.progress("publishing the new wallet's identity key");
      await publishIdentityKeySync(client, { identity });
    }
    const ask: RecoveryAsk = {
      stage: "ask",
      podId: pod.podId,
      tokenId: seat.tokenId,
      lost: getAddress(seat.account),
      successor: me.address,
      nonce: pod.nonce,
      deadline: BigInt((await chainNow(client)) + deadlineIn),
      required: [...active.filter((m) => m.tokenId !== seat.tokenId).map((m) => m.account), me.address],
    };
    const file = values.out ?? `recover-${seat.tokenId.toString().slice(0, 12)}.json`;
    const link = await writeConsentRequest(file, client, ask);
    ctx.out.result({ ...ask, file, link }, [
      `Recovery request for token ${idText(seat.tokenId)} of pod ${idText(pod.podId)} (${seat.account} → ${me.address}) written to ${file}.`,
      `Send it to your partners: the first to run \`troth consent ${file}\` seals the pod's keys for your new address; the others then consent to the same file (in the dApp, a partner opens ${link} after its address).`,
      `Consent needed from: ${ask.required.join(", ")} (you, as you send it).`,
      `Then: \`troth pod recover --submit ${file} --signature <file>…\` (valid until ${formatTime(Number(ask.deadline))}).`,
    ]);
  },
};
