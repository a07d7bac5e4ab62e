/**
 * Query options, one per read (wagmi's pattern: action → query options → thin hook). Keys start with
 * ["troth", chainId] so a confirmed write can refresh everything the chain may have changed. The cache lives in memory
 * only and is never persisted; decrypted documents are keyed by the reader's address.
 */

import { queryOptions } from "@tanstack/react-query";
import {
  type Covenant,
  getClaims,
  getContinuity,
  getCovenantConsents,
  getDueCheckIns,
  getMemberships,
  getPendingCheckIn,
  getPublishedIdentityKey,
  getRoundWindows,
  getSpeakingOrder,
  readAmendment,
  readCommitment,
  readCovenant,
  readNotes,
  readReplies,
  readReport,
  type TrothClient,
} from "@troth/sdk";
import type { IdentityKey } from "@troth/sdk/crypto";
import type { Address, Hex } from "viem";
import { type ContinuitySource, getVitality } from "../actions/getVitality.ts";
import { getWitnessInbox } from "../actions/getWitnessInbox.ts";
import { readProposedCovenant } from "../actions/readProposedCovenant.ts";

const base = (client: TrothClient) => ["troth", client.chainId] as const;
const reader = (identity: IdentityKey | null) => identity?.address ?? "locked";

export function publishedKeyQueryOptions(client: TrothClient, { account }: { account: Address }) {
  return queryOptions({
    queryKey: [...base(client), "publishedKey", account],
    queryFn: () => getPublishedIdentityKey(client, { account }),
  });
}

export function membershipsQueryOptions(client: TrothClient, { account }: { account: Address }) {
  return queryOptions({
    queryKey: [...base(client), "memberships", account],
    queryFn: () => getMemberships(client, { account }),
  });
}

export function continuityQueryOptions(client: TrothClient, { podId }: { podId: bigint }) {
  return queryOptions({
    queryKey: [...base(client), "continuity", podId],
    queryFn: () => getContinuity(client, { podId }),
  });
}

/** Claims standing on a pod's members: absence-rule replacements and wallet recoveries, with their windows. */
export function claimsQueryOptions(client: TrothClient, { podId }: { podId: bigint }) {
  return queryOptions({
    queryKey: [...base(client), "claims", podId],
    queryFn: () => getClaims(client, { podId }),
  });
}

export function speakingOrderQueryOptions(client: TrothClient, { podId, round }: { podId: bigint; round: number }) {
  return queryOptions({
    queryKey: [...base(client), "speakingOrder", podId, round],
    queryFn: () => getSpeakingOrder(client, { podId, round }),
  });
}

export function roundWindowsQueryOptions(
  client: TrothClient,
  { podId, rounds }: { podId: bigint; rounds: readonly number[] },
) {
  return queryOptions({
    queryKey: [...base(client), "roundWindows", podId, rounds],
    queryFn: () => getRoundWindows(client, { podId, rounds }),
  });
}

export function vitalityQueryOptions(
  client: TrothClient,
  audit: () => Promise<ContinuitySource>,
  { podId }: { podId: bigint },
) {
  return queryOptions({
    queryKey: [...base(client), "vitality", podId],
    queryFn: async () => getVitality(await audit(), { podId }),
  });
}

export function dueCheckInsQueryOptions(client: TrothClient, { account }: { account: Address }) {
  return queryOptions({
    queryKey: [...base(client), "due", account],
    queryFn: () => getDueCheckIns(client, { account }),
  });
}

export function pendingCheckInQueryOptions(
  client: TrothClient,
  { tokenId, round }: { tokenId: bigint; round: number },
) {
  return queryOptions({
    queryKey: [...base(client), "pending", tokenId, round],
    queryFn: () => getPendingCheckIn(client, { tokenId, round }),
  });
}

export function witnessInboxQueryOptions(client: TrothClient, { account }: { account: Address }) {
  return queryOptions({
    queryKey: [...base(client), "inbox", account],
    queryFn: () => getWitnessInbox(client, { account }),
  });
}

export function covenantConsentsQueryOptions(
  client: TrothClient,
  { covenant, podId }: { covenant: Covenant; podId: bigint },
) {
  return queryOptions({
    queryKey: [...base(client), "consents", podId],
    queryFn: () => getCovenantConsents(client, { covenant }),
  });
}

// ─── Decrypted content: in memory, per reader, dropped soon after no screen shows it ───────────────────────────────
// Keyed by the digest of what was decrypted: a document never changes under its digest, so it is never read twice,
// and an amended covenant or a new commitment (a new digest, from the chain reads) is read afresh.

const decrypted = { gcTime: 60_000, staleTime: Number.POSITIVE_INFINITY, retry: 1 } as const;

export function covenantQueryOptions(
  client: TrothClient,
  { podId, covenantDigest, identity }: { podId: bigint; covenantDigest: Hex; identity: IdentityKey | null },
) {
  return queryOptions({
    queryKey: [...base(client), "decrypted", reader(identity), "covenant", podId, covenantDigest],
    queryFn: () => readCovenant(client, { podId, identity: identity! }),
    enabled: identity !== null,
    ...decrypted,
  });
}

/** What a proposed amendment changes in the covenant (the amended covenant read against the current one). */
export function amendmentQueryOptions(
  client: TrothClient,
  {
    podId,
    amendment,
    identity,
  }: {
    podId: bigint;
    amendment: { cadence: number; grace: number; quorum: number; covenantDigest: Hex };
    identity: IdentityKey | null;
  },
) {
  return queryOptions({
    queryKey: [...base(client), "decrypted", reader(identity), "amendment", podId, amendment],
    queryFn: () => readAmendment(client, { podId, amendment, identity: identity! }),
    enabled: identity !== null,
    ...decrypted,
    // A mismatch is the amendment's, not the network's: asking again would say the same.
    retry: false,
  });
}

export function proposedCovenantQueryOptions(
  client: TrothClient,
  { covenant, podId, identity }: { covenant: Covenant; podId: bigint; identity: IdentityKey | null },
) {
  return queryOptions({
    queryKey: [...base(client), "decrypted", reader(identity), "proposal", podId],
    queryFn: () => readProposedCovenant(client, { covenant, identity: identity! }),
    enabled: identity !== null,
    ...decrypted,
  });
}

export function commitmentTextQueryOptions(
  client: TrothClient,
  { tokenId, commitmentDigest, identity }: { tokenId: bigint; commitmentDigest: Hex; identity: IdentityKey | null },
) {
  return queryOptions({
    queryKey: [...base(client), "decrypted", reader(identity), "commitment", tokenId, commitmentDigest],
    queryFn: () => readCommitment(client, { tokenId, identity: identity! }),
    enabled: identity !== null,
    ...decrypted,
  });
}

export function reportQueryOptions(
  client: TrothClient,
  {
    tokenId,
    round,
    reportDigest,
    identity,
  }: { tokenId: bigint; round: number; reportDigest?: Hex; identity: IdentityKey | null },
) {
  return queryOptions({
    queryKey: [...base(client), "decrypted", reader(identity), "report", tokenId, round, reportDigest ?? null],
    queryFn: () => readReport(client, { tokenId, round, reportDigest, identity: identity! }),
    enabled: identity !== null,
    ...decrypted,
  });
}

/**
 * A pod's notes between meetings and the replies members posted (`Noted` events, opened with the reader's key). A
 * chain read: new ones arrive with any block, so it is refreshed with the chain; what it decrypts stays in memory.
 */
export function notesQueryOptions(
  client: TrothClient,
  { podId, identity }: { podId: bigint; identity: IdentityKey | null },
) {
  return queryOptions({
    queryKey: [...base(client), "notes", podId, reader(identity)],
    queryFn: () => readNotes(client, { podId, identity: identity! }),
    enabled: identity !== null,
  });
}

export function repliesQueryOptions(
  client: TrothClient,
  {
    tokenId,
    round,
    replies,
    identity,
  }: { tokenId: bigint; round: number; replies: readonly Hex[]; identity: IdentityKey | null },
) {
  return queryOptions({
    queryKey: [...base(client), "decrypted", reader(identity), "replies", tokenId, round, replies],
    queryFn: () => readReplies(client, { tokenId, round, replies, identity: identity! }),
    enabled: identity !== null,
    ...decrypted,
  });
}
