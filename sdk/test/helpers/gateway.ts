/**
 * A tiny trustless gateway for tests: real HTTP on 127.0.0.1 serving raw blocks out of a Helia blockstore, with modes
 * that misbehave the ways a real gateway can (wrong bytes, an oversize body).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Helia } from "helia";
import { CID } from "multiformats/cid";

export type GatewayMode = "honest" | "tamper" | "oversize";

export async function startGateway(helia: Helia, mode: GatewayMode = "honest") {
  const requests: { url: string; accept: string | undefined }[] = [];
  const server: Server = createServer(async (req, res) => {
    requests.push({ url: req.url ?? "", accept: req.headers.accept });
    const match = /^\/ipfs\/([^/?]+)\?format=raw$/.exec(req.url ?? "");
    if (!match || req.headers.accept !== "application/vnd.ipld.raw") {
      res.writeHead(400).end("bad request");
      return;
    }
    const cid = CID.parse(match[1]);
    if (!(await helia.blockstore.has(cid))) {
      res.writeHead(404).end("not found");
      return;
    }
    const chunks: Uint8Array[] = [];
    for await (const chunk of helia.blockstore.get(cid, { offline: true })) chunks.push(chunk);
    let body = Buffer.concat(chunks);
    if (mode === "tamper") {
      body = Buffer.from(body);
      body[body.length - 1] ^= 0x01;
    }
    if (mode === "oversize") body = Buffer.concat([body, Buffer.alloc(2 * 1024 * 1024)]);
    res.writeHead(200, { "content-type": "application/vnd.ipld.raw" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
