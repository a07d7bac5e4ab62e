import type { Covenant, WitnessSignature } from "@troth/sdk";
import { type Address, getAddress, type Hex, isAddress, isHex } from "viem";

/**
 * What travels in share links, in the URL fragment (a fragment never reaches any server). Links carry digests,
 * addresses and signatures only: never content, which stays encrypted on IPFS.
 */
export class InvalidLinkError extends Error {
  override name = "InvalidLinkError";
  /** What is wrong with it, for whoever debugs a link (a parser's words are not shown to members). */
  readonly reason: string;
  constructor(what: string, reason: string) {
    super(
      `This ${what} link is damaged or incomplete: part of it may have been lost when it was copied. Ask for the link again, and open all of it.`,
    );
    this.reason = reason;
  }
}

function toBase64Url(text: string): string {
  return btoa(unescape(encodeURIComponent(text)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
function fromBase64Url(text: string): string {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  return decodeURIComponent(escape(atob(padded)));
}

function parse(what: string, text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(fromBase64Url(text));
    if (typeof value !== "object" || value === null) throw new Error("not an object");
    return value;
  } catch (cause) {
    throw new InvalidLinkError(what, (cause as Error).message);
  }
}

function hex(what: string, value: unknown, bytes?: number): Hex {
  if (!isHex(value) || (bytes !== undefined && value.length !== 2 + 2 * bytes))
    throw new InvalidLinkError(what, "bad hex value");
  return value;
}
function address(what: string, value: unknown): Address {
  if (typeof value !== "string" || !isAddress(value)) throw new InvalidLinkError(what, "bad address");
  return getAddress(value);
}
function int(what: string, value: unknown, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max)
    throw new InvalidLinkError(what, "bad number");
  return value;
}

export function encodeProposal(covenant: Covenant): string {
  return toBase64Url(
    JSON.stringify({
      ...covenant,
      previousPod: covenant.previousPod.toString(),
      deadline: covenant.deadline.toString(),
    }),
  );
}

export function decodeProposal(text: string): Covenant {
  const w = "covenant";
  const r = parse(w, text);
  if (!Array.isArray(r.members) || !Array.isArray(r.commitmentDigests)) throw new InvalidLinkError(w, "no members");
  return {
    members: r.members.map((m) => address(w, m)),
    commitmentDigests: r.commitmentDigests.map((d) => hex(w, d, 32)),
    cadence: int(w, r.cadence, 0xffffffff),
    grace: int(w, r.grace, 0xffffffff),
    rounds: int(w, r.rounds, 255),
    quorum: int(w, r.quorum, 255),
    start: int(w, r.start, 2 ** 40 - 1),
    covenantDigest: hex(w, r.covenantDigest, 32),
    keyringDigest: hex(w, r.keyringDigest, 32),
    previousPod: BigInt(String(r.previousPod ?? "0")),
    deadline: BigInt(String(r.deadline ?? "0")),
    salt: hex(w, r.salt, 32),
  };
}

/** A witness's signature (and the digest of their encrypted reply) on its way back to the member who checked in. */
export type WitnessReturn = { tokenId: bigint; round: number; reportDigest: Hex; witness: WitnessSignature };

export function encodeWitnessReturn({ tokenId, round, reportDigest, witness }: WitnessReturn): string {
  return toBase64Url(
    JSON.stringify({
      t: tokenId.toString(16),
      r: round,
      d: reportDigest,
      s: witness.signer,
      g: witness.signature,
      y: witness.reply,
    }),
  );
}

export function decodeWitnessReturn(text: string): WitnessReturn {
  const w = "witness";
  const r = parse(w, text);
  if (typeof r.t !== "string" || !/^[0-9a-f]+$/.test(r.t)) throw new InvalidLinkError(w, "bad commitment id");
  return {
    tokenId: BigInt(`0x${r.t}`),
    round: int(w, r.r, 255),
    reportDigest: hex(w, r.d, 32),
    witness: {
      signer: address(w, r.s),
      signature: hex(w, r.g),
      ...(r.y === undefined ? {} : { reply: hex(w, r.y, 32) }),
    },
  };
}

/** New terms for a pod: what an amendment request carries (the amended covenant is stored, encrypted, by digest). */
export type AmendmentTerms = { cadence: number; grace: number; quorum: number; covenantDigest: Hex };

/** A newcomer joining (and, for a replacement, who they replace), with the new key epoch's keyring, stored by digest. */
export type MembershipTerms = { replaced?: Address; member: Address; commitmentDigest: Hex; keyringDigest: Hex };

/** A lost wallet's commitment moving to a new address, with the keyring (re-wrapped for it) that comes with it. */
export type RecoveryTerms = { tokenId: bigint; lost: Address; account: Address; keyringDigest: Hex };

/** The kinds of request a consent link carries: the EIP-712 type its signers sign. */
export const consentKinds = [
  "Pause",
  "Resume",
  "Amend",
  "AddMember",
  "ReplaceMember",
  "ReplaceAbsentMember",
  "Recover",
] as const;
export type ConsentKind = (typeof consentKinds)[number];
/** The kinds that change who is in the pod by a newcomer (and which of them name who is replaced). */
export const membershipKinds: readonly ConsentKind[] = ["AddMember", "ReplaceMember", "ReplaceAbsentMember"];
export const replacementKinds: readonly ConsentKind[] = ["ReplaceMember", "ReplaceAbsentMember"];

/**
 * A pause, resume, amendment, membership change or wallet recovery making its way round the pod, gathering each
 * member's signature.
 */
export type ConsentRequest = {
  kind: ConsentKind;
  podId: bigint;
  nonce: number;
  deadline: bigint;
  signatures: { signer: Address; signature: Hex }[];
  /** The new terms, for an amendment (and only for one). */
  amendment?: AmendmentTerms;
  /** The newcomer, for an addition or a replacement (and only for those). */
  membership?: MembershipTerms;
  /** The seat that moves, for a recovery (and only for one). */
  recovery?: RecoveryTerms;
};

export function encodeConsent(c: ConsentRequest): string {
  return toBase64Url(
    JSON.stringify({
      k: c.kind,
      p: c.podId.toString(16),
      n: c.nonce,
      d: c.deadline.toString(),
      s: c.signatures.map((x) => [x.signer, x.signature]),
      ...(c.amendment
        ? { a: [c.amendment.cadence, c.amendment.grace, c.amendment.quorum, c.amendment.covenantDigest] }
        : {}),
      ...(c.membership
        ? {
            m: [
              c.membership.replaced ?? "",
              c.membership.member,
              c.membership.commitmentDigest,
              c.membership.keyringDigest,
            ],
          }
        : {}),
      ...(c.recovery
        ? {
            r: [c.recovery.tokenId.toString(16), c.recovery.lost, c.recovery.account, c.recovery.keyringDigest],
          }
        : {}),
    }),
  );
}

export function decodeConsent(text: string): ConsentRequest {
  const w = "consent";
  const r = parse(w, text);
  if (!consentKinds.includes(r.k as ConsentKind)) throw new InvalidLinkError(w, "unknown request");
  const kind = r.k as ConsentKind;
  const member = Array.isArray(r.m) ? (r.m as unknown[]) : undefined;
  if (
    membershipKinds.includes(kind) !== (member !== undefined) ||
    (member && (member.length !== 4 || replacementKinds.includes(kind) !== (member[0] !== "")))
  ) {
    throw new InvalidLinkError(w, "a membership change carries its newcomer, and only one does");
  }
  const seat = Array.isArray(r.r) ? (r.r as unknown[]) : undefined;
  if ((kind === "Recover") !== (seat !== undefined) || (seat && seat.length !== 4)) {
    throw new InvalidLinkError(w, "a recovery carries the seat that moves, and only a recovery does");
  }
  if (seat && (typeof seat[0] !== "string" || !/^[0-9a-f]+$/.test(seat[0]))) {
    throw new InvalidLinkError(w, "bad commitment id");
  }
  const terms = Array.isArray(r.a) ? (r.a as unknown[]) : undefined;
  if ((r.k === "Amend") !== (terms !== undefined) || (terms && terms.length !== 4)) {
    throw new InvalidLinkError(w, "an amendment carries its new terms, and only an amendment does");
  }
  if (
    typeof r.p !== "string" ||
    !/^[0-9a-f]+$/.test(r.p) ||
    typeof r.d !== "string" ||
    !/^\d+$/.test(r.d) ||
    !Array.isArray(r.s)
  )
    throw new InvalidLinkError(w, "bad fields");
  return {
    kind,
    podId: BigInt(`0x${r.p}`),
    nonce: int(w, r.n, 0xffffffff),
    deadline: BigInt(r.d),
    signatures: r.s.map((x: unknown) => {
      if (!Array.isArray(x)) throw new InvalidLinkError(w, "bad signature");
      return { signer: address(w, x[0]), signature: hex(w, x[1]) };
    }),
    ...(terms
      ? {
          amendment: {
            cadence: int(w, terms[0], 0xffffffff),
            grace: int(w, terms[1], 0xffffffff),
            quorum: int(w, terms[2], 255),
            covenantDigest: hex(w, terms[3], 32),
          },
        }
      : {}),
    ...(member
      ? {
          membership: {
            ...(member[0] === "" ? {} : { replaced: address(w, member[0]) }),
            member: address(w, member[1]),
            commitmentDigest: hex(w, member[2], 32),
            keyringDigest: hex(w, member[3], 32),
          },
        }
      : {}),
    ...(seat
      ? {
          recovery: {
            tokenId: BigInt(`0x${seat[0]}`),
            lost: address(w, seat[1]),
            account: address(w, seat[2]),
            keyringDigest: hex(w, seat[3], 32),
          },
        }
      : {}),
  };
}

/** Ids in paths: hex without the leading zeros a 248-bit number does not need. */
export const idText = (id: bigint) => `0x${id.toString(16)}`;
export function parseId(text: string | undefined): bigint | undefined {
  if (!text || !/^0x[0-9a-fA-F]{1,64}$|^[0-9]{1,78}$/.test(text)) return undefined;
  return BigInt(text);
}

/** Paths of the app (hash routes, so a static server needs no rewrites). */
export const paths = {
  home: () => "/",
  setup: () => "/setup",
  newPod: () => "/new",
  proposal: (covenant: Covenant) => `/proposal/${encodeProposal(covenant)}`,
  pod: (podId: bigint) => `/pod/${idText(podId)}`,
  checkIn: (podId: bigint) => `/pod/${idText(podId)}/check-in`,
  manage: (podId: bigint) => `/pod/${idText(podId)}/manage`,
  witness: (tokenId: bigint, round: number) => `/witness/${idText(tokenId)}/${round}`,
  collect: (value: WitnessReturn) => `/collect/${encodeWitnessReturn(value)}`,
  consent: (c: ConsentRequest) => `/consent/${encodeConsent(c)}`,
  /** "I lost my wallet": where a member's new wallet asks for their commitment. */
  recover: () => "/recover",
  /** The request a new wallet sends to a partner: move `tokenId` to `account`. */
  recoveryRequest: (tokenId: bigint, account: Address) => `/recover/${idText(tokenId)}/${account}`,
  inbox: () => "/inbox",
  due: () => "/due",
  audit: (id?: bigint) => (id === undefined ? "/audit" : `/audit/${idText(id)}`),
};

/** A full shareable URL for a path of this app. */
export function shareUrl(path: string): string {
  // The query string too: a build published without a config is configured by it (?config=…, ?chain=…&troth=…).
  const base =
    typeof window === "undefined"
      ? ""
      : `${window.location.origin}${window.location.pathname}${window.location.search}`;
  return `${base}#${path}`;
}
