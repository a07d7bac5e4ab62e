/** Terminal prompts: a password without echo, and a line of text. */
import { createInterface } from "node:readline/promises";
import { CliError } from "./errors.ts";

/** Reads a password from the terminal without echoing it; refuses when there is no terminal to ask. */
export async function promptPassword(question: string, envHint = "TROTH_PASSWORD"): Promise<string> {
  const { stdin, stderr } = process;
  if (!stdin.isTTY) {
    throw new CliError(`A password is needed and there is no terminal to ask: set ${envHint}.`);
  }
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  try {
    return await new Promise<string>((resolve, reject) => {
      let password = "";
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === "\r" || char === "\n" || char === "\u0004") {
            stdin.off("data", onData);
            stderr.write("\n");
            resolve(password);
            return;
          }
          if (char === "\u0003") {
            stdin.off("data", onData);
            stderr.write("\n");
            reject(new CliError("Cancelled."));
            return;
          }
          if (char === "\u007f" || char === "\b") password = password.slice(0, -1);
          else password += char;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
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
