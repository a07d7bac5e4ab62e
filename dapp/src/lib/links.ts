import {
  type ConsentRequest,
  type Covenant,
  decodeLinkPayload,
  encodeConsentRequest,
  encodeLinkPayload,
  formatId,
  InvalidLinkError,
  linkField,
  parseConsentRequest,
  type TrothDeployment,
  type WitnessSignature,
} from "@troth/sdk";
import type { Address, Hex } from "viem";

/**
 * What travels in share links, in the URL fragment (a fragment never reaches any server). Links carry digests,
 * addresses and signatures only: never content, which stays encrypted on IPFS. Consent requests are the SDK's format
 * (the CLI reads and writes the same); a damaged link of any kind is the SDK's InvalidLinkError.
 */
export { InvalidLinkError };

const { address, hex, int } = linkField;
export function encodeProposal(covenant: Covenant): string {
  return encodeLinkPayload({
    ...covenant,
    previousPod: covenant.previousPod.toString(),
    deadline: covenant.deadline.toString(),
  });
}

export function decodeProposal(text: string): Covenant {
  const w = "covenant";
  const r = decodeLinkPayload(w, text);
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
    previousPod: linkField.uint(w, r.previousPod ?? "0"),
    deadline: linkField.uint(w, r.deadline ?? "0"),
    salt: hex(w, r.salt, 32),
  };
}

/** A witness's signature (and the digest of their encrypted reply) on its way back to the member who checked in. */
export type WitnessReturn = { tokenId: bigint; round: number; reportDigest: Hex; witness: WitnessSignature };

export function encodeWitnessReturn({ tokenId, round, reportDigest, witness }: WitnessReturn): string {
  return encodeLinkPayload({
    t: tokenId.toString(16),
    r: round,
    d: reportDigest,
    s: witness.signer,
    g: witness.signature,
    y: witness.reply,
  });
}

export function decodeWitnessReturn(text: string): WitnessReturn {
  const w = "witness";
  const r = decodeLinkPayload(w, text);
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

/**
 * A consent request from its link payload, for this deployment: one made for another chain or contract is refused
 * (`ConsentRequestDeploymentError`), and the dApp's first links (version 1, which name none) read as this one's.
 */
export function decodeConsent(text: string, deployment: TrothDeployment): ConsentRequest {
  return parseConsentRequest(text, { deployment });
}

/** Ids in paths: hex without the leading zeros a 248-bit number does not need (the SDK's one id form). */
export const idText = formatId;
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
  /** Meeting mode for the pod's open round (which makes the meeting link everyone opens). */
  meeting: (podId: bigint) => `/pod/${idText(podId)}/meeting`,
  /** Where a partner signs a speaker's check-in at the end of a meeting (the QR code on the speaker's screen). */
  meetingSign: (tokenId: bigint, round: number, reportDigest: string) =>
    `/meeting-sign/${idText(tokenId)}/${round}/${reportDigest}`,
  witness: (tokenId: bigint, round: number) => `/witness/${idText(tokenId)}/${round}`,
  collect: (value: WitnessReturn) => `/collect/${encodeWitnessReturn(value)}`,
  consent: (c: ConsentRequest) => `/consent/${encodeConsentRequest(c)}`,
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
