import { createServer } from "node:net";

/** A port `npm start` needs is taken: says which service, and the flag that picks another port. */
export class PortInUseError extends Error {
  override name = "PortInUseError";
  constructor(port: number, service: string, flag: string) {
    super(
      `Port ${port} (${service}) is already in use on 127.0.0.1: stop what uses it, or choose another port with ${flag} <port>.`,
    );
  }
}

/** Throws {@link PortInUseError} unless `port` can be bound on 127.0.0.1 right now. */
export async function assertPortFree(port: number, service: string, flag: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" || error.code === "EACCES" ? new PortInUseError(port, service, flag) : error);
    });
    probe.listen({ port, host: "127.0.0.1", exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Parses a port flag: an integer from 1 to 65535. */
export function parsePort(value: string, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${flag} must be a port number from 1 to 65535 (got "${value}").`);
  }
  return port;
}
