/** The script that generates the subgraph's ABI and networks.json (never edited by hand). */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PrepareError, prepare } from "../scripts/prepare.ts";
import { subgraphDir } from "./build.ts";

const address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("prepare", () => {
  let dir: string;
  let deployments: string;
  const out = () => path.join(dir, "networks.json");
  const run = (options: Parameters<typeof prepare>[0] = {}) =>
    prepare({ abiDir: path.join(dir, "abis"), out: out(), deploymentsDir: deployments, ...options });
  const deploy = (file: string, content: unknown) => {
    mkdirSync(deployments, { recursive: true });
    writeFileSync(path.join(deployments, file), JSON.stringify(content));
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "troth-prepare-"));
    deployments = path.join(dir, "deployments");
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("copies Troth's ABI from the Hardhat artifact", () => {
    const { abiFile } = run({ address, startBlock: "0" });
    const artifact = JSON.parse(
      readFileSync(path.resolve(subgraphDir, "../artifacts/contracts/Troth.sol/Troth.json"), "utf8"),
    );
    expect(JSON.parse(readFileSync(abiFile, "utf8"))).to.deep.equal(artifact.abi);
  });

  it("writes networks.json from --address and --start-block", () => {
    run({ network: "sepolia", address, startBlock: "123" });
    expect(JSON.parse(readFileSync(out(), "utf8"))).to.deep.equal({
      sepolia: { Troth: { address, startBlock: 123 } },
    });
  });

  it("writes networks.json from every deployments/<chainId>.json", () => {
    deploy("31337.json", { chainId: 31337, troth: address, lens: address, governance: address, startBlock: 1 });
    deploy("84532.json", { chainId: 84532, troth: address, lens: address, governance: address, startBlock: 99 });
    run();
    expect(JSON.parse(readFileSync(out(), "utf8"))).to.deep.equal({
      localhost: { Troth: { address, startBlock: 1 } },
      "base-sepolia": { Troth: { address, startBlock: 99 } },
    });
  });

  it("says what to do when there is no deployment, and fails when one is required", () => {
    const result = run();
    expect(result.networksFile).to.equal(undefined);
    expect(result.notice).to.include("run `npm start`");
    expect(() => run({ requireNetwork: true })).to.throw(PrepareError, "no deployment found");
    deploy("31337.json", { chainId: 31337, troth: address, lens: address, governance: address, startBlock: 1 });
    expect(() => run({ network: "sepolia", requireNetwork: true })).to.throw(
      PrepareError,
      'no deployment for network "sepolia"',
    );
  });

  it("rejects bad input with a clear error", () => {
    expect(() => run({ address: "0x1234", startBlock: "1" })).to.throw(PrepareError, "--address");
    expect(() => run({ address })).to.throw(PrepareError, "--start-block");
    expect(() => run({ address, startBlock: "-1" })).to.throw(PrepareError, "--start-block");
    deploy("1.json", { chainId: 10, troth: address, startBlock: 0 });
    expect(() => run()).to.throw(PrepareError, "1.json holds chainId 10");
    rmSync(deployments, { recursive: true });
    deploy("777.json", { chainId: 777, troth: address, startBlock: 0 });
    expect(() => run()).to.throw(PrepareError, "chain 777 has no known graph network name");
    rmSync(deployments, { recursive: true });
    deploy("31337.json", { chainId: 31337, troth: "nope", startBlock: 0 });
    expect(() => run()).to.throw(PrepareError, "troth must be");
  });

  it("exits with a message, not a stack trace, from the command line", () => {
    let stderr = "";
    try {
      execFileSync(process.execPath, ["scripts/prepare.ts", "--address", "0x1", "--start-block", "1", "--out", out()], {
        cwd: subgraphDir,
        stdio: "pipe",
      });
    } catch (error) {
      stderr = String((error as { stderr: Buffer }).stderr);
    }
    expect(stderr.trim()).to.equal("prepare: --address must be a 0x-prefixed 20-byte address");
  });
});
