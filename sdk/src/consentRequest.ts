/**
 * Consent requests: a pause, resume, amendment, membership change or wallet recovery making its way round a pod,
 * gathering each member's signature. One versioned format for every client: the dApp carries it in a link
 * (`…#/consent/<payload>`, in the URL fragment, which never reaches a server), the CLI in a file holding the same
 * payload as readable JSON. Either is read by {@link parseConsentRequest}, so a partner on the CLI consents to a dApp
 * link and the dApp opens a CLI file's link.
 *
 * A request carries digests, addresses and signatures only, never content: what a change installs (an amended
 * covenant, a keyring, a commitment) is stored encrypted by the member who prepared it and fetched by digest.
 */
import { type Address, getAddress, type Hex, isAddress, isHex } from "viem";
import { type TrothPrimaryType, type TrothTypedData, trothTypedData } from "./eip712.ts";
import { BaseError } from "./errors/base.ts";
import { formatId } from "./format.ts";

/** The version of the consent request format this SDK writes (it reads version 1, the dApp's first links, too). */
export const CONSENT_REQUEST_VERSION = 2;

/** What the file form names itself (its `type` field). */
export const CONSENT_REQUEST_TYPE = "troth/consent-request";

/** The kinds of change a consent request carries: the EIP-712 type (a `TrothPrimaryType`) its signers sign. */
export const consentKinds = [
  "Pause",
  "Resume",
  "Amend",
  "AddMember",
  "ReplaceMember",
  "ReplaceAbsentMember",
  "Recover",
] as const satisfies readonly TrothPrimaryType[];
/** One of {@link consentKinds}. */
export type ConsentKind = (typeof consentKinds)[number];

/** The kinds that bring a newcomer into the pod. */
export const membershipKinds = ["AddMember", "ReplaceMember", "ReplaceAbsentMember"] as const;
/** The membership kinds that name who is replaced. */
export const replacementKinds = ["ReplaceMember", "ReplaceAbsentMember"] as const;

/** New terms for a pod: what an amendment carries (the amended covenant is stored, encrypted, by digest). */
export type AmendmentTerms = { cadence: number; grace: number; quorum: number; covenantDigest: Hex };

/** A newcomer joining (and, for a replacement, who they replace), with the new key epoch's keyring, stored by digest. */
export type MembershipTerms = { replaced?: Address; member: Address; commitmentDigest: Hex; keyringDigest: Hex };

/**
 * A lost wallet's commitment moving to a new address, with the keyring re-wrapped for it. The new wallet asks first,
 * holding no pod key: its request has no `keyringDigest` until a partner seals it (builds the recovery keyring).
 */
export type RecoveryTerms = { tokenId: bigint; lost: Address; account: Address; keyringDigest?: Hex };

/** One member's consent: their EIP-712 signature of the change. */
export type ConsentRequestSignature = { signer: Address; signature: Hex };

/** A change and the deployment its signatures are bound to, before anyone signed. */
export type ConsentRequestTerms = {
  /** The chain and Troth contract of the EIP-712 domain every signature is bound to. */
  chainId: number;
  troth: Address;
  kind: ConsentKind;
  podId: bigint;
  /** The pod's governance nonce the consents spend. */
  nonce: number;
  /** The last second the consents may be used. */
  deadline: bigint;
  /** The new terms, for an amendment (and only for one). */
  amendment?: AmendmentTerms;
  /** The newcomer, for an addition or a replacement (and only for those). */
  membership?: MembershipTerms;
  /** The seat that moves, for a recovery (and only for one). */
  recovery?: RecoveryTerms;
};

/** A change making its way round the pod, with the signatures gathered so far. */
export type ConsentRequest = ConsentRequestTerms & { signatures: ConsentRequestSignature[] };

/**
 * A link or request that cannot be read: damaged, cut short, edited, or of a version this SDK does not know. The
 * message is for members (ask for it again) and keeps the parser's words out; `reason` says what is wrong, for
 * whoever debugs it.
 */
export class InvalidLinkError extends BaseError {
  override name = "InvalidLinkError" as const;
  /** What kind of link it is ("consent", "covenant", "witness"). */
  readonly what: string;
  /** What is wrong with it. */
  readonly reason: string;
  constructor(what: string, reason: string) {
    super(
      `This ${what} link is damaged or incomplete: part of it may have been lost when it was copied. Ask for the link again, and open all of it.`,
    );
    this.what = what;
    this.reason = reason;
  }
}

/** A consent request made for another chain or Troth contract than the one reading it. */
export class ConsentRequestDeploymentError extends BaseError {
  override name = "ConsentRequestDeploymentError" as const;
  /** The chain and contract the request names. */
  readonly request: { chainId: number; troth: Address };
  constructor({ request, expected }: { request: { chainId: number; troth: Address }; expected: TrothDeployment }) {
    super(
      `This consent request is for Troth ${request.troth} on chain ${request.chainId}, not ${expected.address} on chain ${expected.chainId}.`,
    );
    this.request = request;
  }
}

/** A recovery request the new wallet made, which a partner has not sealed yet: there is nothing to sign. */
export class ConsentRequestNotSealedError extends BaseError {
  override name = "ConsentRequestNotSealedError" as const;
  constructor() {
    super(
      "This recovery request is not sealed yet: a partner seals it first (their device re-wraps the pod's keys for the new address).",
    );
  }
}

/** The chain and contract a reader works with (a `TrothClient` is one). */
export type TrothDeployment = { chainId: number; address: Address };

function toBase64Url(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error("not base64url");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/**
 * A JSON value as a link payload: UTF-8 JSON in base64url (no padding), safe in a URL fragment.
 *
 * @example
 * ```ts
 * const path = `/proposal/${encodeLinkPayload({ ...covenant, deadline: covenant.deadline.toString() })}`;
 * ```
 */
export function encodeLinkPayload(value: unknown): string {
  return toBase64Url(JSON.stringify(value));
}

/**
 * The JSON object a link payload carries; a damaged one throws {@link InvalidLinkError} (`what` names the link).
 *
 * @example
 * ```ts
 * const fields = decodeLinkPayload("covenant", params.payload);
 * ```
 */
export function decodeLinkPayload(what: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(fromBase64Url(text));
  } catch (cause) {
    throw new InvalidLinkError(what, (cause as Error).message);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InvalidLinkError(what, "not an object");
  return value as Record<string, unknown>;
}

/** Field readers for link payloads: each refuses a value of the wrong kind with an {@link InvalidLinkError}. */
export const linkField = {
  hex(what: string, value: unknown, bytes?: number): Hex {
    if (!isHex(value, { strict: true }) || (bytes !== undefined && value.length !== 2 + 2 * bytes))
      throw new InvalidLinkError(what, "bad hex value");
    return value;
  },
  address(what: string, value: unknown): Address {
    if (typeof value !== "string" || !isAddress(value, { strict: false }))
      throw new InvalidLinkError(what, "bad address");
    return getAddress(value);
  },
  int(what: string, value: unknown, max: number): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max)
      throw new InvalidLinkError(what, "bad number");
    return value;
  },
  /** A non-negative integer of up to 256 bits, written as 0x-hex or decimal in a string. */
  uint(what: string, value: unknown): bigint {
    if (typeof value !== "string" || !/^(0x[0-9a-f]{1,64}|[0-9]{1,78})$/.test(value))
      throw new InvalidLinkError(what, "bad number");
    const n = BigInt(value);
    if (n >= 2n ** 256n) throw new InvalidLinkError(what, "bad number");
    return n;
  },
};

const W = "consent";
const hex32 = (v: unknown) => linkField.hex(W, v, 32);
const address = (v: unknown) => linkField.address(W, v);
const idHex = formatId;

/** The payload as it is written: the file form's JSON, and the link form's once base64url-decoded. */
function toPayload(request: ConsentRequest) {
  const { amendment, membership, recovery } = request;
  return {
    type: CONSENT_REQUEST_TYPE,
    version: CONSENT_REQUEST_VERSION,
    chainId: request.chainId,
    troth: request.troth,
    kind: request.kind,
    podId: idHex(request.podId),
    nonce: request.nonce,
    deadline: request.deadline.toString(),
    ...(amendment ? { amendment: { ...amendment } } : {}),
    ...(membership
      ? {
          membership: {
            ...(membership.replaced ? { replaced: membership.replaced } : {}),
            member: membership.member,
            commitmentDigest: membership.commitmentDigest,
            keyringDigest: membership.keyringDigest,
          },
        }
      : {}),
    ...(recovery
      ? {
          recovery: {
            tokenId: idHex(recovery.tokenId),
            lost: recovery.lost,
            account: recovery.account,
            ...(recovery.keyringDigest ? { keyringDigest: recovery.keyringDigest } : {}),
          },
        }
      : {}),
    signatures: request.signatures.map(({ signer, signature }) => ({ signer, signature })),
  };
}

/**
 * Checks the parts of a request fit its kind: an amendment carries its new terms, a membership change its newcomer
 * (and a replacement who it replaces), a recovery the seat that moves, and no kind carries another's.
 */
function checkShape(request: ConsentRequest): ConsentRequest {
  const { kind, amendment, membership, recovery } = request;
  if ((kind === "Amend") !== (amendment !== undefined))
    throw new InvalidLinkError(W, "an amendment carries its new terms, and only an amendment does");
  const changesMembers = (membershipKinds as readonly string[]).includes(kind);
  const replaces = (replacementKinds as readonly string[]).includes(kind);
  if (changesMembers !== (membership !== undefined) || (membership && replaces !== (membership.replaced !== undefined)))
    throw new InvalidLinkError(W, "a membership change carries its newcomer (and who they replace), and only one does");
  if ((kind === "Recover") !== (recovery !== undefined))
    throw new InvalidLinkError(W, "a recovery carries the seat that moves, and only a recovery does");
  if (recovery && recovery.tokenId >> 8n !== request.podId)
    throw new InvalidLinkError(W, "the seat that moves is not in this pod");
  const signers = new Set(request.signatures.map((s) => s.signer));
  if (signers.size !== request.signatures.length) throw new InvalidLinkError(W, "a signer signs twice");
  return request;
}

function object(value: unknown, name: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidLinkError(W, `bad ${name}`);
  return value as Record<string, unknown>;
}

function signaturesOf(value: unknown): ConsentRequestSignature[] {
  if (!Array.isArray(value)) throw new InvalidLinkError(W, "bad signatures");
  return value.map((s: unknown) => {
    // Version 1 wrote [signer, signature] pairs; version 2 objects.
    const [signer, signature] = Array.isArray(s)
      ? s
      : [(s as ConsentRequestSignature)?.signer, (s as ConsentRequestSignature)?.signature];
    return { signer: address(signer), signature: linkField.hex(W, signature) };
  });
}

function fromPayload(r: Record<string, unknown>): ConsentRequest {
  if (r.type !== CONSENT_REQUEST_TYPE) throw new InvalidLinkError(W, "not a consent request");
  if (r.version !== CONSENT_REQUEST_VERSION)
    throw new InvalidLinkError(W, `version ${String(r.version)} is not one this SDK reads (it reads 1 and 2)`);
  if (!consentKinds.includes(r.kind as ConsentKind)) throw new InvalidLinkError(W, "unknown request");
  const a = object(r.amendment, "amendment");
  const m = object(r.membership, "membership");
  const s = object(r.recovery, "recovery");
  return checkShape({
    chainId: linkField.int(W, r.chainId, Number.MAX_SAFE_INTEGER),
    troth: address(r.troth),
    kind: r.kind as ConsentKind,
    podId: linkField.uint(W, r.podId),
    nonce: linkField.int(W, r.nonce, 0xffffffff),
    deadline: linkField.uint(W, r.deadline),
    signatures: signaturesOf(r.signatures),
    ...(a
      ? {
          amendment: {
            cadence: linkField.int(W, a.cadence, 0xffffffff),
            grace: linkField.int(W, a.grace, 0xffffffff),
            quorum: linkField.int(W, a.quorum, 255),
            covenantDigest: hex32(a.covenantDigest),
          },
        }
      : {}),
    ...(m
      ? {
          membership: {
            ...(m.replaced === undefined ? {} : { replaced: address(m.replaced) }),
            member: address(m.member),
            commitmentDigest: hex32(m.commitmentDigest),
            keyringDigest: hex32(m.keyringDigest),
          },
        }
      : {}),
    ...(s
      ? {
          recovery: {
            tokenId: linkField.uint(W, s.tokenId),
            lost: address(s.lost),
            account: address(s.account),
            ...(s.keyringDigest === undefined ? {} : { keyringDigest: hex32(s.keyringDigest) }),
          },
        }
      : {}),
  });
}

/** Version 1: the dApp's first links, with short keys and no chain or contract (they were the reader's own). */
function fromVersion1(r: Record<string, unknown>, deployment: TrothDeployment | undefined): ConsentRequest {
  if (!deployment) throw new InvalidLinkError(W, "a version 1 link names no chain: read it with the deployment");
  const tuple = (v: unknown, name: string) => {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length !== 4) throw new InvalidLinkError(W, `bad ${name}`);
    return v as unknown[];
  };
  const a = tuple(r.a, "amendment");
  const m = tuple(r.m, "membership");
  const s = tuple(r.r, "recovery");
  const hexId = (v: unknown) => {
    if (typeof v !== "string" || !/^[0-9a-f]{1,64}$/.test(v)) throw new InvalidLinkError(W, "bad id");
    return BigInt(`0x${v}`);
  };
  if (!consentKinds.includes(r.k as ConsentKind)) throw new InvalidLinkError(W, "unknown request");
  return checkShape({
    chainId: deployment.chainId,
    troth: getAddress(deployment.address),
    kind: r.k as ConsentKind,
    podId: hexId(r.p),
    nonce: linkField.int(W, r.n, 0xffffffff),
    deadline: linkField.uint(W, r.d),
    signatures: signaturesOf(r.s),
    ...(a
      ? {
          amendment: {
            cadence: linkField.int(W, a[0], 0xffffffff),
            grace: linkField.int(W, a[1], 0xffffffff),
            quorum: linkField.int(W, a[2], 255),
            covenantDigest: hex32(a[3]),
          },
        }
      : {}),
    ...(m
      ? {
          membership: {
            ...(m[0] === "" ? {} : { replaced: address(m[0]) }),
            member: address(m[1]),
            commitmentDigest: hex32(m[2]),
            keyringDigest: hex32(m[3]),
          },
        }
      : {}),
    ...(s
      ? { recovery: { tokenId: hexId(s[0]), lost: address(s[1]), account: address(s[2]), keyringDigest: hex32(s[3]) } }
      : {}),
  });
}

/**
 * The link payload of a request: base64url of its JSON (the part after `#/consent/`).
 *
 * @example
 * ```ts
 * const url = `${appUrl}#/consent/${encodeConsentRequest(request)}`;
 * ```
 */
export function encodeConsentRequest(request: ConsentRequest): string {
  return encodeLinkPayload(toPayload(checkShape(request)));
}

/**
 * The link form of a request: `<appUrl>#/consent/<payload>` (`appUrl` is where the dApp is served; without it, the
 * fragment alone, to append to it).
 *
 * @example
 * ```ts
 * console.log(consentRequestLink(request, "https://troth.example/"));
 * ```
 */
export function consentRequestLink(request: ConsentRequest, appUrl = ""): string {
  return `${appUrl.replace(/#.*$/, "")}#/consent/${encodeConsentRequest(request)}`;
}

/**
 * The file form of a request: the same payload as the link's, as readable JSON.
 *
 * @example
 * ```ts
 * await writeFile("pause.json", formatConsentRequest(request));
 * ```
 */
export function formatConsentRequest(request: ConsentRequest): string {
  return `${JSON.stringify(toPayload(checkShape(request)), null, 2)}\n`;
}

/**
 * Reads a consent request in any of its forms: a file's JSON, a link (`…#/consent/<payload>`), or the payload alone.
 * With `deployment`, a request for another chain or contract is refused ({@link ConsentRequestDeploymentError}) and
 * an old version 1 link (which names none) is read as this one's. A damaged, cut, edited or unknown-version request
 * throws {@link InvalidLinkError}; signatures are checked against the change by `openConsentRequest`.
 *
 * @example
 * ```ts
 * const request = parseConsentRequest(await readFile(file, "utf8"), { deployment: troth });
 * ```
 */
export function parseConsentRequest(
  text: string,
  { deployment }: { deployment?: TrothDeployment } = {},
): ConsentRequest {
  const trimmed = text.trim();
  let raw: Record<string, unknown>;
  if (trimmed.startsWith("{")) {
    try {
      raw = JSON.parse(trimmed);
    } catch (cause) {
      throw new InvalidLinkError(W, (cause as Error).message);
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new InvalidLinkError(W, "not an object");
  } else {
    const marker = trimmed.lastIndexOf("/consent/");
    raw = decodeLinkPayload(W, marker >= 0 ? trimmed.slice(marker + "/consent/".length) : trimmed);
  }
  const request = raw.version === undefined && "k" in raw ? fromVersion1(raw, deployment) : fromPayload(raw);
  if (deployment) assertConsentDeployment(request, deployment);
  return request;
}

/**
 * Refuses a request made for another chain or contract than `deployment` ({@link ConsentRequestDeploymentError}).
 *
 * @example
 * ```ts
 * assertConsentDeployment(request, troth);
 * ```
 */
export function assertConsentDeployment(request: ConsentRequestTerms, deployment: TrothDeployment): void {
  if (request.chainId !== deployment.chainId || getAddress(request.troth) !== getAddress(deployment.address))
    throw new ConsentRequestDeploymentError({ request, expected: deployment });
}

/**
 * The EIP-712 typed data every member signs for this change, derived from the request (never carried in it, so a
 * request cannot show one change and ask for a signature on another).
 *
 * @example
 * ```ts
 * const signature = await wallet.signTypedData({ account, ...consentTypedData(request) });
 * ```
 */
export function consentTypedData<kind extends ConsentKind>(
  request: ConsentRequestTerms & { kind: kind },
): TrothTypedData<kind> {
  const { podId, nonce, deadline, amendment, membership, recovery } = checkShape({ signatures: [], ...request });
  const deployment = { chainId: request.chainId, address: request.troth };
  const kind: ConsentKind = request.kind;
  switch (kind) {
    case "Pause":
    case "Resume":
      return trothTypedData(deployment, kind, { podId, nonce, deadline }) as TrothTypedData<kind>;
    case "Amend": {
      const { cadence, grace, quorum, covenantDigest } = amendment!;
      return trothTypedData(deployment, kind, {
        podId,
        cadence,
        grace,
        quorum,
        covenantDigest,
        nonce,
        deadline,
      }) as TrothTypedData<kind>;
    }
    case "AddMember": {
      const { member, commitmentDigest, keyringDigest } = membership!;
      return trothTypedData(deployment, kind, {
        podId,
        member,
        commitmentDigest,
        keyringDigest,
        nonce,
        deadline,
      }) as TrothTypedData<kind>;
    }
    case "ReplaceMember":
    case "ReplaceAbsentMember": {
      const { replaced, member, commitmentDigest, keyringDigest } = membership!;
      return trothTypedData(deployment, kind, {
        podId,
        replaced: replaced!,
        member,
        commitmentDigest,
        keyringDigest,
        nonce,
        deadline,
      }) as TrothTypedData<kind>;
    }
    case "Recover": {
      const { lost, account, keyringDigest } = recovery!;
      if (!keyringDigest) throw new ConsentRequestNotSealedError();
      return trothTypedData(deployment, kind, {
        podId,
        lost,
        account,
        keyringDigest,
        nonce,
        deadline,
      }) as TrothTypedData<kind>;
    }
  }
}

/**
 * Whether two requests ask consent to the same change (signatures aside): the same deployment, pod, nonce, deadline
 * and terms.
 *
 * @example
 * ```ts
 * if (!sameConsentChange(request, returned)) throw new Error("a signature for another change");
 * ```
 */
export function sameConsentChange(a: ConsentRequestTerms, b: ConsentRequestTerms): boolean {
  const terms = (r: ConsentRequestTerms) => JSON.stringify(toPayload({ ...r, signatures: [] }));
  return terms(a) === terms(b);
}

/**
 * The request with `signatures` added (one per signer: a signer already in it keeps the signature it has).
 *
 * @example
 * ```ts
 * const gathered = withConsentSignatures(request, returned.signatures);
 * ```
 */
export function withConsentSignatures(
  request: ConsentRequest,
  signatures: readonly ConsentRequestSignature[],
): ConsentRequest {
  const all = [...request.signatures];
  for (const s of signatures) {
    if (!all.some((t) => getAddress(t.signer) === getAddress(s.signer)))
      all.push({ signer: getAddress(s.signer), signature: s.signature });
  }
  return { ...request, signatures: all };
}

/**
 * The consent request of a prepared change (what `preparePause`, `prepareResume`, `prepareAmend`,
 * `prepareAddMember`, `prepareReplaceMember`, `prepareProposeReplacement` or `prepareRequestRecovery` returned), with
 * no signatures yet.
 *
 * @example
 * ```ts
 * const request = consentRequestOf(await preparePause(troth, { podId }));
 * ```
 */
export function consentRequestOf(prepared: {
  podId: bigint;
  nonce: number;
  deadline: bigint;
  tokenId?: bigint;
  typedData: TrothTypedData<ConsentKind>;
}): ConsentRequest {
  const { typedData, podId, nonce, deadline } = prepared;
  const kind = typedData.primaryType as ConsentKind;
  const message = typedData.message as Record<string, unknown>;
  const base = {
    chainId: Number(typedData.domain?.chainId),
    troth: getAddress(typedData.domain?.verifyingContract as Address),
    kind,
    podId,
    nonce,
    deadline,
    signatures: [],
  };
  if (kind === "Amend") {
    const { cadence, grace, quorum, covenantDigest } = message as AmendmentTerms;
    return checkShape({ ...base, amendment: { cadence, grace, quorum, covenantDigest } });
  }
  if ((membershipKinds as readonly string[]).includes(kind)) {
    const { replaced, member, commitmentDigest, keyringDigest } = message as MembershipTerms;
    return checkShape({
      ...base,
      membership: { ...(replaced ? { replaced } : {}), member, commitmentDigest, keyringDigest },
    });
  }
  if (kind === "Recover") {
    const { lost, account, keyringDigest } = message as Required<RecoveryTerms>;
    return checkShape({ ...base, recovery: { tokenId: prepared.tokenId!, lost, account, keyringDigest } });
  }
  return checkShape(base);
}
