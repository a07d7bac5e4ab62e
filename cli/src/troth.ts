#!/usr/bin/env node
/**
 * `troth`: the command line over @troth/sdk. Every command is a thin shell around SDK actions; failures are one
 * sentence on stderr and a non-zero exit (1, or 2 for a wrong command line), never a stack trace (set TROTH_DEBUG=1
 * to see one).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Command } from "./args.ts";
import { audit } from "./commands/audit.ts";
import { claimCancel, claimComplete, claimShow } from "./commands/claim.ts";
import { consent } from "./commands/consent.ts";
import { ics } from "./commands/ics.ts";
import { keysInit, keysPublish, keysShow } from "./commands/keys.ts";
import { meeting } from "./commands/meeting.ts";
import { podAccept, podCreate, podLeave, podRenew, podRotate, podShow } from "./commands/pod.ts";
import { podAmend, podPause, podResume } from "./commands/pod-changes.ts";
import { podAdd, podRecover, podReplace } from "./commands/pod-members.ts";
import { checkin, due, report, restart, witness } from "./commands/rounds.ts";
import { Context, DEFAULT_IPFS, DEFAULT_RPC, type GlobalValues, globalOptions } from "./context.ts";
import { describeError, UsageError } from "./errors.ts";

const groups: Record<string, Record<string, Command>> = {
  keys: { init: keysInit, show: keysShow, publish: keysPublish },
  pod: {
    create: podCreate,
    accept: podAccept,
    show: podShow,
    amend: podAmend,
    pause: podPause,
    resume: podResume,
    leave: podLeave,
    add: podAdd,
    replace: podReplace,
    recover: podRecover,
    renew: podRenew,
    rotate: podRotate,
  },
  claim: { show: claimShow, cancel: claimCancel, complete: claimComplete },
};
const commands: Record<string, Command> = { checkin, witness, consent, restart, report, due, audit, ics, meeting };

const GLOBAL_HELP = `Options for every command:
  --rpc <url>[,<url>]  chain JSON-RPC, several tried in order (TROTH_RPC; default ${DEFAULT_RPC}, what \`npm start\` runs)
  --ipfs <url>         IPFS Kubo RPC blobs are written to (TROTH_IPFS; default ${DEFAULT_IPFS}); its token, if
                       it asks for one, in TROTH_IPFS_TOKEN (bearer, or basic:<user>:<password>)
  --gateway <url>      a gateway to read blobs from after the node, in order (repeatable; TROTH_GATEWAYS=a,b)
  --pin-service <url>  a Pinning Service API endpoint that keeps a second copy (TROTH_PIN_SERVICE; token in
                       TROTH_PIN_TOKEN)
  --deployment <file>  deployment record (TROTH_DEPLOYMENT; default deployments/<chainId>.json)
  --keystore <file>    the signer's keystore (TROTH_KEYSTORE; default ~/.troth/keystore.json)
  --json               machine-readable output
The signer is TROTH_PRIVATE_KEY, or the keystore unlocked with TROTH_PASSWORD or a prompt; never an argument
(nor are storage tokens).
Rounds count from 1, as the app shows them: --round 1 is the cycle's first round, and so is "round 1" in the output.
--json output is the contract's data: its "round" fields are the contract's index from 0 (round 1 is 0), ids decimal.
Pod and token ids print as 0x hex, as in the app's links; either decimal or 0x hex is accepted.`;

function overview(): string {
  const rows: [string, string][] = [];
  for (const [group, subs] of Object.entries(groups)) {
    for (const [name, command] of Object.entries(subs)) rows.push([`${group} ${name}`, command.summary]);
  }
  for (const [name, command] of Object.entries(commands)) rows.push([name, command.summary]);
  return [
    "Usage: troth <command> [arguments] [options]",
    "",
    ...rows.map(([name, summary]) => `  ${name.padEnd(14)} ${summary}`),
    "",
    GLOBAL_HELP,
    "",
    "troth <command> --help shows a command's arguments; troth --version, the version.",
  ].join("\n");
}

/** Set by the bundle (scripts/package/bundle.ts) from package.json; undefined when running from the sources. */
declare const __TROTH_CLI_VERSION__: string | undefined;

/** The version of @troth/cli: built into the bundle, else read from the package.json above src/. */
function version(): string {
  if (typeof __TROTH_CLI_VERSION__ === "string") return __TROTH_CLI_VERSION__;
  return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
}

function commandHelp(name: string, command: Command): string {
  return [
    `Usage: troth ${name} ${command.usage}`,
    "",
    command.summary,
    ...(command.help ? ["", command.help] : []),
    "",
    GLOBAL_HELP,
  ].join("\n");
}

/** The commands of one group (`troth pod --help`). */
function groupHelp(group: string): string {
  const subs = Object.entries(groups[group]);
  return [
    `Usage: troth ${group} <command> [arguments] [options]`,
    "",
    ...subs.map(([name, command]) => `  ${`${group} ${name}`.padEnd(14)} ${command.summary}`),
    "",
    `troth ${group} <command> --help shows a command's arguments.`,
  ].join("\n");
}

/** Finds the command named by the first words of `argv`; returns it and the rest (or a group's help to print). */
function route(argv: string[]): { name: string; command: Command; rest: string[] } | { help: string } | undefined {
  const [first, second, ...rest] = argv;
  if (first === undefined || first.startsWith("-")) return undefined;
  if (first in groups) {
    if (second === "--help" || second === "-h") return { help: groupHelp(first) };
    const command = second === undefined ? undefined : groups[first][second];
    if (!command) {
      const known = Object.keys(groups[first]).join(", ");
      throw new UsageError(
        second === undefined
          ? `troth ${first} needs a subcommand: ${known}.`
          : `Unknown command "${first} ${second}" (try: ${known}).`,
      );
    }
    return { name: `${first} ${second}`, command, rest };
  }
  const command = commands[first];
  if (!command) throw new UsageError(`Unknown command "${first}": run \`troth --help\` for the list.`);
  return { name: first, command, rest: second === undefined ? rest : [second, ...rest] };
}

async function main(argv: string[]): Promise<void> {
  const routed = route(argv);
  if (routed && "help" in routed) return void process.stdout.write(`${routed.help}\n`);
  if (!routed) {
    if (argv.length === 0 || argv.includes("--help") || argv.includes("-h"))
      return void process.stdout.write(`${overview()}\n`);
    if (argv.includes("--version") || argv.includes("-V")) return void process.stdout.write(`${version()}\n`);
    throw new UsageError(`Unknown option "${argv[0]}": run \`troth --help\`.`);
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: routed.rest,
      options: { ...globalOptions, ...routed.command.options },
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split(/\.\s/)[0]} (see \`troth ${routed.name} --help\`).`);
  }
  if (parsed.values.help) return void process.stdout.write(`${commandHelp(routed.name, routed.command)}\n`);
  context = new Context(parsed.values as GlobalValues);
  await routed.command.run(context, parsed.values, parsed.positionals);
}

let context: Context | undefined;

function fail(error: unknown): never {
  const where = {
    rpc: context?.rpc ?? process.env.TROTH_RPC ?? DEFAULT_RPC,
    ipfs: context?.ipfs ?? process.env.TROTH_IPFS ?? DEFAULT_IPFS,
  };
  process.stderr.write(`troth: ${describeError(error, where)}\n`);
  if (process.env.TROTH_DEBUG) console.error(error);
  process.exit(error instanceof UsageError ? 2 : 1);
}

process.on("unhandledRejection", fail);
process.on("uncaughtException", fail);
try {
  await main(process.argv.slice(2));
  // Open keep-alive sockets would hold the process for seconds after the answer is out.
  process.exit(0);
} catch (error) {
  fail(error);
}
