import { type Address, getAddress, hashTypedData } from "viem";
import type { TrothClient } from "../client.ts";
import { type Covenant, podIdFromDigest, trothDomain, trothTypes } from "../eip712.ts";
import { TrothContractError } from "../errors/troth.ts";
import { readTroth } from "../internal/contract.ts";

export type GetCovenantConsentsParameters = { covenant: Covenant };
export type GetCovenantConsentsReturnType = {
  podId: bigint;
  /** The members who accepted it on chain (`acceptCovenant`, or `approveHash` of its digest), in covenant order. */
  accepted: Address[];
  /** Whether the pod exists (it does once everyone has accepted, or once someone sent every signature). */
  created: boolean;
};
export type GetCovenantConsentsErrorType = TrothContractError;

/**
 * Who has accepted a proposed covenant on chain, and whether its pod exists: contract views only (the approvals the
 * contract itself counts when the last member accepts), no log scan.
 *
 * @example
 * ```ts
 * const { accepted, created } = await getCovenantConsents(troth, { covenant });
 * console.log(`${accepted.length} of ${covenant.members.length} have signed`, created ? "(live)" : "");
 * ```
 */
export async function getCovenantConsents(
  client: TrothClient,
  { covenant }: GetCovenantConsentsParameters,
): Promise<GetCovenantConsentsReturnType> {
  const digest = hashTypedData({
    domain: trothDomain(client.chainId, client.address),
    types: trothTypes,
    primaryType: "Covenant",
    message: covenant,
  });
  const podId = podIdFromDigest(digest);
  const [created, ...approved] = await Promise.all([
    readTroth(client, "podState", [podId]).then(
      () => true,
      (error) => {
        if (error instanceof TrothContractError && error.errorName === "PodNonexistent") return false;
        throw error;
      },
    ),
    ...covenant.members.map((member) => readTroth(client, "isHashApproved", [member, digest])),
  ]);
  return {
    podId,
    accepted: covenant.members.filter((_, i) => approved[i]).map((member) => getAddress(member)),
    created,
  };
}
