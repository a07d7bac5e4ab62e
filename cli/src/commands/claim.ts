/** The commands of a claim on a member (a replacement by the absence rule, a wallet recovery): show, cancel, complete. */
import { cancelClaimSync, completeClaimSync, getClaim, getPod, PodNotFoundError, type TrothClient } from "@troth/sdk";
import { type Command, noMorePositionals, parseId, positional } from "../args.ts";
import { CliError } from "../errors.ts";
import { claimLines, idText, roundLabel } from "../format.ts";

/** The token id a claim command names (checked before anything is asked of the network). */
function tokenArgument(positionals: string[]): bigint {
  const tokenId = parseId(positional(positionals, 0, "token"), "token");
  noMorePositionals(positionals, 1);
  return tokenId;
}

/** The token id checked to be a commitment of a pod. */
async function claimedToken(client: TrothClient, tokenId: bigint): Promise<bigint> {
  const pod = await getPod(client, { podId: tokenId >> 8n }).catch((error) => {
    if (error instanceof PodNotFoundError) throw new CliError(`No commitment has the token id ${idText(tokenId)}.`);
    throw error;
  });
  if (!pod.members.some((m) => m.tokenId === tokenId)) {
    throw new CliError(
      `No commitment has the token id ${idText(tokenId)} (pod ${idText(pod.podId)} has ${pod.members.length}).`,
    );
  }
  return tokenId;
}

export const claimShow: Command = {
  summary: "the claim standing on a commitment: what it asks, and its countdown",
  usage: "<token>",
  options: {},
  async run(ctx, _values, positionals) {
    const token = tokenArgument(positionals);
    const client = await ctx.client();
    const tokenId = await claimedToken(client, token);
    const claim = await getClaim(client, { tokenId });
    if (claim.kind === "none") return ctx.out.result(claim, `No claim stands on token ${idText(tokenId)}.`);
    ctx.out.result(claim, [`Claim on pod ${idText(claim.podId)}`, ...claimLines(claim).map((line) => `  ${line}`)]);
  },
};

export const claimCancel: Command = {
  summary: "withdraw a claim on your own commitment (I am here; this wallet is not lost)",
  usage: "<token>",
  help: "Any other action of yours in the pod (a check-in, a witness, a consent) cancels it too.",
  options: {},
  async run(ctx, _values, positionals) {
    const token = tokenArgument(positionals);
    const client = await ctx.client({ write: true });
    const tokenId = await claimedToken(client, token);
    ctx.out.progress("cancelling the claim");
    const { hash } = await cancelClaimSync(client, { tokenId });
    ctx.out.result({ tokenId, transaction: hash }, [
      `Cancelled the claim on token ${idText(tokenId)}.`,
      `Transaction ${hash}`,
    ]);
  },
};

export const claimComplete: Command = {
  summary: "complete a claim whose objection window has passed (anyone may)",
  usage: "<token>",
  help: "A replacement gives the newcomer a new token (the absent member reads Replaced); a recovery moves the token to the new address.",
  options: {},
  async run(ctx, _values, positionals) {
    const token = tokenArgument(positionals);
    const client = await ctx.client({ write: true });
    const tokenId = await claimedToken(client, token);
    ctx.out.progress("completing the claim");
    const done = await completeClaimSync(client, { tokenId });
    if (done.kind === "recovery") {
      return ctx.out.result(
        { kind: done.kind, tokenId, account: done.account, lost: done.lost, transaction: done.hash },
        [
          `Recovered token ${idText(tokenId)}: ${done.account} holds it now (${done.lost} can no longer act in the pod).`,
          `Transaction ${done.hash}`,
        ],
      );
    }
    ctx.out.result(
      {
        kind: done.kind,
        replacedTokenId: done.replacedTokenId,
        tokenId: done.tokenId,
        account: done.account,
        joinedRound: done.joinedRound,
        transaction: done.hash,
      },
      [
        `Replaced token ${idText(tokenId)} by ${done.account} (token ${idText(done.tokenId)}, from ${roundLabel(done.joinedRound)}).`,
        `Transaction ${done.hash}`,
      ],
    );
  },
};
