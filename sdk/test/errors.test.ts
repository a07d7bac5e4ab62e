import { ContractFunctionRevertedError, encodeErrorResult, type Hex, keccak256, toHex, zeroHash } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditNotFoundError, createAudit } from "../src/audit/index.ts";
import { contractErrorNatSpec } from "../src/generated/errors.ts";
import {
  AccountNotFoundError,
  AlreadyCheckedInError,
  AlreadyMemberError,
  acceptCovenant,
  acceptCovenantSync,
  addMember,
  BaseError,
  CheckInNotPendingError,
  ClaimMemberNotAbsentError,
  ClaimNotFoundError,
  ClaimPendingError,
  ClaimPodTooSmallError,
  ClaimStaleError,
  ClaimWindowOpenError,
  ConsentError,
  ConsentExpiredError,
  checkIn,
  checkInSync,
  createPod,
  createPodSync,
  createTrothClient,
  DeploymentNotFoundError,
  DocumentValidationError,
  decodeTrothError,
  decodeWitnessList,
  getCommitment,
  getPod,
  InvalidSignatureError,
  InvalidTermsError,
  KeyEpochNotFoundError,
  leaveSync,
  MissingEncryptionKeyError,
  MissingSignerError,
  NotMemberError,
  NotRenewableError,
  PodAlreadyExistsError,
  PodAlreadyRenewedError,
  PodNotEndedError,
  PodNotFoundError,
  PodNotLiveError,
  PodNotPausedError,
  PodPausedError,
  PodStartInPastError,
  pause,
  pauseSync,
  prepareCovenant,
  ReportNotFoundError,
  RestartWithoutMissError,
  RoundNotOpenError,
  readReport,
  renewPod,
  renewPodSync,
  restart,
  resume,
  SoulboundError,
  sealEnvelope,
  signWitness,
  TrothContractError,
  trothAbi,
  trothGovernanceAbi,
  trothLensAbi,
  WitnessDuplicateError,
  WitnessListMalformedError,
  WitnessNotMemberError,
  WitnessSelfError,
  witness,
} from "./helpers/exports.ts";
import { HOUR, report, type SdkFixture, setupSdk } from "./helpers/setup.ts";

let s: SdkFixture;
let podId: bigint;
let tokenIds: bigint[];
let start: number;

const terms = { title: "Errors pod", whenSomeoneMisses: "We begin again." };

beforeAll(async () => {
  // Accounts 0–2 are members; 3 published a key but is not a member; 6 never published one.
  s = await setupSdk({ publish: 4 });
  const [A, B, C] = s.accounts;
  const created = await createPodSync(s.clients[0], {
    ...terms,
    members: [
      { address: A, commitment: "one" },
      { address: B, commitment: "two" },
      { address: C, commitment: "three" },
    ],
    signers: s.wallets.slice(0, 3),
  });
  podId = created.podId;
  tokenIds = created.tokenIds;
  start = created.covenant.start;
  await s.f.at(start + HOUR);
});
afterAll(async () => {
  await s?.close();
});

/** How many transactions an account has sent: a preflight failure must send none. */
async function sent(index: number) {
  return s.f.publicClient.getTransactionCount({ address: s.accounts[index] });
}

async function expectNoTransaction(
  index: number,
  attempt: () => Promise<unknown>,
  errorClass: new (...args: never[]) => Error,
) {
  const before = await sent(index);
  const error = await attempt().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(errorClass);
  expect(error).toBeInstanceOf(BaseError);
  expect(await sent(index)).to.equal(before);
  return error as BaseError;
}

describe("typed errors, raised before any gas is spent", () => {
  it("a check-in by someone who does not hold the commitment", async () => {
    const error = (await expectNoTransaction(
      3,
      () => checkIn(s.clients[3], { tokenId: tokenIds[0], round: 0, report: report(0), identity: s.identities[3] }),
      NotMemberError,
    )) as TrothContractError;
    expect(error.errorName).to.equal("PodNotMember");
    expect(error.args).to.deep.equal([podId, s.accounts[3]]);
    expect(error.metaMessages.join("\n")).to.match(/preflight/);
  });

  it("a check-in for a token the member does not hold", async () => {
    const error = (await expectNoTransaction(
      1,
      () => checkIn(s.clients[1], { tokenId: tokenIds[0], round: 0, report: report(0), identity: s.identities[1] }),
      NotMemberError,
    )) as TrothContractError;
    // A member, but not this token's holder: the simulation's revert, decoded into the same class.
    expect(error.errorName).to.equal("CommitmentNotOwner");
    expect(error.args).to.deep.equal([tokenIds[0], s.accounts[1]]);
  });

  it("a witness signature from a non-member, from the holder, twice from one witness", async () => {
    const base = { tokenId: tokenIds[0], round: 0, report: report(0), identity: s.identities[0] };
    await expectNoTransaction(
      0,
      () => checkIn(s.clients[0], { ...base, witnesses: [s.wallets[3]] }),
      WitnessNotMemberError,
    );
    await expectNoTransaction(0, () => checkIn(s.clients[0], { ...base, witnesses: [s.wallets[0]] }), WitnessSelfError);
    await expectNoTransaction(
      0,
      () => checkIn(s.clients[0], { ...base, witnesses: [s.wallets[1], s.wallets[1]] }),
      WitnessDuplicateError,
    );
    const digest = keccak256(toHex("some report"));
    await expect(
      signWitness(s.clients[3], { tokenId: tokenIds[0], round: 0, reportDigest: digest, signer: s.wallets[3] }),
    ).rejects.toBeInstanceOf(WitnessNotMemberError);
  });

  it("a forged witness signature is rejected by the contract, decoded into the named error", async () => {
    const forged = { signer: s.accounts[1], signature: `0x${"11".repeat(64)}1b` as Hex };
    const error = (await expectNoTransaction(
      0,
      () =>
        checkIn(s.clients[0], {
          tokenId: tokenIds[0],
          round: 0,
          report: report(0),
          identity: s.identities[0],
          witnesses: [forged],
        }),
      InvalidSignatureError,
    )) as TrothContractError;
    expect(error.errorName).to.equal("WitnessInvalidSignature");
  });

  it("the same contract error decodes into the same class as its preflight", async () => {
    // Bypass the SDK's preflight: a raw simulation with a non-member witness reverts WitnessNotMember.
    const entry = `0x01${s.accounts[3].slice(2)}${"22".repeat(64)}1b` as Hex;
    const error = await s.f.publicClient
      .simulateContract({
        address: s.f.troth.address,
        abi: trothAbi,
        functionName: "checkIn",
        args: [tokenIds[0], 0, keccak256(toHex("r")), entry],
        account: s.accounts[0],
      })
      .catch((e: unknown) => decodeTrothError(e));
    expect(error).toBeInstanceOf(WitnessNotMemberError);
    expect((error as TrothContractError).args).to.deep.equal([podId, s.accounts[3]]);
  });

  it("a check-in already made, and witnessing one that is not pending", async () => {
    await checkInSync(s.clients[0], {
      tokenId: tokenIds[0],
      round: 0,
      report: report(0),
      identity: s.identities[0],
      witnesses: [s.wallets[1]],
    });
    await expectNoTransaction(
      0,
      () => checkIn(s.clients[0], { tokenId: tokenIds[0], round: 0, report: report(1), identity: s.identities[0] }),
      AlreadyCheckedInError,
    );
    await expectNoTransaction(
      1,
      () => witness(s.clients[1], { tokenId: tokenIds[0], round: 0 }),
      CheckInNotPendingError,
    );
    await expectNoTransaction(
      2,
      () => witness(s.clients[2], { tokenId: tokenIds[1], round: 0 }),
      CheckInNotPendingError,
    );
  });

  it("a closed round and a round not yet open", async () => {
    await expectNoTransaction(
      0,
      () => checkIn(s.clients[0], { tokenId: tokenIds[0], round: 1, report: report(1), identity: s.identities[0] }),
      RoundNotOpenError,
    );
    const window0 = await s.f.window(podId, 0);
    await s.f.at(window0.closesAt);
    const error = (await expectNoTransaction(
      1,
      () => checkIn(s.clients[1], { tokenId: tokenIds[1], round: 0, report: report(0), identity: s.identities[1] }),
      RoundNotOpenError,
    )) as TrothContractError;
    expect(error.errorName).to.equal("CheckInRoundNotOpen");
  });

  it("a restart without a miss", async () => {
    await expectNoTransaction(0, () => restart(s.clients[0], { tokenId: tokenIds[0] }), RestartWithoutMissError);
  });

  it("missing consents, expired consents, pause twice, resume while running", async () => {
    const error = (await expectNoTransaction(
      0,
      () => pause(s.clients[0], { podId, signers: s.wallets.slice(0, 2) }),
      MissingSignerError,
    )) as MissingSignerError;
    expect(error.missing).to.deep.equal([s.accounts[2]]);
    await expectNoTransaction(
      0,
      () => resume(s.clients[0], { podId, signers: s.wallets.slice(0, 3) }),
      PodNotPausedError,
    );
    await expectNoTransaction(
      0,
      () => pause(s.clients[0], { podId, signers: s.wallets.slice(0, 3), deadline: 1n }),
      ConsentExpiredError,
    );
    await pauseSync(s.clients[0], { podId, signers: s.wallets.slice(0, 3) });
    await expectNoTransaction(0, () => pause(s.clients[0], { podId, signers: s.wallets.slice(0, 3) }), PodPausedError);
    await expectNoTransaction(
      1,
      () => checkIn(s.clients[1], { tokenId: tokenIds[1], round: 1, report: report(1), identity: s.identities[1] }),
      PodPausedError,
    );
    await resume(s.clients[0], { podId, signers: s.wallets.slice(0, 3) });
  });

  it("adding someone who is a member already, or who never published a key", async () => {
    await expectNoTransaction(
      0,
      () =>
        addMember(s.clients[0], {
          podId,
          newcomer: { address: s.accounts[1], commitment: "again" },
          signers: s.wallets.slice(0, 3),
        }),
      AlreadyMemberError,
    );
    await expectNoTransaction(
      0,
      () =>
        addMember(s.clients[0], {
          podId,
          newcomer: { address: s.accounts[6], commitment: "new" },
          signers: s.wallets.slice(0, 3),
        }),
      MissingEncryptionKeyError,
    );
  });

  it("invalid covenant terms, and a renewal before the end or with an outsider", async () => {
    const members = s.accounts.slice(0, 2).map((address) => ({ address, commitment: "c" }));
    await expectNoTransaction(
      0,
      () => createPod(s.clients[0], { ...terms, members, quorum: 2, signers: s.wallets.slice(0, 2) }),
      InvalidTermsError,
    );
    // The covenant document carries the same rules, so bad terms fail its schema before the chain is asked.
    await expectNoTransaction(
      0,
      () => createPod(s.clients[0], { ...terms, members, cadence: 3600, signers: s.wallets.slice(0, 2) }),
      DocumentValidationError,
    );
    await expectNoTransaction(
      0,
      () => renewPod(s.clients[0], { ...terms, previousPod: podId, members, signers: s.wallets.slice(0, 2) }),
      PodNotEndedError,
    );
    const last = await s.f.window(podId, 12);
    await s.f.at(last.closesAt + 1);
    const withOutsider = [members[0], { address: s.accounts[3], commitment: "c" }];
    await expectNoTransaction(
      0,
      () =>
        renewPod(s.clients[0], {
          ...terms,
          previousPod: podId,
          members: withOutsider,
          signers: [s.wallets[0], s.wallets[3]],
        }),
      NotRenewableError,
    );
  });

  it("a pod renews once per member: a second renewal of the same seat is refused", async () => {
    const members = s.accounts.slice(0, 2).map((address) => ({ address, commitment: "again" }));
    await renewPodSync(s.clients[0], { ...terms, previousPod: podId, members, signers: s.wallets.slice(0, 2) });
    const twice = (await expectNoTransaction(
      0,
      () => renewPod(s.clients[0], { ...terms, previousPod: podId, members, signers: s.wallets.slice(0, 2) }),
      PodAlreadyRenewedError,
    )) as TrothContractError;
    // Still a NotRenewableError, for code that handled renewals before protocol v2.
    expect(twice).toBeInstanceOf(NotRenewableError);
    expect(twice.args).to.deep.equal([podId, s.accounts[0]]);
  });

  it("a covenant whose start is more than an hour past is refused before any gas: draft it again", async () => {
    const members = s.accounts.slice(0, 2).map((address) => ({ address, commitment: "late" }));
    const now = await s.f.now();
    const late = (await expectNoTransaction(
      0,
      () => createPod(s.clients[0], { ...terms, members, start: now - 2 * HOUR, signers: s.wallets.slice(0, 2) }),
      PodStartInPastError,
    )) as TrothContractError;
    expect(late).toBeInstanceOf(InvalidTermsError);
    expect(late.shortMessage).to.match(/draft the covenant again/);
    expect(late.args).to.deep.equal([now - 2 * HOUR, BigInt(now - HOUR)]);
    // Drafted now (the default start), accepted within the hour; after it, refused as the contract would.
    const { covenant } = await prepareCovenant(s.clients[0], { ...terms, members });
    expect(covenant.start).to.equal(await s.f.now());
    await s.f.at(covenant.start + HOUR / 2);
    await acceptCovenantSync(s.clients[0], { covenant });
    await s.f.at(covenant.start + HOUR + 60);
    await expectNoTransaction(1, () => acceptCovenant(s.clients[1], { covenant }), PodStartInPastError);
  });

  it("every contract error has a plain message, and protocol v2's decode by name into their classes", () => {
    const names = [...trothAbi, ...trothLensAbi, ...trothGovernanceAbi].flatMap((item) =>
      item.type === "error" ? [item.name] : [],
    );
    // The generated NatSpec lists exactly the ABIs' errors, and each has a plain message besides its NatSpec.
    expect(Object.keys(contractErrorNatSpec)).to.have.members([...new Set(names)]);
    for (const errorName of names) {
      const error = new TrothContractError({ errorName });
      expect(error.shortMessage, errorName).not.to.match(/reverted with/);
      expect(error.natSpec, errorName).to.equal(contractErrorNatSpec[errorName as keyof typeof contractErrorNatSpec]);
      expect(error.natSpec, errorName).to.have.length.above(10);
    }
    const cases = [
      ["ClaimPending", [tokenIds[0]], ClaimPendingError],
      ["ClaimNotFound", [tokenIds[0]], ClaimNotFoundError],
      ["ClaimWindowOpen", [tokenIds[0], 1_800_000_000, 1_799_999_000n], ClaimWindowOpenError],
      ["ClaimStale", [tokenIds[0], zeroHash, keccak256(toHex("k"))], ClaimStaleError],
      ["ClaimMemberNotAbsent", [podId, s.accounts[2]], ClaimMemberNotAbsentError],
      ["ClaimPodTooSmall", [podId, 2], ClaimPodTooSmallError],
      ["PodStartInPast", [1_700_000_000, 1_700_003_600n], PodStartInPastError],
      ["PodAlreadyRenewed", [podId, s.accounts[0]], PodAlreadyRenewedError],
    ] as const;
    for (const [errorName, args, errorClass] of cases) {
      const data = encodeErrorResult({ abi: trothAbi, errorName, args } as never);
      const reverted = new ContractFunctionRevertedError({ abi: trothAbi, data, functionName: "completeClaim" });
      const error = decodeTrothError(reverted) as TrothContractError;
      expect(error, errorName).toBeInstanceOf(errorClass);
      expect([error.errorName, error.args]).to.deep.equal([errorName, args]);
      expect(error.metaMessages[0]).to.equal(`Contract error: ${errorName}(${args.map(String).join(", ")})`);
    }
    const open = decodeTrothError(
      new ContractFunctionRevertedError({
        abi: trothAbi,
        data: encodeErrorResult({ abi: trothAbi, errorName: "ClaimWindowOpen", args: [1n, 1_800_000_000, 1n] }),
        functionName: "completeClaim",
      }),
    ) as TrothContractError;
    expect(open.metaMessages).to.include("The claim can be completed from 2027-01-15T08:00:00Z.");
  });

  it("governance on a pod that has ended, and a covenant that already made its pod", async () => {
    await expectNoTransaction(0, () => pause(s.clients[0], { podId, signers: s.wallets.slice(0, 3) }), PodNotLiveError);
    const members = s.accounts.slice(0, 2).map((address) => ({ address, commitment: "again" }));
    const { covenant } = await prepareCovenant(s.clients[0], { ...terms, members });
    await acceptCovenantSync(s.clients[0], { covenant });
    await acceptCovenantSync(s.clients[1], { covenant });
    await expectNoTransaction(0, () => acceptCovenant(s.clients[0], { covenant }), PodAlreadyExistsError);
  });

  it("consents in the wrong order, decoded from the contract", async () => {
    const live = await createPodSync(s.clients[0], {
      ...terms,
      members: s.accounts.slice(0, 2).map((address) => ({ address, commitment: "c" })),
      signers: s.wallets.slice(0, 2),
    });
    const error = await s.f.publicClient
      .simulateContract({
        address: s.f.troth.address,
        abi: trothAbi,
        functionName: "pause",
        args: [
          live.podId,
          10n ** 12n,
          [
            { signer: s.accounts[1], signature: "0x" },
            { signer: s.accounts[0], signature: "0x" },
          ],
        ],
        account: s.accounts[0],
      })
      .catch((e: unknown) => decodeTrothError(e));
    expect(error).toBeInstanceOf(ConsentError);
    expect((error as TrothContractError).errorName).to.equal("ConsentWrongSigner");
  });

  it("a malformed witness list, a key epoch the pod never had, a pod the audit has not seen", async () => {
    expect(() => decodeWitnessList("0x09")).toThrow(WitnessListMalformedError);
    // An envelope naming epoch 5 of a pod whose keyring chain ends at epoch 0.
    const { digest } = await s.store.put(
      sealEnvelope(
        new Uint8Array(32),
        { pod: keccak256(toHex("p")), epoch: 5, kind: "report", member: 0, round: 1 },
        new Uint8Array([1]),
      ),
    );
    await expect(
      readReport(s.clients[0], { tokenId: tokenIds[0], round: 1, reportDigest: digest, identity: s.identities[0] }),
    ).rejects.toBeInstanceOf(KeyEpochNotFoundError);
    const audit = createAudit({ publicClient: s.f.publicClient, address: s.f.troth.address });
    await audit.sync();
    expect(() => audit.pod(12345n)).toThrow(AuditNotFoundError);
    expect(() => audit.commitment((podId << 8n) | 7n)).toThrow(AuditNotFoundError);
  });

  it("reads of what does not exist", async () => {
    await expect(getPod(s.clients[0], { podId: 12345n })).rejects.toBeInstanceOf(PodNotFoundError);
    await expect(getCommitment(s.clients[0], { tokenId: (podId << 8n) | 9n })).rejects.toBeInstanceOf(PodNotFoundError);
    await expect(
      readReport(s.clients[0], { tokenId: tokenIds[2], round: 5, identity: s.identities[0] }),
    ).rejects.toBeInstanceOf(ReportNotFoundError);
  });

  it("soulbound tokens cannot move", async () => {
    const error = await s.f.publicClient
      .simulateContract({
        address: s.f.troth.address,
        abi: trothAbi,
        functionName: "transferFrom",
        args: [s.accounts[0], s.accounts[1], tokenIds[0]],
        account: s.accounts[0],
      })
      .catch((e: unknown) => decodeTrothError(e));
    expect(error).toBeInstanceOf(SoulboundError);
  });

  it("a write without an account, a chain without a deployment", async () => {
    const readOnly = await createTrothClient({
      publicClient: s.f.publicClient,
      store: s.store,
      address: s.f.troth.address,
    });
    await expect(leaveSync(readOnly, { tokenId: tokenIds[0] })).rejects.toBeInstanceOf(AccountNotFoundError);
    await expect(createTrothClient({ publicClient: s.f.publicClient, store: s.store })).rejects.toBeInstanceOf(
      DeploymentNotFoundError,
    );
  });
});
