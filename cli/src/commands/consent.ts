/** `troth consent`: a member signs a prepared change on their own machine (sealing a recovery's keys first). */
import { writeFile } from "node:fs/promises";
import {
  getPublishedIdentityKey,
  prepareRequestRecovery,
  type TrothClient,
  verifyKeyringRotation,
  verifyMembershipChange,
} from "@troth/sdk";
import { type Hex, isAddressEqual } from "viem";
import { type Command, noMorePositionals, positional } from "../args.ts";
import {
  type ConsentAction,
  type ConsentRequest,
  type ConsentSignature,
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
