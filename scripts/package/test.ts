/**
 * The packages as a user gets them. Packs @troth/sdk and @troth/cli (`npm pack`, whose prepack builds them), installs
 * the two tarballs into one temporary project outside the repository (dependencies from the npm registry), and checks:
 *
 * - the SDK's tarball: JavaScript, `.d.ts` and declaration maps for every entry point, `exports` with `types` and
 *   `import`; the CLI's: one bundled file with no dependencies and the licences of what it bundles; the repository's
 *   package.json files are as they were; publint and arethetypeswrong (ESM-only profile) find nothing;
 * - plain Node imports every entry point (the same names as the sources export) and runs real actions against a
 *   `hardhat node` started from the repository: identity keys published, a pod created, read back and its covenant
 *   decrypted, with the embedded Helia store; and the first action of sdk/README.md, as written;
 * - tsc type-checks a small consumer with `moduleResolution` `nodenext` (and the SDK's declaration files, with no
 *   skipLibCheck) and again with `bundler`;
 * - Vite bundles a page importing `@troth/sdk` and `@troth/sdk/crypto` with no Node built-in (its gzip size is
 *   printed), and a page importing the stores the dApp uses from `@troth/sdk/storage`;
 * - `npm install -g` of the CLI's tarball alone gives a `troth` that answers `--help` and `--version` with no
 *   repository around, and reads the pod the installed SDK created from the chain (`troth pod show`).
 *
 *   npm run test:packages        (from the repository root, after `npx hardhat build`; KEEP=1 keeps the temp folder)
 *
 * Ends with "N passed, N failed".
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { type Abi, createPublicClient, createWalletClient, type Hex, http } from "viem";
import { hardhat } from "viem/chains";
import { build, createLogger } from "vite";
import { freePort } from "../../test/start/helpers/stack.ts";
import { devAccounts } from "../start/dev-accounts.ts";
import { type HardhatNode, startHardhatNode } from "../start/hardhat-node.ts";
import { repoRoot } from "../start/paths.ts";

const started = Date.now();
const work = mkdtempSync(path.join(tmpdir(), "troth-packages-"));
const packsDir = path.join(work, "packs");
const project = path.join(work, "project");
const globalPrefix = path.join(work, "global");
const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);

// ─── Running things ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The environment of what runs in the temporary project: npm run (`npm test`) exports its own config and package as
 * npm_* variables, which would make npm there act on the repository; only the machine's npm settings are kept.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = new Set(["npm_config_globalconfig", "npm_config_userconfig", "npm_config_cache", "npm_config_registry"]);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !keep.has(key.toLowerCase())) continue;
    if (key === "INIT_CWD" || key === "NODE_OPTIONS") continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0" };
}

type Run = { code: number; stdout: string; stderr: string; seconds: number };

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): Promise<Run> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? 1, stdout, stderr, seconds: (Date.now() - t0) / 1000 }));
  });
}

/** Runs and throws with the command's output unless it exits 0. */
async function ok(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Run> {
  const result = await run(cmd, args, cwd, env);
  if (result.code !== 0) {
    // The first lines say what failed (a Node error), the last ones where it ended (npm, tsc).
    const lines = `${result.stdout}\n${result.stderr}`.trim().split("\n");
    const output = lines.length > 30 ? [...lines.slice(0, 15), "…", ...lines.slice(-15)].join("\n") : lines.join("\n");
    throw new Error(`${path.basename(cmd)} ${args.join(" ")} (in ${cwd}) exited ${result.code}:\n${output}`);
  }
  return result;
}

const results: { name: string; ok: boolean }[] = [];
const figures: string[] = [];

async function check(name: string, body: () => Promise<void>): Promise<boolean> {
  const t0 = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return true;
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`  ✗ ${name}\n    ${String((error as Error).message ?? error).replaceAll("\n", "\n    ")}`);
    return false;
  }
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

// ─── Packing ───────────────────────────────────────────────────────────────────────────────────────────────────────

type Packed = { workspace: string; tarball: string; files: string[]; manifest: Record<string, unknown> };

/** `npm pack` in a workspace (prepack builds it); the tarball, its file list and its package.json. */
async function pack(workspace: string): Promise<Packed> {
  const dir = path.join(repoRoot, workspace);
  const before = readFileSync(path.join(dir, "package.json"), "utf8");
  const result = await ok("npm", ["pack", "--json", "--pack-destination", packsDir], dir);
  const after = readFileSync(path.join(dir, "package.json"), "utf8");
  assert(before === after, `${workspace}/package.json was not restored after npm pack (postpack)`);
  const [info] = JSON.parse(result.stdout.slice(result.stdout.search(/^\[/m))) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  const tarball = path.join(packsDir, info.filename);
  const listed = await ok("tar", ["-xzOf", tarball, "package/package.json"], work);
  figures.push(
    `${info.filename}: ${kB(info.size)} packed, ${kB(info.unpackedSize)} unpacked, ${info.files.length} files ` +
      `(pack ${result.seconds.toFixed(1)} s)`,
  );
  return { workspace, tarball, files: info.files.map((f) => f.path), manifest: JSON.parse(listed.stdout) };
}

// ─── The chain ─────────────────────────────────────────────────────────────────────────────────────────────────────

function artifact(source: string, name: string): { abi: Abi; bytecode: Hex } {
  const file = path.join(repoRoot, "artifacts", "contracts", source, `${name}.json`);
  assert(existsSync(file), `Missing ${path.relative(repoRoot, file)}: run \`npx hardhat build\` first.`);
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Deploys TrothGovernance and Troth (which deploys its lens) from the repository's artifacts; their addresses. */
async function deploy(url: string): Promise<{ troth: Hex; lens: Hex }> {
  const [deployer] = devAccounts(1);
  const transport = http(url);
  const publicClient = createPublicClient({ chain: hardhat, transport });
  const wallet = createWalletClient({ account: deployer.account, chain: hardhat, transport });
  const governance = artifact("TrothGovernance.sol", "TrothGovernance");
  const troth = artifact("Troth.sol", "Troth");
  const governanceTx = await wallet.deployContract({ abi: governance.abi, bytecode: governance.bytecode });
  const governanceAddress = (await publicClient.waitForTransactionReceipt({ hash: governanceTx })).contractAddress;
  assert(governanceAddress, "TrothGovernance was not deployed");
  const trothTx = await wallet.deployContract({ abi: troth.abi, bytecode: troth.bytecode, args: [governanceAddress] });
  const trothAddress = (await publicClient.waitForTransactionReceipt({ hash: trothTx })).contractAddress;
  assert(trothAddress, "Troth was not deployed");
  const lens = (await publicClient.readContract({
    address: trothAddress,
    abi: troth.abi,
    functionName: "lens",
  })) as Hex;
  return { troth: trothAddress, lens };
}

// ─── What the temporary project holds ──────────────────────────────────────────────────────────────────────────────

/** Prints each entry point's export names, from the installed package's own `exports`. */
const ENTRY_NAMES = `
import { readFileSync } from "node:fs";
const manifest = JSON.parse(readFileSync("node_modules/@troth/sdk/package.json", "utf8"));
const names = {};
for (const entry of Object.keys(manifest.exports)) {
  if (entry.endsWith(".json")) continue;
  const specifier = entry === "." ? "@troth/sdk" : "@troth/sdk/" + entry.slice(2);
  names[entry] = Object.keys(await import(specifier)).sort();
}
console.log(JSON.stringify(names));
`;

/** Real actions with the installed SDK: two members publish identity keys, create a pod, read it and its covenant. */
const ACTION = `
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { createPodSync, createTrothClient, getIdentityKey, getPod, publishIdentityKeySync, readCovenant } from "@troth/sdk";
import { createHeliaStore } from "@troth/sdk/storage";

const [url, address, ...keys] = process.argv.slice(2);
const transport = http(url);
const publicClient = createPublicClient({ chain: hardhat, transport });
const directory = mkdtempSync(path.join(tmpdir(), "troth-packages-helia-"));
const store = await createHeliaStore({ directory });
try {
  const wallets = keys.map((key) => createWalletClient({ account: privateKeyToAccount(key), chain: hardhat, transport }));
  const clients = await Promise.all(wallets.map((walletClient) => createTrothClient({ publicClient, walletClient, store, address })));
  const identities = [];
  for (const [i, wallet] of wallets.entries()) {
    identities.push(await getIdentityKey(wallet));
    await publishIdentityKeySync(clients[i], { identity: identities[i] });
  }
  const { podId, tokenIds } = await createPodSync(clients[0], {
    title: "Packed pod",
    whenSomeoneMisses: "We ask what got in the way, and begin again.",
    members: wallets.map((w, i) => ({ address: w.account.address, commitment: "Commitment " + i })),
    signers: wallets,
  });
  const pod = await getPod(clients[1], { podId });
  const covenant = await readCovenant(clients[1], { podId, identity: identities[1] });
  console.log(JSON.stringify({ podId: podId.toString(), tokens: tokenIds.length, members: pod.members.length, title: covenant.title }));
} finally {
  await store.close();
  rmSync(directory, { recursive: true, force: true });
}
`;

/** The README's first action (the ```ts block under "## Install"), with a key, the deployment and the chain's URL. */
function readmeFirstAction(url: string, privateKey: Hex, troth: Hex): string {
  const readme = readFileSync(path.join(repoRoot, "sdk", "README.md"), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf("## Install")));
  assert(block, 'sdk/README.md has no ```ts block under "## Install"');
  assert(block[1].includes("http://127.0.0.1:8545"), "the README's first action no longer names http://127.0.0.1:8545");
  return [
    `const PRIVATE_KEY = "${privateKey}";`,
    `const TROTH_ADDRESS = "${troth}";`,
    block[1].replace("http://127.0.0.1:8545", url),
    "console.log(JSON.stringify({ key }));",
  ].join("\n");
}

/** A TypeScript consumer: every entry point, typed calls; a wrong parameter is an error (the types are not `any`). */
const CONSUMER = `
import { createTrothClient, getPod, type GetPodReturnType, type TrothClient } from "@troth/sdk";
import { createAudit } from "@troth/sdk/audit";
import { type IdentityKey, openEnvelope, sealEnvelope } from "@troth/sdk/crypto";
import { type ContentStore, createGatewayStore, createHeliaStore } from "@troth/sdk/storage";
import { createPublicClient, http } from "viem";

export async function firstAction(url: string): Promise<GetPodReturnType> {
  const publicClient = createPublicClient({ transport: http(url) });
  const store: ContentStore = createGatewayStore({ url: "http://127.0.0.1:8080" });
  const client: TrothClient = await createTrothClient({ publicClient, store });
  // @ts-expect-error: getPod takes no colour (were the SDK's types \`any\`, this directive would be the error)
  await getPod(client, { podId: 1n, colour: "red" });
  return getPod(client, { podId: 1n });
}
export const used = [createAudit, openEnvelope, sealEnvelope, createHeliaStore];
export type Key = IdentityKey;
`;

/** `skipLibCheck: false` checks the SDK's declaration files themselves, and every dependency's (slower). */
function tsconfig(module: string, moduleResolution: string, skipLibCheck: boolean): string {
  return JSON.stringify({
    compilerOptions: {
      target: "es2022",
      module,
      moduleResolution,
      // The dependencies' own declarations (libp2p, ox) name DOM and ES2024 types.
      lib: ["es2024", "dom"],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck,
    },
    files: ["consumer.ts"],
  });
}

/** A Vite build of `page/<name>/` with `main.js`; its output files and the messages Vite printed. */
async function vitePage(
  name: string,
  main: string,
): Promise<{ files: { name: string; bytes: Buffer }[]; log: string }> {
  const dir = path.join(project, "page", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "index.html"), `<!doctype html>\n<script type="module" src="./main.js"></script>\n`);
  writeFileSync(path.join(dir, "main.js"), main);
  // The repository's Vite with no config of the repository's: it resolves @troth/sdk and the rest in the project.
  const messages: string[] = [];
  const logger = createLogger("warn");
  for (const level of ["warn", "warnOnce", "error"] as const) {
    logger[level] = (message: string) => void messages.push(message);
  }
  await build({
    root: dir,
    configFile: false,
    logLevel: "warn",
    customLogger: logger,
    build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 10_000 },
  });
  const outDir = path.join(dir, "dist", "assets");
  const files = readdirSync(outDir).map((f) => ({ name: f, bytes: readFileSync(path.join(outDir, f)) }));
  return { files, log: messages.join("\n") };
}

// ─── The run ───────────────────────────────────────────────────────────────────────────────────────────────────────

let node: HardhatNode | undefined;
/** The pod the installed SDK created (decimal), which the installed CLI then reads. */
let packedPod: string | undefined;

async function main() {
  mkdirSync(packsDir, { recursive: true });
  mkdirSync(project, { recursive: true });
  console.log(`Temporary folder: ${work}`);

  let sdk: Packed | undefined;
  let cli: Packed | undefined;
  // One after the other: the CLI's build reads the SDK's types through the workspace, which a pack rewrites.
  await check("npm pack @troth/sdk (prepack builds dist/; package.json restored)", async () => {
    sdk = await pack("sdk");
  });
  await check("npm pack @troth/cli (prepack builds dist/; package.json restored)", async () => {
    cli = await pack("cli");
  });
  if (!sdk || !cli) return;
  const sdkPacked = sdk;
  const cliPacked = cli;

  await check("@troth/sdk tarball: JavaScript, .d.ts and declaration maps for every entry point", async () => {
    const exports = sdkPacked.manifest.exports as Record<string, string | Record<string, string>>;
    const entries = Object.entries(exports).filter(([entry]) => entry !== "./package.json");
    assert(entries.length >= 4, `expected at least 4 entry points, got ${entries.map(([e]) => e).join(", ")}`);
    for (const [entry, target] of entries) {
      assert(typeof target === "object", `${entry}: exports names no conditions (${JSON.stringify(target)})`);
      assert(Object.keys(target)[0] === "types", `${entry}: "types" must come first (${Object.keys(target)})`);
      assert(target.import?.endsWith(".js"), `${entry}: no "import" condition to JavaScript`);
      for (const file of [target.types, target.import, `${target.types}.map`]) {
        assert(sdkPacked.files.includes(file.replace(/^\.\//, "")), `${entry}: ${file} is not in the tarball`);
      }
    }
    const stray = sdkPacked.files.filter((f) => /(^|\/)test\/|\.test\.|^bench\/|^scripts\/|tsbuildinfo/.test(f));
    assert(stray.length === 0, `files that should not ship: ${stray.join(", ")}`);
  });

  await check(
    "@troth/cli tarball: one bundled file with no dependencies, and the licences of what it bundles",
    async () => {
      const cliBin = (cliPacked.manifest.bin as Record<string, string>).troth;
      assert(cliBin === "./dist/troth.js", `@troth/cli bin is ${cliBin}`);
      const dependencies = Object.keys((cliPacked.manifest.dependencies as Record<string, string>) ?? {});
      assert(dependencies.length === 0, `@troth/cli depends on ${dependencies.join(", ")}`);
      const shipped = cliPacked.files.filter((f) => f !== "package.json").sort();
      assert(
        JSON.stringify(shipped) === JSON.stringify(["dist/THIRD-PARTY-LICENSES.md", "dist/troth.js"]),
        `the CLI tarball holds ${shipped.join(", ")}`,
      );
    },
  );

  await check("publint: nothing to report on either tarball", async () => {
    for (const packed of [sdkPacked, cliPacked]) {
      const result = await ok(bin("publint"), ["run", packed.tarball, "--level", "suggestion"], work);
      assert(/All good!/.test(result.stdout), `publint on ${path.basename(packed.tarball)}:\n${result.stdout}`);
    }
  });

  await check("arethetypeswrong: no problem in @troth/sdk (ESM-only profile)", async () => {
    await ok(bin("attw"), [sdkPacked.tarball, "--profile", "esm-only", "--format", "ascii"], work);
  });

  // The installs take most of the time: the project and the global prefix install at once, while the chain starts.
  writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({
      name: "troth-packages-consumer",
      private: true,
      type: "module",
      dependencies: {
        "@troth/cli": `file:${cliPacked.tarball}`,
        "@troth/sdk": `file:${sdkPacked.tarball}`,
        viem: (JSON.parse(readFileSync(path.join(repoRoot, "sdk", "package.json"), "utf8")) as Manifest)
          .peerDependencies.viem,
      },
    }),
  );
  const npmFlags = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel", "error"];
  const projectInstall = ok("npm", ["install", ...npmFlags], project);
  const globalInstall = ok("npm", ["install", "-g", "--prefix", globalPrefix, ...npmFlags, cliPacked.tarball], work);
  const chain = (async () => {
    node = await startHardhatNode({ port: await freePort(), logFile: path.join(work, "hardhat-node.log") });
    return { url: node.url, ...(await deploy(node.url)) };
  })();
  // Settle all three before checking any, so a failure leaves nothing running unobserved.
  const [installed, globallyInstalled, deployed] = await Promise.allSettled([projectInstall, globalInstall, chain]);

  const projectReady = await check("npm install of both tarballs into a project outside the repository", async () => {
    if (installed.status === "rejected") throw installed.reason;
    figures.push(`project install: ${installed.value.seconds.toFixed(1)} s`);
    const sdkLinked = path.join(project, "node_modules", "@troth", "sdk");
    assert(!lstatSync(sdkLinked).isSymbolicLink(), "@troth/sdk is a link, not an installed copy");
  });

  if (projectReady) {
    await check("plain Node imports every entry point, with the names the sources export", async () => {
      writeFileSync(path.join(project, "entries.mjs"), ENTRY_NAMES);
      const installedNames = JSON.parse((await ok("node", ["entries.mjs"], project)).stdout);
      const manifest = JSON.parse(readFileSync(path.join(repoRoot, "sdk", "package.json"), "utf8")) as Manifest;
      for (const [entry, source] of Object.entries(manifest.exports)) {
        if (!source.endsWith(".ts")) continue;
        const expected = Object.keys(await import(path.join(repoRoot, "sdk", source))).sort();
        const got = installedNames[entry] as string[] | undefined;
        assert(got, `${entry}: not importable from the installed package`);
        assert(JSON.stringify(got) === JSON.stringify(expected), `${entry}: exports differ from ${source}`);
      }
    });

    await check(
      "plain Node runs real actions against a chain (keys, createPodSync, getPod, readCovenant)",
      async () => {
        if (deployed.status === "rejected") throw deployed.reason;
        writeFileSync(path.join(project, "action.mjs"), ACTION);
        const keys = devAccounts(3)
          .slice(1)
          .map((a) => a.privateKey);
        const result = await ok("node", ["action.mjs", deployed.value.url, deployed.value.troth, ...keys], project);
        const out = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}");
        packedPod = out.podId;
        assert(
          out.tokens === 2 && out.members === 2 && out.title === "Packed pod",
          `unexpected result: ${result.stdout}`,
        );
      },
    );

    await check("the first action of sdk/README.md runs as written (publishIdentityKeySync)", async () => {
      if (deployed.status === "rejected") throw deployed.reason;
      const { url, troth } = deployed.value;
      writeFileSync(
        path.join(project, "first-action.mjs"),
        readmeFirstAction(url, devAccounts(4)[3].privateKey, troth),
      );
      const result = await ok("node", ["first-action.mjs"], project);
      const { key } = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}");
      assert(/^0x[0-9a-f]{64}$/i.test(key ?? ""), `unexpected result: ${result.stdout}`);
    });

    writeFileSync(path.join(project, "consumer.ts"), CONSUMER);
    // The declarations are the same files either way: checked once, with nodenext.
    for (const [module, resolution, skipLibCheck] of [
      ["nodenext", "nodenext", false],
      ["esnext", "bundler", true],
    ] as const) {
      const what = skipLibCheck ? "" : ", and the SDK's declarations (no skipLibCheck)";
      await check(`tsc type-checks a consumer with moduleResolution ${resolution}${what}`, async () => {
        const config = `tsconfig.${resolution}.json`;
        writeFileSync(path.join(project, config), tsconfig(module, resolution, skipLibCheck));
        await ok(bin("tsc"), ["-p", config], project);
      });
    }

    await check("Vite bundles a page importing @troth/sdk and @troth/sdk/crypto, with no Node built-in", async () => {
      const page = await vitePage(
        "main",
        `import * as sdk from "@troth/sdk";\nimport * as crypto from "@troth/sdk/crypto";\n` +
          `console.log(Object.keys(sdk).length, Object.keys(crypto).length);\n`,
      );
      assert(!/externalized for browser compatibility/.test(page.log), `Vite externalized a Node module:\n${page.log}`);
      const js = page.files.filter((f) => f.name.endsWith(".js"));
      for (const f of js) assert(!/["']node:/.test(f.bytes.toString()), `${f.name} imports a Node built-in`);
      const raw = js.reduce((n, f) => n + f.bytes.length, 0);
      const gzip = js.reduce((n, f) => n + gzipSync(f.bytes).length, 0);
      figures.push(`browser page importing all of @troth/sdk and @troth/sdk/crypto: ${kB(raw)} JS, ${kB(gzip)} gzip`);
    });

    await check("Vite bundles the stores the dApp imports from @troth/sdk/storage, with no Node built-in", async () => {
      const page = await vitePage(
        "storage",
        `import { createGatewayStore, createKuboStore, createPinningService, createStoreList, StorageAuthError } from "@troth/sdk/storage";\n` +
          `console.log(createGatewayStore, createKuboStore, createPinningService, createStoreList, StorageAuthError);\n`,
      );
      for (const f of page.files) {
        assert(!/["']node:|__vite-browser-external/.test(f.bytes.toString()), `${f.name} holds a Node built-in`);
      }
    });
  }

  await check("npm install -g of the tarballs: troth answers --help and --version", async () => {
    if (globallyInstalled.status === "rejected") throw globallyInstalled.reason;
    figures.push(`global install: ${globallyInstalled.value.seconds.toFixed(1)} s`);
    const troth = path.join(globalPrefix, "bin", "troth");
    // Run from the temp folder with only this Node on PATH: no repository, no workspace.
    const env = { ...cleanEnv(), PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` };
    const help = await ok(troth, ["--help"], work, env);
    assert(/^Usage: troth <command>/.test(help.stdout), `troth --help printed:\n${help.stdout}${help.stderr}`);
    const version = await ok(troth, ["--version"], work, env);
    const expected = (cliPacked.manifest as { version: string }).version;
    assert(version.stdout.trim() === expected, `troth --version printed "${version.stdout.trim()}", not ${expected}`);
  });

  await check("the installed troth reads the pod the installed SDK created (troth pod show)", async () => {
    if (deployed.status === "rejected") throw deployed.reason;
    assert(packedPod, "no pod was created (see the SDK's real actions above)");
    const { url, troth: trothAddress, lens } = deployed.value;
    const deployment = path.join(work, "deployment.json");
    writeFileSync(deployment, JSON.stringify({ chainId: 31337, troth: trothAddress, lens, startBlock: 0 }));
    const troth = path.join(globalPrefix, "bin", "troth");
    const env = { ...cleanEnv(), PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` };
    const shown = await ok(
      troth,
      ["pod", "show", packedPod, "--json", "--rpc", url, "--deployment", deployment],
      work,
      env,
    );
    const pod = JSON.parse(shown.stdout);
    assert(pod.commitments?.length === 2, `troth pod show printed:\n${shown.stdout}${shown.stderr}`);
  });
}

type Manifest = { exports: Record<string, string>; peerDependencies: Record<string, string> };

try {
  await main();
} catch (error) {
  results.push({ name: "package test", ok: false });
  console.log(`  ✗ ${(error as Error).stack ?? error}`);
} finally {
  await node?.stop();
  if (process.env.KEEP) console.log(`Kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

for (const figure of figures) console.log(`  ${figure}`);
console.log(`  whole run: ${((Date.now() - started) / 1000).toFixed(1)} s`);
const passed = results.filter((r) => r.ok).length;
console.log(`\n${passed} passed, ${results.length - passed} failed`);
process.exit(results.length > passed ? 1 : 0);
