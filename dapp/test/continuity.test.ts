// @vitest-environment node
/**
 * The dApp reads continuity and vitality from a Troth subgraph when the config names one, and from the SDK's
 * embedded audit over the chain's logs otherwise. The subgraph here is a real HTTP endpoint on 127.0.0.1 answering
 * the SDK reader's GraphQL query with a pod in the subgraph's entity shapes.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TrothClient } from "@troth/sdk";
import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getVitality } from "../src/actions/getVitality.ts";
import { ConfigError, parseConfig } from "../src/lib/config.ts";
import { createAppAudit } from "../src/lib/troth.tsx";

const troth = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const [h, i, j] = [
  "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
  "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
  "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
];
const week = 604_800;
const start = 1_000_000;
const podId = 5n;
const word = (n: bigint) => `0x${n.toString(16).padStart(64, "0")}`;
const commitment = (index: number, account: string, bits: string, checkIns: number, witnessesGiven: number) => ({
  index,
  membership: "Active",
  burned: false,
  cycle: 1,
  commitmentDigest: `0x${"ab".repeat(32)}`,
  joinedRound: 0,
  endRound: 3,
  restartFrom: 0,
  restarts: 0,
  witnessedBits: bits,
  reportedBits: bits,
  checkIns,
  witnessesGiven,
  previousCompleted: false,
  leftAfterEnd: false,
  account: { id: account },
  previous: null,
  next: [],
  claim: null,
});
/** A three-round pod, ended: h witnessed all four check-ins of i and j and never checked in. */
const pod = {
  podId: podId.toString(),
  cycle: 1,
  start: String(start),
  rounds: 3,
  cadence: week,
  grace: 2 * 86_400,
  quorum: 1,
  fromRound: 0,
  fromClock: "0",
  eraCount: 1,
  pausedAt: null,
  pausedTotal: "0",
  memberCount: 3,
  activeCount: 3,
  covenantDigest: `0x${"01".repeat(32)}`,
  keyringDigest: `0x${"02".repeat(32)}`,
  nonce: 0,
  pauses: 0,
  amendments: 0,
  additions: 0,
  replacements: 0,
  previous: null,
  renewedBy: null,
  eras: [{ index: 0, fromRound: 0, fromClock: "0", cadence: week, grace: 2 * 86_400, quorum: 1 }],
  commitments: [commitment(0, h, "0", 0, 4), commitment(1, i, "3", 2, 0), commitment(2, j, "3", 2, 0)],
  memberships: [h, i, j].map((account) => ({ status: "Active", account: { id: account } })),
};

describe("continuity source", () => {
  let server: Server;
  let url: string;
  const queries: { query: string; variables: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      queries.push(body);
      const data = {
        _meta: { block: { number: 42, timestamp: start + 4 * week } },
        pod: body.variables.id === word(podId) ? pod : null,
      };
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/subgraphs/name/troth`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** A read client whose chain nobody answers: the subgraph path must never need it. */
  const client = Promise.resolve({
    publicClient: createPublicClient({ transport: http("http://127.0.0.1:9/") }),
    address: troth,
    startBlock: 7n,
  } as unknown as TrothClient);

  it("reads vitality from the subgraph when subgraphUrl is configured", async () => {
    const config = parseConfig({ contracts: { troth }, subgraphUrl: `${url}/` });
    expect(config.subgraphUrl).to.equal(url);
    const source = await createAppAudit(client, config)();
    expect(source.kind).to.equal("subgraph");
    const { pod: view, commitments, vitality } = await getVitality(source, { podId });
    // Continuity and vitality come from the same read: the screens that show either say the same thing.
    expect(view.status).to.equal("ended");
    expect(commitments.map((c) => c.witnessed)).to.deep.equal([0, 2, 2]);
    expect(queries.at(-1)?.variables).to.deep.equal({ id: word(podId) });
    expect(vitality.oneSided.dominantWitness).to.deep.equal({
      account: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
      attestations: 4,
      share: 1,
    });
    expect(vitality.oneSided.witnessOnly.map((w) => w.tokenId)).to.deep.equal([podId << 8n]);
    expect(vitality.renewal).to.deep.equal({ renewedBy: null, renewable: true });
  });

  it("uses the embedded audit over the chain's logs when no subgraph is configured", async () => {
    const config = parseConfig({ contracts: { troth } });
    expect(config.subgraphUrl).to.equal(undefined);
    const before = queries.length;
    const source = await createAppAudit(client, config)();
    expect(source.kind).to.equal("embedded");
    if (source.kind !== "embedded") return;
    // The audit starts at the deployment block and has read nothing yet; the subgraph was never asked.
    expect(source.audit.block).to.equal(6n);
    expect(source.audit.podIds()).to.deep.equal([]);
    expect(queries.length).to.equal(before);
  });

  it("creates the source once and refuses a subgraphUrl that is not http(s)", async () => {
    const source = createAppAudit(client, { subgraphUrl: url });
    expect(await source()).to.equal(await source());
    expect(() => parseConfig({ contracts: { troth }, subgraphUrl: "ftp://x" })).to.throw(ConfigError, "subgraphUrl");
  });
});
