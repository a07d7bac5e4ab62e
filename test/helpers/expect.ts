/**
 * Assertions on reverts and events, decoded by name and arguments. Custom errors are decoded with the errors of every
 * contract a call can pass through (Troth, its governance module and lens, the ERC-1271 wallet mock), so a revert that
 * bubbles up through a wallet's `execute` or from Troth into the lens still reads as its own name.
 */
import { artifacts } from "hardhat";
import { type Abi, BaseError, ContractFunctionRevertedError, decodeErrorResult, type Hex } from "viem";
import { expect } from "vitest";

type AbiError = Extract<Abi[number], { type: "error" }>;

const errorAbi: Abi = await (async () => {
  const seen = new Map<string, AbiError>();
  for (const name of ["Troth", "TrothGovernance", "TrothLens", "ERC1271WalletMock"]) {
    const { abi } = await artifacts.readArtifact(name);
    for (const item of abi as Abi) {
      if (item.type !== "error") continue;
      seen.set(`${item.name}(${item.inputs.map((i) => i.type).join(",")})`, item);
    }
  }
  return [...seen.values()];
})();

export type DecodedRevert = { errorName: string; args: readonly unknown[] };

/** The custom error (or `Error(string)`/`Panic`) a failed call or transaction reverted with, if it is one. */
export function decodeRevert(error: unknown): DecodedRevert | undefined {
  const raw = revertData(error);
  if (raw === undefined || raw === "0x") return undefined;
  const { errorName, args } = decodeErrorResult({ abi: errorAbi, data: raw });
  return { errorName, args: args ?? [] };
}

/**
 * The raw revert data of a failed call. viem puts it on ContractFunctionRevertedError; when the node reports a revert
 * it could not decode itself ("unrecognized custom error (return data: 0x…)"), viem files it as an RPC input error
 * and the data is only in the message.
 */
function revertData(error: unknown): Hex | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError) as
    | ContractFunctionRevertedError
    | undefined;
  if (reverted?.raw !== undefined) return reverted.raw;
  const reported = /return data: (0x[0-9a-fA-F]*)/.exec(error.details ?? "");
  return reported ? (reported[1] as Hex) : undefined;
}

/** Addresses compare case-insensitively, numbers as bigints: the shapes viem decodes and tests write differ. */
export function normalize(value: unknown): unknown {
  if (typeof value === "string" && /^0x[0-9a-fA-F]*$/.test(value)) return value.toLowerCase();
  if (typeof value === "number") return BigInt(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

/** Deep equality after `normalize`: addresses in any case, numbers and bigints alike. */
export function expectEqual(actual: unknown, expected: unknown, message?: string): void {
  expect(normalize(actual), message).to.deep.equal(normalize(expected));
}

/**
 * Asserts that `action` reverts with the custom error `errorName` and, when given, exactly these arguments.
 * @returns The decoded error, for further checks.
 */
export async function expectRevert(
  action: Promise<unknown>,
  errorName: string,
  args?: readonly unknown[],
): Promise<DecodedRevert> {
  let error: unknown;
  try {
    await action;
  } catch (e) {
    error = e;
  }
  expect(error, `expected a revert with ${errorName}, but the call succeeded`).to.not.equal(undefined);
  const decoded = decodeRevert(error);
  expect(decoded?.errorName, `expected ${errorName}, got: ${(error as Error).message}`).to.equal(errorName);
  if (args !== undefined && decoded !== undefined) {
    expect(normalize(decoded.args), `arguments of ${errorName}`).to.deep.equal(normalize(args));
  }
  return decoded as DecodedRevert;
}

/** Asserts that `action` reverts, whatever the reason; returns the decoded error when it is one the ABIs know. */
export async function expectReverted(action: Promise<unknown>): Promise<DecodedRevert | undefined> {
  let error: unknown;
  try {
    await action;
  } catch (e) {
    error = e;
  }
  expect(error, "expected a revert, but the call succeeded").to.not.equal(undefined);
  return decodeRevert(error);
}

type DecodedLog = { eventName: string; args: unknown };

/**
 * Asserts that `logs` hold an `eventName` event whose arguments include `args` (every key given must match) and
 * returns it; with `count`, asserts how many such events there are.
 */
export function expectEvent<L extends DecodedLog>(
  logs: readonly L[],
  eventName: string,
  args?: Record<string, unknown>,
  count?: number,
): L {
  const named = logs.filter((log) => log.eventName === eventName);
  const matching = named.filter((log) => {
    if (args === undefined) return true;
    const actual = normalize(log.args) as Record<string, unknown>;
    return Object.entries(args).every(
      ([key, value]) => JSON.stringify(actual[key], replacer) === JSON.stringify(normalize(value), replacer),
    );
  });
  const shown = named.map((log) => JSON.stringify(log.args, replacer)).join("\n  ");
  expect(matching.length, `no ${eventName} with ${JSON.stringify(args, replacer)} among:\n  ${shown}`).to.be.above(0);
  if (count !== undefined) expect(matching.length, `number of ${eventName} events`).to.equal(count);
  return matching[0];
}

/** Asserts that `logs` hold no `eventName` event. */
export function expectNoEvent(logs: readonly DecodedLog[], eventName: string): void {
  expect(logs.filter((log) => log.eventName === eventName).map((log) => log.args)).to.deep.equal([]);
}

function replacer(_key: string, value: unknown) {
  return typeof value === "bigint" ? `${value}n` : value;
}
