/**
 * Consent requests as files: the SDK's one format (`formatConsentRequest`), the same payload the dApp carries in its
 * links, so a partner on the CLI consents to a dApp request (`troth consent <link>`) and a dApp user opens a CLI
 * request (`troth` prints its link). A member's consent is the request with their signature added, written to a file
 * of its own; the submitter gathers them.
 *
 * What a request asks members to sign is derived from it, never carried in it: a file cannot show one change and ask
 * for a signature on another. Reading one checks it is for this chain and contract, and checks every signature it
 * carries against the change (`openConsentRequest`).
 *
 * A recovery starts on the new wallet, which holds no pod key yet: its request names the seat and the new address but
 * no keyring (a `RecoveryAsk`), and the first partner who consents seals it (builds the recovery keyring) into the
 * same file, which the others then sign.
 */
import { readFile, writeFile } from "node:fs/promises";
import {
  type ConsentKind,
  type ConsentRequest,
  ConsentRequestDeploymentError,
  consentRequestLink,
  consentRequestOf,
  formatConsentRequest,
  getPod,
  InvalidLinkError,
  openConsentRequest,
  type PreparedAddMember,
  type PreparedAmend,
  type PreparedPause,
  type PreparedProposeReplacement,
  type PreparedReplaceMember,
  type PreparedRequestRecovery,
  type PreparedResume,
  parseConsentRequest,
  sameConsentChange,
  type TrothClient,
  withConsentSignatures,
} from "@troth/sdk";
import { type Address, isAddressEqual } from "viem";
import { CliError } from "./errors.ts";
import { idText } from "./format.ts";

export type ConsentAction = "amend" | "add" | "replace" | "replace-absent" | "recover" | "pause" | "resume";

/** The EIP-712 type each change asks members to sign: the request's `kind`. */
const kinds = {
  amend: "Amend",
  add: "AddMember",
  replace: "ReplaceMember",
  "replace-absent": "ReplaceAbsentMember",
  recover: "Recover",
  pause: "Pause",
  resume: "Resume",
} as const satisfies Record<ConsentAction, ConsentKind>;

const actionOf = (kind: ConsentKind) =>
  (Object.keys(kinds) as ConsentAction[]).find((action) => kinds[action] === kind) as ConsentAction;

/**
 * A recovery as the new wallet asks for it, before a partner seals it: the seat (`tokenId`, held by `lost`), the new
 * address, and until when the consents may be gathered.
 */
export type RecoveryAsk = {
  stage: "ask";
  podId: bigint;
  tokenId: bigint;
  lost: Address;
  successor: Address;
  nonce: number;
  deadline: bigint;
  /** Who will consent: every active member but the lost address, then the new address. */
  required: Address[];
};

type Prepared = {
  amend: PreparedAmend;
  add: PreparedAddMember;
  replace: PreparedReplaceMember;
  "replace-absent": PreparedProposeReplacement;
  recover: PreparedRequestRecovery | RecoveryAsk;
  pause: PreparedPause;
  resume: PreparedResume;
};

/** Whether a recovery request still waits for a partner to seal it. */
export function isRecoveryAsk(prepared: unknown): prepared is RecoveryAsk {
  return (prepared as { stage?: unknown } | null)?.stage === "ask";
}

/** A consent request read from a file or a link: the request itself, and the change as its prepare action made it. */
export type ConsentRequestFile<A extends ConsentAction = ConsentAction> = {
  action: A;
  request: ConsentRequest;
  prepared: Prepared[A];
};

/** The request of a prepared change, or of a recovery's ask. */
function requestOf(client: TrothClient, prepared: Prepared[ConsentAction]): ConsentRequest {
  if (!isRecoveryAsk(prepared)) return consentRequestOf(prepared);
  const { podId, nonce, deadline, tokenId, lost, successor } = prepared;
  return {
    chainId: client.chainId,
    troth: client.address,
    kind: "Recover",
    podId,
    nonce,
    deadline,
    recovery: { tokenId, lost, account: successor },
    signatures: [],
  };
}

/** Writes a request to `file` (the SDK's file form); returns its link form, the fragment a dApp address takes. */
export async function writeConsentRequest(
  file: string,
  client: TrothClient,
  prepared: Prepared[ConsentAction] | ConsentRequest,
): Promise<string> {
  const request = "kind" in prepared ? prepared : requestOf(client, prepared);
  await writeFile(file, formatConsentRequest(request));
  return consentRequestLink(request);
}

/** Whether a command argument is a consent link (or its payload) rather than a file name. */
export const isConsentLink = (source: string) => /#\/consent\/|^[A-Za-z0-9_-]{40,}$/.test(source.trim());

/** A request from a file, or a link given in its place. */
async function readRequest(
  source: string,
  deployment: { chainId: number; address: Address },
  what: string,
): Promise<ConsentRequest> {
  const isLink = isConsentLink(source);
  let text: string;
  try {
    text = isLink ? source : await readFile(source, "utf8");
  } catch {
    throw new CliError(`Cannot read the ${what} ${source}.`);
  }
  const name = isLink ? "This link" : source;
  try {
    return parseConsentRequest(text, { deployment });
  } catch (error) {
    if (error instanceof InvalidLinkError)
      throw new CliError(`${name} is not a consent request Troth can read: ${error.reason}.`);
    if (error instanceof ConsentRequestDeploymentError)
      throw new CliError(
        `${name} is for Troth ${error.request.troth} on chain ${error.request.chainId}, not ${deployment.address} on chain ${deployment.chainId}.`,
      );
    throw error;
  }
}

/**
 * Reads a consent request (a file, or a dApp link) and checks it is for this chain and contract (and, if given, this
 * action); the change comes back as its prepare action made it, with who must consent read from the chain now and
 * every signature it carries checked against it. A recovery not sealed yet comes back as its ask.
 */
export async function readConsentRequest<A extends ConsentAction>(
  source: string,
  client: TrothClient,
  action?: A | readonly A[],
): Promise<ConsentRequestFile<A>> {
  const request = await readRequest(source, client, "consent request");
  const found = actionOf(request.kind) as A;
  const accepted = action === undefined ? undefined : typeof action === "string" ? [action] : action;
  if (accepted && !accepted.includes(found))
    throw new CliError(`${source} asks consent to "${found}", not "${accepted.join('" or "')}".`);
  if (request.recovery && !request.recovery.keyringDigest) {
    const { tokenId, lost, account } = request.recovery;
    const pod = await getPod(client, { podId: request.podId });
    const others = pod.members.filter((m) => m.status === "active" && !isAddressEqual(m.account, lost));
    const ask: RecoveryAsk = {
      stage: "ask",
      podId: request.podId,
      tokenId,
      lost,
      successor: account,
      nonce: request.nonce,
      deadline: request.deadline,
      required: [...others.map((m) => m.account), account],
    };
    return { action: found, request, prepared: ask as Prepared[A] };
  }
  try {
    const opened = await openConsentRequest(client, { request });
    return { action: found, request, prepared: opened.prepared as Prepared[A] };
  } catch (error) {
    if (error instanceof InvalidLinkError) throw new CliError(`${source} cannot be used: ${error.reason}.`);
    throw error;
  }
}

/**
 * The consents `request` has gathered: its own signatures and those of each consent file (a copy of the request a
 * member signed). A file that consents to another change is refused.
 */
export async function readConsentSignatures(files: readonly string[], { request }: ConsentRequestFile) {
  let gathered = request;
  for (const file of files) {
    const signed = await readRequest(file, { chainId: request.chainId, address: request.troth }, "consent");
    if (!sameConsentChange(signed, request)) {
      throw new CliError(
        `${file} consents to another change (${actionOf(signed.kind)} of pod ${idText(signed.podId)}).`,
      );
    }
    gathered = withConsentSignatures(gathered, signed.signatures);
  }
  return gathered.signatures;
}
