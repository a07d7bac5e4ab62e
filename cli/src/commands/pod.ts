import { readFile, writeFile } from "node:fs/promises";
import {
  acceptCovenantSync,
  type ConsentSource,
  type Covenant,
  type CovenantTerms,
  getClaim,
  getClaims,
  getContinuity,
  getPod,
  getPublishedIdentityKey,
  leaveSync,
  PodNotFoundError,
  type PreparedProposeReplacement,
  type PreparedReplaceMember,
  prepareAddMember,
  prepareAmend,
  prepareCovenant,
  preparePause,
  prepareProposeReplacement,
  prepareReplaceMember,
  prepareRequestRecovery,
  prepareResume,
  publishIdentityKeySync,
  readCommitment,
  readCovenant,
  rotateKeyringSync,
  submitAddMemberSync,
  submitAmendSync,
  submitPauseSync,
  submitProposeReplacementSync,
  submitReplaceMemberSync,
  submitRequestRecoverySync,
  submitResumeSync,
  type TrothClient,
  tokenIdOf,
  verifyKeyringRotation,
  verifyMembershipChange,
} from "@troth/sdk";
import { NotARecipientError } from "@troth/sdk/crypto";
import { type Address, getAddress, type Hex, isAddressEqual } from "viem";
import {
  CONSENT_HELP,
  type Command,
  consentOptions,
  consentSigners,
  noMorePositionals,
  parseAddress,
  parseId,
  parseInteger,
  parseMember,
  parseTime,
  positional,
  resolveToken,
  type Values,
} from "../args.ts";
import {
  type ConsentAction,
  type ConsentRequest,
  type ConsentSignature,
  isRecoveryAsk,
  type RecoveryAsk,
  readConsentRequest,
  readConsentSignatures,
  writeConsentRequest,
} from "../consent-files.ts";
import type { Context } from "../context.ts";
import { CliError, UsageError } from "../errors.ts";
import { claimLines, commitmentLines, idText, podLines, ROUND_LEGEND, roundLabel } from "../format.ts";
import { formatDuration, formatTime, parseDuration } from "../output.ts";

/** A covenant proposal as shared between members: everything `pod accept` needs, for one chain and contract. */
type CovenantFile = {
  type: "troth/covenant-proposal";
  chainId: number;
  troth: string;
  podId: string;
  title: string;
  covenant: Omit<Covenant, "previousPod" | "deadline"> & { previousPod: string; deadline: string };
};

const termOptions = {
  title: { type: "string" },
  misses: { type: "string" },
  member: { type: "string", multiple: true },
  cadence: { type: "string" },
  grace: { type: "string" },
  rounds: { type: "string" },
  quorum: { type: "string" },
  start: { type: "string" },
  deadline: { type: "string" },
  out: { type: "string" },
  accept: { type: "boolean", default: true },
} as const;

const TERMS_HELP = `  --title <text>              the pod's name (required)
  --member <address>=<text>   a member and their commitment, in token order (2 to 8; repeat the flag)
  --misses <text>             what the pod does when someone misses (default: ask what got in the way, begin again)
  --cadence <duration>        time between rounds (default 7d)     --grace <duration>  time to reschedule (default 48h)
  --rounds <n>                rounds in the cycle (default 13)    --quorum <n>        witnesses per check-in (default 1)
  --start <time>              when round 1 opens (unix or ISO; default now)
  --deadline <duration>       how long members have to accept (default 7d)
  --out <file>                where to write the covenant to share (default covenant-<pod>.json)
  --no-accept                 do not accept it yourself yet
Every member must have published an identity key (troth keys publish). Each member then runs
\`troth pod accept <file>\`; the last acceptance creates the pod.`;

async function chainNow(client: TrothClient): Promise<number> {
  return Number((await client.publicClient.getBlock()).timestamp);
}

/** Covenant terms from the flags, on top of `defaults` (a renewal's previous terms). */
async function termsFrom(
  client: TrothClient,
  values: Values,
  defaults: Partial<CovenantTerms> = {},
): Promise<CovenantTerms> {
  if (!values.title) throw new UsageError("--title is required.");
  const members = (values.member ?? []).map(parseMember);
  if (members.length < 2)
    throw new UsageError("A pod needs 2 to 8 members: give each with --member <address>=<commitment>.");
  const deadline = values.deadline
    ? BigInt((await chainNow(client)) + parseDuration(values.deadline, "--deadline"))
    : undefined;
  return {
    ...defaults,
    title: values.title,
    whenSomeoneMisses: values.misses ?? "We ask what got in the way, and begin again. No penalty.",
    members,
    ...(values.cadence ? { cadence: parseDuration(values.cadence, "--cadence") } : {}),
    ...(values.grace ? { grace: parseDuration(values.grace, "--grace") } : {}),
    ...(values.rounds ? { rounds: parseInteger(values.rounds, "--rounds", 1, 64) } : {}),
    ...(values.quorum ? { quorum: parseInteger(values.quorum, "--quorum", 1, 7) } : {}),
    ...(values.start ? { start: parseTime(values.start, "--start") } : {}),
    ...(deadline ? { deadline } : {}),
  };
}

/** Builds and stores the covenant, writes the proposal file, and accepts it as the signer if they are a member. */
async function propose(ctx: Context, values: Values, terms: CovenantTerms) {
  const client = await ctx.client({ write: values.accept });
  ctx.out.progress("encrypting the covenant for every member and storing it on IPFS");
  const built = await prepareCovenant(client, terms);
  const file = values.out ?? `covenant-${built.podId.toString().slice(0, 12)}.json`;
  const proposal: CovenantFile = {
    type: "troth/covenant-proposal",
    chainId: client.chainId,
    troth: client.address,
    podId: built.podId.toString(),
    title: terms.title,
    covenant: {
      ...built.covenant,
      previousPod: built.covenant.previousPod.toString(),
      deadline: built.covenant.deadline.toString(),
    },
  };
  await writeFile(file, `${JSON.stringify(proposal, null, 2)}\n`);
  const lines = [
    `Covenant for pod ${idText(built.podId)} written to ${file}`,
    "Share it: each member runs `troth pod accept <file>`.",
  ];
  let accepted: Awaited<ReturnType<typeof acceptCovenantSync>> | undefined;
  if (values.accept) {
    const me = await ctx.signer();
    if (built.covenant.members.some((m) => isAddressEqual(m, me.address))) {
      ctx.out.progress("accepting the covenant");
      accepted = await acceptCovenantSync(client, { covenant: built.covenant });
      lines.push(accepted.created ? `Accepted: pod ${idText(built.podId)} is created.` : `Accepted as ${me.address}.`);
    }
  }
  ctx.out.result(
    {
      podId: built.podId,
      file,
      covenant: built.covenant,
      accepted: Boolean(accepted),
      created: accepted?.created ?? false,
    },
    lines,
  );
}

async function readProposal(file: string, client: TrothClient): Promise<{ covenant: Covenant; podId: bigint }> {
  let proposal: CovenantFile;
  try {
    proposal = JSON.parse(await readFile(file, "utf8"));
  } catch {
    throw new CliError(`Cannot read the covenant proposal ${file}.`);
  }
  if (proposal.type !== "troth/covenant-proposal" || !proposal.covenant)
    throw new CliError(`${file} is not a covenant proposal.`);
  if (proposal.chainId !== client.chainId || !isAddressEqual(proposal.troth as Hex, client.address)) {
    throw new CliError(
      `${file} is for Troth ${proposal.troth} on chain ${proposal.chainId}, not ${client.address} on chain ${client.chainId}.`,
    );
  }
  const c = proposal.covenant;
  return {
    podId: BigInt(proposal.podId),
    covenant: {
      ...c,
      members: c.members.map((m) => getAddress(m)),
      previousPod: BigInt(c.previousPod),
      deadline: BigInt(c.deadline),
    },
  };
}

async function consentDeadline(client: TrothClient, values: Values): Promise<bigint | undefined> {
  return values.deadline ? BigInt((await chainNow(client)) + parseDuration(values.deadline, "--deadline")) : undefined;
}

export const podCreate: Command = {
  summary: "propose a covenant (encrypted on IPFS) and accept it",
  usage: "--title <text> --member <address>=<commitment> --member … [options]",
  help: TERMS_HELP,
  options: termOptions,
  async run(ctx, values, positionals) {
    noMorePositionals(positionals, 0);
    const client = await ctx.client();
    await propose(ctx, values, await termsFrom(client, values));
  },
};

export const podRenew: Command = {
  summary: "propose the next cycle of an ended pod (new commitments; terms default to the pod's)",
  usage: "<pod> --title <text> --member <address>=<commitment> … [options]",
  help: `${TERMS_HELP}\nEvery member of the renewal must have stayed in the previous pod to its end.`,
  options: termOptions,
  async run(ctx, values, positionals) {
    const previousPod = parseId(positional(positionals, 0, "the pod to renew"), "pod");
    noMorePositionals(positionals, 1);
    const client = await ctx.client();
    const previous = await getPod(client, { podId: previousPod });
    const defaults = {
      cadence: previous.cadence,
      grace: previous.grace,
      rounds: previous.rounds,
      quorum: previous.quorum,
      previousPod,
    };
    await propose(ctx, values, await termsFrom(client, values, defaults));
  },
};

export const podAccept: Command = {
  summary: "accept a covenant proposal by transaction (the last acceptance creates the pod)",
  usage: "<covenant-file>",
  options: {},
  async run(ctx, _values, positionals) {
    const file = positional(positionals, 0, "the covenant file");
    noMorePositionals(positionals, 1);
    const client = await ctx.client({ write: true });
    const { covenant, podId } = await readProposal(file, client);
    ctx.out.progress("accepting the covenant");
    const result = await acceptCovenantSync(client, { covenant });
    const tokenIds = covenant.members.map((_, i) => tokenIdOf(podId, i));
    ctx.out.result(
      { podId, created: result.created, transaction: result.hash, tokenIds: result.created ? tokenIds : [] },
      [
        result.created
          ? `Pod ${idText(podId)} is created: every member accepted.`
          : `Accepted pod ${idText(podId)}; waiting for the other members.`,
        `Transaction ${result.hash}`,
      ],
    );
  },
};

export const podShow: Command = {
  summary: "a pod's terms, members, every commitment's rounds, and any standing claim with its countdown",
  usage: "<pod> [--read]",
  help: "  --read   also decrypt the covenant and the commitments (you must be a member)",
  options: { read: { type: "boolean", default: false } },
  async run(ctx, values, positionals) {
    const podId = parseId(positional(positionals, 0, "pod"), "pod");
    noMorePositionals(positionals, 1);
    const client = await ctx.client();
    ctx.out.progress("reading the pod");
    const [continuity, claims] = await Promise.all([getContinuity(client, { podId }), getClaims(client, { podId })]);
    let covenant: Awaited<ReturnType<typeof readCovenant>> | undefined;
    const commitments: Record<string, string> = {};
    if (values.read) {
      const identity = await ctx.identity();
      ctx.out.progress("decrypting the covenant and commitments");
      covenant = await readCovenant(client, { podId, identity });
      for (const m of continuity.members.filter((m) => m.status === "active")) {
        try {
          commitments[m.tokenId.toString()] = (
            await readCommitment(client, { tokenId: m.tokenId, identity })
          ).commitment;
        } catch (error) {
          // Written before this member joined: not theirs to read (the covenant above names the founders' commitments;
          // a partner added before them is not in it).
          if (!(error instanceof NotARecipientError)) throw error;
        }
      }
    }
    const lines = [...podLines(continuity.pod)];
    if (covenant) lines.push(`  "${covenant.title}": ${covenant.whenSomeoneMisses}`);
    lines.push("", "Members", `  ${ROUND_LEGEND}`);
    for (const c of continuity.commitments) {
      lines.push(...commitmentLines(c, `#${Number(c.tokenId & 0xffn)} ${c.account}`));
      const text = commitments[c.tokenId.toString()];
      if (text) lines.push(`    commits to: ${text}`);
    }
    if (claims.length > 0) {
      lines.push("", "Claims");
      for (const claim of claims) lines.push(...claimLines(claim).map((line) => `  ${line}`));
    }
    ctx.out.result({ ...continuity, claims, covenant, commitmentTexts: values.read ? commitments : undefined }, lines);
  },
};

function twoPhaseHelp(action: ConsentAction): string {
  return `With --prepare, the change is built now and written to a consent request (--out); each member who
must consent runs \`troth consent <file>\` on their own machine and sends back the signature file; then
\`troth pod ${action} --submit <file> --signature <file>…\` sends it (the submitter consents by signing then).
Without --prepare, everyone consents at once: the signer, and each --consent <keystore>.
`;
}

/** A change that needs consents: at once (signer and keystores), or in two phases through a consent request file. */
function twoPhaseCommand<A extends ConsentAction>(spec: {
  /** The change, as the command names it (its request files' action, unless `actionOf` picks another). */
  action: A;
  /** The action of this run, from its options (default `action`). */
  actionOf?: (values: Values) => A;
  /** The request actions `--submit` takes (default `[action]`). */
  accepts?: readonly A[];
  summary: string;
  help: string;
  options: Command["options"];
  /** The change's own arguments in the usage line ("" when the pod is all it needs). */
  terms: string;
  /** What `--prepare` is doing while it runs. */
  preparing: string;
  /** Builds the change's consent request (the SDK's prepare action). */
  prepare: (
    client: TrothClient,
    podId: bigint,
    deadline: bigint | undefined,
    ctx: Context,
    values: Values,
  ) => Promise<ConsentRequest<A>["prepared"]>;
  /** Sends a prepared change with the consents (the SDK's submit action); returns what to print. */
  submit: (
    client: TrothClient,
    prepared: ConsentRequest<A>["prepared"],
    signatures: ConsentSource[],
    ctx: Context,
  ) => Promise<{ data: unknown; lines: string[] }>;
}): Command {
  return {
    summary: spec.summary,
    usage: `<pod>${spec.terms} [--consent <keystore>]… | <pod>${spec.terms} --prepare [--out <file>] | --submit <file> --signature <file>…`,
    help: `${spec.help}\n${twoPhaseHelp(spec.action)}${CONSENT_HELP}`,
    options: {
      ...consentOptions,
      ...spec.options,
      prepare: { type: "boolean", default: false },
      out: { type: "string" },
      submit: { type: "string" },
      signature: { type: "string", multiple: true },
    },
    async run(ctx, values, positionals) {
      if (values.submit) {
        noMorePositionals(positionals, 0);
        if (values.prepare) throw new UsageError("--prepare and --submit do not go together.");
        const client = await ctx.client({ write: true });
        const request = await readConsentRequest(values.submit, client, spec.accepts ?? spec.action);
        const signatures = [
          ...(await consentSigners(ctx, values.consent)),
          ...(await readConsentSignatures(values.signature ?? [], request)),
        ];
        ctx.out.progress("checking the consents and sending");
        const { data, lines } = await spec.submit(client, request.prepared, signatures, ctx);
        return ctx.out.result(data, lines);
      }
      const action = spec.actionOf?.(values) ?? spec.action;
      if (values.signature) throw new UsageError("--signature goes with --submit <file>.");
      const podId = parseId(positional(positionals, 0, "pod"), "pod");
      noMorePositionals(positionals, 1);
      const client = await ctx.client({ write: !values.prepare });
      const deadline = await consentDeadline(client, values);
      ctx.out.progress(spec.preparing);
      const prepared = await spec.prepare(client, podId, deadline, ctx, values);
      if (values.prepare) {
        const file = values.out ?? `${action}-${podId.toString().slice(0, 12)}.json`;
        await writeConsentRequest(file, client, action, prepared);
        return ctx.out.result({ podId, file, required: prepared.required, deadline: prepared.deadline }, [
          `Consent request for pod ${idText(podId)} written to ${file} (valid until ${formatTime(Number(prepared.deadline))}).`,
          `Consent needed from: ${prepared.required.join(", ")}`,
          `Each runs \`troth consent ${file}\`; then \`troth pod ${spec.action} --submit ${file} --signature <file>…\`.`,
        ]);
      }
      const signers = await consentSigners(ctx, values.consent);
      ctx.out.progress("collecting consents and sending");
      const { data, lines } = await spec.submit(client, prepared, signers, ctx);
      ctx.out.result(data, lines);
    },
  };
}

export const podPause = twoPhaseCommand({
  action: "pause",
  summary: "pause the pod clock (every active member consents)",
  help: "",
  options: {},
  terms: "",
  preparing: "preparing the consent request",
  prepare: (client, podId, deadline) => preparePause(client, { podId, deadline }),
  async submit(client, prepared, signatures) {
    const { pausedAt, hash } = await submitPauseSync(client, { prepared, signatures });
    return {
      data: { podId: prepared.podId, pausedAt, transaction: hash },
      lines: [`Paused pod ${idText(prepared.podId)}.`, `Transaction ${hash}`],
    };
  },
});

export const podResume = twoPhaseCommand({
  action: "resume",
  summary: "resume a paused pod (every active member consents)",
  help: "",
  options: {},
  terms: "",
  preparing: "preparing the consent request",
  prepare: (client, podId, deadline) => prepareResume(client, { podId, deadline }),
  async submit(client, prepared, signatures) {
    const { pausedFor, hash } = await submitResumeSync(client, { prepared, signatures });
    return {
      data: { podId: prepared.podId, pausedFor, transaction: hash },
      lines: [`Resumed pod ${idText(prepared.podId)} after ${pausedFor} s.`, `Transaction ${hash}`],
    };
  },
});

export const podAmend = twoPhaseCommand({
  action: "amend",
  summary: "change cadence, grace, quorum or wording from the next round on (every active member consents)",
  help: "  --cadence <duration> --grace <duration> --quorum <n> --title <text> --misses <text>: the new terms\n",
  terms: " [terms]",
  preparing: "preparing the change and storing it on IPFS",
  options: {
    cadence: { type: "string" },
    grace: { type: "string" },
    quorum: { type: "string" },
    title: { type: "string" },
    misses: { type: "string" },
  },
  async prepare(client, podId, deadline, ctx, values) {
    return prepareAmend(client, {
      podId,
      deadline,
      identity: await ctx.identity(),
      ...(values.cadence ? { cadence: parseDuration(values.cadence, "--cadence") } : {}),
      ...(values.grace ? { grace: parseDuration(values.grace, "--grace") } : {}),
      ...(values.quorum ? { quorum: parseInteger(values.quorum, "--quorum", 1, 7) } : {}),
      changes: {
        ...(values.title ? { title: values.title } : {}),
        ...(values.misses ? { whenSomeoneMisses: values.misses } : {}),
      },
    });
  },
  async submit(client, prepared, signatures) {
    const { fromRound, hash } = await submitAmendSync(client, { prepared, signatures });
    return {
      data: { podId: prepared.podId, fromRound, amendment: prepared.amendment, transaction: hash },
      lines: [`Amended pod ${idText(prepared.podId)} from ${roundLabel(fromRound)}.`, `Transaction ${hash}`],
    };
  },
});

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
async function submitRecovery(client: TrothClient, request: ConsentRequest<"recover">, signatures: ConsentSource[]) {
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
      identityKey: identity.publicKeyHex,
      deadline: BigInt((await chainNow(client)) + deadlineIn),
      required: [...active.filter((m) => m.tokenId !== seat.tokenId).map((m) => m.account), me.address],
    };
    const file = values.out ?? `recover-${seat.tokenId.toString().slice(0, 12)}.json`;
    await writeConsentRequest(file, client, "recover", ask);
    ctx.out.result({ ...ask, file }, [
      `Recovery request for token ${idText(seat.tokenId)} of pod ${idText(pod.podId)} (${seat.account} → ${me.address}) written to ${file}.`,
      `Send it to your partners: the first to run \`troth consent ${file}\` seals the pod's keys for your new address; the others then consent to the same file.`,
      `Consent needed from: ${ask.required.join(", ")} (you, as you send it).`,
      `Then: \`troth pod recover --submit ${file} --signature <file>…\` (valid until ${formatTime(Number(ask.deadline))}).`,
    ]);
  },
};

/** What a member is asked to consent to, in the words `troth consent` shows them before signing. */
// Built from the message that is signed (readConsentRequest checked it is the change the file names).
const consentDescriptions: { [A in ConsentAction]: (message: Record<string, unknown>) => string } = {
  amend: (m) =>
    `amend pod ${idText(BigInt(m.podId as bigint))}: every ${formatDuration(Number(m.cadence))}, grace ${formatDuration(Number(m.grace))}, quorum ${m.quorum}`,
  add: (m) => `add ${m.member} to pod ${idText(BigInt(m.podId as bigint))}`,
  replace: (m) => `replace ${m.replaced} with ${m.member} in pod ${idText(BigInt(m.podId as bigint))}`,
  "replace-absent": (m) =>
    `propose to replace ${m.replaced}, absent, with ${m.member} in pod ${idText(BigInt(m.podId as bigint))} (completed after the objection window unless they act)`,
  recover: (m) =>
    `move the seat of ${m.lost} in pod ${idText(BigInt(m.podId as bigint))} to ${m.account} (a lost wallet)`,
  pause: (m) => `pause pod ${idText(BigInt(m.podId as bigint))}`,
  resume: (m) => `resume pod ${idText(BigInt(m.podId as bigint))}`,
};

/**
 * A partner seals a recovery request made by the new wallet: checks who asks (the new address published the identity
 * key the request names, and is no member), builds the recovery keyring with their own keys, stores it, and writes
 * the sealed request back to the file for the others to sign.
 */
async function sealRecovery(ctx: Context, client: TrothClient, file: string, request: ConsentRequest<"recover">) {
  const ask = request.prepared as RecoveryAsk;
  const published = await getPublishedIdentityKey(client, { account: ask.successor });
  if (published?.toLowerCase() !== ask.identityKey.toLowerCase()) {
    throw new CliError(
      `${ask.successor} has not published the identity key this request names: ask them to run \`troth pod recover\` again.`,
    );
  }
  ctx.out.progress("re-wrapping the pod's keys for the new address and storing the recovery keyring");
  const prepared = await prepareRequestRecovery(client, {
    tokenId: ask.tokenId,
    successor: ask.successor,
    identity: await ctx.identity(),
    deadline: ask.deadline,
  });
  await writeConsentRequest(file, client, "recover", prepared);
  return { ...request, prepared };
}

/** `troth consent <request>`: signs a prepared change on the consenting member's own machine. */
export const consent: Command = {
  summary:
    "consent to a prepared change (amend, add, replace, pause, resume, a recovery) from its request file; writes your signature",
  usage: "<request-file> [--out <file>]",
  help: `Checks what the change installs (a new member's or a recovered seat's keyring) before signing. A recovery request
the new wallet wrote is sealed by the first partner who consents: their machine builds the recovery keyring and writes
it into the same file, which the other partners then consent to.`,
  options: { out: { type: "string" } },
  async run(ctx, values, positionals) {
    const file = positional(positionals, 0, "the consent request file");
    noMorePositionals(positionals, 1);
    const [client, me] = await Promise.all([ctx.client(), ctx.signer()]);
    let request = await readConsentRequest(file, client);
    if (!request.prepared.required.some((a) => isAddressEqual(a, me.address))) {
      throw new CliError(
        `${me.address} is not among those who consent to this change (${request.prepared.required.join(", ")}).`,
      );
    }
    const sealing = isRecoveryAsk(request.prepared);
    if (sealing) {
      if (isAddressEqual((request.prepared as RecoveryAsk).successor, me.address)) {
        throw new CliError(
          `This recovery request waits for a partner to seal it: send ${file} to them, then sign with \`troth pod recover --submit\`.`,
        );
      }
      request = await sealRecovery(ctx, client, file, request as ConsentRequest<"recover">);
    }
    const { prepared } = request as ConsentRequest<Exclude<ConsentAction, "recover">> | ConsentRequest<"recover">;
    if (isRecoveryAsk(prepared)) throw new CliError(`${file} is not a sealed recovery.`);
    const message = prepared.typedData.message as Record<string, unknown>;
    const what = consentDescriptions[request.action](message);
    const notes: string[] = [];
    if (request.action === "add" || request.action === "replace" || request.action === "replace-absent") {
      // Members sign the new keyring's digest: what it wraps the pod key for (and the covenant it carries) is checked
      // here, before the signature.
      ctx.out.progress("checking what the change installs");
      await verifyMembershipChange(client, {
        podId: prepared.podId,
        entry: { member: message.member as Hex, keyringDigest: message.keyringDigest as Hex },
        replaced: message.replaced as Hex | undefined,
        identity: await ctx.identity(),
      });
    }
    if (request.action === "recover") {
      ctx.out.progress("checking the recovery keyring");
      const checked = await verifyKeyringRotation(client, {
        podId: prepared.podId,
        keyringDigest: message.keyringDigest as Hex,
        leaving: message.lost as Hex,
        joining: message.account as Hex,
        recovery: true,
      });
      notes.push(
        `The new address will read key epochs ${checked.grantedEpochs.join(", ") || "none"} of the old one${
          checked.missingEpochs.length
            ? ` (not ${checked.missingEpochs.join(", ")}: the partner who sealed it did not hold them)`
            : ""
        }, and every epoch from ${checked.epoch} on.`,
      );
    }
    const signature = await me.signTypedData(prepared.typedData as never);
    const out = values.out ?? `consent-${request.action}-${me.address.slice(2, 10).toLowerCase()}.json`;
    const signed: ConsentSignature = {
      type: "troth/consent",
      action: request.action,
      podId: prepared.podId.toString(),
      signer: me.address,
      signature,
    };
    await writeFile(out, `${JSON.stringify(signed, null, 2)}\n`);
    ctx.out.result({ ...signed, file: out, sealed: sealing ? file : undefined }, [
      ...(sealing ? [`Sealed the recovery in ${file}: send it on to the other partners, who consent to it.`] : []),
      `You consent to ${what} (valid until ${formatTime(Number(prepared.deadline))}).`,
      ...notes,
      `Signature written to ${out}: send it to whoever submits the change.`,
    ]);
  },
};

export const podLeave: Command = {
  summary: "leave a pod (your history stays)",
  usage: "<pod|token>",
  options: {},
  async run(ctx, _values, positionals) {
    const id = parseId(positional(positionals, 0, "pod or token"), "pod or token");
    noMorePositionals(positionals, 1);
    const [client, me] = await Promise.all([ctx.client({ write: true }), ctx.signer()]);
    const { tokenId, podId } = await resolveToken(client, id, me.address);
    const { endRound, hash } = await leaveSync(client, { tokenId });
    ctx.out.result({ podId, tokenId, endRound, transaction: hash }, [
      `Left pod ${idText(podId)}; rounds from ${roundLabel(endRound)} on are outside your span.`,
      "A remaining member now runs `troth pod rotate <pod>` so you read nothing written after.",
      `Transaction ${hash}`,
    ]);
  },
};

export const podRotate: Command = {
  summary: "start a new key epoch for the active members (after someone left)",
  usage: "<pod>",
  options: {},
  async run(ctx, _values, positionals) {
    const podId = parseId(positional(positionals, 0, "pod"), "pod");
    noMorePositionals(positionals, 1);
    const client = await ctx.client({ write: true });
    ctx.out.progress("wrapping a new pod key for every active member");
    const { keyringDigest, hash } = await rotateKeyringSync(client, { podId });
    ctx.out.result({ podId, keyringDigest, transaction: hash }, [
      `Rotated the keyring of pod ${idText(podId)}.`,
      `Transaction ${hash}`,
    ]);
  },
};
