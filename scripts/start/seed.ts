/**
 * The demo pod `npm start` seeds, made with the SDK exactly as an app would: three dev accounts publish identity keys
 * and sign a covenant; they check in and witness over three rounds, Carol misses round 2 (the contract's round 1) and
 * restarts; then the chain is left with round 4 open, so something is due (rounds named from 1, as the dApp and the CLI
 * show them). Rounds pass by moving the local node's clock (evm_increaseTime, evm_mine). The history lies in the past:
 * npm start dates the chain's first block DEMO_HISTORY_SECONDS before the real date, and the seed ends with the clock
 * on the real date, so round 4 is open now and its deadline is the one a member would really see. Content goes through the local
 * IPFS endpoint (the SDK's Kubo RPC store), encrypted for the members.
 */
import {
  checkInSync,
  createPodSync,
  createTrothClient,
  getCommitment,
  getIdentityKey,
  publishIdentityKeySync,
  readCommitment,
  readCovenant,
  readReport,
  restartSync,
  type TrothClient,
  trothLensAbi,
  witnessSync,
} from "@troth/sdk";
import type { IdentityKey } from "@troth/sdk/crypto";
import { createKuboStore, type StorageAuth } from "@troth/sdk/storage";
import {
  type Chain,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  type HDAccount,
  http,
} from "viem";
import type { DeploymentRecord } from "./deploy.ts";
import { type DevAccount, devAccounts } from "./dev-accounts.ts";

const HOUR = 3_600;
const DAY = 24 * HOUR;
const CADENCE = 7 * DAY;
/** The round left open (the contract's index; "round 4" on screen). */
const OPEN_ROUND = 3;

/**
 * How long before the real date the demo's chain begins: the rounds before the open one, and two hours, so that the
 * open round opened a little before now (whatever the seconds the start itself takes).
 */
export const DEMO_HISTORY_SECONDS = OPEN_ROUND * CADENCE + 2 * HOUR;

export type SeedParameters = {
  rpcUrl: string;
  ipfsUrl: string;
  /** The credentials the IPFS node asks for (`npm start --ipfs-token`). */
  ipfsAuth?: StorageAuth;
  deployment: DeploymentRecord;
  /** Called before each step with a short description. */
  progress?: (step: string) => void;
};

export type SeededPod = {
  podId: bigint;
  title: string;
  members: {
    name: string;
    address: `0x${string}`;
    tokenId: bigint;
    witnessed: number;
    missed: number;
    restarts: number;
  }[];
  /** The round open when seeding ended (the contract's index, from 0). */
  currentRound: number;
  /** When that round closes, grace included (unix seconds). */
  closesAt: number;
};

/** A chain definition for viem: the local node, whatever port it listens on. */
export function localChain(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: "Troth local (Hardhat)",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    testnet: true,
  });
}

type Member = DevAccount & { client: TrothClient; identity: IdentityKey; tokenId: bigint };

const commitments = {
  Alice: "Write 500 words every weekday",
  Bob: "Run three times a week",
  Carol: "Practise the cello for 20 minutes a day",
};

/** What each member reports, by round. */
function reportOf(name: string, round: number) {
  const reports: Record<string, string[][]> = {
    Alice: [
      ["Five mornings of 500 words", "A deadline at work ate Thursday", "Write before opening email"],
      ["Four mornings, one long Sunday session", "Nothing much: the routine holds", "Start the second chapter"],
      ["Chapter two drafted", "Doubting the structure", "Ask Bob how he plans long runs"],
    ],
    Bob: [
      ["Three runs, 5 km each", "Sore knee after the second", "Slower pace, better shoes"],
      ["Two runs only", "Rain all week, and no plan B", "Treadmill at the gym when it rains"],
      ["Three runs, one of 8 km", "Surprised how good the long one felt", "Keep one long run a week"],
    ],
    Carol: [
      ["Practised six days", "The new piece is hard", "Split it into four-bar loops"],
      [],
      [
        "Back to 10 minutes a day, five days",
        "Missing a week made it hard to start again",
        "Same time every day: after lunch",
      ],
    ],
  };
  const [said, blocked, next] = reports[name][round];
  return { said, blocked, next };
}

/**
 * Seeds the demo pod and checks that every member reads what the others wrote.
 *
 * @example
 * ```ts
 * const pod = await seedDemoPod({ rpcUrl, ipfsUrl, deployment, progress: console.log });
 * ```
 */
export async function seedDemoPod({
  rpcUrl,
  ipfsUrl,
  ipfsAuth,
  deployment,
  progress = () => {},
}: SeedParameters): Promise<SeededPod> {
  const chain = localChain(deployment.chainId, rpcUrl);
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 });
  const testClient = createTestClient({ chain, transport, mode: "hardhat" });
  const store = createKuboStore({ url: ipfsUrl, auth: ipfsAuth });
  const [alice, bob, carol] = await Promise.all(
    devAccounts(3).map(async (dev) => {
      const walletClient = createWalletClient({ chain, transport, account: dev.account });
      const client = await createTrothClient({
        publicClient,
        walletClient,
        store,
        address: deployment.troth,
        lens: deployment.lens,
        startBlock: BigInt(deployment.startBlock),
      });
      return { ...dev, client, identity: await getIdentityKey(dev.account), tokenId: 0n } as Member;
    }),
  );
  const members = [alice, bob, carol];

  /** Moves the node's clock to `timestamp` and mines a block there. */
  async function advanceTo(timestamp: number) {
    const latest = Number((await publicClient.getBlock()).timestamp);
    if (timestamp > latest) await testClient.increaseTime({ seconds: timestamp - latest });
    await testClient.mine({ blocks: 1 });
  }
  async function window(podId: bigint, round: number) {
    const w = await publicClient.readContract({
      address: deployment.lens,
      abi: trothLensAbi,
      functionName: "roundWindow",
      args: [podId, round],
    });
    return { opensAt: Number(w.opensAt), closesAt: Number(w.closesAt) };
  }
  async function checkIn(member: Member, round: number, witness?: Member) {
    return checkInSync(member.client, {
      tokenId: member.tokenId,
      round,
      identity: member.identity,
      report: reportOf(member.name, round),
      witnesses: witness ? [witness.account as HDAccount] : [],
    });
  }

  progress("publishing the identity keys of Alice, Bob and Carol");
  for (const m of members) await publishIdentityKeySync(m.client, { identity: m.identity });

  progress("signing the covenant and creating the pod");
  const title = "Spring pod (demo)";
  const created = await createPodSync(alice.client, {
    title,
    whenSomeoneMisses: "We ask what got in the way, and begin again. No penalty.",
    members: members.map((m) => ({
      address: m.account.address,
      commitment: commitments[m.name as keyof typeof commitments],
    })),
    cadence: CADENCE,
    grace: 2 * DAY,
    rounds: 13,
    quorum: 1,
    signers: members.map((m) => m.account),
  });
  const podId = created.podId;
  members.forEach((m, i) => {
    m.tokenId = created.tokenIds[i];
  });

  progress("round 1: three check-ins, witnessed");
  await advanceTo((await window(podId, 0)).opensAt + HOUR);
  await checkIn(alice, 0, bob);
  await checkIn(bob, 0, carol);
  // Carol checks in alone; Alice witnesses it afterwards, by transaction.
  await checkIn(carol, 0);
  await witnessSync(alice.client, { tokenId: carol.tokenId, round: 0 });

  progress("round 2: Alice and Bob check in, Carol misses");
  await advanceTo((await window(podId, 1)).opensAt + HOUR);
  await checkIn(alice, 1, carol);
  await checkIn(bob, 1, alice);

  progress("round 3: Carol restarts after the miss, everyone checks in");
  await advanceTo((await window(podId, 1)).closesAt + HOUR);
  await restartSync(carol.client, {
    tokenId: carol.tokenId,
    commitment: "Practise the cello for 10 minutes a day",
    identity: carol.identity,
  });
  await checkIn(alice, 2, bob);
  await checkIn(bob, 2, carol);
  await checkIn(carol, 2, alice);

  progress("opening round 4 and checking that members read each other's encrypted content");
  // To the real date when the chain began in the past (npm start), else (a chain dated now) an hour into the round.
  const open = await window(podId, OPEN_ROUND);
  await advanceTo(Math.max(open.opensAt + HOUR, Math.floor(Date.now() / 1000)));
  const report = await readReport(bob.client, { tokenId: alice.tokenId, round: 0, identity: bob.identity });
  if (report.said !== reportOf("Alice", 0).said) throw new Error("Bob could not read Alice's round 0 report");
  const covenant = await readCovenant(carol.client, { podId, identity: carol.identity });
  if (covenant.title !== title) throw new Error("Carol could not read the covenant");
  const restarted = await readCommitment(alice.client, { tokenId: carol.tokenId, identity: alice.identity });
  if (restarted.commitment !== "Practise the cello for 10 minutes a day")
    throw new Error("Alice could not read Carol's new commitment");

  const views = await Promise.all(members.map((m) => getCommitment(alice.client, { tokenId: m.tokenId })));
  return {
    podId,
    title,
    currentRound: OPEN_ROUND,
    closesAt: open.closesAt,
    members: members.map((m, i) => ({
      name: m.name,
      address: m.account.address,
      tokenId: m.tokenId,
      witnessed: views[i].witnessed,
      missed: views[i].missed,
      restarts: views[i].restarts,
    })),
  };
}
