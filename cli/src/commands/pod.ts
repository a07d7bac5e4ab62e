/** The pod's lifecycle: propose (create, renew) and accept a covenant, show a pod, leave it, rotate its keyring. */
import { readFile, writeFile } from "node:fs/promises";
import {
  acceptCovenantSync,
  type Covenant,
  type CovenantTerms,
  getClaims,
  getContinuity,
  getPod,
  leaveSync,
  prepareCovenant,
  readCommitment,
  readCovenant,
  rotateKeyringSync,
  type TrothClient,
  tokenIdOf,
} from "@troth/sdk";
import { NotARecipientError } from "@troth/sdk/crypto";
import { getAddress, type Hex, isAddressEqual } from "viem";
import {
  type Command,
  noMorePositionals,
  parseId,
  parseInteger,
  parseMeetingMinutes,
  parseMember,
  parseTime,
  positional,
  resolveToken,
  type Values,
} from "../args.ts";
import type { Context } from "../context.ts";
import { CliError, UsageError } from "../errors.ts";
import { claimLines, commitmentLines, idText, podLines, ROUND_LEGEND, roundLabel } from "../format.ts";
import { parseDuration } from "../output.ts";
import { chainNow } from "./pod-two-phase.ts";

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
  "turn-length": { type: "string" },
  "recording-cap": { type: "string" },
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
  --turn-length <minutes>     each speaker's turn in a meeting, 1-60 or "default" (8)
  --recording-cap <minutes>   the longest recorded reflection, 1-60 or "default" (20)
  --start <time>              when round 1 opens (unix or ISO; default now)
  --deadline <duration>       how long members have to accept (default 7d)
  --out <file>                where to write the covenant to share (default covenant-<pod>.json)
  --no-accept                 do not accept it yourself yet
Every member must have published an identity key (troth keys publish). Each member then runs
\`troth pod accept <file>\`; the last acceptance creates the pod.`;

/**
 * The covenant terms the flags give, every one checked before anything reaches the network. The function it returns
 * lays them over `defaults` (a renewal's previous terms; "default" for a meeting term drops the carried one) and adds
 * the deadline, which counts from the chain's time.
 */
function termFlags(values: Values) {
  if (!values.title) throw new UsageError("--title is required.");
  const members = (values.member ?? []).map(parseMember);
  if (members.length < 2)
    throw new UsageError("A pod needs 2 to 8 members: give each with --member <address>=<commitment>.");
  const given: CovenantTerms = {
    title: values.title,
    whenSomeoneMisses: values.misses ?? "We ask what got in the way, and begin again. No penalty.",
    members,
    ...(values.cadence ? { cadence: parseDuration(values.cadence, "--cadence") } : {}),
    ...(values.grace ? { grace: parseDuration(values.grace, "--grace") } : {}),
    ...(values.rounds ? { rounds: parseInteger(values.rounds, "--rounds", 1, 64) } : {}),
    ...(values.quorum ? { quorum: parseInteger(values.quorum, "--quorum", 1, 7) } : {}),
    ...(values.start ? { start: parseTime(values.start, "--start") } : {}),
  };
  const meeting: [key: "turnLength" | "recordingCap", minutes: number | null][] = [];
  for (const [flag, key] of [
    ["turn-length", "turnLength"],
    ["recording-cap", "recordingCap"],
  ] as const) {
    if (values[flag] !== undefined) meeting.push([key, parseMeetingMinutes(values[flag], `--${flag}`, true)]);
  }
  const deadlineIn = values.deadline ? parseDuration(values.deadline, "--deadline") : undefined;
  return async (client: TrothClient, defaults: Partial<CovenantTerms> = {}): Promise<CovenantTerms> => {
    const terms: CovenantTerms = {
      ...defaults,
      ...given,
      ...(deadlineIn !== undefined ? { deadline: BigInt((await chainNow(client)) + deadlineIn) } : {}),
    };
    for (const [key, minutes] of meeting) {
      if (minutes === null) delete terms[key];
      else terms[key] = minutes;
    }
    return terms;
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

export const podCreate: Command = {
  summary: "propose a covenant (encrypted on IPFS) and accept it",
  usage: "--title <text> --member <address>=<commitment> --member … [options]",
  help: TERMS_HELP,
  options: termOptions,
  async run(ctx, values, positionals) {
    noMorePositionals(positionals, 0);
    const terms = termFlags(values);
    const client = await ctx.client();
    await propose(ctx, values, await terms(client));
  },
};

export const podRenew: Command = {
  summary: "propose the next cycle of an ended pod (new commitments; terms, meeting terms too, default to the pod's)",
  usage: "<pod> --title <text> --member <address>=<commitment> … [options]",
  help: `${TERMS_HELP}\nEvery member of the renewal must have stayed in the previous pod to its end.`,
  options: termOptions,
  async run(ctx, values, positionals) {
    const previousPod = parseId(positional(positionals, 0, "the pod to renew"), "pod");
    noMorePositionals(positionals, 1);
    const flagged = termFlags(values);
    const client = await ctx.client();
    const [previous, identity] = await Promise.all([getPod(client, { podId: previousPod }), ctx.identity()]);
    // How its meetings ran (turn, recording cap) is in the covenant, off the chain: carried on unless a flag changes it.
    ctx.out.progress("reading the previous covenant");
    const { terms } = await readCovenant(client, { podId: previousPod, identity });
    const defaults = {
      cadence: previous.cadence,
      grace: previous.grace,
      rounds: previous.rounds,
      quorum: previous.quorum,
      ...(terms.turnLength !== undefined ? { turnLength: terms.turnLength } : {}),
      ...(terms.recordingCap !== undefined ? { recordingCap: terms.recordingCap } : {}),
      previousPod,
    };
    await propose(ctx, values, await flagged(client, defaults));
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
