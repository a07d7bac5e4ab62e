/**
 * The SDK's public API, from its sources, in one command:
 *
 *   npm run api -w sdk         writes the API reports `etc/<entry>.api.md` (checked in: a change to the public API
 *                              shows up in review as a diff there) and the API reference `docs/api/` (TypeDoc HTML
 *                              from the JSDoc; not checked in)
 *   npm run api:check -w sdk   writes nothing of the SDK's; exits 1 naming every report that differs from what the
 *                              sources give (the test run does this)
 *
 * The reports are API Extractor's, one per entry point of package.json `exports` (every `./src/…ts`, so an entry point
 * added there gets its report with no change here): `.` → `sdk.api.md`, `./crypto` → `sdk-crypto.api.md`, … They are
 * made from declaration files emitted from the sources (`tsconfig.build.json`) into `.cache/api/`, not from `dist/`,
 * so they never depend on a build lying around.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Extractor, ExtractorConfig, ExtractorLogLevel, type ExtractorMessage } from "@microsoft/api-extractor";
import { rewriteDeclarationSpecifiers } from "../../scripts/package/build.ts";

const sdkRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reportDir = path.join(sdkRoot, "etc");
const docsDir = path.join(sdkRoot, "docs", "api");
// Not under node_modules: TypeScript takes whatever is found there for an external library.
const cacheDir = path.join(sdkRoot, ".cache", "api");
const declarationsDir = path.join(cacheDir, "types");
const freshReportDir = path.join(cacheDir, "reports");
const REGENERATE = "npm run api -w sdk";

type Entry = { name: string; source: string; report: string };

/** The entry points of package.json `exports` that name a source file, with their report names. */
export function entryPoints(): Entry[] {
  const manifest = JSON.parse(readFileSync(path.join(sdkRoot, "package.json"), "utf8"));
  const entries: Entry[] = [];
  for (const [name, target] of Object.entries(manifest.exports as Record<string, unknown>)) {
    if (typeof target !== "string" || !/^\.\/src\/.+\.ts$/.test(target)) continue;
    const suffix = name === "." ? "" : `-${name.replace(/^\.\//, "").replaceAll("/", "-")}`;
    entries.push({ name, source: target, report: `sdk${suffix}` });
  }
  return entries;
}

/** Declaration files for the whole of src/ into the cache (relative specifiers as `.js`, as in the package). */
function emitDeclarations(): void {
  rmSync(declarationsDir, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const args = ["-p", "tsconfig.build.json", "--emitDeclarationOnly", "--declarationMap", "false"];
  const run = spawnSync(process.execPath, [tsc, ...args, "--sourceMap", "false", "--outDir", declarationsDir], {
    cwd: sdkRoot,
    stdio: "inherit",
  });
  if (run.status !== 0) throw new Error("tsc could not emit the SDK's declarations");
  rewriteDeclarationSpecifiers(declarationsDir);
}

/** API Extractor's report for one entry point, written into the cache; returns its messages worth showing. */
function extract(entry: Entry): string[] {
  const declaration = entry.source.replace(/^\.\/src\//, "").replace(/\.ts$/, ".d.ts");
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: sdkRoot,
      mainEntryPointFilePath: path.join(declarationsDir, declaration),
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: "es2023",
            module: "nodenext",
            moduleResolution: "nodenext",
            lib: ["es2023", "dom"],
            types: ["node"],
            strict: true,
            skipLibCheck: true,
          },
          include: [path.join(declarationsDir, "**", "*.d.ts")],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: entry.report,
        reportFolder: freshReportDir,
        reportTempFolder: path.join(cacheDir, "temp"),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: "lf",
      messages: {
        // The SDK tags no release levels (@public, @beta): everything exported is public.
        extractorMessageReporting: {
          default: { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
          "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None },
        },
        // The JSDoc is TypeDoc's dialect; TypeDoc checks it when it builds the reference.
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: path.join(sdkRoot, "package.json"),
  });
  const shown: string[] = [];
  const result = Extractor.invoke(config, {
    localBuild: true,
    messageCallback(message: ExtractorMessage) {
      // Messages that go into the report are read there, and this script says itself what it wrote; the rest
      // (compiler errors) are shown here.
      const level = message.logLevel;
      if (level === ExtractorLogLevel.None || level === ExtractorLogLevel.Verbose || message.handled) return;
      if (message.messageId.startsWith("console-")) {
        message.handled = true;
        return;
      }
      if (level === ExtractorLogLevel.Error || level === ExtractorLogLevel.Warning) {
        shown.push(`${entry.name}: ${message.formatMessageWithLocation(sdkRoot)}`);
      }
      message.handled = true;
    },
  });
  if (result.errorCount > 0) throw new Error(`API Extractor failed on ${entry.name}:\n${shown.join("\n")}`);
  return shown;
}

/** Fresh reports for every entry point, in the cache; returns their file names. */
export function freshReports(): string[] {
  rmSync(freshReportDir, { recursive: true, force: true });
  mkdirSync(freshReportDir, { recursive: true });
  emitDeclarations();
  const names: string[] = [];
  for (const entry of entryPoints()) {
    for (const line of extract(entry)) console.warn(line);
    names.push(`${entry.report}.api.md`);
  }
  return names;
}

/** Checked-in reports (names in etc/) that differ from the fresh ones, are missing, or name no entry point any more. */
export function staleReports(names: string[]): string[] {
  const stale = names.filter((name) => {
    const committed = path.join(reportDir, name);
    return (
      !existsSync(committed) ||
      readFileSync(committed, "utf8") !== readFileSync(path.join(freshReportDir, name), "utf8")
    );
  });
  const orphans = existsSync(reportDir)
    ? readdirSync(reportDir).filter((f) => f.endsWith(".api.md") && !names.includes(f))
    : [];
  return [...stale, ...orphans];
}

async function writeReference(): Promise<void> {
  const { Application } = await import("typedoc");
  const app = await Application.bootstrapWithPlugins({
    entryPoints: entryPoints().map((e) => path.join(sdkRoot, e.source)),
    tsconfig: path.join(sdkRoot, "tsconfig.build.json"),
    out: docsDir,
    name: "@troth/sdk",
    readme: path.join(sdkRoot, "README.md"),
    excludePrivate: true,
    excludeInternal: true,
    // Types the entry points use without exporting them are listed in the API reports (ae-forgotten-export).
    validation: { notExported: false, invalidLink: true, rewrittenLink: true },
    logLevel: "Warn",
    // The reference is read next to the sources: no "Defined in" links to a hosted repository.
    disableSources: true,
  });
  const project = await app.convert();
  if (!project) throw new Error("TypeDoc could not convert the SDK's sources");
  await app.generateOutputs(project);
  if (app.logger.hasErrors()) throw new Error("TypeDoc reported errors (above)");
}

async function main(check: boolean): Promise<number> {
  const names = freshReports();
  const stale = staleReports(names);
  if (check) {
    if (stale.length === 0) {
      console.log(`API reports up to date: ${names.map((n) => `sdk/etc/${n}`).join(", ")}`);
      return 0;
    }
    console.error(
      `The checked-in API report differs from the SDK's sources: ${stale.map((n) => `sdk/etc/${n}`).join(", ")}.\n` +
        `Run \`${REGENERATE}\`, review the diff of sdk/etc/ (it is the change to the public API) and commit it.`,
    );
    return 1;
  }
  mkdirSync(reportDir, { recursive: true });
  for (const name of stale) rmSync(path.join(reportDir, name), { force: true });
  for (const name of names) writeFileSync(path.join(reportDir, name), readFileSync(path.join(freshReportDir, name)));
  console.log(stale.length ? `Updated ${stale.map((n) => `sdk/etc/${n}`).join(", ")}` : "API reports unchanged");
  await writeReference();
  console.log(`API reference: ${path.relative(process.cwd(), docsDir)}/index.html`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = await main(process.argv.includes("--check"));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
