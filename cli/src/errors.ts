/**
 * Every failure as one sentence: the CLI's own (bad input), the SDK's typed errors (their `shortMessage`), an
 * unreachable chain or IPFS node. Never a stack trace.
 */
import { BaseError, LogQueryError, RpcUnavailableError } from "@troth/sdk";
import { StorageAuthError, StoreRequestError, StoreUnreachableError } from "@troth/sdk/storage";
import { HttpRequestError, TimeoutError, BaseError as ViemBaseError } from "viem";

/** A failure the CLI explains itself (exit code 1). */
export class CliError extends Error {
  override name = "CliError";
}

/** The command line is wrong (exit code 2). */
export class UsageError extends CliError {
  override name = "UsageError";
}

export type ErrorContext = { rpc: string; ipfs: string };

/** The one sentence shown for `error`. */
export function describeError(error: unknown, context: ErrorContext): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof StorageAuthError) {
    return `${error.shortMessage.replace(/\.$/, "")}: TROTH_IPFS_TOKEN (or TROTH_PIN_TOKEN for a pinning service) holds it.`;
  }
  if (error instanceof StoreUnreachableError && error.source.startsWith("Kubo RPC")) {
    return `Cannot reach IPFS at ${context.ipfs} (${error.shortMessage.replace(/\.$/, "")}): is \`npm start\` running, or is --ipfs right?`;
  }
  if (error instanceof StoreRequestError) {
    return `Cannot reach IPFS at ${context.ipfs} (${error.shortMessage.replace(/\.$/, "")}): is \`npm start\` running, or is --ipfs right?`;
  }
  if (error instanceof RpcUnavailableError) {
    return `Cannot reach the chain at ${context.rpc}: is \`npm start\` running, or is --rpc right?`;
  }
  if (error instanceof LogQueryError) {
    return `${error.shortMessage} The RPC provider at ${context.rpc} refused or did not answer; try again, or pass another with --rpc (several, comma-separated, are tried in order).`;
  }
  if (error instanceof BaseError) {
    // A contract error's arguments explain it (which round, which account): keep the first meta line.
    const meta = error.metaMessages.find((line) => line.startsWith("Contract error:"));
    return meta ? `${error.shortMessage} (${meta.replace("Contract error: ", "")})` : error.shortMessage;
  }
  if (error instanceof ViemBaseError) {
    if (error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError)) {
      return `Cannot reach the chain at ${context.rpc}: is \`npm start\` running, or is --rpc right?`;
    }
    return error.shortMessage;
  }
  if (error instanceof TypeError && /fetch failed/.test(error.message)) {
    return `A request failed: ${error.message}`;
  }
  if ((error as NodeJS.ErrnoException)?.code === "ENOENT" || (error as NodeJS.ErrnoException)?.code === "EACCES") {
    return (error as Error).message;
  }
  return `Unexpected error: ${(error as Error)?.message ?? String(error)}`;
}
