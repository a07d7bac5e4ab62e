/** The factory of consent-gated pod commands: everyone consents at once, or in two phases through a request file. */
import type { ConsentSource, TrothClient } from "@troth/sdk";
import {
  CONSENT_HELP,
  type Command,
  consentOptions,
  consentSigners,
  noMorePositionals,
  parseId,
  positional,
  type Values,
} from "../args.ts";
import {
  type ConsentAction,
  type ConsentRequestFile,
  readConsentRequest,
  readConsentSignatures,
  writeConsentRequest,
} from "../consent-files.ts";
import type { Context } from "../context.ts";
import { UsageError } from "../errors.ts";
import { idText } from "../format.ts";
import { formatTime, parseDuration } from "../output.ts";

export async function chainNow(client: TrothClient): Promise<number> {
  return Number((await client.publicClient.getBlock()).timestamp);
}

export async function consentDeadline(client: TrothClient, values: Values): Promise<bigint | undefined> {
  return values.deadline ? BigInt((await chainNow(client)) + parseDuration(values.deadline, "--deadline")) : undefined;
}

function twoPhaseHelp(action: ConsentAction): string {
  return `With --prepare, the change is built now and written to a consent request (--out); each member who
must consent runs \`troth consent <file>\` on their own machine and sends back the signature file; then
\`troth pod ${action} --submit <file> --signature <file>…\` sends it (the submitter consents by signing then).
Without --prepare, everyone consents at once: the signer, and each --consent <keystore>.
`;
}

/** A change that needs consents: at once (signer and keystores), or in two phases through a consent request file. */
export function twoPhaseCommand<A extends ConsentAction, T = Values>(spec: {
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
  /** Reads the change's own options, before anything is asked of the network (a bad one is a UsageError). */
  parse?: (values: Values) => T;
  /** Builds the change's consent request (the SDK's prepare action), from the options `parse` read. */
  prepare: (
    client: TrothClient,
    podId: bigint,
    deadline: bigint | undefined,
    ctx: Context,
    options: T,
  ) => Promise<ConsentRequestFile<A>["prepared"]>;
  /**
   * What the change does, read before anyone signs or sends it (a change that is not what it says is refused here);
   * printed, and merged into the JSON, whenever the change is prepared or sent.
   */
  review?: (
    client: TrothClient,
    prepared: ConsentRequestFile<A>["prepared"],
    ctx: Context,
  ) => Promise<{ data: Record<string, unknown>; lines: string[] }>;
  /** Sends a prepared change with the consents (the SDK's submit action); returns what to print. */
  submit: (
    client: TrothClient,
    prepared: ConsentRequestFile<A>["prepared"],
    signatures: ConsentSource[],
    ctx: Context,
  ) => Promise<{ data: Record<string, unknown>; lines: string[] }>;
}): Command {
  const noReview = { data: {}, lines: [] };
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
        // The submitter consents by signing as they send: they see what the change does first.
        const review = (await spec.review?.(client, request.prepared, ctx)) ?? noReview;
        const signatures = [
          ...(await consentSigners(ctx, values.consent)),
          ...(await readConsentSignatures(values.signature ?? [], request)),
        ];
        ctx.out.progress("checking the consents and sending");
        const { data, lines } = await spec.submit(client, request.prepared, signatures, ctx);
        return ctx.out.result({ ...data, ...review.data }, [...lines, ...review.lines]);
      }
      const action = spec.actionOf?.(values) ?? spec.action;
      if (values.signature) throw new UsageError("--signature goes with --submit <file>.");
      const podId = parseId(positional(positionals, 0, "pod"), "pod");
      noMorePositionals(positionals, 1);
      const options = spec.parse ? spec.parse(values) : (values as T);
      const client = await ctx.client({ write: !values.prepare });
      const deadline = await consentDeadline(client, values);
      ctx.out.progress(spec.preparing);
      const prepared = await spec.prepare(client, podId, deadline, ctx, options);
      const review = (await spec.review?.(client, prepared, ctx)) ?? noReview;
      if (values.prepare) {
        const file = values.out ?? `${action}-${podId.toString().slice(0, 12)}.json`;
        const link = await writeConsentRequest(file, client, prepared);
        return ctx.out.result(
          { podId, file, link, required: prepared.required, deadline: prepared.deadline, ...review.data },
          [
            `Consent request for pod ${idText(podId)} written to ${file} (valid until ${formatTime(Number(prepared.deadline))}).`,
            ...review.lines,
            `Consent needed from: ${prepared.required.join(", ")}`,
            `Each runs \`troth consent ${file}\` (or opens ${link} after the dApp's address); then \`troth pod ${action} --submit ${file} --signature <file>…\`.`,
          ],
        );
      }
      const signers = await consentSigners(ctx, values.consent);
      ctx.out.progress("collecting consents and sending");
      const { data, lines } = await spec.submit(client, prepared, signers, ctx);
      ctx.out.result({ ...data, ...review.data }, [...lines, ...review.lines]);
    },
  };
}
