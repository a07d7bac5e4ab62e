import type { Hash } from "viem";
import type { TrothClient } from "../client.ts";
import { readTroth } from "../internal/contract.ts";
import { type CreatePodErrorType, type CreatePodParameters, createPod, createPodSync } from "./createPod.ts";

export type RenewPodParameters = Omit<CreatePodParameters, "previousPod"> & {
  /** The pod whose cycle ended; every member of the renewal must have stayed in it to the end. */
  previousPod: bigint;
};
export type RenewPodReturnType = Hash;
export type RenewPodErrorType = CreatePodErrorType;

/** The renewal's terms: the previous pod's (current era) unless given. */
async function withPreviousTerms(client: TrothClient, parameters: RenewPodParameters): Promise<CreatePodParameters> {
  const state = await readTroth(client, "podState", [parameters.previousPod]);
  return {
    cadence: state.cadence,
    grace: state.grace,
    rounds: state.rounds,
    // The renewal may be smaller than the pod it renews: quorum stays below its member count.
    quorum: Math.min(state.quorum, parameters.members.length - 1),
    ...parameters,
  };
}

/**
 * Renews a pod for another cycle (a new covenant, new key, new tokens that continue each member's lineage). Members
 * who complete a second cycle graduate.
 *
 * @example
 * ```ts
 * const hash = await renewPod(troth, {
 *   previousPod: podId,
 *   title: "Summer pod",
 *   whenSomeoneMisses: "We ask what got in the way, and begin again.",
 *   members: [{ address: alice, commitment: "Finish the draft" }, { address: bob, commitment: "Run a 10k" }],
 *   signers: [aliceWallet, bobWallet],
 * });
 * ```
 */
export async function renewPod(client: TrothClient, parameters: RenewPodParameters): Promise<RenewPodReturnType> {
  return createPod(client, await withPreviousTerms(client, parameters));
}

/**
 * {@link renewPod}, then waits: returns the new pod id and tokens.
 *
 * @example
 * ```ts
 * const { podId: renewed } = await renewPodSync(troth, { previousPod: podId, ...terms, signers });
 * ```
 */
export async function renewPodSync(client: TrothClient, parameters: RenewPodParameters) {
  return createPodSync(client, await withPreviousTerms(client, parameters));
}
