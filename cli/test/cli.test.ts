/**
 * The `troth` CLI end to end against `npm start`: three members create a pod from a shared covenant file, check in
 * and witness three ways, one misses and restarts, the pod pauses and resumes with everyone's consent, and the audit
 * (from logs alone) matches the contract's lens. Bad input gets one line on stderr and a non-zero exit, never a
 * stack trace.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTrothClient, getContinuity, getRoundWindows, type TrothClient } from "@troth/sdk";
import { createKuboStore } from "@troth/sdk/storage";
import { createPublicClient, createTestClient, getAddress, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devAccounts } from "../../scripts/start/dev-accounts.ts";
import { type Stack, startStack } from "../../test/start/helpers/stack.ts";
import { runTroth, trothCommandLine } from "./helpers/troth.ts";

const [alice, bob, carol, dave, erin] = devAccounts(5);
const PASSWORD = "correct horse battery staple";
let stack: Stack;
let env: Record<string, string>;
let keystores: { bob: string; carol: string; dave: string };

// biome-ignore lint/suspicious/noExplicitAny: the JSON each command prints, checked field by field
type Run = { status: number | null; stdout: string; stderr: string; json: () => any };

/** Runs `troth` as a user would (a new process), signing as `key` (a private key, or a keystore file). */
function troth(
  args: string[],
  signer?: { key?: string; keystore?: string },
  extraEnv: Record<string, string> = {},
  input?: string,
): Run {
  const run = runTroth(args, {
    cwd: stack.work,
    input,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: stack.work,
      ...env,
      ...(signer?.key ? { TROTH_PRIVATE_KEY: signer.key } : {}),
      ...(signer?.keystore ? { TROTH_KEYSTORE: signer.keystore, TROTH_PASSWORD: PASSWORD } : {}),
      ...extraEnv,
    },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, json: () => JSON.parse(run.stdout) };
}

function ok(run: Run): Run {
  expect(run.status, `stderr: ${run.stderr}\nstdout: ${run.stdout}`).to.equal(0);
  return run;
}

/** One sentence on stderr, the exit code, and no stack trace. */
function failsWith(run: Run, code: number, pattern: RegExp) {
  expect(run.status, run.stdout).to.equal(code);
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines, run.stderr).to.have.length(1);
  expect(lines[0]).to.match(/^troth: /);
  expect(lines[0]).to.match(pattern);
  expect(run.stderr).not.to.match(/^\s+at /m);
}

const as = {
  alice: { key: alice.privateKey },
  bob: { key: bob.privateKey },
  dave: { key: dave.privateKey },
  carol: () => ({ keystore: keystores.carol }),
};

const reportText = (said: string) =>
  `# What I said I'd do\n${said}\n\n# What blocked or surprised me\nA busy week\n\n# What's next\nKeep going\n`;

async function chain() {
  const transport = http(stack.rpcUrl);
  const publicClient = createPublicClient({ transport });
  return { publicClient, testClient: createTestClient({ transport, mode: "hardhat" }) };
}

/** Moves the chain's clock to `timestamp`. */
async function travelTo(timestamp: number) {
  const { publicClient, testClient } = await chain();
  const now = Number((await publicClient.getBlock()).timestamp);
  if (timestamp > now) await testClient.increaseTime({ seconds: timestamp - now });
  await testClient.mine({ blocks: 1 });
}

let podId: bigint;
let renewedPod: string;
let tokens: bigint[];
let deployment: { troth: `0x${string}`; lens: `0x${string}`; startBlock: number };

/** A read-only SDK client on the stack (the tests read through the SDK, as the CLI does: no ABI by hand). */
async function reader(): Promise<TrothClient> {
  const { publicClient } = await chain();
  return createTrothClient({
    publicClient,
    store: createKuboStore({ url: stack.ipfsUrl }),
    address: deployment.troth,
    lens: deployment.lens,
    startBlock: BigInt(deployment.startBlock),
  });
}

async function window(round: number, pod = podId) {
  const [w] = await getRoundWindows(await reader(), { podId: pod, rounds: [round] });
  return { opensAt: w.opensAt, closesAt: w.closesAt };
}

beforeAll(async () => {
  stack = await startStack({ seed: false, app: false });
  env = {
    TROTH_RPC: stack.rpcUrl,
    TROTH_IPFS: stack.ipfsUrl,
    TROTH_DEPLOYMENT: path.join(stack.deploymentsDir, "31337.json"),
    NO_COLOR: "1",
  };
  deployment = JSON.parse(readFileSync(env.TROTH_DEPLOYMENT, "utf8"));
  keystores = {
    bob: path.join(stack.work, "bob.json"),
    carol: path.join(stack.work, "carol.json"),
    dave: path.join(stack.work, "dave.json"),
  };
}, 600_000);

afterAll(async () => {
  if (!stack) return;
  await stack.stop();
  stack.clean();
});

describe("troth keys", () => {
  it("init imports a key into an encrypted keystore readable by its owner only", () => {
    const created = ok(
      troth(
        ["keys", "init", "--json"],
        { key: carol.privateKey },
        { TROTH_KEYSTORE: keystores.carol, TROTH_PASSWORD: PASSWORD },
      ),
    );
    expect(created.json()).to.deep.equal({ address: carol.account.address, keystore: keystores.carol, imported: true });
    expect(statSync(keystores.carol).mode & 0o777).to.equal(0o600);
    const keystore = JSON.parse(readFileSync(keystores.carol, "utf8"));
    expect([keystore.version, keystore.crypto.kdf, keystore.crypto.cipher]).to.deep.equal([3, "scrypt", "aes-128-ctr"]);
    expect(readFileSync(keystores.carol, "utf8")).not.to.include(carol.privateKey.slice(2));
    ok(troth(["keys", "init"], { key: bob.privateKey }, { TROTH_KEYSTORE: keystores.bob, TROTH_PASSWORD: PASSWORD }));
    failsWith(
      troth(["keys", "init"], { key: bob.privateKey }, { TROTH_KEYSTORE: keystores.bob, TROTH_PASSWORD: PASSWORD }),
      1,
      /exists at .* --force/,
    );
  });

  it("refuses a wrong password and a missing keystore", () => {
    failsWith(
      troth(["keys", "show"], undefined, { TROTH_KEYSTORE: keystores.carol, TROTH_PASSWORD: "not the password" }),
      1,
      /^troth: Wrong password for the keystore .*carol\.json\.$/,
    );
    failsWith(
      troth(["keys", "show"], undefined, { TROTH_KEYSTORE: path.join(stack.work, "nope.json"), TROTH_PASSWORD: "x" }),
      1,
      /No keystore at .*nope\.json: create one with `troth keys init`/,
    );
  });

  it("publish puts each identity key on chain; show reads it back", () => {
    for (const signer of [as.alice, as.bob, as.carol(), as.dave]) ok(troth(["keys", "publish"], signer));
    const shown = ok(troth(["keys", "show", "--json"], as.carol())).json();
    expect([shown.address, shown.published]).to.deep.equal([carol.account.address, true]);
  });
});

describe("a pod made with the CLI", () => {
  it("is proposed in a covenant file and created by the last acceptance", () => {
    const covenantFile = path.join(stack.work, "covenant.json");
    const members = [alice, bob, carol].map((m, i) => `--member=${m.account.address}=Commitment ${i}`);
    const created = ok(
      troth(
        [
          "pod",
          "create",
          "--title",
          "CLI pod",
          ...members,
          "--cadence",
          "7d",
          "--grace",
          "2d",
          "--rounds",
          "6",
          "--turn-length",
          "10",
          "--out",
          covenantFile,
          "--json",
        ],
        as.alice,
      ),
    ).json();
    expect([created.accepted, created.created]).to.deep.equal([true, false]);
    expect(existsSync(covenantFile)).to.equal(true);
    failsWith(
      troth(["pod", "create", "--title", "Too long", ...members, "--recording-cap", "90"], as.alice),
      2,
      /--recording-cap must be a whole number from 1 to 60 or "default" \(got "90"\)/,
    );
    // An empty value is a mistake, not "no value": refused, never silently dropped, and before any network call.
    failsWith(
      troth(
        ["pod", "create", "--title", "Empty", ...members, "--turn-length=", "--rpc", "http://127.0.0.1:1"],
        as.alice,
      ),
      2,
      /--turn-length must be a whole number from 1 to 60 or "default" \(got ""\)/,
    );
    podId = BigInt(created.podId);
    expect(ok(troth(["pod", "accept", covenantFile, "--json"], as.bob)).json().created).to.equal(false);
    const last = ok(troth(["pod", "accept", covenantFile, "--json"], as.carol())).json();
    expect(last.created).to.equal(true);
    tokens = last.tokenIds.map(BigInt);
    expect(tokens).to.deep.equal([0n, 1n, 2n].map((i) => (podId << 8n) | i));
    failsWith(troth(["pod", "accept", covenantFile], as.bob), 1, /This covenant already created its pod/);
  });

  it("shows the pod and, to a member, its decrypted covenant and commitments", () => {
    const shown = ok(troth(["pod", "show", String(podId), "--read", "--json"], as.bob)).json();
    expect(shown.pod.status).to.equal("active");
    expect(shown.covenant.title).to.equal("CLI pod");
    // The meeting term set at creation is sealed in the covenant (version 3); the cap left out takes its default.
    expect([shown.covenant.version, shown.covenant.terms.turnLength, shown.covenant.terms.recordingCap]).to.deep.equal([
      3,
      10,
      undefined,
    ]);
    expect(Object.values(shown.commitmentTexts)).to.deep.equal(["Commitment 0", "Commitment 1", "Commitment 2"]);
    const human = ok(troth(["pod", "show", String(podId)])).stdout;
    expect(human).to.match(/active, round 1 of 6, cycle 1/);
  });

  it("round 0: check-ins witnessed by transaction, in the same transaction, and by a signature someone sends", () => {
    const aliceReport = path.join(stack.work, "alice-0.md");
    writeFileSync(aliceReport, reportText("Wrote every morning"));
    const checked = ok(troth(["checkin", String(podId), "--report", aliceReport, "--json"], as.alice)).json();
    expect([checked.round, checked.witnessed, checked.tokenId]).to.deep.equal([0, false, tokens[0].toString()]);
    expect(ok(troth(["witness", tokens[0].toString(), "--json"], as.bob)).json().witnessed).to.equal(true);

    const bobReport = path.join(stack.work, "bob-0.json");
    writeFileSync(bobReport, JSON.stringify({ said: "Ran twice", blocked: "Rain", next: "Treadmill" }));
    const bobs = ok(
      troth(["checkin", tokens[1].toString(), "--report", bobReport, "--witness", keystores.carol, "--json"], as.bob, {
        TROTH_PASSWORD: PASSWORD,
      }),
    ).json();
    expect(bobs.witnessed).to.equal(true);

    ok(troth(["checkin", String(podId), "--report", "-"], as.carol(), {}, reportText("Practised daily")));
    const signature = path.join(stack.work, "alice-witnesses-carol.json");
    ok(troth(["witness", tokens[2].toString(), "--sign", "--reply", "Thank you", "--out", signature], as.alice));
    expect(JSON.parse(readFileSync(signature, "utf8"))).to.include({
      type: "troth/witness-signature",
      round: 0,
      signer: alice.account.address,
    });
    expect(
      ok(troth(["witness", tokens[2].toString(), "--send", signature, "--json"], as.bob)).json().witnessed,
    ).to.equal(true);

    const read = ok(troth(["report", tokens[0].toString(), "--round", "1", "--json"], as.carol())).json();
    expect(read.said).to.equal("Wrote every morning");
    expect(ok(troth(["due", "--json"], as.alice)).json().due).to.deep.equal([]);
  });

  it("round 1: due with the speaking order; Carol misses, cannot check in a closed round, and restarts", async () => {
    await travelTo((await window(1)).opensAt + 3600);
    const due = ok(troth(["due", "--json"], as.alice)).json();
    expect(due.due.map((d: { round: number; tokenId: string }) => [d.round, d.tokenId])).to.deep.equal([
      [1, tokens[0].toString()],
    ]);
    expect(due.due[0].speakingOrder).to.deep.equal([bob, carol, alice].map((m) => m.account.address));
    expect(ok(troth(["due", alice.account.address])).stdout).to.match(
      /speaking order: 0x7099…79C8, 0x3C44…93BC, 0xf39F…2266 \(you\)/,
    );
    const report = path.join(stack.work, "round-1.md");
    writeFileSync(report, reportText("Kept at it"));
    ok(troth(["checkin", String(podId), "--report", report], as.alice));
    ok(troth(["witness", tokens[0].toString()], as.bob));
    ok(
      troth(["checkin", String(podId), "--report", report, "--witness", keystores.carol], as.bob, {
        TROTH_PASSWORD: PASSWORD,
      }),
    );

    await travelTo((await window(1)).closesAt + 3600);
    failsWith(
      troth(["checkin", String(podId), "--round", "2", "--report", report], as.carol()),
      1,
      /The round is not open .*CheckInRoundNotOpen\(/,
    );
    const restarted = ok(
      troth(["restart", String(podId), "--commitment", "A smaller commitment", "--json"], as.carol()),
    ).json();
    expect([restarted.round, restarted.restarts]).to.deep.equal([2, 1]);
    ok(troth(["checkin", String(podId), "--report", report], as.carol()));
    ok(troth(["witness", tokens[2].toString()], as.alice));
  });

  it("pauses and resumes with every member's consent", () => {
    failsWith(
      troth(["pod", "pause", String(podId)], as.alice),
      1,
      /No signer was given for the Pause consent of .*0x70997970C51812dc3A010C7d01b50e0d17dc79C8/,
    );
    const paused = ok(
      troth(
        ["pod", "pause", String(podId), "--consent", keystores.bob, "--consent", keystores.carol, "--json"],
        as.alice,
        { TROTH_PASSWORD: PASSWORD },
      ),
    ).json();
    expect(paused.pausedAt).to.be.a("number");
    expect(ok(troth(["pod", "show", String(podId), "--json"])).json().pod.status).to.equal("paused");
    ok(
      troth(["pod", "resume", String(podId), "--consent", keystores.bob, "--consent", keystores.carol], as.alice, {
        TROTH_PASSWORD: PASSWORD,
      }),
    );
    expect(ok(troth(["pod", "show", String(podId), "--json"])).json().pod.status).to.equal("active");
  });

  it("audits from logs alone exactly what the contract's lens shows", async () => {
    const audited = ok(troth(["audit", String(podId), "--json"])).json();
    const lensView = await getContinuity(await reader(), { podId });
    const plain = (value: unknown) =>
      JSON.parse(JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
    expect(audited.kind).to.equal("pod");
    expect(audited.pod).to.deep.equal(plain(lensView.pod));
    expect(audited.members).to.deep.equal(plain(lensView.members));
    // The audit also says whether a claim stands on each commitment (none here); the lens view leaves that to getClaim.
    expect(audited.commitments.map((c: { claim?: unknown }) => c.claim ?? null)).to.deep.equal([null, null, null]);
    const withoutClaim = ({ claim: _, ...rest }: { claim?: unknown }) => rest;
    expect(audited.commitments.map(withoutClaim)).to.deep.equal(plain(lensView.commitments));
    expect(audited.commitments.map((c: { missed: number; restarts: number }) => [c.missed, c.restarts])).to.deep.equal([
      [0, 0],
      [0, 0],
      [1, 1],
    ]);
    const token = ok(troth(["audit", tokens[2].toString(), "--json"])).json();
    expect([token.kind, token.commitment.roundStates.slice(0, 3)]).to.deep.equal([
      "commitment",
      ["witnessed", "missed", "witnessed"],
    ]);
    const byAddress = ok(troth(["audit", carol.account.address, "--json"])).json();
    expect(byAddress.pods.map((p: { pod: { podId: string } }) => p.pod.podId)).to.deep.equal([podId.toString()]);
    expect(ok(troth(["audit", String(podId)])).stdout).to.match(
      /#2 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC {2}active\n {4}✓✗✓/,
    );
  });

  it("exports the rounds and their grace windows as an iCalendar file", async () => {
    const file = path.join(stack.work, "pod.ics");
    ok(troth(["ics", String(podId), "--out", file, "--name", "CLI pod"]));
    const text = readFileSync(file, "utf8");
    expect(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).to.equal(true);
    expect(text.match(/BEGIN:VEVENT/g)).to.have.length(12);
    expect(text.match(/BEGIN:VALARM/g)).to.have.length(6);
    const round0 = await window(0);
    const stamp = (unix: number) => `${new Date(unix * 1000).toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;
    expect(text).to.include(`DTSTART:${stamp(round0.opensAt)}`);
    expect(text).to.include(`DTEND:${stamp(round0.closesAt)}`);
    expect(text).to.include("SUMMARY:CLI pod: round 1 of 6\r\n");
    expect(text.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).to.equal(true);
  });
});

describe("bad input: one sentence, a non-zero exit, no stack trace", () => {
  it("an unknown pod", () => {
    failsWith(troth(["pod", "show", "12345"]), 1, /^troth: No pod has this id\. \(PodNonexistent\(12345\)\)$/);
    failsWith(troth(["checkin", "999", "--report", "x.md"], as.alice), 1, /No pod or commitment has the id 0x3e7\./);
  });

  it("a signer who is not a member", () => {
    const report = path.join(stack.work, "dave.md");
    writeFileSync(report, reportText("Not in this pod"));
    failsWith(
      troth(["checkin", String(podId), "--report", report], as.dave),
      1,
      /0x90F79bf6EB2c4f870365E785982E1f101E93b906 is not a member of pod/,
    );
    failsWith(
      troth(["checkin", tokens[0].toString(), "--round", "3", "--report", report], as.dave),
      1,
      /does not hold this commitment|not an active member/,
    );
  });

  it("an unreachable chain or IPFS node", () => {
    failsWith(
      troth(["due", alice.account.address, "--rpc", "http://127.0.0.1:1"]),
      1,
      /^troth: Cannot reach the chain at http:\/\/127\.0\.0\.1:1: is `npm start` running/,
    );
    const report = path.join(stack.work, "offline.md");
    writeFileSync(report, reportText("Offline"));
    failsWith(
      troth(["checkin", String(podId), "--report", report, "--ipfs", "http://127.0.0.1:1"], as.bob),
      1,
      /^troth: Cannot reach IPFS at http:\/\/127\.0\.0\.1:1/,
    );
  });

  it("a wrong command line (exit 2)", () => {
    failsWith(troth(["pod", "show"]), 2, /^troth: Missing pod\.$/);
    failsWith(troth(["pod", "frobnicate"]), 2, /Unknown command "pod frobnicate"/);
    failsWith(troth(["due", "--round", "x"]), 2, /Unknown option '--round'/);
    // Rounds count from 1: --round 0 is refused, and so is a round past the pod's cycle of 6.
    failsWith(
      troth(["report", tokens[0].toString(), "--round", "0"], as.alice),
      2,
      /--round must be a round number from 1 to 64/,
    );
    failsWith(
      troth(["report", tokens[0].toString(), "--round", "7"], as.alice),
      2,
      /--round must be a round number from 1 to 6,/,
    );
    failsWith(
      troth(["witness", "1", "--sign", "--reply", "Great job!"], as.alice),
      2,
      /only "Thank you" or "What did you notice\?"/,
    );
    failsWith(
      troth(["pod", "create", "--title", "x", "--member", "0x12"], as.alice),
      2,
      /--member takes <address>=<commitment>/,
    );
  });

  it("a key given on the command line is not an option", () => {
    failsWith(troth(["due", "--private-key", alice.privateKey]), 2, /Unknown option '--private-key'/);
  });
});

describe("the life of the pod", () => {
  const consents = () => ["--consent", keystores.bob, "--consent", keystores.carol];
  const password = { TROTH_PASSWORD: PASSWORD };

  it("amends its terms in two phases: prepared, consented on each member's machine, submitted", async () => {
    // A meeting term out of range or not a number is refused before the network is asked (this chain is unreachable).
    for (const value of ["61", "abc"]) {
      failsWith(
        troth(["pod", "amend", String(podId), "--turn-length", value, "--prepare", "--rpc", "http://127.0.0.1:1"]),
        2,
        new RegExp(`^troth: --turn-length must be a whole number from 1 to 60 or "default" \\(got "${value}"\\)\\.$`),
      );
    }
    const { currentRound } = ok(troth(["pod", "show", String(podId), "--json"])).json().pod;
    const request = path.join(stack.work, "amend.json");
    const prepared = ok(
      troth(
        [
          "pod",
          "amend",
          String(podId),
          "--quorum",
          "2",
          "--title",
          "CLI pod, amended",
          "--turn-length",
          "12",
          "--prepare",
          "--out",
          request,
          "--json",
        ],
        as.alice,
      ),
    ).json();
    expect(prepared.required).to.deep.equal([alice, bob, carol].map((m) => m.account.address));
    expect(prepared.changes).to.deep.equal([
      { field: "title", before: "CLI pod", after: "CLI pod, amended" },
      { field: "quorum", before: 1, after: 2 },
      { field: "turnLength", before: 10, after: 12 },
    ]);
    const bobConsent = path.join(stack.work, "bob-amend.json");
    const carolConsent = path.join(stack.work, "carol-amend.json");
    // Bob is shown what the amended covenant says, not only the numbers the chain checks.
    expect(ok(troth(["consent", request, "--out", bobConsent], as.bob)).stdout).to.match(
      /You consent to amend pod 0x[0-9a-f]+: every 7 d, grace 2 d, quorum 2 .*\nIt changes the covenant:\n {2}title: "CLI pod" → "CLI pod, amended"\n {2}witnesses per check-in: 1 → 2\n {2}each turn: 10 min → 12 min\n/,
    );
    ok(troth(["consent", request, "--out", carolConsent], as.carol()));
    failsWith(
      troth(["consent", request], as.dave),
      1,
      /0x90F79bf6EB2c4f870365E785982E1f101E93b906 is not among those who consent/,
    );
    failsWith(
      troth(["pod", "amend", "--submit", request, "--signature", bobConsent], as.alice),
      1,
      /No signer was given for the Amend consent of 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC/,
    );
    const amended = ok(
      troth(
        ["pod", "amend", "--submit", request, "--signature", bobConsent, "--signature", carolConsent, "--json"],
        as.alice,
      ),
    ).json();
    expect(amended.fromRound).to.equal(currentRound + 1);
    expect(amended.amendment.quorum).to.equal(2);
    const { covenant } = ok(troth(["pod", "show", String(podId), "--read", "--json"], as.bob)).json();
    expect([covenant.title, covenant.terms.turnLength]).to.deep.equal(["CLI pod, amended", 12]);
    // A consent is good for one change: the nonce it signed is spent.
    failsWith(
      troth(["pod", "amend", "--submit", request, "--signature", bobConsent, "--signature", carolConsent], as.alice),
      1,
      /signed this digest validly|ConsentInvalidSignature/,
    );
  });

  it("refuses to consent to an amendment whose covenant is not what its request says", () => {
    const request = path.join(stack.work, "amend-rhythm.json");
    const prepared = ok(
      troth(
        ["pod", "amend", String(podId), "--cadence", "14d", "--turn-length", "default", "--prepare", "--out", request],
        as.alice,
      ),
    ).stdout;
    expect(prepared).to.match(/\n {2}a round every: 7 d → 14 d\n {2}each turn: 12 min → 8 min \(default\)\n/);
    // Before anyone signs, the request is edited to say the rhythm stays: the covenant it points to still says 14 d.
    const edited = JSON.parse(readFileSync(request, "utf8"));
    writeFileSync(request, JSON.stringify({ ...edited, amendment: { ...edited.amendment, cadence: 7 * 86_400 } }));
    const out = path.join(stack.work, "bob-edited-amend.json");
    failsWith(
      troth(["consent", request, "--out", out], as.bob),
      1,
      /^troth: Refusing to sign: the amendment of pod 0x[0-9a-f]+ does not match what it says \(its covenant says cadence 1209600 where the chain would hold 604800\); ask whoever prepared it to prepare it again\.$/,
    );
    expect(existsSync(out)).to.equal(false);
  });

  it("starts a meeting with the covenant's turn length (--read), or the default", () => {
    const read = ok(troth(["meeting", String(podId), "--read", "--json"], as.bob)).json();
    expect([read.link.turn, read.turnSource, read.order.length]).to.deep.equal([12 * 60, "covenant", 3]);
    expect(ok(troth(["meeting", String(podId), "--read"], as.bob)).stdout).to.match(
      /^Meeting for round \d+ of pod 0x[0-9a-f]+: 12 min each, the covenant's turn length\.\nLink for the others: \/meeting\/0x[0-9a-f]+\/\d+\/\d+\/720\n/,
    );
    expect(ok(troth(["meeting", String(podId)])).stdout).to.match(
      /^Meeting for round \d+ of pod 0x[0-9a-f]+: 8 min each, the default turn \(--read takes the covenant's\)\./,
    );
  });

  it("pauses and resumes in two phases: one member prepares, each consents on their machine, another submits", () => {
    const pauseRequest = path.join(stack.work, "pause.json");
    const prepared = ok(
      troth(["pod", "pause", String(podId), "--prepare", "--out", pauseRequest, "--json"], as.alice),
    ).json();
    expect(prepared.required).to.deep.equal([alice, bob, carol].map((m) => m.account.address));
    // The SDK's one format: the file holds the payload the dApp's link carries.
    expect(JSON.parse(readFileSync(pauseRequest, "utf8"))).to.include({
      type: "troth/consent-request",
      version: 2,
      kind: "Pause",
    });
    expect(prepared.link).to.match(/^#\/consent\/[A-Za-z0-9_-]+$/);
    const signatures = Object.fromEntries(
      (["alice", "carol"] as const).map((name) => [name, path.join(stack.work, `${name}-pause.json`)]),
    );
    expect(ok(troth(["consent", pauseRequest, "--out", signatures.alice], as.alice)).stdout).to.match(
      /You consent to pause pod 0x[0-9a-f]+ \(valid until /,
    );
    // Carol opens the link a dApp user would have sent (the same payload as the file).
    const carolSays = ok(
      troth(["consent", `http://127.0.0.1:5173/${prepared.link}`, "--out", signatures.carol, "--json"], as.carol()),
    ).json();
    expect(carolSays.link).to.match(/^#\/consent\//);
    expect(
      JSON.parse(readFileSync(signatures.carol, "utf8")).signatures.map((x: { signer: string }) => x.signer),
    ).to.deep.equal([carol.account.address]);
    // A consent edited after it was signed (another nonce or deadline) no longer carries a signature of the change it
    // names, and is refused before anyone else signs; so are a request for another chain, an unknown change or
    // version, and one cut short.
    const original = JSON.parse(readFileSync(signatures.alice, "utf8"));
    const tampered = path.join(stack.work, "tampered.json");
    for (const [edit, why] of [
      [
        { ...original, nonce: original.nonce + 1 },
        /cannot be used: the signature of 0x[0-9a-fA-F]+ is not of this change/,
      ],
      [{ ...original, deadline: String(BigInt(original.deadline) - 1n) }, /is not of this change/],
      [{ ...original, chainId: 1 }, /is for Troth 0x[0-9a-fA-F]+ on chain 1, not 0x[0-9a-fA-F]+ on chain 31337/],
      [{ ...original, kind: "Dissolve" }, /is not a consent request Troth can read: unknown request/],
      [{ ...original, version: 3 }, /version 3 is not one this SDK reads/],
    ] as const) {
      writeFileSync(tampered, JSON.stringify(edit));
      failsWith(troth(["consent", tampered], as.bob), 1, why);
    }
    writeFileSync(tampered, readFileSync(pauseRequest, "utf8").slice(0, 200));
    failsWith(troth(["consent", tampered], as.bob), 1, /is not a consent request Troth can read/);
    failsWith(troth(["consent", `${prepared.link.slice(0, 60)}`], as.bob), 1, /This link is not a consent request/);
    failsWith(
      troth(["pod", "resume", "--submit", pauseRequest, "--signature", signatures.alice], as.bob),
      1,
      /asks consent to "pause", not "resume"/,
    );
    failsWith(
      troth(["pod", "pause", "--submit", pauseRequest, "--signature", signatures.alice], as.bob),
      1,
      /No signer was given for the Pause consent of 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC/,
    );
    // Bob submits: he consents by signing as he sends, with Alice's and Carol's signatures made in advance.
    const paused = ok(
      troth(
        ["pod", "pause", "--submit", pauseRequest, "--signature", signatures.alice, "--signature", signatures.carol],
        as.bob,
      ),
    );
    expect(paused.stdout).to.match(/^Paused pod 0x[0-9a-f]+\.$/m);
    expect(ok(troth(["pod", "show", String(podId), "--json"])).json().pod.status).to.equal("paused");
    failsWith(troth(["pod", "pause", String(podId), "--prepare"], as.alice), 1, /The pod is paused/);

    const resumeRequest = path.join(stack.work, "resume.json");
    ok(troth(["pod", "resume", String(podId), "--prepare", "--out", resumeRequest], as.carol()));
    const bobResumes = path.join(stack.work, "bob-resume.json");
    expect(ok(troth(["consent", resumeRequest, "--out", bobResumes], as.bob)).stdout).to.match(
      /You consent to resume pod 0x[0-9a-f]+/,
    );
    const aliceResumes = path.join(stack.work, "alice-resume.json");
    ok(troth(["consent", resumeRequest, "--out", aliceResumes], as.alice));
    const resumed = ok(
      troth(
        ["pod", "resume", "--submit", resumeRequest, "--signature", bobResumes, "--signature", aliceResumes, "--json"],
        as.carol(),
      ),
    ).json();
    expect(resumed.pausedFor).to.be.a("number");
    expect(ok(troth(["pod", "show", String(podId), "--json"])).json().pod.status).to.equal("active");
    // The pause's consents were for a nonce that is spent now.
    failsWith(
      troth(
        ["pod", "pause", "--submit", pauseRequest, "--signature", signatures.alice, "--signature", signatures.carol],
        as.bob,
      ),
      1,
      /signed this digest validly|ConsentInvalidSignature/,
    );
  });

  it("adds a member with everyone's consent and the newcomer's", () => {
    ok(troth(["keys", "init"], { key: dave.privateKey }, { TROTH_KEYSTORE: keystores.dave, ...password }));
    const member = `${dave.account.address}=Commitment 3`;
    failsWith(
      troth(["pod", "add", String(podId), "--member", member, ...consents()], as.alice, password),
      1,
      /No signer was given for the AddMember consent of 0x90F79bf6EB2c4f870365E785982E1f101E93b906/,
    );
    const added = ok(
      troth(
        ["pod", "add", String(podId), "--member", member, ...consents(), "--consent", keystores.dave, "--json"],
        as.alice,
        password,
      ),
    ).json();
    expect(added.tokenId).to.equal(((podId << 8n) | 3n).toString());
    tokens.push(BigInt(added.tokenId));
    // The covenant was sealed for the epoch Dave joined in: he reads what the pod agreed (not what was written before).
    const shown = ok(troth(["pod", "show", String(podId), "--read", "--json"], as.dave)).json();
    expect(shown.covenant.title).to.equal(
      ok(troth(["pod", "show", String(podId), "--read", "--json"], as.alice)).json().covenant.title,
    );
    expect(shown.commitmentTexts[added.tokenId]).to.equal("Commitment 3");
  });

  it("lets a member leave; writing waits for a new key epoch, then goes on", () => {
    const left = ok(troth(["pod", "leave", String(podId), "--json"], as.carol())).json();
    expect(left.tokenId).to.equal(tokens[2].toString());
    const report = path.join(stack.work, "after-leave.md");
    writeFileSync(report, reportText("After Carol left"));
    failsWith(
      troth(["checkin", String(podId), "--report", report], as.bob),
      1,
      /still includes a member who left: rotate it before writing/,
    );
    ok(troth(["pod", "rotate", String(podId)], as.alice));
    ok(troth(["checkin", String(podId), "--report", report], as.bob));
    // Carol reads nothing written after she left.
    failsWith(troth(["report", tokens[1].toString(), "--round", "3"], as.carol()), 1, /holds no key for epoch/);
  });

  it("renews for a second cycle once the first has ended", async () => {
    const { rounds } = ok(troth(["pod", "show", String(podId), "--json"])).json().pod;
    await travelTo((await window(rounds - 1)).closesAt + 3600);
    expect(ok(troth(["pod", "show", String(podId), "--json"])).json().pod.status).to.equal("ended");
    const file = path.join(stack.work, "renewal.json");
    const members = [alice, bob, dave].map((m) => `--member=${m.account.address}=Again ${m.name}`);
    const proposed = ok(
      troth(["pod", "renew", String(podId), "--title", "Second cycle", ...members, "--out", file, "--json"], as.alice),
    ).json();
    expect(proposed.covenant.previousPod).to.equal(podId.toString());
    ok(troth(["pod", "accept", file], as.bob));
    expect(ok(troth(["pod", "accept", file, "--json"], { keystore: keystores.dave })).json().created).to.equal(true);
    const renewed = ok(troth(["audit", proposed.podId, "--json"])).json();
    expect([renewed.pod.cycle, renewed.pod.previousPod, renewed.members.length]).to.deep.equal([
      2,
      podId.toString(),
      3,
    ]);
    expect(ok(troth(["audit", String(podId), "--json"])).json().vitality.renewal.renewedBy).to.equal(proposed.podId);
    // The meeting terms, sealed off the chain in the covenant (the turn as amended), carry over to the second cycle
    // (no flag changed them).
    const second = ok(troth(["pod", "show", proposed.podId, "--read", "--json"], as.bob)).json();
    expect([second.covenant.terms.turnLength, second.covenant.terms.recordingCap]).to.deep.equal([12, undefined]);
    renewedPod = proposed.podId;
  });

  it("on a terminal: asks for the keystore password and takes the report from $EDITOR", () => {
    const editor = path.join(stack.work, "editor.sh");
    writeFileSync(editor, `#!/bin/sh\ncat > "$1" <<'EOF'\n${reportText("Wrote it in the editor")}EOF\n`, {
      mode: 0o755,
    });
    const command = trothCommandLine(["checkin", renewedPod, "--json"]);
    // `script` gives the CLI a pseudo-terminal, as a person at a shell has.
    const run = spawnSync("script", ["-qec", command, "/dev/null"], {
      cwd: stack.work,
      encoding: "utf8",
      input: `${PASSWORD}\r`,
      env: { PATH: process.env.PATH ?? "", HOME: stack.work, ...env, EDITOR: editor, TROTH_KEYSTORE: keystores.dave },
    });
    expect(run.status, run.stdout).to.equal(0);
    expect(run.stdout).to.include(`Password for ${keystores.dave}: `);
    const result = JSON.parse(run.stdout.slice(run.stdout.indexOf("{")).replace(/\r\n/g, "\n"));
    expect(result.round).to.equal(0);
    const read = ok(troth(["report", result.tokenId, "--round", "1", "--json"], as.bob)).json();
    expect(read.said).to.equal("Wrote it in the editor");
  });

  it("replaces a member with everyone's consent, the replaced member's too, and the newcomer's", () => {
    const carolAddress = getAddress(carol.account.address);
    const daveAddress = getAddress(dave.account.address);
    const member = `${carolAddress}=Back for the second cycle`;
    const replace = ["pod", "replace", renewedPod, "--replaced", dave.account.address, "--member", member];
    expect(ok(troth(["pod", "replace", "--help"])).stdout).to.match(/the member who steps out: they consent too/);
    // Without Dave, who steps out: nobody is pushed out by the others.
    failsWith(
      troth([...replace, "--consent", keystores.bob, "--consent", keystores.carol], as.alice, password),
      1,
      new RegExp(`No signer was given for the ReplaceMember consent of ${daveAddress}\\.`),
    );
    const replaced = ok(
      troth(
        [...replace, "--consent", keystores.bob, "--consent", keystores.dave, "--consent", keystores.carol, "--json"],
        as.alice,
        password,
      ),
    ).json();
    expect(getAddress(replaced.replaced)).to.equal(getAddress(dave.account.address));
    expect(getAddress(replaced.member)).to.equal(carolAddress);
    const shown = ok(troth(["pod", "show", renewedPod, "--read", "--json"], as.carol())).json();
    expect(shown.covenant.title).to.equal("Second cycle");
    expect(
      shown.members.find((m: { account: string }) => getAddress(m.account) === getAddress(dave.account.address)).status,
    ).to.equal("replaced");
  });
});

describe("claims: an absent member, a lost wallet", () => {
  const password = { TROTH_PASSWORD: PASSWORD };
  let claimPod: string;
  let claimTokens: string[];
  const file = (name: string) => path.join(stack.work, name);

  it("the absence rule: refused while the member is present; proposed once absent; cancelled by them", async () => {
    // Alice, Bob and Carol, daily rounds.
    const proposal = file("claims-covenant.json");
    const members = [alice, bob, carol].map((m) => `--member=${m.account.address}=Claims ${m.name}`);
    const created = ok(
      troth(
        [
          "pod",
          "create",
          "--title",
          "Claims pod",
          ...members,
          "--cadence",
          "1d",
          "--grace",
          "1h",
          "--rounds",
          "10",
          "--out",
          proposal,
          "--json",
        ],
        as.alice,
      ),
    ).json();
    claimPod = created.podId;
    ok(troth(["pod", "accept", proposal], as.bob));
    claimTokens = ok(troth(["pod", "accept", proposal, "--json"], as.carol())).json().tokenIds;
    // Bob checks in for round 0 (witnessed by Alice): sealed in the pod's first key epoch.
    const bobReport = file("claims-bob-0.md");
    writeFileSync(bobReport, reportText("Bob, before he lost his wallet"));
    ok(troth(["checkin", claimPod, "--report", bobReport], as.bob));
    ok(troth(["witness", claimTokens[1]], as.alice));

    const absent = ["pod", "replace", claimPod, "--replaced", carol.account.address, "--absent"];
    const newcomer = ["--member", `${dave.account.address}=Dave, in Carol's place`];
    failsWith(
      troth([...absent, ...newcomer, "--prepare"], as.alice),
      1,
      /The member is not absent .*\(ClaimMemberNotAbsent\(/,
    );
    await travelTo((await window(1, BigInt(claimPod))).closesAt + 60);

    const request = file("replace-absent.json");
    const prepared = ok(troth([...absent, ...newcomer, "--prepare", "--out", request, "--json"], as.alice)).json();
    // Every active member but the absent one, then the newcomer.
    expect(prepared.required).to.deep.equal([alice, bob, dave].map((m) => m.account.address));
    expect(JSON.parse(readFileSync(request, "utf8")).kind).to.equal("ReplaceAbsentMember");
    const bobConsent = file("bob-replace-absent.json");
    expect(ok(troth(["consent", request, "--out", bobConsent], as.bob)).stdout).to.match(
      /You consent to propose to replace 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC, absent, with 0x90F79bf6EB2c4f870365E785982E1f101E93b906/,
    );
    const daveConsent = file("dave-replace-absent.json");
    ok(troth(["consent", request, "--out", daveConsent], as.dave));
    failsWith(troth(["consent", request], as.carol()), 1, /is not among those who consent/);
    const made = ok(
      troth(
        ["pod", "replace", "--submit", request, "--signature", bobConsent, "--signature", daveConsent, "--json"],
        as.alice,
      ),
    ).json();
    expect(made.claim.tokenId).to.equal(claimTokens[2]);

    const shown = ok(troth(["pod", "show", claimPod])).stdout;
    expect(shown).to.match(
      /Claims\n {2}#2 token 0x[0-9a-f]+: replacement: 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC \(absent\) by 0x90F7/,
    );
    expect(shown).to.match(/completable from .* UTC \(in 2 d\)/);
    const claim = ok(troth(["claim", "show", claimTokens[2], "--json"])).json();
    expect([claim.kind, claim.windowOpen, claim.notBefore]).to.deep.equal(["replacement", true, made.claim.notBefore]);
    failsWith(
      troth(["claim", "complete", claimTokens[2]], as.bob),
      1,
      /The claim's objection window is still open.*\(ClaimWindowOpen\(/,
    );
    failsWith(troth(["claim", "cancel", claimTokens[2]], as.bob), 1, /does not hold this commitment/);
    // Carol is here after all.
    expect(ok(troth(["claim", "cancel", claimTokens[2]], as.carol())).stdout).to.match(/^Cancelled the claim/);
    expect(ok(troth(["claim", "show", claimTokens[2]])).stdout).to.match(/^No claim stands on token 0x[0-9a-f]+\.$/m);
    failsWith(troth(["claim", "cancel", claimTokens[2]], as.carol()), 1, /No claim stands on this commitment/);
  });

  it("is completed by anyone once the window has passed (everyone consents at once)", async () => {
    const absent = ["pod", "replace", claimPod, "--replaced", carol.account.address, "--absent"];
    const made = ok(
      troth(
        [...absent, "--member", `${dave.account.address}=Dave, in Carol's place`, "--consent", keystores.bob].concat([
          "--consent",
          keystores.dave,
          "--json",
        ]),
        as.alice,
        password,
      ),
    ).json();
    await travelTo(made.claim.notBefore + 60);
    expect(ok(troth(["claim", "show", claimTokens[2]])).stdout).to.match(
      /completable now: anyone runs `troth claim complete/,
    );
    const done = ok(troth(["claim", "complete", claimTokens[2], "--json"], as.bob)).json();
    expect([done.kind, getAddress(done.account)]).to.deep.equal(["replacement", getAddress(dave.account.address)]);
    const shown = ok(troth(["pod", "show", claimPod, "--json"])).json();
    expect(shown.members.map((m: { status: string }) => m.status)).to.deep.equal([
      "active",
      "active",
      "replaced",
      "active",
    ]);
    expect(shown.claims).to.deep.equal([]);
  });

  it("recovers a lost wallet: the new wallet asks, a partner seals, the others consent, anyone completes", async () => {
    const bobToken = claimTokens[1];
    const request = file("recover.json");
    failsWith(
      troth(["pod", "recover", bobToken], as.alice),
      1,
      /is already in pod 0x[0-9a-f]+: run `troth pod recover` with the NEW wallet/,
    );
    // Erin's wallet is Bob's new one: it publishes its identity key and asks.
    const asked = ok(troth(["pod", "recover", bobToken, "--out", request, "--json"], { key: erin.privateKey })).json();
    expect(asked.required).to.deep.equal([alice, dave, erin].map((m) => getAddress(m.account.address)));
    failsWith(troth(["consent", request], { key: erin.privateKey }), 1, /waits for a partner to seal it/);
    failsWith(
      troth(["pod", "recover", "--submit", request], { key: erin.privateKey }),
      1,
      /not sealed yet: a partner runs `troth consent <file>` first/,
    );
    // Alice seals it (her machine re-wraps the pod's keys for Erin's identity key) and consents; Dave checks it and consents.
    const aliceConsent = file("alice-recover.json");
    const sealed = ok(troth(["consent", request, "--out", aliceConsent], as.alice)).stdout;
    expect(sealed).to.match(/Sealed the recovery in .*recover\.json/);
    expect(sealed).to.match(
      /You consent to move the seat of 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 in pod 0x[0-9a-f]+ to 0x15d3/,
    );
    expect(sealed).to.match(/The new address will read key epochs 0, 1 of the old one, and every epoch from 2 on\./);
    const daveConsent = file("dave-recover.json");
    expect(ok(troth(["consent", request, "--out", daveConsent], as.dave)).stdout).to.match(/key epochs 0, 1/);
    const made = ok(
      troth(
        ["pod", "recover", "--submit", request, "--signature", aliceConsent, "--signature", daveConsent, "--json"],
        {
          key: erin.privateKey,
        },
      ),
    ).json();
    expect(made.claim).to.include({ tokenId: bobToken, kind: "recovery" });
    expect(ok(troth(["claim", "show", bobToken])).stdout).to.match(/recovery: the seat of 0x7099.* moves to 0x15d3/i);

    await travelTo(made.claim.notBefore + 60);
    expect(ok(troth(["claim", "complete", bobToken], as.dave)).stdout).to.match(
      new RegExp(
        `^Recovered token 0x${BigInt(bobToken).toString(16)}: ${getAddress(erin.account.address)} holds it now`,
      ),
    );
    // The new wallet reads what Bob wrote before he lost the old one (a report sealed in the pod's first epoch).
    const read = ok(troth(["report", bobToken, "--round", "1", "--json"], { key: erin.privateKey })).json();
    expect(read.said).to.equal("Bob, before he lost his wallet");
    expect(
      ok(troth(["pod", "show", claimPod, "--read", "--json"], { key: erin.privateKey })).json().covenant.title,
    ).to.equal("Claims pod");
    // The seat carries on from the new wallet, under a key epoch the old wallet does not hold.
    const after = file("claims-erin.md");
    writeFileSync(after, reportText("Erin's wallet, Bob's seat"));
    const checked = ok(troth(["checkin", claimPod, "--report", after, "--json"], { key: erin.privateKey })).json();
    expect(checked.tokenId).to.equal(bobToken);
    const round = String(checked.round + 1);
    expect(ok(troth(["report", bobToken, "--round", round, "--json"], as.alice)).json().said).to.equal(
      "Erin's wallet, Bob's seat",
    );
    failsWith(troth(["report", bobToken, "--round", round], as.bob), 1, /holds no key for epoch 2/);
  });

  it("bad input to the claim commands", () => {
    failsWith(troth(["claim"]), 2, /troth claim needs a subcommand: show, cancel, complete\./);
    expect(ok(troth(["claim", "--help"])).stdout).to.match(/claim complete +complete a claim/);
    failsWith(troth(["claim", "show"]), 2, /^troth: Missing token\.$/);
    failsWith(troth(["claim", "show", "abc"]), 2, /token must be a number/);
    failsWith(troth(["claim", "show", "12345"]), 1, /No commitment has the token id 0x3039\./);
    failsWith(troth(["claim", "complete", claimTokens[0]], as.alice), 1, /No claim stands on this commitment/);
    failsWith(troth(["pod", "recover", claimPod], { key: erin.privateKey }), 2, /--lost <address>/);
    failsWith(
      troth(["pod", "recover", "--submit", file("nope.json")], { key: erin.privateKey }),
      1,
      /Cannot read the consent request/,
    );
  });
});
