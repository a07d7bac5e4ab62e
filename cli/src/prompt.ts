/** Terminal prompts: a password without echo, and a line of text. */
import { createInterface } from "node:readline/promises";
import { CliError } from "./errors.ts";

/**
 * What has been typed at a password prompt, between chunks of terminal input: the password so far, where a terminal
 * escape sequence stands if one is under way (a chunk may end inside one), and the first bytes of a UTF-8 character
 * whose rest is still to come.
 */
export type PasswordEntry = {
  readonly password: string;
  /** "esc" after ESC; "csi" inside `ESC [ parameters… final`; "ss3" after `ESC O`; else "none". */
  readonly sequence: "none" | "esc" | "csi" | "ss3";
  readonly partial: readonly number[];
};

export type PasswordStep =
  | { readonly status: "typing"; readonly entry: PasswordEntry }
  | { readonly status: "done"; readonly password: string }
  | { readonly status: "aborted" };

export const EMPTY_ENTRY: PasswordEntry = { password: "", sequence: "none", partial: [] };

/** How long a lone ESC (or a sequence cut short) may wait for the rest of its sequence: a terminal sends a sequence at
 * once, a person's next key comes later. */
export const ESCAPE_TIMEOUT_MS = 50;

const ESC = 0x1b;
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The password without its last character as a person sees it (a whole emoji, an accented letter). */
function withoutLast(password: string): string {
  let last = 0;
  for (const { index } of graphemes.segment(password)) last = index;
  return password.slice(0, last);
}

/** The length of the UTF-8 sequence that `lead` starts (0: not a lead byte). */
function utf8Length(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * One chunk of raw terminal input at a password prompt: Enter (or Ctrl-D) ends it, Ctrl-C aborts it, Backspace deletes
 * the last character, Ctrl-U the whole password; terminal escape sequences (arrow keys, Home, End, Delete, function
 * keys, bracketed-paste markers: CSI `ESC [ … final`, SS3 `ESC O x`, `ESC x`, a lone ESC) and other control characters
 * are ignored; everything else (Tab included) is typed. A sequence or UTF-8 character split across chunks is carried in
 * the entry. Pure: no terminal needed.
 */
export function typePassword(entry: PasswordEntry, chunk: string | Uint8Array): PasswordStep {
  const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
  let { password, sequence } = entry;
  let partial = [...entry.partial];
  for (const byte of bytes) {
    if (partial.length > 0) {
      if (byte >= 0x80 && byte <= 0xbf) {
        partial.push(byte);
        if (partial.length < utf8Length(partial[0])) continue;
        let char = "";
        try {
          char = strictUtf8.decode(Uint8Array.from(partial));
        } catch {
          // An overlong or surrogate encoding: not a character, dropped.
        }
        partial = [];
        // C1 controls (U+0080–U+009F) are not typed.
        if (char && char.codePointAt(0)! > 0x9f) password += char;
        continue;
      }
      partial = []; // A character cut short: dropped, and this byte read afresh.
    }
    if (sequence === "esc") {
      if (byte === 0x5b /* [ */) sequence = "csi";
      else if (byte === 0x4f /* O */) sequence = "ss3";
      else if (byte !== ESC) sequence = "none";
      if (sequence !== "none" || (byte >= 0x20 && byte <= 0x7e)) continue; // ESC x (Alt-x and the like) included
      // A lone ESC before a control or non-ASCII byte: that byte is read afresh below.
    } else if (sequence === "csi") {
      if (byte >= 0x20 && byte <= 0x3f) continue; // parameter and intermediate bytes
      sequence = "none";
      if (byte >= 0x40 && byte <= 0x7e) continue; // the final byte
      // Anything else cuts the sequence short and is read afresh, so that Enter and Ctrl-C always work.
    } else if (sequence === "ss3") {
      sequence = "none";
      if (byte >= 0x20 && byte <= 0x7e) continue; // SS3's one character
    }
    if (byte === 0x0d || byte === 0x0a || byte === 0x04) return { status: "done", password };
    if (byte === 0x03) return { status: "aborted" };
    if (byte === 0x7f || byte === 0x08) password = withoutLast(password);
    else if (byte === 0x15) password = "";
    else if (byte === ESC) sequence = "esc";
    else if (byte === 0x09 || (byte >= 0x20 && byte < 0x7f)) password += String.fromCharCode(byte);
    else if (utf8Length(byte) > 0) partial = [byte];
    // Other control characters, and bytes that cannot start a UTF-8 character, are ignored.
  }
  return { status: "typing", entry: { password, sequence, partial } };
}

/** No more input came within {@link ESCAPE_TIMEOUT_MS}: an escape sequence under way was a lone ESC, or cut short. */
export function settleEscape(entry: PasswordEntry): PasswordEntry {
  return entry.sequence === "none" ? entry : { ...entry, sequence: "none" };
}

/** Reads a password from the terminal without echoing it; refuses when there is no terminal to ask. */
export async function promptPassword(question: string, envHint = "TROTH_PASSWORD"): Promise<string> {
  const { stdin, stderr } = process;
  if (!stdin.isTTY) {
    throw new CliError(`A password is needed and there is no terminal to ask: set ${envHint}.`);
  }
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  let timer: NodeJS.Timeout | undefined;
  let onData: ((chunk: string | Buffer) => void) | undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      let entry = EMPTY_ENTRY;
      onData = (chunk) => {
        clearTimeout(timer);
        const step = typePassword(entry, chunk);
        if (step.status === "typing") {
          entry = step.entry;
          if (entry.sequence !== "none") {
            timer = setTimeout(() => {
              entry = settleEscape(entry);
            }, ESCAPE_TIMEOUT_MS);
          }
          return;
        }
        stderr.write("\n");
        if (step.status === "done") resolve(step.password);
        else reject(new CliError("Cancelled."));
      };
      stdin.on("data", onData);
    });
  } finally {
    clearTimeout(timer);
    if (onData) stdin.off("data", onData);
    stdin.setRawMode(false);
    stdin.pause();
  }
}

/** Asks a yes/no question on the terminal (default no). */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
