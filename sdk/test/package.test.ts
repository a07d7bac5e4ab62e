import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { staleFiles } from "../scripts/generate.ts";

const sdkRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(path.join(sdkRoot, "package.json"), "utf8"));

describe("package", () => {
  it("exports the same public names from each entry point (snapshot)", async () => {
    const entries: Record<string, string[]> = {};
    for (const [entry, file] of Object.entries(manifest.exports as Record<string, string>)) {
      if (!file.endsWith(".ts")) continue;
      entries[entry] = Object.keys(await import(path.join(sdkRoot, file))).sort();
    }
    expect(entries).toMatchSnapshot();
  });

  it("is ESM, side-effect free, with the entry points the docs name", () => {
    expect(manifest.type).to.equal("module");
    expect(manifest.sideEffects).to.equal(false);
    expect(Object.keys(manifest.exports)).to.include.members([".", "./crypto", "./storage", "./audit"]);
  });

  it("has generated ABIs and deployments that match the artifacts (run `npm run generate -w sdk`)", () => {
    expect(staleFiles()).to.deep.equal([]);
  });
});
