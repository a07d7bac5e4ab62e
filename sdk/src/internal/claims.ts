import { type Address, getAddress, type Hex, zeroAddress } from "viem";
import { clock, closedRounds, memberFlags } from "../audit/schedule.ts";
import type { TrothClient } from "../client.ts";
import { trothError } from "../errors/troth.ts";
import { type ClaimKind, claimKinds, type PodView } from "../types.ts";
import { readLens, readTroth } from "./contract.ts";
import { chainTime, splitToken, toPodView } from "./pod.ts";
import { readSchedule } from "./schedule.ts";

/** A claim on an active member's commitment, as the contract keeps it (`ITroth.claimOf`), and what it means now. */
export type Claim = {
  tokenId: bigint;
  podId: bigint;
  /** "replacement" (absence rule), "recovery" (a lost wallet), or "none" when no claim stands. */
  kind: ClaimKind;
  /** The claimed member: the commitment's holder now. */
  member: Address;
  /** The newcomer (replacement) or the member's new address (recovery). */
  successor: Address;
  /** First second (unix) at which anyone may complete it. */
  notBefore: number;
  /** The newcomer's encrypted commitment (replacement only). */
  commitmentDigest: Hex;
  /** The key envelopes that take effect on completion. */
  keyringDigest: Hex;
  /** The pod's keyring when the claim was made: if it changed since, the claim is stale. */
  previousKeyring: Hex;
  /** Seconds until the window closes (0 once it has). */
  secondsLeft: number;
  /** The objection window is still open: the claimed member's action (any) cancels the claim. */
  windowOpen: boolean;
  /** The pod's keyring moved on since the claim was made: it can no longer be completed (`ClaimStale`). */
  stale: boolean;
  /** Anyone can complete it now. */
  completable: boolean;
};

/** The claim standing on `tokenId`, with its window and whether it can be completed now. */
export async function readClaim(
  client: TrothClient,
  tokenId: bigint,
  context?: { pod: PodView; now: number },
): Promise<Claim> {
  const { podId } = splitToken(tokenId);
  const [raw, holder, pod, now] = await Promise.all([
    readTroth(client, "claimOf", [tokenId]),
    readTroth(client, "holderOf", [tokenId]),
    context?.pod ?? readLens(client, "pod", [podId]).then(toPodView),
    context?.now ?? chainTime(client),
  ]);
  const kind = claimKinds[raw.kind] ?? "none";
  const standing = kind !== "none" && holder !== zeroAddress;
  // The lens's pod view carries the pod's keyring digest: a claim made on another keyring is stale.
  const stale = standing && pod.keyringDigest !== raw.previousKeyring;
  const windowOpen = standing && now < raw.notBefore;
  const live = pod.status !== "ended" && pod.status !== "dissolved";
  const completable = standing && !windowOpen && !stale && (kind === "recovery" || (live && pod.activeCount >= 3));
  return {
    tokenId,
    podId,
    kind: standing ? kind : "none",
    member: getAddress(holder),
    successor: getAddress(raw.successor),
    notBefore: raw.notBefore,
    commitmentDigest: raw.commitmentDigest,
    keyringDigest: raw.keyringDigest,
    previousKeyring: raw.previousKeyring,
    secondsLeft: windowOpen ? raw.notBefore - now : 0,
    windowOpen,
    stale,
    completable,
  };
}

/**
 * Preflight: the member is active and no live claim stands on them (`PodNotMember`, `ClaimPending`). A stale claim
 * (made before the pod's keyring changed, so nobody can complete it) gives way to the new one, as in the contract.
 */
export async function requireClaimable(client: TrothClient, podId: bigint, account: Address) {
  const record = await readTroth(client, "memberRecord", [podId, account]);
  if (record.status !== 1) throw trothError("PodNotMember", [podId, getAddress(account)], { preflight: true });
  const tokenId = (podId << 8n) | BigInt(record.index);
  if ((record.flags & memberFlags.claimed) !== 0) {
    const [claim, { keyringDigest }] = await Promise.all([
      readTroth(client, "claimOf", [tokenId]),
      readTroth(client, "podRecord", [podId]),
    ]);
    if (claim.previousKeyring === keyringDigest) throw trothError("ClaimPending", [tokenId], { preflight: true });
  }
  return { record, tokenId };
}

/**
 * Preflight of the absence rule, as the contract judges it: `member` checked in for neither of the last two closed
 * rounds of their span and has not restarted since (their span counts from their last restart), which needs two
 * closed rounds since then (`ClaimMemberNotAbsent`).
 */
export async function requireAbsent(
  client: TrothClient,
  podId: bigint,
  member: Address,
  record: { joinedRound: number; restartFrom: number; reported: bigint },
): Promise<void> {
  const [schedule, now] = await Promise.all([readSchedule(client, podId), chainTime(client)]);
  const closed = closedRounds(schedule, clock(schedule, now));
  const from = Math.max(record.joinedRound, record.restartFrom);
  const absent = closed >= from + 2 && ((record.reported >> BigInt(closed - 2)) & 3n) === 0n;
  if (!absent) throw trothError("ClaimMemberNotAbsent", [podId, getAddress(member)], { preflight: true });
}

/** Preflight: `account` can join the pod (`PodInvalidMember` for the zero address, `PodAlreadyMember`). */
export async function requireNewcomer(client: TrothClient, podId: bigint, account: Address): Promise<void> {
  if (account === zeroAddress) throw trothError("PodInvalidMember", [account], { preflight: true });
  const record = await readTroth(client, "memberRecord", [podId, account]);
  if (record.status !== 0) throw trothError("PodAlreadyMember", [podId, getAddress(account)], { preflight: true });
}
