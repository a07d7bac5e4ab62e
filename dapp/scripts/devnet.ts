/**
 * A development stack for the dApp while `npm start` is not at hand: a Hardhat node, the contracts deployed from the
 * build artifacts, and an IPFS HTTP endpoint (Kubo RPC block/pin routes and a trustless gateway) holding blobs in
 * memory. Writes the runtime config the dApp reads to `dapp/.dev/config.json` (served by Vite in dev as /config.json).
 *
 *   node dapp/scripts/devnet.ts [--port 8645] [--ipfs-port 5101]
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { blobRef, toCid } from "@troth/sdk/storage";
import { createPublicClient, createWalletClient, getAddress, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

const root = path.resolve(import.meta.dirname, "../..");
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const chainPort = option("port", 8645);
const ipfsPort = option("ipfs-port", 5101);
// Hardhat's first dev account: a well-known local test key.
const deployer = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const rpcUrl = `http://127.0.0.1:${chainPort}`;

const node = spawn("npx", ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(chainPort)], {
  cwd: root,
  stdio: ["ignore", "pipe", "inherit"],
});
process.on("SIGINT", () => {
  node.kill("SIGINT");
  process.exit(0);
});
process.on("SIGTERM", () => {
  node.kill("SIGTERM");
  process.exit(0);
});

const publicClient = createPublicClient({ transport: http(rpcUrl) });
for (;;) {
  try {
    await publicClient.getChainId();
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 300));
  }
}
const chainId = await publicClient.getChainId();
const wallet = createWalletClient({ account: deployer, transport: http(rpcUrl), chain: undefined });
const artifact = (name: string) =>
  JSON.parse(readFileSync(path.join(root, `artifacts/contracts/${name}.sol/${name}.json`), "utf8"));
async function deploy(name: string, constructorArgs: unknown[]) {
  const { abi, bytecode } = artifact(name);
  const hash = await wallet.deployContract({ abi, bytecode, args: constructorArgs } as never);
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  return { address: getAddress(receipt.contractAddress!), block: receipt.blockNumber };
}
const governance = await deploy("TrothGovernance", []);
const troth = await deploy("Troth", [governance.address]);
const lens = (await publicClient.readContract({
  address: troth.address,
  abi: artifact("Troth").abi,
  functionName: "lens",
})) as `0x${string}`;

// IPFS over HTTP, blobs in memory: the two protocols the dApp speaks (Kubo RPC for writes, trustless gateway for reads).
const blobs = new Map<string, Uint8Array>();
const ipfs = createServer(async (req, res) => {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Allow-Headers", "*");
  if (req.method === "OPTIONS") return res.end();
  const url = new URL(req.url ?? "/", "http://localhost");
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  try {
    if (url.pathname === "/api/v0/block/put") {
      const form = await new Response(body, {
        headers: { "content-type": req.headers["content-type"] ?? "" },
      }).formData();
      const file = [...form.values()].find((v) => typeof v !== "string") as Blob;
      const bytes = new Uint8Array(await file.arrayBuffer());
      const { cid } = blobRef(bytes);
      blobs.set(cid.toString(), bytes);
      res.setHeader("content-type", "application/json");
      return res.end(JSON.stringify({ Key: cid.toString(), Size: bytes.length }));
    }
    if (url.pathname === "/api/v0/pin/add") {
      res.setHeader("content-type", "application/json");
      return res.end(JSON.stringify({ Pins: [url.searchParams.get("arg")] }));
    }
    const cid =
      url.pathname === "/api/v0/block/get" ? url.searchParams.get("arg") : url.pathname.match(/^\/ipfs\/([^/?]+)/)?.[1];
    if (cid) {
      const bytes = blobs.get(toCid(cid).toString());
      if (!bytes) {
        res.statusCode = 404;
        return res.end("block not found");
      }
      res.setHeader("content-type", "application/vnd.ipld.raw");
      return res.end(bytes);
    }
    res.statusCode = 404;
    res.end("not found");
  } catch (error) {
    res.statusCode = 400;
    res.end((error as Error).message);
  }
});
await new Promise<void>((resolve) => ipfs.listen(ipfsPort, "127.0.0.1", resolve));

const config = {
  chainId,
  chainName: "Troth devnet",
  rpcUrl,
  ipfsApiUrl: `http://127.0.0.1:${ipfsPort}`,
  ipfsGatewayUrl: `http://127.0.0.1:${ipfsPort}`,
  contracts: { troth: troth.address, lens: getAddress(lens), governance: governance.address },
  startBlock: Number(governance.block),
};
mkdirSync(path.join(root, "dapp/.dev"), { recursive: true });
writeFileSync(path.join(root, "dapp/.dev/config.json"), `${JSON.stringify(config, null, 2)}\n`);
console.log(`devnet ready: ${JSON.stringify(config)}`);
