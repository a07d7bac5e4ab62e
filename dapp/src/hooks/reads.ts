/** Thin hooks: each is its query options with the app's clients filled in. */

import { useQuery } from "@tanstack/react-query";
import { type Covenant, splitTokenId } from "@troth/sdk";
import type { Address, Hex } from "viem";
import { useIdentity } from "../lib/identity.tsx";
import { useTroth } from "../lib/troth.tsx";
import * as q from "../queries/index.ts";

export const usePublishedKey = (account: Address | undefined) =>
  useQuery({ ...q.publishedKeyQueryOptions(useTroth().client, { account: account! }), enabled: !!account });

export const useMemberships = (account: Address | undefined) =>
  useQuery({ ...q.membershipsQueryOptions(useTroth().client, { account: account! }), enabled: !!account });

export const useContinuity = (podId: bigint | undefined) =>
  useQuery({ ...q.continuityQueryOptions(useTroth().client, { podId: podId! }), enabled: podId !== undefined });

export const useClaims = (podId: bigint | undefined) =>
  useQuery({ ...q.claimsQueryOptions(useTroth().client, { podId: podId! }), enabled: podId !== undefined });

export function useVitality(podId: bigint) {
  const { client, audit } = useTroth();
  return useQuery(q.vitalityQueryOptions(client, audit, { podId }));
}

export const useSpeakingOrder = (podId: bigint, round: number | undefined) =>
  useQuery({
    ...q.speakingOrderQueryOptions(useTroth().client, { podId, round: round ?? 0 }),
    enabled: round !== undefined,
  });

export const useRoundWindows = (podId: bigint | undefined, rounds: readonly number[]) =>
  useQuery({
    ...q.roundWindowsQueryOptions(useTroth().client, { podId: podId!, rounds }),
    enabled: podId !== undefined && rounds.length > 0,
  });

export const useDueCheckIns = (account: Address | undefined) =>
  useQuery({ ...q.dueCheckInsQueryOptions(useTroth().client, { account: account! }), enabled: !!account });

export const usePendingCheckIn = (tokenId: bigint | undefined, round: number) =>
  useQuery({
    ...q.pendingCheckInQueryOptions(useTroth().client, { tokenId: tokenId!, round }),
    enabled: tokenId !== undefined,
  });

export const useWitnessInbox = (account: Address | undefined) =>
  useQuery({ ...q.witnessInboxQueryOptions(useTroth().client, { account: account! }), enabled: !!account });

export const useCovenantConsents = (covenant: Covenant, podId: bigint) =>
  useQuery(q.covenantConsentsQueryOptions(useTroth().client, { covenant, podId }));

/** The pod's covenant as it stands: read again when an amendment changes its digest. */
export function useCovenant(podId: bigint | undefined) {
  const { identity } = useIdentity();
  const covenantDigest = useContinuity(podId).data?.pod.covenantDigest;
  return useQuery({
    ...q.covenantQueryOptions(useTroth().client, { podId: podId!, covenantDigest: covenantDigest!, identity }),
    enabled: !!identity && podId !== undefined && covenantDigest !== undefined,
  });
}

/** What a proposed amendment changes in the pod's covenant, read on this device before consenting. */
export function useAmendment(
  podId: bigint,
  amendment: { cadence: number; grace: number; quorum: number; covenantDigest: `0x${string}` } | undefined,
) {
  const { identity } = useIdentity();
  return useQuery({
    ...q.amendmentQueryOptions(useTroth().client, { podId, amendment: amendment!, identity }),
    enabled: !!identity && amendment !== undefined,
  });
}

export function useProposedCovenant(covenant: Covenant, podId: bigint) {
  const { identity } = useIdentity();
  return useQuery(q.proposedCovenantQueryOptions(useTroth().client, { covenant, podId, identity }));
}

/** A member's commitment text: read again when a restart gives it a new digest. */
export function useCommitmentText(tokenId: bigint | undefined) {
  const { identity } = useIdentity();
  const continuity = useContinuity(tokenId === undefined ? undefined : splitTokenId(tokenId).podId);
  const commitmentDigest = continuity.data?.commitments.find((c) => c.tokenId === tokenId)?.commitmentDigest;
  return useQuery({
    ...q.commitmentTextQueryOptions(useTroth().client, {
      tokenId: tokenId!,
      commitmentDigest: commitmentDigest!,
      identity,
    }),
    enabled: !!identity && tokenId !== undefined && commitmentDigest !== undefined,
  });
}

export function useReport(tokenId: bigint, round: number, reportDigest?: Hex) {
  const { identity } = useIdentity();
  return useQuery(q.reportQueryOptions(useTroth().client, { tokenId, round, reportDigest, identity }));
}

export function useReplies(tokenId: bigint, round: number, replies: readonly Hex[]) {
  const { identity } = useIdentity();
  return useQuery(q.repliesQueryOptions(useTroth().client, { tokenId, round, replies, identity }));
}

/** The pod's notes and posted replies, for a member who has unlocked their key. */
export function useNotes(podId: bigint) {
  const { identity } = useIdentity();
  return useQuery(q.notesQueryOptions(useTroth().client, { podId, identity }));
}
