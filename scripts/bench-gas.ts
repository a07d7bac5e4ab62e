/**
 * `npm run bench:gas`: gas of each protocol operation on an in-process chain, against its budget.
 * Prints a table, writes bench/results/gas.json as {"operations":[{name, gasUsed, budget}]}, exits 1 past a budget.
 * Every member is a fresh account for the pod-creation scenarios (the first token an address holds costs the most).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { type Address, encodeFunctionData, type Hash, type Hex } from "viem";
import { DAY, deployTroth, HOUR } from "../test/helpers/troth.ts";

const budgets: Record<string, number> = {
  // Each pod's id is appended to the list the lens pages through for an account's pods (about 27k; the chain's very
  // first pod, measured first here, also pays the list's length slot: about 44k).
  "createPod/2": 365_000,
  "createPod/3": 450_000,
  "createPod/8": 975_000,
  "checkIn/0sig": 60_000,
  "checkIn/1sig": 50_000,
  "checkIn/2sig": 57_000,
  "checkIn/4sig": 71_000,
  "witness/tx": 40_000,
  restart: 35_000,
  leave: 45_000,
  "tokenURI/call": 3_000_000,
  // Within 10% of checkIn/1sig on a fresh pod (43,763 when this budget was set): the era is found from the newest.
  "checkIn/1sig after 63 amendments": 48_000,
  rotateKeyring: 40_000,
  // Claims write three slots (the claim) and verify every consent; cancelling and completing free them.
  "recovery/request": 165_000,
  "recovery/cancel": 40_000,
  "recovery/complete": 115_000,
  "replacement/propose": 200_000,
  "replacement/complete": 170_000,
  // An event and no storage: the author's record, the pod's word (and for a reply, the partner's token and record).
  "note/note": 34_000,
  "note/reply": 38_000,
  // A meeting of three (quorum 2): each check-in carries both partners' signatures, three transactions in all...
  "meeting/3 one-tx": 160_000,
  // ...against today's path: each member checks in, then each partner witnesses by a transaction of their own (9
  // transactions; 484,449 when this budget was set).
  "meeting/3 check-in then witness": 500_000,
};

const f = await deployTroth();
const results: { name: string; gasUsed: number; budget: number }[] = [];

async function gasOf(hash: Hash): Promise<number> {
  const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return Number(receipt.gasUsed);
}

function record(name: string, gasUsed: number) {
  results.push({ name, gasUsed, budget: budgets[name] });
}

// ── Pod creation, each with accounts that hold no token yet ──
let next = 0;
for (const size of [2, 3, 8]) {
  const members: Address[] = f.accounts.slice(next, next + size);
  next += size;
  const covenant = await f.covenant(members, { quorum: 1 });
  const signatures = await f.signCovenant(covenant);
  record(`createPod/${size}`, await gasOf(await f.troth.write.createPod([covenant, signatures])));
}

// ── Check-ins: pods of 2 (quorum 1), 3 (quorum 2) and 5 (quorum 4) among the accounts above ──
const [a, b, c, d, e] = f.accounts;
const pod2 = await f.createPod([a, b], { quorum: 1 });
const pod3 = await f.createPod([a, b, c], { quorum: 2 });
const pod5 = await f.createPod([a, b, c, d, e], { quorum: 4 });
await f.at(pod5.covenant.start + HOUR);

async function checkIn(tokenId: bigint, round: number, witnesses: Address[], account: Address, label: string) {
  const report: Hex = f.digest(`report:${label}`);
  const signatures = await f.witnessSignatures(tokenId, round, report, witnesses);
  return { report, gas: await gasOf(await f.troth.write.checkIn([tokenId, round, report, signatures], { account })) };
}

// Round 0 of pod2 for b: reported only, then witnessed by a in a transaction of its own.
const reported = await checkIn(pod2.tokenIds[1], 0, [], b, "0sig");
record("checkIn/0sig", reported.gas);
record("witness/tx", await gasOf(await f.troth.write.witness([pod2.tokenIds[1], 0, reported.report], { account: a })));
record("checkIn/1sig", (await checkIn(pod2.tokenIds[0], 0, [b], a, "1sig")).gas);
record("checkIn/2sig", (await checkIn(pod3.tokenIds[0], 0, [b, c], a, "2sig")).gas);
record("checkIn/4sig", (await checkIn(pod5.tokenIds[0], 0, [b, c, d, e], a, "4sig")).gas);

// ── Restart after a miss: round 1 of pod3 closes unwitnessed for c ──
const window = await f.lens.read.roundWindow([pod3.podId, 1]);
await f.at(Number(window.closesAt) + 1);
record("restart", await gasOf(await f.troth.write.restart([pod3.tokenIds[2], `0x${"00".repeat(32)}`], { account: c })));

// ── Leave ──
record("leave", await gasOf(await f.troth.write.leave([pod5.tokenIds[4]], { account: e })));

// ── tokenURI of a 64-round pod, as an eth_call ──
const long = await f.createPod([a, b], { rounds: 64, cadence: DAY, grace: DAY / 2 });
await f.at(long.covenant.start + 10 * DAY + HOUR);
const uriGas = await f.publicClient.estimateGas({
  to: f.troth.address,
  data: encodeFunctionData({ abi: f.troth.abi, functionName: "tokenURI", args: [long.tokenIds[0]] }),
});
record("tokenURI/call", Number(uriGas));

// ── A check-in on a round under older terms, after 63 amendments (each scheduled for the next round) ──
{
  const pod = await f.createPod([a, b], { rounds: 64, cadence: DAY, grace: 0 });
  for (let i = 0; i < 63; i++) {
    // An amendment made in round i takes effect from round i + 1, so every one starts an era of its own.
    await f.atRound(pod.podId, i);
    await gasOf(
      await f.amend(pod.podId, { cadence: DAY, grace: 0, quorum: 1, covenantDigest: f.digest(`amendment ${i}`) }),
    );
  }
  // Round 62 opened under the 62nd era; the 63rd amendment scheduled round 63. Check in for the open round 62,
  // which lies in an earlier era than the current one.
  const state = await f.troth.read.podState([pod.podId]);
  if (state.eraCount < 62) throw new Error(`expected many eras, got ${state.eraCount}`);
  const open = Number((await f.lens.read.pod([pod.podId])).currentRound);
  record("checkIn/1sig after 63 amendments", (await checkIn(pod.tokenIds[0], open, [b], a, "amended")).gas);
}

// ── Keyring rotation ──
{
  const pod = await f.createPod([a, b]);
  record(
    "rotateKeyring",
    await gasOf(await f.troth.write.rotateKeyring([pod.podId, f.digest("rotated")], { account: a })),
  );
}

// ── Recovering a lost wallet: request, cancel by the old wallet, request again and complete ──
{
  const [lost, partner, fresh] = [f.accounts[12], f.accounts[13], f.accounts[14]];
  const pod = await f.createPod([partner, lost]);
  await f.atRound(pod.podId, 0);
  record("recovery/request", await gasOf(await f.requestRecovery(pod.tokenIds[1], fresh)));
  record("recovery/cancel", await gasOf(await f.troth.write.cancelClaim([pod.tokenIds[1]], { account: lost })));
  await gasOf(await f.requestRecovery(pod.tokenIds[1], fresh));
  await f.at((await f.now()) + 7 * DAY);
  record("recovery/complete", await gasOf(await f.troth.write.completeClaim([pod.tokenIds[1]])));
}

// ── Replacing an absent member: propose, then complete after the window ──
{
  const [x, y, absent, newcomer] = [f.accounts[15], f.accounts[16], f.accounts[17], f.accounts[18]];
  const pod = await f.createPod([x, y, absent]);
  await f.at((await f.window(pod.podId, 1)).closesAt + 1);
  record("replacement/propose", await gasOf(await f.proposeReplacement(pod.podId, absent, f.newcomer(newcomer))));
  await f.at((await f.now()) + 7 * DAY);
  record("replacement/complete", await gasOf(await f.troth.write.completeClaim([pod.tokenIds[2]])));
}

// ── Notes and replies (findable by members without a server: an event, nothing stored) ──
{
  const pod = await f.createPod([a, b, c], { quorum: 2 });
  await f.atRound(pod.podId, 0);
  const note = f.troth.write.note;
  record("note/note", await gasOf(await note([pod.tokenIds[0], 0, f.digest("note"), 0], { account: a })));
  record("note/reply", await gasOf(await note([pod.tokenIds[0], 0, f.digest("reply"), 1], { account: b })));
}

// ── A meeting of three: one transaction per speaker against check-in then witness ──
{
  const members = [a, b, c];
  const oneTx = await f.createPod(members, { quorum: 2 });
  const twoStep = await f.createPod(members, { quorum: 2 });
  await f.atRound(twoStep.podId, 0);
  let meeting = 0;
  for (const [i, member] of members.entries()) {
    const partners = members.filter((m) => m !== member);
    meeting += (await checkIn(oneTx.tokenIds[i], 0, partners, member, `meeting ${i}`)).gas;
  }
  record("meeting/3 one-tx", meeting);
  let today = 0;
  for (const [i, member] of members.entries()) {
    const { report, gas } = await checkIn(twoStep.tokenIds[i], 0, [], member, `today ${i}`);
    today += gas;
    for (const partner of members.filter((m) => m !== member)) {
      today += await gasOf(await f.troth.write.witness([twoStep.tokenIds[i], 0, report], { account: partner }));
    }
  }
  record("meeting/3 check-in then witness", today);
}

// ── Report ──
const width = Math.max(...results.map((r) => r.name.length));
console.log(`${"operation".padEnd(width)}  ${"gas used".padStart(10)}  ${"budget".padStart(10)}  status`);
let over = 0;
for (const r of results) {
  const ok = r.gasUsed <= r.budget;
  if (!ok) over++;
  console.log(
    `${r.name.padEnd(width)}  ${r.gasUsed.toLocaleString("en").padStart(10)}  ${r.budget.toLocaleString("en").padStart(10)}  ${ok ? "ok" : "OVER BUDGET"}`,
  );
}
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/gas.json", `${JSON.stringify({ operations: results }, null, 2)}\n`);
console.log("\nwrote bench/results/gas.json");
if (over > 0) {
  console.error(`${over} operation(s) over budget`);
  process.exit(1);
}
process.exit(0);
