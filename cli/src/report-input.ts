/**
 * A check-in report from a file or from the user's editor. The SDK's report has three parts (what I said I'd do, what
 * blocked or surprised me, what's next); the text form puts each under its heading, the JSON form names them.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ReportInput } from "@troth/sdk";
import { CliError } from "./errors.ts";

/** The report's written sections (what a report file holds under its headings). */
type Section = "said" | "blocked" | "next";
const HEADINGS: [Section, string][] = [
  ["said", "What I said I'd do"],
  ["blocked", "What blocked or surprised me"],
  ["next", "What's next"],
];

export const REPORT_TEMPLATE = `${HEADINGS.map(([, heading]) => `# ${heading}\n\n`).join("\n")}
; Lines starting with ";" are ignored. Your report is encrypted for your pod before it leaves this machine.
; Leave everything empty to cancel.
`;

/** Parses a report: JSON `{ said, blocked, next }`, or text with the three `# ` headings. */
export function parseReport(text: string, source: string): ReportInput {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new CliError(`${source} is not valid JSON.`);
    }
    for (const [key] of HEADINGS) {
      if (typeof json[key] !== "string") throw new CliError(`${source} needs a string "${key}".`);
    }
    return { said: json.said as string, blocked: json.blocked as string, next: json.next as string };
  }
  const sections: Partial<Record<keyof ReportInput, string[]>> = {};
  let current: keyof ReportInput | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith(";")) continue;
    const heading = /^#\s+(.*)$/.exec(line);
    if (heading) {
      current = HEADINGS.find(([, h]) => h.toLowerCase() === heading[1].trim().toLowerCase())?.[0];
      if (!current) throw new CliError(`${source}: unknown heading "${heading[1].trim()}".`);
      sections[current] = [];
      continue;
    }
    if (current) sections[current]!.push(line);
  }
  const report = Object.fromEntries(HEADINGS.map(([key]) => [key, (sections[key] ?? []).join("\n").trim()])) as Record<
    Section,
    string
  >;
  if (!report.said && !report.blocked && !report.next) throw new CliError("Empty report: nothing was checked in.");
  const missing = HEADINGS.filter(([key]) => !report[key]).map(([, heading]) => `"${heading}"`);
  if (missing.length > 0) throw new CliError(`${source}: write something under ${missing.join(" and ")}.`);
  return report;
}

/** Opens $VISUAL/$EDITOR on the template and parses what the user saved. */
export function reportFromEditor(env: NodeJS.ProcessEnv = process.env): ReportInput {
  const editor = env.VISUAL || env.EDITOR;
  if (!editor) throw new CliError("Set $EDITOR (or pass --report <file>) to write the report.");
  if (!process.stdin.isTTY) throw new CliError("No terminal for the editor: pass --report <file>.");
  const dir = mkdtempSync(path.join(tmpdir(), "troth-report-"));
  const file = path.join(dir, "REPORT.md");
  try {
    writeFileSync(file, REPORT_TEMPLATE, { mode: 0o600 });
    const result = spawnSync(`${editor} "${file}"`, { stdio: "inherit", shell: true });
    if (result.status !== 0) throw new CliError(`The editor (${editor}) exited with status ${result.status}.`);
    return parseReport(readFileSync(file, "utf8"), "the report");
  } finally {
    // The plaintext never outlives the command.
    rmSync(dir, { recursive: true, force: true });
  }
}

export function reportFromFile(file: string): ReportInput {
  let text: string;
  try {
    text = file === "-" ? readFileSync(0, "utf8") : readFileSync(file, "utf8");
  } catch {
    throw new CliError(`Cannot read the report file ${file}.`);
  }
  return parseReport(text, file === "-" ? "the report on stdin" : file);
}
