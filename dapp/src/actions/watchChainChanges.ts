import type { TrothClient } from "@troth/sdk";

export type WatchChainChangesParameters = {
  /** Called once for each batch of new Troth events, whoever sent them. */
  onChange: () => void;
  /** A poll that failed (the RPC went away); the next poll tries again. */
  onError?: (error: Error) => void;
};
/** Stops watching. */
export type WatchChainChangesReturnType = () => void;

/**
 * Follows the Troth contract's events as they are mined, so a screen learns of what partners did (a witness, a
 * consent, a check-in) without a reload. Polls at the client's interval; only the contract's own logs count.
 */
export function watchChainChanges(
  client: TrothClient,
  { onChange, onError = () => {} }: WatchChainChangesParameters,
): WatchChainChangesReturnType {
  return client.publicClient.watchEvent({
    address: client.address,
    onLogs: (logs) => {
      if (logs.length > 0) onChange();
    },
    onError,
  });
}
