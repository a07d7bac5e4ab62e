/** Runs `troth` as a user would: a new Node process on the bundled CLI (cli/test/bundle.ts builds it once). */
import { type SpawnSyncOptionsWithStringEncoding, spawnSync } from "node:child_process";
import { inject } from "vitest";

/** The command line that starts `troth`, for a shell (`script -qec …`). */
export function trothCommandLine(args: string[]): string {
  return [process.execPath, inject("trothBin"), ...args].join(" ");
}

export function runTroth(args: string[], options: Omit<SpawnSyncOptionsWithStringEncoding, "encoding"> = {}) {
  return spawnSync(process.execPath, [inject("trothBin"), ...args], { ...options, encoding: "utf8" });
}
