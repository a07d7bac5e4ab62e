import {
  type AbiEvent,
  type Account,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  decodeEventLog,
  type Hash,
  type Hex,
  type Log,
  type parseEventLogs,
  type TransactionReceipt,
  toEventSelector,
} from "viem";
import { requireAccount, type TrothClient } from "../client.ts";
import { decodeTrothError } from "../errors/troth.ts";
import { trothAbi, trothLensAbi } from "../generated/abis.ts";

type TrothAbi = typeof trothAbi;
type LensAbi = typeof trothLensAbi;
type ReadName<abi extends readonly unknown[]> = ContractFunctionName<abi, "view" | "pure">;
type WriteName = ContractFunctionName<TrothAbi, "nonpayable">;

/** Reads a Troth view; a revert becomes the named SDK error. */
export async function readTroth<name extends ReadName<TrothAbi>>(
  client: TrothClient,
  functionName: name,
  args: ContractFunctionArgs<TrothAbi, "view" | "pure", name>,
): Promise<ContractFunctionReturnType<TrothAbi, "view" | "pure", name>> {
  try {
    return (await client.publicClient.readContract({
      address: client.address,
      abi: trothAbi,
      functionName,
      args,
    } as never)) as ContractFunctionReturnType<TrothAbi, "view" | "pure", name>;
  } catch (error) {
    throw decodeTrothError(error);
  }
}

/** Reads a lens view; a revert becomes the named SDK error. */
export async function readLens<name extends ReadName<LensAbi>>(
  client: TrothClient,
  functionName: name,
  args: ContractFunctionArgs<LensAbi, "view" | "pure", name>,
): Promise<ContractFunctionReturnType<LensAbi, "view" | "pure", name>> {
  try {
    return (await client.publicClient.readContract({
      address: client.lens,
      abi: trothLensAbi,
      functionName,
      args,
    } as never)) as ContractFunctionReturnType<LensAbi, "view" | "pure", name>;
  } catch (error) {
    throw decodeTrothError(error);
  }
}

export type WriteOptions = {
  /** The sender; defaults to the client's wallet account. */
  account?: Account | Address;
};

/**
 * A write in two steps that cost nothing until the second: a gas estimate runs the transaction against the latest
 * state, as a simulation does (a revert is decoded into the named SDK error and nothing is sent or paid for), then the
 * wallet sends it with that gas, so it is not estimated twice.
 */
export async function prepareWrite<name extends WriteName>(
  client: TrothClient,
  action: string,
  functionName: name,
  args: ContractFunctionArgs<TrothAbi, "nonpayable", name>,
  account: Account | Address | undefined,
): Promise<() => Promise<Hash>> {
  const sender = requireAccount(client, account, action);
  const request = { address: client.address, abi: trothAbi, functionName, args, account: sender } as const;
  let gas: bigint;
  try {
    gas = await client.publicClient.estimateContractGas(request as never);
  } catch (error) {
    throw decodeTrothError(error);
  }
  return async () => {
    try {
      return await client.walletClient!.writeContract({ ...request, gas, chain: client.walletClient!.chain } as never);
    } catch (error) {
      throw decodeTrothError(error);
    }
  };
}

/** Sends a write after its preflight (see {@link prepareWrite}). */
export async function write<name extends WriteName>(
  client: TrothClient,
  action: string,
  functionName: name,
  args: ContractFunctionArgs<TrothAbi, "nonpayable", name>,
  account: Account | Address | undefined,
): Promise<Hash> {
  return (await prepareWrite(client, action, functionName, args, account))();
}

/** A decoded Troth event. */
export type TrothEvent = ReturnType<typeof parseEventLogs<TrothAbi>>[number];

export type SyncReturnType = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** Every Troth event the transaction emitted, decoded, in log order. */
  events: TrothEvent[];
};

/** Waits for the receipt and decodes the Troth events in it. */
export async function waitForEvents(client: TrothClient, hash: Hash): Promise<SyncReturnType> {
  const receipt = await client.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  const events = decodeTrothLogs(client, receipt.logs);
  return { hash, receipt, events };
}

/** Troth's events by topic: computed once, so decoding a receipt hashes no signatures. */
let eventsByTopic: Map<string, (typeof trothAbi)[number]> | undefined;

/** Decodes the logs the Troth contract emitted. */
export function decodeTrothLogs(client: TrothClient, logs: readonly Log[]): TrothEvent[] {
  eventsByTopic ??= new Map(
    trothAbi.filter((item) => item.type === "event").map((item) => [toEventSelector(item as AbiEvent), item]),
  );
  const address = client.address.toLowerCase();
  return logs.flatMap((log) => {
    const item = log.address.toLowerCase() === address && log.topics[0] ? eventsByTopic?.get(log.topics[0]) : undefined;
    if (!item) return [];
    const decoded = decodeEventLog({ abi: [item], data: log.data, topics: log.topics as [Hex, ...Hex[]] });
    return [{ ...log, ...decoded } as unknown as TrothEvent];
  });
}

/** The events of one name. */
export function eventsNamed<name extends TrothEvent["eventName"]>(
  events: readonly TrothEvent[],
  eventName: name,
): Extract<TrothEvent, { eventName: name }>[] {
  return events.filter((e): e is Extract<TrothEvent, { eventName: name }> => e.eventName === eventName);
}
