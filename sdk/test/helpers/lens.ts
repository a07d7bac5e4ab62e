/**
 * The reference the audit is held to: the contract's own views (TrothLens's pod, members, commitment and round
 * states; Troth's `claimOf` and `memberRecord`), with every enum named as the contract numbers it, spelled out here so
 * the reference does not lean on the SDK's own names.
 */
import { type Address, getAddress } from "viem";
import type { TrothFixture } from "../../../test/helpers/troth.ts";

const podStatuses = ["none", "scheduled", "active", "paused", "ended", "dissolved"] as const;
const memberStatuses = ["none", "active", "left", "replaced", "burned", "recovered"] as const;
const roundStates = ["upcoming", "open", "reported", "witnessed", "missed", "paused", "outside"] as const;
const commitmentStatuses = [
  "none",
  "active",
  "lapsed",
  "paused",
  "left",
  "completed",
  "graduated",
  "dissolved",
  "burned",
  "replaced",
  "ended",
] as const;
const claimKinds = [undefined, "replacement", "recovery"] as const;

/** The pod, its members and every commitment (with its round states and standing claim), as the contract shows them. */
export async function lensContinuity(f: TrothFixture, podId: bigint) {
  const [pod, members] = await Promise.all([f.lens.read.pod([podId]), f.lens.read.members([podId])]);
  const commitments = await Promise.all(
    members.map(async ({ tokenId }) => {
      const [view, states, claim] = await Promise.all([
        f.lens.read.commitment([tokenId]),
        f.lens.read.roundStates([tokenId]),
        f.troth.read.claimOf([tokenId]),
      ]);
      return {
        ...view,
        status: commitmentStatuses[view.status],
        roundStates: states.map((s) => roundStates[s]),
        claim:
          claim.kind === 0
            ? null
            : { kind: claimKinds[claim.kind], successor: getAddress(claim.successor), notBefore: claim.notBefore },
      };
    }),
  );
  return {
    pod: { ...pod, status: podStatuses[pod.status] },
    members: members.map((m) => ({ ...m, status: memberStatuses[m.status] })),
    commitments,
  };
}

/** `Troth.memberRecord` without the pending check-in cache (which no event carries), with the status named. */
export async function lensMemberRecord(f: TrothFixture, podId: bigint, account: Address) {
  const {
    pendingRound: _r,
    pendingQuorum: _q,
    pendingClosesAt: _c,
    ...record
  } = await f.troth.read.memberRecord([podId, account]);
  return { ...record, status: memberStatuses[record.status] };
}
