import type { Address, Chain, Hex, PublicClient, Transport } from "viem";
import { readLogs } from "../internal/logs.ts";
import type { createApplier } from "./apply.ts";
import type { createLogDecoder, DecodedLog } from "./decode.ts";
import type { AuditState } from "./state.ts";

export type SafeBlockOption =
  /** The chain's `finalized` block (default), else `safe`, else `confirmations` below the latest. */
  | "finalized"
  | "safe"
  /** Always `confirmations` below the latest block. */
  | "confirmations";

export type SyncContext = {
  publicClient: PublicClient<Transport, Chain | undefined>;
  address: Address;
  state: AuditState;
  decoder: ReturnType<typeof createLogDecoder>;
  applier: ReturnType<typeof createApplier>;
  leaveTimes: Map<bigint, number>;
  safeBlock: SafeBlockOption;
  confirmations: bigint;
  maxSpan?: bigint;
  concurrency?: number;
  onProgress?: (progress: { block: bigint; target: bigint }) => void;
};

/**
 * The newest block the audit applies: the chain's finalized (or safe) block where it has the tag, else the latest
 * less `confirmations`. Logs above it could still be replaced by a reorganisation.
 */
export async function safeHead(ctx: SyncContext): Promise<bigint> {
  const tags =
    ctx.safeBlock === "finalized"
      ? (["finalized", "safe"] as const)
      : ctx.safeBlock === "safe"
        ? (["safe"] as const)
        : [];
  for (const blockTag of tags) {
    try {
      const block = await ctx.publicClient.getBlock({ blockTag });
      if (block?.number !== null && block?.number !== undefined) return block.number;
    } catch {
      // The chain has no such tag (or the node predates it): try the next way.
    }
  }
  const latest = await ctx.publicClient.getBlockNumber();
  return latest - ctx.confirmations;
}

/** The hash the chain has now at `block` (null if it has no such block any more). */
export async function hashAt(ctx: SyncContext, block: bigint): Promise<Hex | null> {
  try {
    return (await ctx.publicClient.getBlock({ blockNumber: block })).hash;
  } catch {
    return null;
  }
}

/** A plain leave (not the first half of a replacement in the same transaction) needs its block's time. */
function blocksOfLeaves(batch: DecodedLog[]): bigint[] {
  const leaves = batch.filter(
    (log, i) =>
      log.eventName === "MemberLeft" &&
      !batch
        .slice(i + 1)
        .some(
          (next) =>
            next.transactionHash === log.transactionHash &&
            next.eventName === "MemberAdded" &&
            next.args.replacedTokenId === log.args.tokenId,
        ),
  );
  return [...new Set(leaves.map((log) => log.blockNumber))];
}

/**
 * Reads the logs after the state's block up to `target` through the SDK's log reader (ranges the provider accepts,
 * several at once) and applies them in order; the state moves piece by piece, so a failure leaves it at the last
 * piece applied (resume by syncing again).
 */
export async function applyLogs(ctx: SyncContext, target: bigint): Promise<number> {
  const { state, decoder, applier, leaveTimes, publicClient } = ctx;
  let applied = 0;
  await readLogs(publicClient, {
    filter: { address: ctx.address, topics: [decoder.topics] },
    fromBlock: state.block + 1n,
    toBlock: target,
    maxSpan: ctx.maxSpan,
    concurrency: ctx.concurrency,
    onLogs: async ({ toBlock, logs }) => {
      const batch = logs.flatMap((log) => decoder.decode(log) ?? []);
      leaveTimes.clear();
      await Promise.all(
        blocksOfLeaves(batch).map(async (blockNumber) => {
          leaveTimes.set(blockNumber, Number((await publicClient.getBlock({ blockNumber })).timestamp));
        }),
      );
      for (const log of batch) applier.apply(log);
      applied += batch.length;
      state.block = toBlock;
      state.hash = null;
      ctx.onProgress?.({ block: toBlock, target });
    },
  });
  return applied;
}
