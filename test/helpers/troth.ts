/**
 * The one Troth fixture for contract tests and the gas benchmark: a fresh in-process chain, the contracts deployed by
 * the same Ignition module as every network, dev wallets, and helpers to sign and create pods.
 */
import { type Covenant, podIdFromDigest, type TrothPrimaryType, tokenIdOf, trothDomain, trothTypes } from "@troth/sdk";
import { network } from "hardhat";
import {
  type Address,
  encodeFunctionData,
  getAddress,
  type Hash,
  type Hex,
  hashTypedData,
  keccak256,
  parseEventLogs,
  type TypedDataDomain,
  toHex,
  type WalletClient,
} from "viem";
import TrothModule from "../../ignition/modules/Troth.ts";
import { encodeWitnessList } from "../../sdk/src/witnessList.ts";

export const DAY = 86_400;
export const HOUR = 3_600;

export type Signature = { signer: Address; signature: Hex };

/** Member statuses, pod statuses, round states and commitment statuses as the contracts number them. */
export const MemberStatus = { None: 0, Active: 1, Left: 2, Replaced: 3, Burned: 4, Recovered: 5 } as const;
export const PodStatus = { None: 0, Scheduled: 1, Active: 2, Paused: 3, Ended: 4, Dissolved: 5 } as const;
export const RoundState = {
  Upcoming: 0,
  Open: 1,
  Reported: 2,
  Witnessed: 3,
  Missed: 4,
  Paused: 5,
  Outside: 6,
} as const;
export const CommitmentStatus = {
  None: 0,
  Active: 1,
  Lapsed: 2,
  Paused: 3,
  Left: 4,
  Completed: 5,
  Graduated: 6,
  Dissolved: 7,
  Burned: 8,
  Replaced: 9,
  Ended: 10,
} as const;

/** What a claim on a member asks (`ClaimKind`). */
export const ClaimKind = { None: 0, Replacement: 1, Recovery: 2 } as const;

/** What a consent-gated change needs besides its signatures. */
export type ConsentOptions = {
  /** Who consents, in order (default: what the contract expects, in token order). */
  signers?: readonly Address[];
  /** Last second the consents are good for (default: a year from the latest block, past any test's time travel). */
  deadline?: bigint;
  /** Nonce to sign (default: the pod's current nonce). */
  nonce?: number;
  /** Who submits the transaction (default: the first dev account). */
  account?: Address;
  /** How one signer consents (default: an EIP-712 signature; may approve on-chain and return "0x"). */
  consent?: (signer: Address, primaryType: TrothPrimaryType, message: Record<string, unknown>) => Promise<Hex>;
};

export type Newcomer = { member: Address; commitmentDigest: Hex; keyringDigest: Hex };
export type Amendment = { cadence: number; grace: number; quorum: number; covenantDigest: Hex };

export async function deployTroth() {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  const { troth, lens, governance } = await connection.ignition.deploy(TrothModule);
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const chainId = await publicClient.getChainId();
  const domain = trothDomain(chainId, troth.address);
  const time = networkHelpers.time;
  /** ERC-1271 wallets deployed by `deployWallet`: wallet address (lower case) → owner. */
  const walletOwners = new Map<string, Address>();

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

  /** An EIP-712 signature by `wallet`, on this chain and contract unless another `signingDomain` is given. */
  async function sign<T extends TrothPrimaryType>(
    wallet: WalletClient,
    primaryType: T,
    message: Record<string, unknown>,
    signingDomain: TypedDataDomain = domain,
  ): Promise<Hex> {
    return wallet.signTypedData({
      account: wallet.account!,
      domain: signingDomain,
      types: trothTypes,
      primaryType,
      message,
    } as never);
  }

  /** The EIP-712 digest Troth checks for a message (what `approveHash` approves). */
  function typedDigest(primaryType: TrothPrimaryType, message: Record<string, unknown>): Hash {
    return hashTypedData({ domain, types: trothTypes, primaryType, message } as never);
  }

  /** The dev wallet that signs for `address`: its own, or the owner's when `address` is an ERC-1271 wallet. */
  function walletOf(address: Address): WalletClient {
    const signer = walletOwners.get(address.toLowerCase()) ?? address;
    const wallet = wallets.find((w) => w.account.address.toLowerCase() === signer.toLowerCase());
    if (!wallet) throw new Error(`no dev wallet for ${address}`);
    return wallet;
  }

  /** Deploys an ERC-1271 wallet owned by `owner`: its owner's signatures are the wallet's, and `send` goes through it. */
  async function deployWallet(owner: Address) {
    const wallet = await viem.deployContract("ERC1271WalletMock", [owner]);
    walletOwners.set(wallet.address.toLowerCase(), owner);
    return wallet;
  }

  function isContractWallet(address: Address): boolean {
    return walletOwners.has(address.toLowerCase());
  }

  /**
   * Sends a Troth call as `account`: directly from an EOA, or through `execute` from the owner of an ERC-1271 wallet.
   * Reverts surface as viem errors whose raw data `expectRevert` decodes.
   */
  async function send(account: Address, functionName: string, args: readonly unknown[]): Promise<Hash> {
    const owner = walletOwners.get(account.toLowerCase());
    if (owner === undefined) {
      return (troth.write as unknown as Record<string, (a: readonly unknown[], o: object) => Promise<Hash>>)[
        functionName
      ](args, {
        account,
      });
    }
    const data = encodeFunctionData({ abi: troth.abi, functionName, args } as never);
    const wallet = await viem.getContractAt("ERC1271WalletMock", account);
    return wallet.write.execute([troth.address, data], { account: owner });
  }

  /** Waits for a successful transaction and decodes the Troth events it emitted. */
  async function eventsOf(hash: Hash | Promise<Hash>) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success") throw new Error(`transaction ${receipt.transactionHash} reverted`);
    const logs = receipt.logs.filter((log) => log.address.toLowerCase() === troth.address.toLowerCase());
    return parseEventLogs({ abi: troth.abi, logs });
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

  /** `Witness` signatures by `witnesses`, one entry each (see `witnessList` for the packed form the contract takes). */
  async function witnessEntries(
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

  /** `Witness` signatures by `witnesses`, packed as `checkIn`/`witnessBySig` take them (`WitnessList.sol`). */
  async function witnessSignatures(
    tokenId: bigint,
    round: number,
    reportDigest: Hex,
    witnesses: readonly Address[],
  ): Promise<Hex> {
    return encodeWitnessList(await witnessEntries(tokenId, round, reportDigest, witnesses));
  }

  /** The report digest tests use for a check-in of `round` of `tokenId`. */
  function reportOf(tokenId: bigint, round: number): Hex {
    return digest(`report:${tokenId}:${round}`);
  }

  /** `holder` checks in for `round` with the signatures of `witnesses` (in the same transaction). */
  async function checkIn(
    holder: Address,
    tokenId: bigint,
    round: number,
    witnesses: readonly Address[] = [],
    report: Hex = reportOf(tokenId, round),
  ): Promise<Hash> {
    const signatures = await witnessSignatures(tokenId, round, report, witnesses);
    return send(holder, "checkIn", [tokenId, round, report, signatures]);
  }

  /** Moves the chain to `timestamp` (the next block has that time). */
  async function at(timestamp: number) {
    await time.increaseTo(timestamp);
  }

  /** The next transaction (and the gas estimate before it) runs at exactly `timestamp`. */
  async function atNext(timestamp: number) {
    await time.setNextBlockTimestamp(timestamp);
  }

  /** When a round opens and closes, as the lens computes it now. */
  async function window(podId: bigint, round: number) {
    const w = await lens.read.roundWindow([podId, round]);
    return { opensAt: Number(w.opensAt), closesAt: Number(w.closesAt), quorum: w.quorum };
  }

  /** Moves the chain `offset` seconds past the opening of `round` (views then see that time). */
  async function atRound(podId: bigint, round: number, offset = HOUR) {
    await at((await window(podId, round)).opensAt + offset);
  }

  /** Active members in token order: the order consent-gated changes expect their consents in. */
  async function activeMembers(podId: bigint): Promise<Address[]> {
    const list = await lens.read.members([podId]);
    return list.filter((m) => m.status === MemberStatus.Active).map((m) => m.account);
  }

  /** Every signer's consent to `primaryType` over `{ podId, ...fields, nonce, deadline }`. */
  async function consentsTo(
    primaryType: TrothPrimaryType,
    podId: bigint,
    fields: Record<string, unknown>,
    expected: () => Promise<readonly Address[]>,
    options: ConsentOptions,
  ) {
    const deadline = options.deadline ?? BigInt((await now()) + 365 * DAY);
    const nonce = options.nonce ?? (await troth.read.podRecord([podId])).nonce;
    const message = { podId, ...fields, nonce, deadline };
    const consent =
      options.consent ??
      ((signer: Address, type: TrothPrimaryType, m: Record<string, unknown>) => sign(walletOf(signer), type, m));
    const consents: Signature[] = [];
    // One by one: a consent may be an on-chain approval, and those must not race for the same nonce of an account.
    for (const signer of options.signers ?? (await expected())) {
      consents.push({ signer, signature: await consent(signer, primaryType, message) });
    }
    return { deadline, consents, digest: typedDigest(primaryType, message) };
  }

  function submitter(options: ConsentOptions): Address {
    return options.account ?? wallets[0].account.address;
  }

  /** Pauses `podId` with the consent of every active member. */
  async function pause(podId: bigint, options: ConsentOptions = {}): Promise<Hash> {
    const { deadline, consents } = await consentsTo("Pause", podId, {}, () => activeMembers(podId), options);
    return troth.write.pause([podId, deadline, consents], { account: submitter(options) });
  }

  /** Resumes `podId` with the consent of every active member. */
  async function resume(podId: bigint, options: ConsentOptions = {}): Promise<Hash> {
    const { deadline, consents } = await consentsTo("Resume", podId, {}, () => activeMembers(podId), options);
    return troth.write.resume([podId, deadline, consents], { account: submitter(options) });
  }

  /** Amends `podId` with the consent of every active member. */
  async function amend(podId: bigint, amendment: Amendment, options: ConsentOptions = {}): Promise<Hash> {
    const { deadline, consents } = await consentsTo("Amend", podId, amendment, () => activeMembers(podId), options);
    return troth.write.amend([podId, amendment, deadline, consents], { account: submitter(options) });
  }

  /** A newcomer with distinct digests. */
  function newcomer(member: Address): Newcomer {
    return {
      member,
      commitmentDigest: digest(`commitment:${member}:${Math.random()}`),
      keyringDigest: digest(`keyring:${Math.random()}`),
    };
  }

  /** Adds `n` to `podId` with the consent of every active member, then the newcomer's. */
  async function addMember(podId: bigint, n: Newcomer, options: ConsentOptions = {}): Promise<Hash> {
    const expected = async () => [...(await activeMembers(podId)), n.member];
    const { deadline, consents } = await consentsTo("AddMember", podId, n, expected, options);
    return troth.write.addMember([podId, n, deadline, consents], { account: submitter(options) });
  }

  /** Replaces `replaced` by `n` with the consent of every active member (the replaced one too), then the newcomer's. */
  async function replaceMember(
    podId: bigint,
    replaced: Address,
    n: Newcomer,
    options: ConsentOptions = {},
  ): Promise<Hash> {
    const expected = async () => [...(await activeMembers(podId)), n.member];
    const { deadline, consents } = await consentsTo("ReplaceMember", podId, { replaced, ...n }, expected, options);
    return troth.write.replaceMember([podId, replaced, n, deadline, consents], { account: submitter(options) });
  }

  /** Every active member but `skipped`, in token order, then `successor`: who consents to a claim on `skipped`. */
  function othersThen(podId: bigint, skipped: Address, successor: Address) {
    return async () => [
      ...(await activeMembers(podId)).filter((m) => m.toLowerCase() !== skipped.toLowerCase()),
      successor,
    ];
  }

  /** Claims that `replaced` is absent and proposes `n` in their place (every other active member, then `n`). */
  async function proposeReplacement(
    podId: bigint,
    replaced: Address,
    n: Newcomer,
    options: ConsentOptions = {},
  ): Promise<Hash> {
    const expected = othersThen(podId, replaced, n.member);
    const { deadline, consents } = await consentsTo(
      "ReplaceAbsentMember",
      podId,
      { replaced, ...n },
      expected,
      options,
    );
    return troth.write.proposeReplacement([podId, replaced, n, deadline, consents], { account: submitter(options) });
  }

  /** Asks to move `tokenId` from its (lost) holder to `account` (every other active member, then `account`). */
  async function requestRecovery(
    tokenId: bigint,
    account: Address,
    keyringDigest: Hex = digest(`keyring:recovery:${Math.random()}`),
    options: ConsentOptions = {},
  ): Promise<Hash> {
    const podId = tokenId >> 8n;
    const lost = getAddress(await troth.read.ownerOf([tokenId]));
    const expected = othersThen(podId, lost, account);
    const { deadline, consents } = await consentsTo(
      "Recover",
      podId,
      { lost, account, keyringDigest },
      expected,
      options,
    );
    return troth.write.requestRecovery([tokenId, account, keyringDigest, deadline, consents], {
      account: submitter(options),
    });
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
    accounts: wallets.map((w) => getAddress(w.account.address)),
    chainId,
    domain,
    now,
    digest,
    covenant,
    sign,
    typedDigest,
    walletOf,
    deployWallet,
    isContractWallet,
    send,
    eventsOf,
    signCovenant,
    createPod,
    witnessEntries,
    witnessSignatures,
    reportOf,
    checkIn,
    at,
    atNext,
    window,
    atRound,
    activeMembers,
    consentsTo,
    pause,
    resume,
    amend,
    newcomer,
    addMember,
    replaceMember,
    proposeReplacement,
    requestRecovery,
  };
}

export type TrothFixture = Awaited<ReturnType<typeof deployTroth>>;
