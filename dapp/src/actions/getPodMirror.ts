import {
  type CommitmentContinuity,
  type MirrorReport,
  type PodMirror,
  podMirror,
  readNotes,
  readReport,
  type TrothClient,
} from "@troth/sdk";
import type { IdentityKey } from "@troth/sdk/crypto";
import type { Address } from "viem";

export type GetPodMirrorParameters = {
  podId: bigint;
  reader: Address;
  identity: IdentityKey;
  /** The pod's commitments with their round states (which rounds hold a check-in to read). */
  commitments: readonly CommitmentContinuity[];
  /** How many of the latest rounds to read (default 6). */
  rounds?: number;
};

/**
 * The pod's private mirror, computed here from the reports and replies this device decrypts (the SDK's `podMirror`):
 * nothing of it is sent or stored; it lives in the query cache, in memory.
 */
export async function getPodMirror(
  client: TrothClient,
  { podId, reader, identity, commitments, rounds = 6 }: GetPodMirrorParameters,
): Promise<PodMirror> {
  const wanted = commitments.flatMap((c) =>
    c.roundStates
      .map((state, round) => ({ state, round }))
      .filter(({ state }) => state === "witnessed" || state === "reported")
      .slice(-rounds)
      .map(({ round }) => ({ member: c.account, tokenId: c.tokenId, round })),
  );
  const [opened, notes] = await Promise.all([
    Promise.allSettled(wanted.map((w) => readReport(client, { tokenId: w.tokenId, round: w.round, identity }))),
    readNotes(client, { podId, identity }),
  ]);
  const reports: MirrorReport[] = opened.flatMap((result, i) =>
    result.status === "fulfilled" ? [{ member: wanted[i].member, round: wanted[i].round, report: result.value }] : [],
  );
  const replies = notes.notes.flatMap((n) =>
    n.kind === "reply" ? [{ from: n.author, round: n.round, reply: n.document.reply }] : [],
  );
  return podMirror({ reader, reports, replies });
}
