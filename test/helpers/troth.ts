/**
 * The one Troth fixture for contract tests and the gas benchmark: a fresh in-process chain, the contracts deployed by
 * the same Ignition module as every network, dev wallets, and helpers to sign and create pods.
 */
import { type Covenant, podIdFromDigest, type TrothPrimaryType, tokenIdOf, trothDomain, trothTypes } from "@troth/sdk";
import { network } from "hardhat";
import { type Address, type Hex, keccak256, toHex, type WalletClient } from "viem";
import TrothModule from "../../ignition/modules/Troth.ts";

export const DAY = 86_400;
export const HOUR = 3_600;

export type Signature = { signer: Address; signature: Hex };

export async function deployTroth() {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  const { troth, lens, governance } = await connection.ignition.deploy(TrothModule);
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const chainId = await publicClient.getChainId();
  const domain = trothDomain(chainId, troth.address);
  const time = networkHelpers.time;

  /** Latest block time (seconds). */
  async function now(): Promise<number> {
    return Number(await time.latest());
  }

  /** A digest standing in for an IPFS blob's sha2-256 (tests need distinct values, not real content). */
  function digest(label: string): Hex {
    return keccak256(toHex(label));
  }

  /** A covenant among `members` starting an hour from now: weekly rounds, 48 h grace, 13 rounds, quorum 1. */
  async function covenant(members: readonly Address[], overrides: Partial<Covenant> = {}): Promise<Covenant> {
    const start = (await now()) + HOUR;
    return {
      members,
      commitmentDigests: members.map((m) => digest(`commitment:${m}`)),
      cadence: 7 * DAY,
      grace: 2 * DAY,
      rounds: 13,
      quorum: 1,
      start,
      covenantDigest: digest("covenant"),
      keyringDigest: digest("keyring"),
      previousPod: 0n,
      deadline: BigInt(start + 30 * DAY),
      salt: digest(`salt:${Math.random()}`),
      ...overrides,
    };
  }

  async function sign<T extends TrothPrimaryType>(
    wallet: WalletClient,
    primaryType: T,
    message: Record<string, unknown>,
  ): Promise<Hex> {
    // biome-ignore lint/style/noNonNullAssertion: dev wallets always have an account
    return wallet.signTypedData({ account: wallet.account!, domain, types: trothTypes, primaryType, message } as never);
  }

  function walletOf(address: Address): WalletClient {
    const wallet = wallets.find((w) => w.account.address.toLowerCase() === address.toLowerCase());
    if (!wallet) throw new Error(`no dev wallet for ${address}`);
    return wallet;
  }

  async function signCovenant(c: Covenant): Promise<Hex[]> {
    return Promise.all(c.members.map((m) => sign(walletOf(m), "Covenant", c)));
  }

  /** Creates a pod with every member's signature; returns its id, token ids and covenant. */
  async function createPod(members: readonly Address[], overrides: Partial<Covenant> = {}) {
    const c = await covenant(members, overrides);
    const signatures = await signCovenant(c);
    const hash = await troth.write.createPod([c, signatures]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const podId = podIdFromDigest(await troth.read.hashCovenant([c]));
    return { podId, tokenIds: members.map((_, i) => tokenIdOf(podId, i)), covenant: c, receipt };
  }

  /** Witness signatures by `witnesses` over (token, round, report). */
  async function witnessSignatures(
    tokenId: bigint,
    round: number,
    reportDigest: Hex,
    witnesses: readonly Address[],
  ): Promise<Signature[]> {
    return Promise.all(
      witnesses.map(async (w) => ({
        signer: w,
        signature: await sign(walletOf(w), "Witness", { tokenId, round, reportDigest }),
      })),
    );
  }

  /** Moves the chain to `timestamp` (the next block has that time). */
  async function at(timestamp: number) {
    await time.increaseTo(timestamp);
  }

  return {
    connection,
    viem,
    networkHelpers,
    time,
    troth,
    lens,
    governance,
    publicClient,
    wallets,
    accounts: wallets.map((w) => w.account.address),
    chainId,
    domain,
    now,
    digest,
    covenant,
    sign,
    walletOf,
    signCovenant,
    createPod,
    witnessSignatures,
    at,
  };
}

export type TrothFixture = Awaited<ReturnType<typeof deployTroth>>;
