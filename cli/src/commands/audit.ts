import { createAudit } from "@troth/sdk/audit";
import { type Address, isAddress, isAddressEqual } from "viem";
import { type Command, noMorePositionals, parseAddress, parseId, positional } from "../args.ts";
import { CliError } from "../errors.ts";
import { commitmentLines, idText, podLines, ROUND_LEGEND, roundLabel } from "../format.ts";

export const audit: Command = {
  summary: "rebuild a pod's, a commitment's or an address's continuity from the contract's logs alone",
  usage: "<pod|token|address>",
  help: "The SDK's embedded indexer replays every Troth event from the deployment block: no contract view is trusted.",
  options: {},
  async run(ctx, _values, positionals) {
    const target = positional(positionals, 0, "pod, token or address");
    noMorePositionals(positionals, 1);
    const client = await ctx.client();
    let shown = 0n;
    const auditor = createAudit({
      publicClient: client.publicClient,
      address: client.address,
      startBlock: client.startBlock,
      // The SDK reads ranges the provider accepts, several at once; a line every 100,000 blocks says how far it got.
      onProgress: ({ block, target }) => {
        if (block - shown < 100_000n && block !== target) return;
        shown = block;
        ctx.out.progress(`reading Troth's logs: block ${block} of ${target}`);
      },
    });
    await auditor.sync();
    const head = auditor.block;
    const podIds = auditor.podIds();
    const header = `Audit of ${client.address} on chain ${client.chainId}, from its logs up to block ${head}`;

    if (isAddress(target, { strict: false })) {
      const account: Address = parseAddress(target, "address");
      const pods = podIds.filter((podId) => auditor.members(podId).some((m) => isAddressEqual(m.account, account)));
      const entries = pods.map((podId) => {
        const continuity = auditor.continuity(podId);
        return {
          pod: continuity.pod,
          commitments: continuity.commitments.filter((c) => isAddressEqual(c.account, account)),
          vitality: auditor.vitality(podId),
        };
      });
      const lines = [header, `Account ${account}: ${entries.length} pod(s)`, `  ${ROUND_LEGEND}`];
      for (const e of entries) {
        lines.push("", ...podLines(e.pod));
        for (const c of e.commitments) lines.push(...commitmentLines(c, `#${Number(c.tokenId & 0xffn)} ${c.account}`));
      }
      return ctx.out.result({ kind: "address", block: head, account, pods: entries }, lines);
    }

    const id = parseId(target, "pod, token or address");
    if (podIds.includes(id)) {
      const continuity = auditor.continuity(id);
      const vitality = auditor.vitality(id);
      const lines = [header, "", ...podLines(continuity.pod), "", "Members", `  ${ROUND_LEGEND}`];
      for (const c of continuity.commitments)
        lines.push(...commitmentLines(c, `#${Number(c.tokenId & 0xffn)} ${c.account}`));
      lines.push("", "Vitality");
      lines.push(
        vitality.decay.length === 0
          ? "  no decay signal"
          : `  decay: ${vitality.decay.map((d) => `${d.account} ${d.reason} at ${roundLabel(d.round)}`).join("; ")}`,
      );
      if (vitality.oneSided.witnessOnly.length > 0) {
        lines.push(
          `  witnessing only, never checking in: ${vitality.oneSided.witnessOnly.map((w) => w.account).join(", ")}`,
        );
      }
      if (vitality.oneSided.dominantWitness) {
        const d = vitality.oneSided.dominantWitness;
        lines.push(`  one witness does most of the witnessing: ${d.account} (${Math.round(d.share * 100)} %)`);
      }
      if (vitality.renewal.renewedBy) lines.push(`  renewed by pod ${idText(vitality.renewal.renewedBy)}`);
      else if (vitality.renewal.renewable) lines.push("  ended: ready to renew for another cycle");
      if (vitality.graduation.graduated.length > 0)
        lines.push(`  graduated: ${vitality.graduation.graduated.join(", ")}`);
      return ctx.out.result({ kind: "pod", block: head, ...continuity, vitality }, lines);
    }
    if (podIds.includes(id >> 8n) && auditor.members(id >> 8n).some((m) => m.tokenId === id)) {
      const commitment = auditor.commitment(id);
      const pod = auditor.pod(id >> 8n);
      return ctx.out.result({ kind: "commitment", block: head, pod, commitment }, [
        header,
        "",
        ...podLines(pod),
        "",
        `  ${ROUND_LEGEND}`,
        ...commitmentLines(commitment, `#${Number(id & 0xffn)} ${commitment.account}`),
      ]);
    }
    throw new CliError(
      `No pod or commitment ${idText(id)} in the logs of ${client.address} (read up to block ${head}).`,
    );
  },
};
