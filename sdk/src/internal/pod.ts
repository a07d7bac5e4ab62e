import type { Address } from "viem";
import type { TrothClient } from "../client.ts";
import {
  type CommitmentView,
  commitmentStatuses,
  type MemberView,
  memberStatuses,
  type PodView,
  podStatuses,
} from "../types.ts";
import { readLens } from "./contract.ts";

type Raw<T> = { [K in keyof T]: T[K] extends string ? unknown : T[K] };

export function toPodView(raw: Raw<PodView> & { status: number }): PodView {
  return { ...(raw as unknown as PodView), status: podStatuses[raw.status] };
}

export function toCommitmentView(raw: Raw<CommitmentView> & { status: number }): CommitmentView {
  return { ...(raw as unknown as CommitmentView), status: commitmentStatuses[raw.status] };
}

/** Every member the pod ever had, in token order. */
export async function membersOf(client: TrothClient, podId: bigint): Promise<MemberView[]> {
  const raw = await readLens(client, "members", [podId]);
  return raw.map((m) => ({
    account: m.account,
    tokenId: m.tokenId,
    status: memberStatuses[m.status],
    joinedRound: m.joinedRound,
  }));
}

/** Active members in token order: the order consents are checked in. */
export function activeAccounts(members: readonly MemberView[]): Address[] {
  return members.filter((m) => m.status === "active").map((m) => m.account);
}

export function splitToken(tokenId: bigint): { podId: bigint; index: number } {
  return { podId: tokenId >> 8n, index: Number(tokenId & 0xffn) };
}

/** Seconds of the latest block: the chain's "now" (what the contract compares deadlines with). */
export async function chainTime(client: TrothClient): Promise<number> {
  const block = await client.publicClient.getBlock({ blockTag: "latest" });
  return Number(block.timestamp);
}
