/**
 * `npm run publish:dapp` against npm start's IPFS server asking for a token: the app goes in as a UnixFS directory,
 * pinned, and the gateway serves it by its CID with the config next to it; a config holding a credential, a wrong
 * token and a link in the build are refused.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHeliaStore, type HeliaStore, StorageAuthError } from "@troth/sdk/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PublishError, publishDapp } from "../../scripts/publish-dapp/index.ts";
import { type IpfsServer, startIpfsServer } from "../../scripts/start/ipfs-server.ts";

const troth = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
/** Over 256 KiB: a file of several chunks. */
const APP_JS = `export const big = '${"x".repeat(700 * 1024)}';`;
const config = { chainId: 31337, rpcUrl: "http://127.0.0.1:8545", contracts: { troth } };
let directory: string;
let dist: string;
let node: HeliaStore;
let server: IpfsServer;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "troth-publish-"));
  dist = path.join(directory, "dist");
  await mkdir(path.join(dist, "assets"), { recursive: true });
  await writeFile(
    path.join(dist, "index.html"),
    '<!doctype html><script type="module" src="./assets/app.js"></script>',
  );
  await writeFile(path.join(dist, "assets", "app.js"), APP_JS);
  await writeFile(path.join(dist, "assets", "style.css"), "body{margin:0}");
  node = await createHeliaStore({ directory: path.join(directory, "ipfs") });
  server = await startIpfsServer({ store: node, port: 0, allowedOrigins: [], token: "publisher" });
});

afterAll(async () => {
  await server.close();
  await node.close();
  await rm(directory, { recursive: true, force: true });
});

describe("publish:dapp", () => {
  it("adds the app as a pinned UnixFS directory the gateway serves by CID, config next to it", async () => {
    const published = await publishDapp({ dist, apiUrl: server.url, auth: { token: "publisher" }, config });
    expect(published.url).to.equal(`${server.url}/ipfs/${published.cid}/`);
    expect(published.files).to.equal(4);
    expect(await node.helia.pins.isPinned(published.cid)).to.equal(true);
    const index = await fetch(published.url);
    expect(index.headers.get("content-type")).to.equal("text/html; charset=utf-8");
    expect(await index.text()).to.match(/\.\/assets\/app\.js/);
    const script = await fetch(`${published.url}assets/app.js`);
    expect(script.headers.get("content-type")).to.equal("text/javascript; charset=utf-8");
    expect(await script.text()).to.equal(APP_JS);
    expect(await (await fetch(`${published.url}troth-config.json`)).json()).to.deep.equal(config);
    // The same files give the same CID: what was published is what the CID names.
    const again = await publishDapp({ dist, apiUrl: server.url, auth: { token: "publisher" }, config });
    expect(again.cid.toString()).to.equal(published.cid.toString());
  });

  it("refuses a config holding a credential, in the build or given, before sending anything", async () => {
    const leaky = { ...config, ipfs: { api: "https://ipfs.example", token: "commons-secret" } };
    await expect(
      publishDapp({ dist, apiUrl: server.url, auth: { token: "publisher" }, config: leaky }),
    ).rejects.toThrow(/holds a credential \(ipfs\.token\)/);
    const withUserInfo = { ...config, rpcUrl: "https://user:pw@rpc.example" };
    await expect(
      publishDapp({ dist, apiUrl: server.url, auth: { token: "publisher" }, config: withUserInfo }),
    ).rejects.toBeInstanceOf(PublishError);
    const built = path.join(directory, "leaky-dist");
    await mkdir(built);
    await writeFile(path.join(built, "index.html"), "<!doctype html>");
    await writeFile(path.join(built, "config.json"), JSON.stringify({ ...config, apiKey: "k" }));
    await expect(publishDapp({ dist: built, apiUrl: server.url })).rejects.toThrow(/config\.json holds a credential/);
  });

  it("says so when the node refuses the token, or the build holds a link or no index.html", async () => {
    const wrong = await publishDapp({ dist, apiUrl: server.url, auth: { token: "nope" } }).catch((e) => e);
    expect(wrong).toBeInstanceOf(StorageAuthError);
    expect(wrong.status).to.equal(403);
    const linked = path.join(directory, "linked-dist");
    await mkdir(linked);
    await writeFile(path.join(linked, "index.html"), "<!doctype html>");
    await symlink("/etc/passwd", path.join(linked, "passwd"));
    await expect(publishDapp({ dist: linked, apiUrl: server.url })).rejects.toThrow(/neither a file nor a folder/);
    await expect(publishDapp({ dist: path.join(directory, "nothing"), apiUrl: server.url })).rejects.toThrow(
      /no index\.html: build the app first/,
    );
  });
});
