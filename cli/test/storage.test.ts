/**
 * The CLI's storage settings without a chain: the node's token from the environment (never an argument), a
 * pinning service that needs its own token, gateways read after the node, and each failure as one sentence.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { blobRef, createHeliaStore, type HeliaStore } from "@troth/sdk/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IpfsServer, startIpfsServer } from "../../scripts/start/ipfs-server.ts";
import { Context } from "../src/context.ts";
import { describeError, UsageError } from "../src/errors.ts";

let directory: string;
let node: HeliaStore;
let server: IpfsServer;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "troth-cli-storage-"));
  node = await createHeliaStore({ directory });
  server = await startIpfsServer({ store: node, port: 0, allowedOrigins: [], token: "cli-token" });
});

afterAll(async () => {
  await server.close();
  await node.close();
  await rm(directory, { recursive: true, force: true });
});

describe("storage for the CLI", () => {
  it("writes with TROTH_IPFS_TOKEN, and names the variable when the node refuses", async () => {
    const bytes = new TextEncoder().encode(`cli ${Math.random()}`);
    const withToken = new Context({ ipfs: server.url }, { TROTH_IPFS_TOKEN: "cli-token" });
    expect((await withToken.store().put(bytes)).cid.toString()).to.equal(blobRef(bytes).cid.toString());
    const without = new Context({ ipfs: server.url }, {});
    const error = await without
      .store()
      .put(bytes)
      .catch((e) => e);
    const context = { rpc: "http://127.0.0.1:8545", ipfs: server.url };
    expect(describeError(error, context)).to.match(/asks for credentials: .*TROTH_IPFS_TOKEN/);
    const wrong = new Context({ ipfs: server.url }, { TROTH_IPFS_TOKEN: "basic:someone:guess" });
    expect(
      describeError(
        await wrong
          .store()
          .put(bytes)
          .catch((e) => e),
        context,
      ),
    ).to.match(/refused the credentials given/);
    // No node at all: the sentence the CLI has always said.
    const nowhere = new Context({ ipfs: "http://127.0.0.1:9" }, {});
    const unreachable = await nowhere
      .store()
      .put(bytes)
      .catch((e) => e);
    expect(describeError(unreachable, { ...context, ipfs: nowhere.ipfs })).to.match(
      /^Cannot reach IPFS at http:\/\/127\.0\.0\.1:9 \(.*\): is `npm start` running, or is --ipfs right\?$/,
    );
  });

  it("reads through the gateways after the node, and needs TROTH_PIN_TOKEN for --pin-service", async () => {
    const bytes = new TextEncoder().encode(`gateway read ${Math.random()}`);
    const { cid } = await node.put(bytes);
    // The node's RPC is down (an unreachable port); the gateway still serves the verified block.
    const context = new Context({ ipfs: "http://127.0.0.1:9", gateway: [server.url] }, {});
    expect(await context.store().get(cid)).to.deep.equal(bytes);
    expect(new Context({}, { TROTH_GATEWAYS: `${server.url},http://127.0.0.1:9` }).gateways).to.deep.equal([
      server.url,
      "http://127.0.0.1:9",
    ]);
    expect(() => new Context({ "pin-service": "https://pins.example.org" }, {})).toThrow(UsageError);
    expect(() => new Context({ gateway: ["ftp://nope"] }, {})).toThrow(/--gateway must be an http\(s\) URL/);
  });
});
