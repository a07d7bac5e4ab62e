/** `troth consent`: a member signs a prepared change on their own machine (sealing a recovery's keys first). */
import {
  type CovenantChange,
  consentRequestOf,
  prepareRequestRecovery,
  signConsentRequest,
  type TrothClient,
  verifyMembershipChange,
} from "@troth/sdk";
import { type Hex, isAddressEqual } from "viem";
import { reviewAmendment } from "../amendment.ts";
import { type Command, noMorePositionals, positional } from "../args.ts";
import {
  type ConsentAction,
  type ConsentRequestFile,
  isConsentLink,
  isRecoveryAsk,
  type RecoveryAsk,
  readConsentRequest,
  writeConsentRequest,
} from "../consent-files.ts";
import type { Context } from "../context.ts";
import { CliError } from "../errors.ts";
import { idText } from "../format.ts";
import { formatDuration, formatTime } from "../output.ts";

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
 * A partner seals a recovery request made by the new wallet: builds the recovery keyring with their own keys (for the
 * identity key the new address published; none published, none sealed), stores it, and writes the sealed request back
 * to the file (a link has no file: the consent file carries it on) for the others to sign.
 */
async function sealRecovery(
  ctx: Context,
  client: TrothClient,
  source: string,
  ask: RecoveryAsk,
): Promise<ConsentRequestFile<"recover">> {
  ctx.out.progress("re-wrapping the pod's keys for the new address and storing the recovery keyring");
  const prepared = await prepareRequestRecovery(client, {
    tokenId: ask.tokenId,
    successor: ask.successor,
    identity: await ctx.identity(),
    deadline: ask.deadline,
  });
  if (!isConsentLink(source)) await writeConsentRequest(source, client, prepared);
  return { action: "recover", request: consentRequestOf(prepared), prepared };
}

/** `troth consent <request>`: signs a prepared change on the consenting member's own machine. */
export const consent: Command = {
  summary:
    "consent to a prepared change (amend, add, replace, pause, resume, a recovery) from its request file or dApp link",
  usage: "<request-file | link> [--out <file>]",
  help: `Checks what the change installs (a new member's or a recovered seat's keyring) and the signatures the request
carries before signing. An amendment is read first: every change it makes to the covenant (its wording, rhythm,
meeting terms, each member's commitment and name) is printed, and one whose covenant disagrees with what it says is
refused. The request may be a file \`troth pod … --prepare\` wrote or a consent link from the dApp (…#/consent/…):
both are the same format. Writes the request with your signature added (--out), as a file and a link to pass on. A
recovery request the new wallet wrote is sealed by the first partner who consents: their machine builds the recovery
keyring and writes it into the same file, which the other partners then consent to.`,
  options: { out: { type: "string" } },
  async run(ctx, values, positionals) {
    const source = positional(positionals, 0, "the consent request file or link");
    noMorePositionals(positionals, 1);
    const [client, me] = await Promise.all([ctx.client(), ctx.signer()]);
    let file: ConsentRequestFile = await readConsentRequest(source, client);
    if (!file.prepared.required.some((a) => isAddressEqual(a, me.address))) {
      throw new CliError(
        `${me.address} is not among those who consent to this change (${file.prepared.required.join(", ")}).`,
      );
    }
    const ask = isRecoveryAsk(file.prepared) ? file.prepared : undefined;
    if (ask) {
      if (isAddressEqual(ask.successor, me.address)) {
        throw new CliError(
          `This recovery request waits for a partner to seal it: send ${source} to them, then sign with \`troth pod recover --submit\`.`,
        );
      }
      // The signatures gathered on the ask (if any) were of no keyring: sealing starts the consents afresh.
      file = await sealRecovery(ctx, client, source, ask);
    }
    const { prepared, action } = file;
    if (isRecoveryAsk(prepared)) throw new CliError(`${source} is not a sealed recovery.`);
    const message = prepared.typedData.message as Record<string, unknown>;
    const what = consentDescriptions[action](message);
    const notes: string[] = [];
    let changes: CovenantChange[] | undefined;
    if (action === "amend") {
      // Members sign the amended covenant's digest: what it changes (wording, meeting terms, commitments) is read and
      // shown here, and a covenant that disagrees with the terms it is sent with is refused, before the signature.
      const amendment = file.request.amendment!;
      const review = await reviewAmendment(ctx, client, prepared.podId, amendment);
      changes = review.changes;
      notes.push(...review.lines);
    }
    if (action === "add" || action === "replace" || action === "replace-absent") {
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
    if ("grantedEpochs" in prepared) {
      // The recovery keyring was checked against the pod's key rules as the request was read (or built by this machine).
      notes.push(
        `The new address will read key epochs ${prepared.grantedEpochs.join(", ") || "none"} of the old one${
          prepared.missingEpochs.length
            ? ` (not ${prepared.missingEpochs.join(", ")}: the partner who sealed it did not hold them)`
            : ""
        }, and every epoch from ${prepared.epoch} on.`,
      );
    }
    const signed = await signConsentRequest(client, { request: file.request, signer: me });
    const out = values.out ?? `consent-${action}-${me.address.slice(2, 10).toLowerCase()}.json`;
    const link = await writeConsentRequest(out, client, signed);
    const signature = signed.signatures.find((s) => isAddressEqual(s.signer, me.address))!.signature;
    ctx.out.result(
      {
        action,
        podId: prepared.podId,
        signer: me.address,
        signature,
        file: out,
        link,
        sealed: ask && !isConsentLink(source) ? source : undefined,
        changes,
      },
      [
        ...(ask
          ? [`Sealed the recovery${isConsentLink(source) ? "" : ` in ${source}`}: the other partners consent to it.`]
          : []),
        `You consent to ${what} (valid until ${formatTime(Number(prepared.deadline))}).`,
        ...notes,
        `Your consent is written to ${out}: send it to whoever submits the change, or pass it on for the next consent.`,
        `In the dApp: append ${link} to its address.`,
      ],
    );
  },
};
