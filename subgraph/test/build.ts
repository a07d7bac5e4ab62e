/**
 * vitest global setup of the subgraph project: the tests execute graph-cli's build output, so make sure it is built
 * from the current sources (prepare → codegen → build, as `npm test` does) when it is missing or older than them.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const subgraphDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const buildDir = path.join(subgraphDir, "build");
const wasm = path.join(buildDir, "Troth/Troth.wasm");

function sources(): string[] {
  const src = path.join(subgraphDir, "src");
  return [
    path.join(subgraphDir, "schema.graphql"),
    path.join(subgraphDir, "subgraph.yaml"),
    path.resolve(subgraphDir, "../artifacts/contracts/Troth.sol/Troth.json"),
    ...readdirSync(src).map((f) => path.join(src, f)),
  ];
}

export default function setup(): void {
  const built = existsSync(wasm) ? statSync(wasm).mtimeMs : 0;
  if (sources().every((f) => statSync(f).mtimeMs <= built)) return;
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: subgraphDir, stdio: "inherit" });
  run(process.execPath, ["scripts/prepare.ts"]);
  run("npx", ["graph", "codegen"]);
  run("npx", ["graph", "build"]);
}
