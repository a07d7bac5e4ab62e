/**
 * vitest globalSetup of the cli project: bundles the CLI once, as `npm pack` ships it (scripts/package/bundle.ts),
 * into a temporary folder, so every test runs the `troth` a user installs: one file with the SDK inside.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { bundleCli } from "../../scripts/package/bundle.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The bundled CLI, dist/troth.js of a build made for this test run. */
    trothBin: string;
  }
}

const cliRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export default async function setup(project: TestProject) {
  const out = mkdtempSync(path.join(tmpdir(), "troth-cli-bundle-"));
  const { file } = await bundleCli(cliRoot, out);
  project.provide("trothBin", file);
  return () => rmSync(out, { recursive: true, force: true });
}
