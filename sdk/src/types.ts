import type { Address, Hex } from "viem";

/** Names of the contract's enums, in their on-chain order (index = value). */
export const podStatuses = ["none", "scheduled", "active", "paused", "ended", "dissolved"] as const;
export const memberStatuses = ["none", "active", "left", "replaced", "burned", "recovered"] as const;
export const roundStates = ["upcoming", "open", "reported", "witnessed", "missed", "paused", "outside"] as const;
export const commitmentStatuses = [
  "none",
  "active",
  "lapsed",
  "paused",
  "left",
  "completed",
  "graduated",
  "dissolved",
  "burned",
  "replaced",
  "ended",
] as const;
/** What a standing claim on an active member asks (`ClaimKind`): replace them (absence rule) or move their seat. */
export const claimKinds = ["none", "replacement", "recovery"] as const;

export type PodStatus = (typeof podStatuses)[number];
export type MemberStatus = (typeof memberStatuses)[number];
export type RoundState = (typeof roundStates)[number];
export type CommitmentStatus = (typeof commitmentStatuses)[number];
export type ClaimKind = (typeof claimKinds)[number];

/** A pod as the lens shows it (`ITrothLens.pod`), with named statuses. */
export type PodView = {
  podId: bigint;
  previousPod: bigint;
  status: PodStatus;
  start: number;
  cadence: number;
  grace: number;
  quorum: number;
  rounds: number;
  cycle: number;
  memberCount: number;
  activeCount: number;
  started: boolean;
  currentRound: number;
  pausedAt: number;
  pausedTotal: number;
  nonce: number;
  covenantDigest: Hex;
  keyringDigest: Hex;
};

/** A member as the lens shows it (`ITrothLens.members`). */
export type MemberView = { account: Address; tokenId: bigint; status: MemberStatus; joinedRound: number };

/** A commitment's continuity as the lens shows it (`ITrothLens.commitment`). */
export type CommitmentView = {
  tokenId: bigint;
  podId: bigint;
  account: Address;
  status: CommitmentStatus;
  cycle: number;
  previousTokenId: bigint;
  commitmentDigest: Hex;
  witnessedRounds: bigint;
  reportedRounds: bigint;
  rounds: number;
  joinedRound: number;
  endRound: number;
  witnessed: number;
  missed: number;
  open: number;
  upcoming: number;
  paused: number;
  closed: number;
  currentStreak: number;
  longestStreak: number;
  restarts: number;
  podSize: number;
  cadence: number;
};

/** A witness's signature over (token, round, report), with the digest of their encrypted reply if they wrote one. */
export type WitnessSignature = { signer: Address; signature: Hex; reply?: Hex };

/**
 * What a member writes at a check-in; `recording`, the CID of a recorded reflection's manifest (from `attachRecording`
 * or `startRecording`), sealed for this member and round under the key the report is written with.
 */
export type ReportInput = { said: string; blocked: string; next: string; recording?: string; struggleFirst?: boolean };
