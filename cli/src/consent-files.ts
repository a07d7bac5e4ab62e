/**
 * Files that carry a two-phase change between members: a consent request (what the SDK's `prepareAmend`,
 * `prepareAddMember`, `prepareReplaceMember`, `prepareProposeReplacement`, `prepareRequestRecovery`, `preparePause` or
 * `prepareResume` returned, for one chain and contract) and the consent signatures members send back. bigints and bytes
 * are tagged in the JSON so the prepared change comes back exactly as it was made.
 *
 * A recovery starts on the new wallet, which holds no pod key yet: its request is first a `RecoveryAsk` (who, which
 * seat, its identity key), and the first partner who consents seals it (builds the recovery keyring) into a prepared
 * recovery in the same file, which the others then sign.
 */
import { readFile, writeFile } from "node:fs/promises";
import {
  type PreparedAddMember,
  type PreparedAmend,
  type PreparedPause,
  type PreparedProposeReplacement,
  type PreparedReplaceMember,
  type PreparedRequestRecovery,
  type PreparedResume,
  type TrothClient,
  trothTypes,
} from "@troth/sdk";
import { type Address, bytesToHex, getAddress, type Hex, hexToBytes, isAddress, isAddressEqual, isHex } from "viem";
import { CliError } from "./errors.ts";

export type ConsentAction = "amend" | "add" | "replace" | "replace-absent" | "recover" | "pause" | "resume";

/**
 * A recovery as the new wallet asks for it, before a partner seals it: the seat (`tokenId`, held by `lost`), the new
 * address and the identity key it published (the recovery keyring wraps the pod's keys for it), and until when the
 * consents may be gathered.
 */
export type RecoveryAsk = {
  stage: "ask";
  podId: bigint;
  tokenId: bigint;
  lost: Address;
  successor: Address;
  identityKey: Hex;
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

export type ConsentRequest<A extends ConsentAction = ConsentAction> = {
  type: "troth/consent-request";
  action: A;
  chainId: number;
  troth: Hex;
  prepared: Prepared[A];
};

export type ConsentSignature = {
  type: "troth/consent";
  action: ConsentAction;
  podId: string;
  signer: Hex;
  signature: Hex;
};

function encode(value: unknown): string {
  return JSON.stringify(
    value,
    function (key, v) {
      const raw = (this as Record<string, unknown>)[key];
      if (typeof raw === "bigint") return { $bigint: raw.toString() };
      if (raw instanceof Uint8Array) return { $bytes: bytesToHex(raw) };
      return v;
    },
    2,
  );
}

function decode(text: string): unknown {
  return JSON.parse(text, (_, v) => {
    if (v && typeof v === "object" && typeof v.$bigint === "string") return BigInt(v.$bigint);
    if (v && typeof v === "object" && typeof v.$bytes === "string") return hexToBytes(v.$bytes as Hex);
    return v;
  });
}

async function readJson(file: string, what: string): Promise<Record<string, unknown>> {
  try {
    return decode(await readFile(file, "utf8")) as Record<string, unknown>;
  } catch {
    throw new CliError(`Cannot read the ${what} ${file}.`);
  }
}

export async function writeConsentRequest<A extends ConsentAction>(
  file: string,
  client: TrothClient,
  action: A,
  prepared: Prepared[A],
): Promise<void> {
  const request: ConsentRequest<A> = {
    type: "troth/consent-request",
    action,
    chainId: client.chainId,
    troth: client.address,
    prepared,
  };
  await writeFile(file, `${encode(request)}\n`);
}

/** The EIP-712 message each change asks members to sign. */
const primaryTypes = {
  amend: "Amend",
  add: "AddMember",
  replace: "ReplaceMember",
  "replace-absent": "ReplaceAbsentMember",
  recover: "Recover",
  pause: "Pause",
  resume: "Resume",
} as const satisfies Record<ConsentAction, string>;

/**
 * Reads a consent request and checks it is for this chain and contract (and, if given, this action), and that what it
 * asks members to sign is exactly the change it names: Troth's own types and domain, the action's message, and the
 * pod, nonce and deadline it states. A file edited to show one change and sign another is refused.
 */
export async function readConsentRequest<A extends ConsentAction>(
  file: string,
  client: TrothClient,
  action?: A | readonly A[],
): Promise<ConsentRequest<A>> {
  const request = (await readJson(file, "consent request")) as unknown as ConsentRequest<A>;
  if (request.type !== "troth/consent-request" || !request.prepared)
    throw new CliError(`${file} is not a consent request.`);
  const accepted = action === undefined ? undefined : typeof action === "string" ? [action] : action;
  if (accepted && !accepted.includes(request.action))
    throw new CliError(`${file} asks consent to "${request.action}", not "${accepted.join('" or "')}".`);
  if (request.chainId !== client.chainId || !isAddressEqual(request.troth, client.address)) {
    throw new CliError(
      `${file} is for Troth ${request.troth} on chain ${request.chainId}, not ${client.address} on chain ${client.chainId}.`,
    );
  }
  const primaryType = primaryTypes[request.action as ConsentAction];
  if (!primaryType) throw new CliError(`${file} asks consent to an unknown change "${String(request.action)}".`);
  if (isRecoveryAsk(request.prepared)) {
    const ask = request.prepared;
    const wellFormed =
      request.action === "recover" &&
      typeof ask.podId === "bigint" &&
      typeof ask.tokenId === "bigint" &&
      ask.tokenId >> 8n === ask.podId &&
      typeof ask.deadline === "bigint" &&
      isAddress(String(ask.lost)) &&
      isAddress(String(ask.successor)) &&
      isHex(ask.identityKey) &&
      ask.identityKey.length === 66 &&
      Array.isArray(ask.required);
    if (!wellFormed) throw new CliError(`${file} is not a recovery request.`);
    return request;
  }
  const { typedData, podId, nonce, deadline } = request.prepared;
  const message = (typedData?.message ?? {}) as Record<string, unknown>;
  const domain = typedData?.domain ?? {};
  const matches =
    typedData?.primaryType === primaryType &&
    JSON.stringify(typedData.types) === JSON.stringify(trothTypes) &&
    domain.name === "Troth" &&
    domain.version === "1" &&
    Number(domain.chainId) === client.chainId &&
    typeof domain.verifyingContract === "string" &&
    isAddressEqual(domain.verifyingContract, client.address) &&
    message.podId === podId &&
    Number(message.nonce) === nonce &&
    message.deadline === deadline;
  if (!matches) throw new CliError(`${file} asks for a signature on something other than the change it names.`);
  return request;
}

/** Reads consent signatures for `request`, as the SDK takes them (`{ signer, signature }`). */
export async function readConsentSignatures(files: readonly string[], request: ConsentRequest) {
  const signatures = [];
  for (const file of files) {
    const signature = (await readJson(file, "consent signature")) as unknown as ConsentSignature;
    if (signature.type !== "troth/consent") throw new CliError(`${file} is not a consent signature.`);
    if (signature.action !== request.action || BigInt(signature.podId) !== request.prepared.podId) {
      throw new CliError(`${file} consents to another change (${signature.action} of pod ${signature.podId}).`);
    }
    signatures.push({ signer: getAddress(signature.signer), signature: signature.signature });
  }
  return signatures;
}
