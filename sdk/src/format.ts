import { splitTokenId } from "./eip712.ts";

/**
 * Ids as people see them, the same in every app: a pod id in hex (`0x…`, as in links), and a commitment token as its
 * pod and member number. Token ids are the pod id shifted by 8 bits plus the member's index, so every token of a pod
 * shares the pod id's long prefix: shortened as plain hex they would all look alike.
 */

/** A pod or token id in full, in hex without leading zeros (`0x6bf9…`): the form links and commands take. */
export function formatId(id: bigint): `0x${string}` {
  return `0x${id.toString(16)}`;
}

/** A pod id shortened for reading: its first 6 and last 4 hex digits (`0x6bf924…9680`). */
export function formatPodIdShort(podId: bigint): string {
  const hex = podId.toString(16);
  return hex.length <= 12 ? `0x${hex}` : `0x${hex.slice(0, 6)}…${hex.slice(-4)}`;
}

/**
 * A commitment token as people tell tokens apart: its member number in the pod (from 1) and the pod.
 *
 * @example
 * ```ts
 * formatTokenId((podId << 8n) | 1n); // "member 2 of pod 0x6bf924…9680"
 * ```
 */
export function formatTokenId(tokenId: bigint): string {
  const { podId, index } = splitTokenId(tokenId);
  return `member ${index + 1} of pod ${formatPodIdShort(podId)}`;
}
