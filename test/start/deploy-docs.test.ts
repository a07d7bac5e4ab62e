/**
 * docs/deploy.md, rehearsed: the `sh ci` block of its "Rehearse it locally" section runs as written against an
 * `npm start` stack whose IPFS node asks for a token (the deploy script a public network uses, the subgraph's inputs,
 * the config, the dApp built and published on IPFS), then its results are checked: the deployment record, the
 * subgraph's networks.json, the published app and its config served by CID, and the node refusing the publish without
 * the token. The guide and this test cannot drift apart: the test reads its commands from the guide.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishDapp } from "../../scripts/publish-dapp/index.ts";
import { repoRoot, type Stack, startStack } from "./helpers/stack.ts";

const TOKEN = "rehearsal-token-8d2f";
let stack: Stack;

/** The guide's `sh ci` block. */
function rehearsal(): string {
  const guide = readFileSync(path.join(repoRoot, "docs", "deploy.md"), "utf8");
  const block = /```sh ci\n([\s\S]*?)```/.exec(guide);
  if (!block) throw new Error("docs/deploy.md has no ```sh ci block");
  return block[1];
}

beforeAll(async () => {
  stack = await startStack({ seed: false, app: false, ipfsToken: TOKEN });
}, 600_000);

afterAll(async () => {
  if (!stack) return;
  await stack.stop();
  rmSync(path.join(repoRoot, "ignition", "deployments", `rehearsal-${path.basename(stack.work)}`), {
    recursive: true,
    force: true,
  });
  stack.clean();
});

describe("docs/deploy.md, rehearsed on the local chain", () => {
  it("runs the guide's commands: deploy, subgraph inputs, config, build and publish:dapp", async () => {
    const { stdout, stderr } = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", rehearsal()], {
      cwd: repoRoot,
      env: { ...process.env, RPC_URL: stack.rpcUrl, IPFS_API: stack.ipfsUrl, IPFS_TOKEN: TOKEN, WORK: stack.work },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 480_000,
    }).catch((error) => {
      throw new Error(`the rehearsal failed:\n${error.stdout?.slice(-2000)}\n${error.stderr?.slice(-2000)}`);
    });
    expect(stdout + stderr).not.to.contain(TOKEN);

    const record = JSON.parse(readFileSync(path.join(stack.work, "deployments", "31337.json"), "utf8"));
    expect(record).to.include.keys("troth", "lens", "governance", "startBlock");
    const networks = JSON.parse(readFileSync(path.join(stack.work, "networks.json"), "utf8"));
    expect(networks.localhost.Troth).to.deep.equal({ address: record.troth, startBlock: record.startBlock });

    const published = JSON.parse(readFileSync(path.join(stack.work, "published.json"), "utf8"));
    expect(published.url).to.equal(`${stack.ipfsUrl}/ipfs/${published.cid}/`);
    const index = await fetch(published.url);
    expect(index.headers.get("content-type")).to.equal("text/html; charset=utf-8");
    const html = await index.text();
    const script = /src="(\.\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, "index.html loads its script by a relative URL").not.to.equal(undefined);
    const js = await fetch(new URL(script!, published.url));
    expect([js.status, js.headers.get("content-type")]).to.deep.equal([200, "text/javascript; charset=utf-8"]);
    const config = await (await fetch(`${published.url}troth-config.json`)).json();
    expect(config.contracts).to.deep.equal({ troth: record.troth, lens: record.lens });
    expect(JSON.stringify(config)).not.to.contain(TOKEN);

    // The same publish without the token: refused, as the node asks for it.
    await expect(publishDapp({ dist: path.join(repoRoot, "dapp", "dist"), apiUrl: stack.ipfsUrl })).rejects.toThrow(
      /asks for credentials/,
    );
    expect(existsSync(path.join(repoRoot, "subgraph", "abis", "Troth.json"))).to.equal(true);
  });
});
