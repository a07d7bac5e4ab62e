/** `troth ics`: the pod's rounds as a calendar, written by the SDK's one .ics writer (the dApp's button uses it too). */
import { writeFile } from "node:fs/promises";
import { getPodCalendar, readCovenant } from "@troth/sdk";
import { type Command, noMorePositionals, parseId, positional } from "../args.ts";
import { idText } from "../format.ts";

export const ics: Command = {
  summary: "a calendar file (.ics) of the pod's rounds and their grace windows",
  usage: "<pod> [--read | --name <text>] [--out <file>]",
  help: `Each round is an event from its opening to its grace window; the grace window (when it can still be checked
in) is a second event with an alarm. Rounds are numbered from 1. Times follow the schedule as it stands (a pause or an
amendment moves them: export again, the events keep their ids and move).
  --read          name the calendar after the pod (its covenant's title, which only members can decrypt)
  --name <text>   name it yourself (default: "Troth pod <id>")
  --out <file>    write it to a file (default: print it)`,
  options: { out: { type: "string" }, name: { type: "string" }, read: { type: "boolean", default: false } },
  async run(ctx, values, positionals) {
    const podId = parseId(positional(positionals, 0, "pod"), "pod");
    noMorePositionals(positionals, 1);
    const client = await ctx.client();
    let name = values.name ?? `Troth pod ${idText(podId).slice(0, 10)}…`;
    if (values.read && !values.name) {
      ctx.out.progress("decrypting the covenant for the pod's name");
      name = (await readCovenant(client, { podId, identity: await ctx.identity() })).title;
    }
    const { ics: text, windows } = await getPodCalendar(client, { podId, name });
    if (values.out) await writeFile(values.out, text);
    if (ctx.out.json) return ctx.out.result({ podId, name, file: values.out ?? null, rounds: windows }, "");
    if (values.out)
      return ctx.out.result(null, `Wrote ${windows.length} rounds of pod ${idText(podId)} to ${values.out}.`);
    process.stdout.write(text);
  },
};
