import { type Hash, type Hex, zeroHash } from "viem";
import { requireAccount, type TrothClient } from "../client.ts";
import { sealDocument } from "../crypto/documents.ts";
import { NO_SLOT } from "../crypto/envelope.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, prepareWrite, type WriteOptions, waitForEvents } from "../internal/contract.ts";
import { splitToken } from "../internal/pod.ts";
import { requireActive, writingKey } from "../internal/report.ts";
import { blobRef } from "../storage/cid.ts";

export type RestartParameters = WriteOptions & {
  tokenId: bigint;
  /** A new commitment to begin again with (encrypted and stored); omit to keep the current one. */
  commitment?: string;
  /** The member's identity key (needed with a new commitment). */
  identity?: IdentityKey;
};
export type RestartReturnType = Hash;
export type RestartErrorType = TrothContractError;

async function submit(client: TrothClient, parameters: RestartParameters) {
  const { tokenId, commitment, identity } = parameters;
  const account = requireAccount(client, parameters.account, "restart");
  let blob: Uint8Array | undefined;
  let digest: Hex = zeroHash;
  if (commitment !== undefined) {
    if (!identity) throw new TypeError("restart: a new commitment needs the member's identity key");
    const { podId, index } = splitToken(tokenId);
    const { podKey } = await writingKey(client, podId, identity, (active) => {
      requireActive(active, podId, typeof account === "string" ? account : account.address);
    });
    blob = sealDocument(
      { type: "troth/commitment", version: 1, member: identity.address, commitment },
      {
        key: podKey.key,
        slot: { pod: podKey.pod, epoch: podKey.epoch, kind: "commitment", member: index, round: NO_SLOT },
        random: client.random,
      },
    );
    digest = blobRef(blob).digest;
  }
  const send = await prepareWrite(client, "restart", "restart", [tokenId, digest], account);
  if (blob) await client.store.put(blob);
  return send();
}

/**
 * Begins again after a missed round, without penalty, optionally with a new commitment.
 *
 * @example
 * ```ts
 * const hash = await restart(aliceTroth, { tokenId, commitment: "Write 300 words a day", identity });
 * ```
 */
export async function restart(client: TrothClient, parameters: RestartParameters): Promise<RestartReturnType> {
  return submit(client, parameters);
}

/**
 * {@link restart}, then waits: returns the round it restarts from and the restart count.
 *
 * @example
 * ```ts
 * const { round, restarts } = await restartSync(aliceTroth, { tokenId });
 * ```
 */
export async function restartSync(client: TrothClient, parameters: RestartParameters) {
  const result = await waitForEvents(client, await submit(client, parameters));
  const [event] = eventsNamed(result.events, "Restarted");
  return { ...result, round: event.args.round, restarts: event.args.restarts };
}
