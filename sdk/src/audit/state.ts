import type { Address, Hex } from "viem";
import { AuditCheckpointError } from "./errors.ts";
import type { PodEntry } from "./views.ts";

/**
 * A resumable audit position: the last block applied, its hash (to notice when a reorganisation replaced it), and
 * everything built from the logs up to it. Version 3 adds the hash and the first block; a version 2 checkpoint (protocol
 * v2's records, no hash) is still read, and checked from the next sync on.
 */
export type AuditState = {
  version: 3;
  address: Address;
  /** The first block the audit reads (the deployment's): where it starts again if it must rewind past its snapshots. */
  startBlock: bigint;
  block: bigint;
  /** The hash of `block` when it was applied (null before the first block). */
  hash: Hex | null;
  time: number;
  pods: PodEntry[];
};

const bigintTag = "$bigint";

export function serialize(state: AuditState): string {
  return JSON.stringify(state, (_, value) => (typeof value === "bigint" ? { [bigintTag]: value.toString() } : value));
}

export function deserialize(text: string): AuditState {
  let raw: AuditState | (Omit<AuditState, "version" | "hash" | "startBlock"> & { version: number });
  try {
    raw = JSON.parse(text, (_, value) =>
      value && typeof value === "object" && bigintTag in value ? BigInt(value[bigintTag]) : value,
    );
  } catch {
    throw new AuditCheckpointError({ reason: "it is not a checkpoint (not JSON)" });
  }
  if (raw.version === 2) return { ...raw, version: 3, hash: null, startBlock: 0n };
  if (raw.version !== 3) throw new AuditCheckpointError({ reason: `unknown version ${raw.version}` });
  return raw as AuditState;
}
