import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import type { Covenant } from "../eip712.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { eventsNamed, type WriteOptions, waitForEvents, write } from "../internal/contract.ts";
import { preflightCovenant } from "../internal/covenant.ts";

export type AcceptCovenantParameters = WriteOptions & { covenant: Covenant };
export type AcceptCovenantReturnType = Hash;
export type AcceptCovenantErrorType = TrothContractError;

/**
 * Accepts a covenant by transaction (instead of signing it). The pod is created with the last member's acceptance.
 * A covenant whose start is more than an hour past is refused before any gas (`PodStartInPastError`: it must be drafted
 * again, and every member accept the new one), as is a renewal the previous pod does not allow.
 *
 * @example
 * ```ts
 * const { covenant } = await prepareCovenant(troth, terms);
 * await acceptCovenant(aliceTroth, { covenant });
 * ```
 */
export async function acceptCovenant(
  client: TrothClient,
  { covenant, account }: AcceptCovenantParameters,
): Promise<AcceptCovenantReturnType> {
  await preflightCovenant(client, covenant);
  return write(client, "acceptCovenant", "acceptCovenant", [covenant], account);
}

/**
 * {@link acceptCovenant}, then waits: `created` is true when this acceptance created the pod.
 *
 * @example
 * ```ts
 * const { created, podId } = await acceptCovenantSync(bobTroth, { covenant });
 * ```
 */
export async function acceptCovenantSync(client: TrothClient, parameters: AcceptCovenantParameters) {
  const result = await waitForEvents(client, await acceptCovenant(client, parameters));
  const [accepted] = eventsNamed(result.events, "CovenantAccepted");
  return { ...result, podId: accepted.args.podId, created: eventsNamed(result.events, "PodCreated").length > 0 };
}
