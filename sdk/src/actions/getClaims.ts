import type { TrothClient } from "../client.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { type Claim, readClaim } from "../internal/claims.ts";
import { readLens } from "../internal/contract.ts";
import { chainTime, membersOf, toPodView } from "../internal/pod.ts";

export type GetClaimsParameters = { podId: bigint };
export type GetClaimsReturnType = Claim[];
export type GetClaimsErrorType = TrothContractError;

/**
 * Every claim standing on a pod's active members (see {@link getClaim}), in token order.
 *
 * @example
 * ```ts
 * for (const claim of await getClaims(troth, { podId })) console.log(claim.kind, claim.member, claim.notBefore);
 * ```
 */
export async function getClaims(client: TrothClient, { podId }: GetClaimsParameters): Promise<GetClaimsReturnType> {
  const [members, pod, now] = await Promise.all([
    membersOf(client, podId),
    readLens(client, "pod", [podId]).then(toPodView),
    chainTime(client),
  ]);
  const claims = await Promise.all(
    members.filter((m) => m.status === "active").map((m) => readClaim(client, m.tokenId, { pod, now })),
  );
  return claims.filter((c) => c.kind !== "none");
}
