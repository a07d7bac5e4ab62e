/** The bundled `troth` (what `npm pack` ships) knows its version and its commands wherever it lies. */
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { runTroth } from "./helpers/troth.ts";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

describe("the bundled troth", () => {
  it("prints the package's version and its commands, with no package.json around it", () => {
    const version = runTroth(["--version"], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? "" } });
    expect(version.status, version.stderr).to.equal(0);
    expect(version.stdout.trim()).to.equal(manifest.version);
    const help = runTroth(["--help"], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? "" } });
    expect(help.stdout).to.match(/^Usage: troth <command>/);
    expect(help.stdout).to.include("audit");
  });

  it("refuses an unknown command in one sentence with exit code 2", () => {
    const run = runTroth(["dance"], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? "" } });
    expect(run.status).to.equal(2);
    expect(run.stderr.trim()).to.equal('troth: Unknown command "dance": run `troth --help` for the list.');
  });
});
