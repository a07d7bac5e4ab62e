import type { TrothClient } from "@troth/sdk";
import { useSyncExternalStore } from "react";
import type { Hash, TransactionReceipt } from "viem";
import { plainError } from "./errors.ts";

/** A notice about one transaction (or one long step): what it is and where it stands. */
export type Notice = {
  id: number;
  label: string;
  status: "wallet" | "pending" | "confirmed" | "failed";
  message: string;
  hash?: Hash;
};

let notices: Notice[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function publish(next: Notice[]) {
  notices = next;
  for (const l of listeners) l();
}

function upsert(notice: Notice) {
  publish([...notices.filter((n) => n.id !== notice.id), notice].slice(-4));
}

export function dismissNotice(id: number) {
  publish(notices.filter((n) => n.id !== id));
}

export function useNotices(): Notice[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => notices,
    () => notices,
  );
}

/**
 * The one way the dApp sends a transaction: `send` is an SDK write action (it checks the transaction against the chain
 * before the wallet is asked, and throws the decoded error if the chain would refuse it). The member is told when the
 * wallet is waiting, when the transaction is on its way, and when it is confirmed or why it failed, in plain words.
 * Resolves with the receipt; rejects (after notifying) with the original error.
 */
export async function transact(
  client: TrothClient,
  label: string,
  send: () => Promise<Hash>,
): Promise<TransactionReceipt> {
  const id = nextId++;
  upsert({ id, label, status: "wallet", message: "Check your wallet to confirm." });
  try {
    const hash = await send();
    upsert({ id, label, status: "pending", message: "Sent. Waiting for the network to confirm…", hash });
    const receipt = await client.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 300 });
    if (receipt.status !== "success") throw new Error("The network reverted the transaction.");
    upsert({ id, label, status: "confirmed", message: "Confirmed.", hash });
    setTimeout(() => dismissNotice(id), 6000);
    return receipt;
  } catch (error) {
    const plain = plainError(error);
    upsert({ id, label, status: "failed", message: plain.detail ? `${plain.title} ${plain.detail}` : plain.title });
    throw error;
  }
}
