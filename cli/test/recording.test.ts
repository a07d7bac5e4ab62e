/**
 * `troth checkin --attach` and `troth report --save` against `npm start`: a recording goes in encrypted chunks and
 * comes back out byte for byte, streamed both ways; bad input gets one sentence and a non-zero exit.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devAccounts } from "../../scripts/start/dev-accounts.ts";
import { type Stack, startStack } from "../../test/start/helpers/stack.ts";
import { runTroth } from "./helpers/troth.ts";

const [alice, bob] = devAccounts(2);
let stack: Stack;
let env: Record<string, string>;

function troth(args: string[], key: string) {
  const run = runTroth(args, {
    cwd: stack.work,
    env: { PATH: process.env.PATH ?? "", HOME: stack.work, ...env, TROTH_PRIVATE_KEY: key },
  });
  return { ...run, json: () => JSON.parse(run.stdout) };
}

function ok(run: ReturnType<typeof troth>) {
  expect(run.status, `stderr: ${run.stderr}\nstdout: ${run.stdout}`).to.equal(0);
  return run;
}

function failsWith(run: ReturnType<typeof troth>, code: number, pattern: RegExp) {
  expect(run.status, run.stdout).to.equal(code);
  expect(run.stderr.trimEnd().split("\n"), run.stderr).to.have.length(1);
  expect(run.stderr).to.match(pattern);
}

beforeAll(async () => {
  stack = await startStack({ seed: false, app: false });
  env = {
    TROTH_RPC: stack.rpcUrl,
    TROTH_IPFS: stack.ipfsUrl,
    TROTH_DEPLOYMENT: path.join(stack.deploymentsDir, "31337.json"),
    NO_COLOR: "1",
  };
}, 600_000);

afterAll(async () => {
  if (!stack) return;
  await stack.stop();
  stack.clean();
});

describe("recorded check-ins with the CLI", () => {
  it("attaches a file to a check-in, and a partner saves it back out", () => {
    for (const m of [alice, bob]) ok(troth(["keys", "publish"], m.privateKey));
    const covenant = path.join(stack.work, "covenant.json");
    const members = [alice, bob].map((m, i) => `--member=${m.account.address}=Commitment ${i}`);
    const created = ok(
      troth(
        ["pod", "create", "--title", "Recorded", ...members, "--rounds", "4", "--out", covenant, "--json"],
        alice.privateKey,
      ),
    ).json();
    ok(troth(["pod", "accept", covenant], bob.privateKey));
    const podId = created.podId as string;
    const report = path.join(stack.work, "report.json");
    writeFileSync(report, JSON.stringify({ said: "Walked daily", blocked: "Rain", next: "Keep walking" }));

    // A 3 MB file: twelve chunks, streamed in.
    const audio = Buffer.alloc(3_000_000);
    for (let i = 0; i < audio.length; i++) audio[i] = (i * 7 + (i >> 12)) & 0xff;
    const file = path.join(stack.work, "reflection.ogg");
    writeFileSync(file, audio);

    // Bad input first: nothing is encrypted or sent.
    failsWith(
      troth(["checkin", podId, "--report", report, "--attach", "nope.ogg"], alice.privateKey),
      1,
      /Cannot read nope\.ogg/,
    );
    const odd = path.join(stack.work, "reflection.xyz");
    writeFileSync(odd, "x");
    failsWith(troth(["checkin", podId, "--report", report, "--attach", odd], alice.privateKey), 2, /pass --type/);
    failsWith(
      troth(["checkin", podId, "--report", report, "--type", "audio/ogg"], alice.privateKey),
      2,
      /--type goes with --attach/,
    );
    failsWith(
      troth(["checkin", podId, "--report", report, "--attach", odd, "--type", "text/html"], alice.privateKey),
      1,
      /mimeType/,
    );

    const checked = ok(
      troth(["checkin", podId, "--report", report, "--attach", file, "--json"], alice.privateKey),
    ).json();
    expect(checked.recording).to.match(/^bafkrei/);
    const tokenId = checked.tokenId as string;

    const out = path.join(stack.work, "saved.ogg");
    const read = ok(troth(["report", tokenId, "--round", "1", "--save", out, "--json"], bob.privateKey)).json();
    expect(read.saved).to.deep.include({
      file: out,
      mimeType: "audio/ogg",
      size: audio.length,
      name: "reflection.ogg",
    });
    expect(readFileSync(out).equals(audio)).to.equal(true);
    expect(existsSync(`${out}.part`)).to.equal(false);
    expect(ok(troth(["report", tokenId, "--round", "1"], bob.privateKey)).stdout).to.match(
      /Recording bafkrei\w+ \(save it/,
    );

    failsWith(troth(["report", tokenId, "--round", "1", "--save", out], bob.privateKey), 1, /exists already/);
  });
});
