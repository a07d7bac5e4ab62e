/**
 * A small IPFS Pinning Service API server for tests (https://ipfs.github.io/pinning-services-api-spec/), real HTTP
 * on 127.0.0.1: bearer tokens, `POST /pins`, `GET /pins` with its filters, `GET`/`DELETE /pins/{requestid}`, the
 * spec's `Failure` bodies. A pin really fetches its block: from the trustless gateway given as its "network", checked
 * against the CID, so a pin goes queued -> pinning -> pinned, or failed when no gateway has the right bytes.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createGatewayStore, toCid } from "../../src/storage/index.ts";

type PinState = "queued" | "pinning" | "pinned" | "failed";
type Pin = { cid: string; name?: string; origins?: string[]; meta?: Record<string, string> };
type PinStatus = {
  requestid: string;
  status: PinState;
  created: string;
  pin: Pin;
  delegates: string[];
  info: Record<string, string>;
};

export type PinningServiceServer = {
  url: string;
  /** Every pin request, by id, as the service holds it. */
  pins: Map<string, PinStatus & { bytes?: Uint8Array }>;
  close(): Promise<void>;
};

function send(res: ServerResponse, status: number, body?: unknown) {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function fail(res: ServerResponse, status: number, reason: string, details?: string) {
  send(res, status, { error: { reason, details } });
}

async function json(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

/**
 * Starts the service. `token` is the only access token it accepts; `gatewayUrl` is where it fetches what it pins
 * (a real service asks the IPFS network, the `origins` first).
 */
export async function startPinningService({
  token,
  gatewayUrl,
}: {
  token: string;
  gatewayUrl: string;
}): Promise<PinningServiceServer> {
  const pins = new Map<string, PinStatus & { bytes?: Uint8Array }>();
  const network = createGatewayStore({ url: gatewayUrl, timeout: 5_000 });

  async function fetchPin(status: PinStatus & { bytes?: Uint8Array }) {
    status.status = "pinning";
    try {
      status.bytes = await network.get(status.pin.cid);
      status.status = "pinned";
    } catch (error) {
      status.status = "failed";
      status.info = { status_details: (error as Error).message.split("\n")[0] };
    }
  }

  const server: Server = createServer(async (req, res) => {
    const auth = req.headers.authorization;
    if (auth === undefined) return fail(res, 401, "UNAUTHORIZED", "An access token is required");
    if (auth !== `Bearer ${token}`) return fail(res, 401, "UNAUTHORIZED", "The access token is not valid");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const byId = /^\/pins\/([^/]+)$/.exec(url.pathname);
    if (url.pathname === "/pins" && req.method === "POST") {
      let body: Pin;
      try {
        body = (await json(req)) as Pin;
      } catch {
        return fail(res, 400, "BAD_REQUEST", "The body is not JSON");
      }
      if (typeof body?.cid !== "string") return fail(res, 400, "BAD_REQUEST", "cid is required");
      try {
        toCid(body.cid);
      } catch {
        return fail(res, 400, "BAD_REQUEST", `${body.cid} is not a CID this service pins`);
      }
      const status: PinStatus = {
        requestid: randomUUID(),
        status: "queued",
        created: new Date().toISOString(),
        pin: { cid: body.cid, name: body.name, origins: body.origins, meta: body.meta },
        delegates: ["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWTestPinningServiceDelegate"],
        info: {},
      };
      pins.set(status.requestid, status);
      void fetchPin(status);
      return send(res, 202, { ...status, bytes: undefined });
    }
    if (url.pathname === "/pins" && req.method === "GET") {
      const cids = url.searchParams.get("cid")?.split(",");
      const states = (url.searchParams.get("status") ?? "pinned").split(",");
      const limit = Number(url.searchParams.get("limit") ?? 10);
      const results = [...pins.values()]
        .filter((p) => (!cids || cids.includes(p.pin.cid)) && states.includes(p.status))
        .map(({ bytes: _, ...p }) => p);
      return send(res, 200, { count: results.length, results: results.slice(0, limit) });
    }
    if (byId && req.method === "GET") {
      const found = pins.get(byId[1]);
      if (!found) return fail(res, 404, "NOT_FOUND", "No pin request with this id");
      const { bytes: _, ...status } = found;
      return send(res, 200, status);
    }
    if (byId && req.method === "DELETE") {
      if (!pins.delete(byId[1])) return fail(res, 404, "NOT_FOUND", "No pin request with this id");
      res.writeHead(202).end();
      return;
    }
    fail(res, 404, "NOT_FOUND", `No route for ${req.method} ${url.pathname}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pins,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
