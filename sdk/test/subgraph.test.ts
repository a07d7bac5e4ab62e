/**
 * The subgraph reader against a real HTTP endpoint on 127.0.0.1 that answers from the entities the REAL subgraph
 * mappings (graph-cli's built wasm, run by the subgraph test harness) wrote while indexing the subgraph tests'
 * scripted history, which touches every protocol event. After every step of the history, every pod read through the
 * reader must equal the embedded audit built from the same chain's logs (continuity with claims, members, member
 * records, speaking order and vitality, in the same shapes), and the audit must equal the contract's own views.
 */
import type { Server } from "node:http";
import { type Hex, stringify } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import buildSubgraph, { buildDir } from "../../subgraph/test/build.ts";
import { Subgraph } from "../../subgraph/test/harness/subgraph.ts";
import { type History, scriptedHistory } from "../../subgraph/test/history.ts";
import { deployTroth, type TrothFixture } from "../../test/helpers/troth.ts";
import {
  type Audit,
  AuditNotFoundError,
  createAudit,
  createSubgraphReader,
  SubgraphQueryError,
  type SubgraphReader,
  SubgraphRequestError,
} from "../src/audit/index.ts";
import { type Meta, serveSubgraph } from "./helpers/graphql.ts";
import { lensContinuity, lensMemberRecord } from "./helpers/lens.ts";

/** JSON with bigints and every object's keys sorted (the lens's structs list their fields in another order). */
function canonical(value: unknown): string {
  return stringify(value, (_, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
  );
}

describe("subgraph reader", () => {
  let f: TrothFixture;
  let subgraph: Subgraph;
  let audit: Audit;
  let reader: SubgraphReader;
  let server: Server;
  let url: string;
  let history: History;
  let meta: Meta = { block: { number: 0, timestamp: 0 } };
  const mismatches: string[] = [];
  const compared: string[] = [];

  beforeAll(async () => {
    buildSubgraph();
    f = await deployTroth();
    const startBlock = await f.publicClient.getBlockNumber();
    subgraph = Subgraph.load(buildDir, f.troth.address as Hex, { network: "hardhat", startBlock });
    audit = createAudit({ publicClient: f.publicClient, address: f.troth.address, startBlock });
    ({ url, server } = await serveSubgraph(subgraph.store, () => meta));
    reader = createSubgraphReader({ url });

    history = await scriptedHistory(f, async (label) => {
      const block = await f.publicClient.getBlock();
      await subgraph.sync(f.publicClient, block.number);
      await audit.sync({ toBlock: block.number });
      meta = { block: { number: Number(block.number), timestamp: Number(block.timestamp) } };
      const same = (what: string, a: unknown, b: unknown) => {
        if (canonical(a) !== canonical(b)) mismatches.push(`${label}: ${what}: ${canonical(a)} ≠ ${canonical(b)}`);
      };
      same("time", await reader.time(), audit.time);
      same("pod ids", await reader.podIds(), audit.podIds());
      for (const podId of audit.podIds()) {
        same(`continuity of ${podId}`, await reader.continuity(podId), audit.continuity(podId));
        same(`lens continuity of ${podId}`, audit.continuity(podId), await lensContinuity(f, podId));
        // The records of everyone who was ever in the pod (recovered addresses included), and of one stranger.
        const accounts = f.accounts.slice(1, 19).filter((a) => audit.memberRecord(podId, a).status !== "none");
        for (const account of [...accounts, f.accounts[19]]) {
          const record = audit.memberRecord(podId, account);
          same(`record of ${account} in ${podId}`, await reader.memberRecord(podId, account), record);
          same(`lens record of ${account} in ${podId}`, record, await lensMemberRecord(f, podId, account));
        }
        same(`vitality of ${podId}`, await reader.vitality(podId), audit.vitality(podId));
        const round = audit.pod(podId).currentRound;
        same(`speaking order of ${podId}`, await reader.speakingOrder(podId, round), audit.speakingOrder(podId, round));
      }
      compared.push(label);
    });
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("gives the embedded audit's answers after every step of a history that touches every event", () => {
    expect(mismatches).to.deep.equal([]);
    expect(compared.length).to.be.greaterThan(30);
    expect(compared).to.include("P7 ended; m left it");
  });

  it("shows protocol v2's statuses, claims and recoveries as the contract does", async () => {
    const { p4, p5, p6, p7, accounts } = history;
    const statuses = async (podId: bigint) => (await reader.continuity(podId)).commitments.map((c) => c.status);
    expect(await statuses(p4)).to.deep.equal(["ended", "completed", "left"]);
    expect(await statuses(p5)).to.deep.equal(["burned", "completed", "ended", "replaced", "completed"]);
    expect(await statuses(p6)).to.deep.equal(["completed", "graduated", "graduated"]);
    // k burned its lived P5 token after the end: that cycle stays lived, so k graduates in P7 as p does.
    expect(await statuses(p7)).to.deep.equal(["graduated", "graduated", "left"]);
    expect((await reader.memberRecord(p5, accounts.l)).status).to.equal("recovered");
    expect((await reader.memberRecord(p6, accounts.j)).status).to.equal("recovered");
    const recovered = await reader.memberRecord(p5, accounts.p);
    expect([recovered.status, recovered.index, recovered.witnessed]).to.deep.equal(["active", 1, 0b10111111n]);
    // The absence claim completed and the recovery claims are gone; no claim stands anywhere.
    for (const podId of [p5, p6]) {
      expect((await reader.continuity(podId)).commitments.every((c) => c.claim === null)).to.equal(true);
    }
  });

  it("reads a pod and a commitment at a given time, as the audit does", async () => {
    const later = audit.time + 30 * 86_400;
    expect(stringify(await reader.pod(history.p1, later))).to.equal(stringify(audit.pod(history.p1, later)));
    const tokenId = history.p1 << 8n;
    expect(stringify(await reader.commitment(tokenId, later))).to.equal(stringify(audit.commitment(tokenId, later)));
    expect(stringify(await reader.members(history.p4))).to.equal(stringify(audit.members(history.p4)));
    // The scripted history's vitality signals are all there: decay, a dominant witness, a renewal, a graduation.
    const p1 = await reader.vitality(history.p1);
    expect(p1.decay.map((d) => d.reason)).to.include.members(["two-missed-in-a-row", "streak-broken-after-week-6"]);
    expect(p1.renewal.renewedBy).to.equal(history.p3);
    expect((await reader.vitality(history.p4)).oneSided.dominantWitness?.account).to.equal(history.accounts.h);
  });

  it("raises AuditNotFoundError for a pod or commitment the subgraph does not have", async () => {
    await expect(reader.pod(12345n)).rejects.toBeInstanceOf(AuditNotFoundError);
    await expect(reader.commitment((history.p2 << 8n) | 7n)).rejects.toBeInstanceOf(AuditNotFoundError);
  });

  it("raises SubgraphQueryError when the endpoint refuses the query", async () => {
    // An endpoint whose schema lacks the reader's fields (here: a pod query answered by a store without them).
    const refusing = createSubgraphReader({
      url,
      fetch: (input, init) => fetch(input, { ...init, body: String(init?.body).replace("witnessedBits", "notAField") }),
    });
    const error = await refusing.pod(history.p1).catch((e) => e);
    expect(error).toBeInstanceOf(SubgraphQueryError);
    expect(error.errors[0]).to.contain("notAField");
  });

  it("raises SubgraphRequestError when the endpoint is unreachable or does not speak GraphQL", async () => {
    const closed = await serveSubgraph(subgraph.store, () => meta);
    const deadUrl = closed.url;
    await new Promise((resolve) => closed.server.close(resolve));
    await expect(createSubgraphReader({ url: deadUrl }).podIds()).rejects.toBeInstanceOf(SubgraphRequestError);
    // An answer that is not GraphQL: the endpoint refuses a GET with a bare 405.
    const get = createSubgraphReader({ url, fetch: (input) => fetch(input, { method: "GET" }) });
    const error = await get.time().catch((e) => e);
    expect(error).toBeInstanceOf(SubgraphRequestError);
    expect(error.status).to.equal(405);
  });
});
