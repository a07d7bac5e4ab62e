/** Ports for stacks of their own (e2e, benches, tests): asked together, they never collide. */
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePorts, stackPorts } from "./helpers/stack.ts";

describe("free ports", () => {
  it("are all different when asked together, every time", async () => {
    for (let i = 0; i < 100; i++) {
      const ports = await freePorts(3);
      expect(new Set(ports).size).to.equal(3);
    }
    const { rpc, ipfs, app } = await stackPorts();
    expect(new Set([rpc, ipfs, app]).size).to.equal(3);
  });

  it("are free: each can be listened on at once", async () => {
    for (const port of await freePorts(3)) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve());
      });
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
