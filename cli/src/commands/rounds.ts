/** The commands of a round: check in, witness, restart after a miss, read a report, see what is due. */
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  attachRecording,
  checkInSync,
  getContinuity,
  getDueCheckIns,
  getPendingCheckIn,
  getPod,
  getSpeakingOrder,
  PodNotFoundError,
  readRecording,
  readReport,
  restartSync,
  signWitness,
  type TrothClient,
  type WitnessSignature,
  witnessBySigSync,
  witnessSync,
} from "@troth/sdk";
import { DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE, MAX_RECORDING_CHUNKS, witnessReplies } from "@troth/sdk/crypto";
import { type Address, getAddress, type Hex, isAddressEqual } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  type Command,
  noMorePositionals,
  parseAddress,
  parseId,
  parseRound,
  parseTime,
  positional,
  resolveToken,
  roundInCycle,
} from "../args.ts";
import { CliError, UsageError } from "../errors.ts";
import { idText, label, roundLabel } from "../format.ts";
import { formatDuration, formatTime } from "../output.ts";
import { reportFromEditor, reportFromFile } from "../report-input.ts";

/** A witness signature as handed from the witness to whoever submits it. */
type SignatureFile = {
  type: "troth/witness-signature";
  chainId: number;
  troth: string;
  tokenId: string;
  round: number;
  reportDigest: Hex;
} & WitnessSignature;

/** A member's token from a token id, or from a pod id and the member (default: the user). */
async function memberToken(client: TrothClient, id: bigint, member: Address | undefined, me: () => Promise<Address>) {
  try {
    await getPod(client, { podId: id });
  } catch (error) {
    if (!(error instanceof PodNotFoundError)) throw error;
    if (member) throw new UsageError("--member goes with a pod id; this id is not a pod.");
    return resolveToken(client, id, await me());
  }
  return resolveToken(client, id, member ?? (await me()));
}

/** The rounds of a commitment whose check-in waits for witnesses. */
async function pendingRounds(client: TrothClient, podId: bigint, tokenId: bigint): Promise<number[]> {
  const { commitments } = await getContinuity(client, { podId });
  const states = commitments.find((c) => c.tokenId === tokenId)?.roundStates ?? [];
  return states.flatMap((state, round) => (state === "reported" ? [round] : []));
}

async function readSignature(file: string, client: TrothClient, tokenId: bigint): Promise<SignatureFile> {
  let signature: SignatureFile;
  try {
    signature = JSON.parse(await readFile(file, "utf8"));
  } catch {
    throw new CliError(`Cannot read the witness signature ${file}.`);
  }
  if (signature.type !== "troth/witness-signature") throw new CliError(`${file} is not a witness signature.`);
  if (signature.chainId !== client.chainId || !isAddressEqual(signature.troth as Hex, client.address)) {
    throw new CliError(`${file} was signed for another chain or contract.`);
  }
  if (BigInt(signature.tokenId) !== tokenId)
    throw new CliError(`${file} witnesses token ${idText(BigInt(signature.tokenId))}, not ${idText(tokenId)}.`);
  return signature;
}

/** Media types by file extension, for `--attach` (MediaRecorder's and the usual audio and video files). */
const mediaTypes: Record<string, string> = {
  ".ogg": "audio/ogg",
  ".oga": "audio/ogg",
  ".opus": "audio/ogg;codecs=opus",
  ".weba": "audio/webm",
  ".webm": "video/webm",
  ".mp3": "audio/mpeg",
  ".m4a": "audio/mp4",
  ".aac": "audio/aac",
  ".wav": "audio/wav",
  ".flac": "audio/flac",
  ".mp4": "video/mp4",
  ".m4v": "video/mp4",
  ".mov": "video/quicktime",
  ".mkv": "video/x-matroska",
};

/** The file to attach, checked before anything is encrypted: it exists, is not empty, fits, and has a media type. */
async function attachment(file: string, type: string | undefined) {
  const info = await stat(file).catch(() => {
    throw new CliError(`Cannot read ${file}: no such file.`);
  });
  if (!info.isFile()) throw new CliError(`${file} is not a file.`);
  if (info.size === 0) throw new CliError(`${file} is empty: there is nothing to attach.`);
  // Chunks grow with the file so its manifest stays within the format's chunk count.
  const chunkSize = Math.max(DEFAULT_CHUNK_SIZE, Math.ceil(info.size / MAX_RECORDING_CHUNKS / 1024) * 1024);
  if (chunkSize > MAX_CHUNK_SIZE)
    throw new CliError(
      `${file} is ${formatBytes(info.size)}; a recording holds at most ${formatBytes(MAX_RECORDING_CHUNKS * MAX_CHUNK_SIZE)}.`,
    );
  const mimeType = type ?? mediaTypes[path.extname(file).toLowerCase()];
  if (!mimeType)
    throw new UsageError(`Cannot tell the media type of ${file} from its name: pass --type (e.g. --type audio/ogg).`);
  return { file, size: info.size, chunkSize, mimeType, name: path.basename(file) };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

export const checkin: Command = {
  summary: "check in for a round: your report, encrypted for your pod",
  usage: "<pod|token> [--round <n>] [--report <file|->] [--attach <file> [--type <mime>]] [--witness <keystore>]…",
  help: `  --round <n>            the round, counted from 1 (default: the one due now)
  --report <file|->      the report: text with the headings "# What I said I'd do", "# What blocked or surprised me",
                         "# What's next", or JSON {said, blocked, next}; "-" reads stdin. Without it, $EDITOR opens.
  --attach <file>        a recorded reflection (audio or video), encrypted and stored in chunks as it is read
  --type <mime>          its media type, when its name does not tell (e.g. audio/ogg)
  --witness <keystore>   a partner who witnesses in the same transaction (their keystore; repeatable)`,
  options: {
    round: { type: "string" },
    report: { type: "string" },
    attach: { type: "string" },
    type: { type: "string" },
    witness: { type: "string", multiple: true },
  },
  async run(ctx, values, positionals) {
    const id = parseId(positional(positionals, 0, "pod or token"), "pod or token");
    noMorePositionals(positionals, 1);
    const [client, me] = await Promise.all([ctx.client({ write: true }), ctx.signer()]);
    let round = parseRound(values.round);
    const { tokenId, podId } = await resolveToken(client, id, me.address);
    await roundInCycle(client, podId, round);
    if (round === undefined) {
      const due = (await getDueCheckIns(client, { account: me.address })).filter((d) => d.tokenId === tokenId);
      if (due.length === 0) {
        throw new CliError(`Nothing is due for token ${idText(tokenId)} now (pass --round to name a round).`);
      }
      round = due[0].round;
    }
    if (values.type && !values.attach) throw new UsageError("--type goes with --attach <file>.");
    const attached = values.attach ? await attachment(values.attach, values.type) : undefined;
    const report = values.report ? reportFromFile(values.report) : reportFromEditor();
    const witnesses = [];
    for (const file of values.witness ?? []) witnesses.push(privateKeyToAccount(await ctx.unlock(file)));
    const identity = await ctx.identity();
    let recording: string | undefined;
    if (attached) {
      ctx.out.progress(`encrypting ${attached.name} (${formatBytes(attached.size)}) and storing it on IPFS in chunks`);
      ({ recording } = await attachRecording(client, {
        tokenId,
        round,
        identity,
        source: createReadStream(attached.file, { highWaterMark: attached.chunkSize }),
        chunkSize: attached.chunkSize,
        mimeType: attached.mimeType,
        name: attached.name,
      }));
    }
    ctx.out.progress("encrypting the report, storing it on IPFS and checking in");
    const result = await checkInSync(client, {
      tokenId,
      round,
      report: recording ? { ...report, recording } : report,
      identity,
      witnesses,
    });
    ctx.out.result(
      {
        podId,
        tokenId,
        round,
        reportDigest: result.reportDigest,
        ...(recording ? { recording } : {}),
        witnessed: result.witnessed,
        transaction: result.hash,
      },
      [
        `Checked in for ${roundLabel(round)} of pod ${idText(podId)}${result.witnessed ? ", witnessed" : "; waiting for witnesses"}.`,
        `Report ${result.reportDigest} (encrypted on IPFS)`,
        ...(attached
          ? [`Recording ${recording} (${attached.name}, ${formatBytes(attached.size)}, encrypted on IPFS)`]
          : []),
        `Transaction ${result.hash}`,
      ],
    );
  },
};

export const witness: Command = {
  summary: "witness a partner's check-in: by transaction, or --sign for them to submit, or --send signatures",
  usage: "<token | pod --member <address>> [--round <n>] [--sign [--reply <text>] [--out <file>] | --send <file>…]",
  help: `  --round <n>          the round, counted from 1 (default: the one waiting for witnesses)
  --sign               sign the attestation instead of sending it (written to --out or stdout)
  --reply <text>       with --sign: "Thank you" or "What did you notice?", encrypted for the pod
  --send <file>        submit witness signatures made with --sign (anyone may; repeatable)`,
  options: {
    member: { type: "string" },
    round: { type: "string" },
    sign: { type: "boolean", default: false },
    reply: { type: "string" },
    out: { type: "string" },
    send: { type: "string", multiple: true },
  },
  async run(ctx, values, positionals) {
    const id = parseId(positional(positionals, 0, "token"), "token");
    noMorePositionals(positionals, 1);
    if (values.sign && values.send) throw new UsageError("--sign and --send do not go together.");
    if (values.reply !== undefined && !values.sign) throw new UsageError("--reply goes with --sign.");
    if (values.reply !== undefined && !(witnessReplies as readonly string[]).includes(values.reply)) {
      throw new UsageError(
        `A witness replies only ${witnessReplies.map((r) => `"${r}"`).join(" or ")}: no advice, no judgement.`,
      );
    }
    const client = await ctx.client({ write: !values.sign });
    const member = values.member ? parseAddress(values.member, "--member") : undefined;
    let round = parseRound(values.round);
    const { tokenId, podId } = await memberToken(client, id, member, async () => (await ctx.signer()).address);
    await roundInCycle(client, podId, round);
    if (round === undefined) {
      const pending = await pendingRounds(client, podId, tokenId);
      if (pending.length === 0) throw new CliError(`No check-in of token ${idText(tokenId)} is waiting for witnesses.`);
      round = pending[0];
    }

    if (values.send) {
      const signatures = [];
      for (const file of values.send) {
        const s = await readSignature(file, client, tokenId);
        if (s.round !== round)
          throw new CliError(`${file} witnesses ${roundLabel(s.round)}, not ${roundLabel(round)}.`);
        signatures.push({
          signer: getAddress(s.signer),
          signature: s.signature,
          ...(s.reply ? { reply: s.reply } : {}),
        });
      }
      ctx.out.progress("submitting the witness signatures");
      const { witnessed, hash } = await witnessBySigSync(client, { tokenId, round, witnesses: signatures });
      return ctx.out.result({ tokenId, round, witnessed, transaction: hash }, [
        `Submitted ${signatures.length} witness signature(s) for ${roundLabel(round)} of token ${idText(tokenId)}${witnessed ? ": witnessed." : "."}`,
        `Transaction ${hash}`,
      ]);
    }

    if (values.sign) {
      const signer = await ctx.signer();
      const { reportDigest } = await getPendingCheckIn(client, { tokenId, round });
      if (!reportDigest)
        throw new CliError(`No check-in of ${roundLabel(round)} of token ${idText(tokenId)} waits for witnesses.`);
      const signature = await signWitness(client, {
        tokenId,
        round,
        reportDigest,
        signer,
        ...(values.reply ? { reply: values.reply, identity: await ctx.identity() } : {}),
      });
      const file: SignatureFile = {
        type: "troth/witness-signature",
        chainId: client.chainId,
        troth: client.address,
        tokenId: tokenId.toString(),
        round,
        reportDigest,
        ...signature,
      };
      const text = `${JSON.stringify(file, null, 2)}\n`;
      if (values.out) {
        await writeFile(values.out, text);
        return ctx.out.result(file, [
          `Signed: witness of ${roundLabel(round)} of token ${idText(tokenId)} written to ${values.out}.`,
          "Hand it to the member (or anyone) to run `troth witness <token> --send <file>`.",
        ]);
      }
      return ctx.out.result(file, text.trimEnd());
    }

    ctx.out.progress("witnessing by transaction");
    const { witnessed, hash } = await witnessSync(client, { tokenId, round });
    ctx.out.result({ tokenId, round, witnessed, transaction: hash }, [
      `Witnessed ${roundLabel(round)} of token ${idText(tokenId)}${witnessed ? ": quorum reached." : "; more witnesses needed."}`,
      `Transaction ${hash}`,
    ]);
  },
};

export const restart: Command = {
  summary: "begin again after a missed round, without penalty (optionally with a new commitment)",
  usage: "<pod|token> [--commitment <text>]",
  options: { commitment: { type: "string" } },
  async run(ctx, values, positionals) {
    const id = parseId(positional(positionals, 0, "pod or token"), "pod or token");
    noMorePositionals(positionals, 1);
    const [client, me] = await Promise.all([ctx.client({ write: true }), ctx.signer()]);
    const { tokenId, podId } = await resolveToken(client, id, me.address);
    const commitment = values.commitment as string | undefined;
    ctx.out.progress(commitment ? "encrypting the new commitment and restarting" : "restarting");
    const result = await restartSync(client, {
      tokenId,
      ...(commitment ? { commitment, identity: await ctx.identity() } : {}),
    });
    ctx.out.result({ podId, tokenId, round: result.round, restarts: result.restarts, transaction: result.hash }, [
      `Restarted from ${roundLabel(result.round)} (restart ${result.restarts}). Welcome back.`,
      `Transaction ${result.hash}`,
    ]);
  },
};

export const report: Command = {
  summary: "read (decrypt) a member's check-in report; --save writes its recording to a file",
  usage: "<token | pod [--member <address>]> --round <n> [--save <file>]",
  help: `  --round <n>     the round to read, counted from 1 (round 1 is the cycle's first)
  --save <file>   save the check-in's recording there, decrypted as it streams (each chunk checked first)`,
  options: { member: { type: "string" }, round: { type: "string" }, save: { type: "string" } },
  async run(ctx, values, positionals) {
    const id = parseId(positional(positionals, 0, "token"), "token");
    noMorePositionals(positionals, 1);
    const round = parseRound(values.round);
    if (round === undefined) throw new UsageError("--round <n> names the round to read.");
    const client = await ctx.client();
    const member = values.member ? parseAddress(values.member, "--member") : undefined;
    const { tokenId, podId } = await memberToken(client, id, member, async () => (await ctx.signer()).address);
    await roundInCycle(client, podId, round);
    if (values.save && existsSync(values.save))
      throw new CliError(`${values.save} exists already: name a new file for the recording.`);
    ctx.out.progress("fetching and decrypting the report");
    const identity = await ctx.identity();
    const r = await readReport(client, { tokenId, round, identity });
    let saved: { file: string; mimeType: string; size: number; name?: string } | undefined;
    if (values.save) {
      const { manifest, stream } = await readRecording(client, {
        tokenId,
        round,
        identity,
        reportDigest: r.reportDigest,
      });
      ctx.out.progress(`saving the recording (${formatBytes(manifest.size)}) to ${values.save}, chunk by chunk`);
      saved = { file: values.save, mimeType: manifest.mimeType, size: manifest.size, name: manifest.name };
      await saveStream(stream(), values.save);
    }
    ctx.out.result({ tokenId, round, ...r, ...(saved ? { saved } : {}) }, [
      `Round ${round + 1} of token ${idText(tokenId)}`,
      "",
      "# What I said I'd do",
      r.said,
      "",
      "# What blocked or surprised me",
      r.blocked,
      "",
      "# What's next",
      r.next,
      ...(r.recording
        ? [
            "",
            saved
              ? `Recording saved to ${saved.file} (${saved.mimeType}, ${formatBytes(saved.size)})`
              : `Recording ${r.recording} (save it with --save <file>)`,
          ]
        : []),
    ]);
  },
};

/**
 * Writes a decrypted stream to `file` through `file.part`, renamed only once every chunk opened: a damaged recording
 * leaves no file that looks whole.
 */
async function saveStream(chunks: AsyncIterable<Uint8Array>, file: string): Promise<void> {
  const partial = `${file}.part`;
  try {
    await pipeline(Readable.from(chunks), createWriteStream(partial, { flags: "wx" }));
  } catch (error) {
    await rm(partial, { force: true });
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      throw new CliError(`${partial} exists already: remove it or name another file.`);
    throw error;
  }
  await rename(partial, file);
}

export const due: Command = {
  summary: "what is due for me (or an address): open rounds not yet checked in, with the speaking order",
  usage: "[<address>] [--at <time>]",
  options: { at: { type: "string" } },
  async run(ctx, values, positionals) {
    noMorePositionals(positionals, 1);
    const account = positionals[0] ? parseAddress(positionals[0], "address") : (await ctx.signer()).address;
    const client = await ctx.client();
    const time = parseTime(values.at, "--at") ?? Number((await client.publicClient.getBlock()).timestamp);
    const list = await getDueCheckIns(client, { account, time });
    const items = await Promise.all(
      list.map(async (d) => ({
        ...d,
        speakingOrder: await getSpeakingOrder(client, { podId: d.podId, round: d.round }),
      })),
    );
    const lines = [`Due for ${account} at ${formatTime(time)} (chain time):`];
    if (items.length === 0) lines.push("  nothing: every open round is checked in.");
    for (const d of items) {
      lines.push(
        `  pod ${idText(d.podId)}, ${roundLabel(d.round)}: open until ${formatTime(d.closesAt)} (${formatDuration(d.closesAt - time)} left)`,
        `    token ${idText(d.tokenId)}`,
        `    speaking order: ${d.speakingOrder.map((a) => label(a, account)).join(", ")}`,
      );
    }
    ctx.out.result({ account, time, due: items }, lines);
  },
};
