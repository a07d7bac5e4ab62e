import { spawnSync } from "node:child_process";
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

  it("loads Helia only when a Helia store is created, not when `@troth/sdk/storage` is imported", () => {
    // A fresh process, so what this test file already imported does not count: it records every Helia module loaded.
    const script = `
      import { registerHooks } from "node:module";
      import { mkdtempSync, rmSync } from "node:fs";
      import { tmpdir } from "node:os";
      import path from "node:path";
      const loaded = new Set();
      registerHooks({
        load(url, context, next) {
          const name = ["helia", "blockstore-fs", "datastore-fs"].find((n) => url.includes("/node_modules/" + n + "/"));
          if (name) loaded.add(name);
          return next(url, context);
        },
      });
      const storage = await import(${JSON.stringify(path.join(sdkRoot, manifest.exports["./storage"]))});
      storage.createKuboStore({ url: "http://127.0.0.1:1" });
      const onImport = [...loaded];
      const directory = mkdtempSync(path.join(tmpdir(), "troth-lazy-helia-"));
      const store = await storage.createHeliaStore({ directory });
      await store.close();
      rmSync(directory, { recursive: true, force: true });
      console.log(JSON.stringify({ onImport, onCreate: [...loaded].sort() }));
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.status, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout)).to.deep.equal({
      onImport: [],
      onCreate: ["blockstore-fs", "datastore-fs", "helia"],
    });
  });

  it("has generated ABIs and deployments that match the artifacts (run `npm run generate -w sdk`)", () => {
    expect(staleFiles()).to.deep.equal([]);
  });
});
