import type { Address, Hex, TypedDataDefinition, TypedDataDomain } from "viem";

/**
 * EIP-712 types of everything a Troth member signs. They mirror `contracts/libraries/TrothHashes.sol`; a test
 * recomputes every typehash from these and compares it with the contract's `typehashes()`.
 */
export const trothTypes = {
  Covenant: [
    { name: "members", type: "address[]" },
    { name: "commitmentDigests", type: "bytes32[]" },
    { name: "cadence", type: "uint32" },
    { name: "grace", type: "uint32" },
    { name: "rounds", type: "uint8" },
    { name: "quorum", type: "uint8" },
    { name: "start", type: "uint40" },
    { name: "covenantDigest", type: "bytes32" },
    { name: "keyringDigest", type: "bytes32" },
    { name: "previousPod", type: "uint256" },
    { name: "deadline", type: "uint256" },
    { name: "salt", type: "bytes32" },
  ],
  CheckIn: [
    { name: "tokenId", type: "uint256" },
    { name: "round", type: "uint8" },
    { name: "reportDigest", type: "bytes32" },
  ],
  Witness: [
    { name: "tokenId", type: "uint256" },
    { name: "round", type: "uint8" },
    { name: "reportDigest", type: "bytes32" },
  ],
  Pause: [
    { name: "podId", type: "uint256" },
    { name: "nonce", type: "uint32" },
    { name: "deadline", type: "uint256" },
  ],
  Resume: [
    { name: "podId", type: "uint256" },
    { name: "nonce", type: "uint32" },
    { name: "deadline", type: "uint256" },
  ],
  Amend: [
    { name: "podId", type: "uint256" },
    { name: "cadence", type: "uint32" },
    { name: "grace", type: "uint32" },
    { name: "quorum", type: "uint8" },
    { name: "covenantDigest", type: "bytes32" },
    { name: "nonce", type: "uint32" },
    { name: "deadline", type: "uint256" },
  ],
  AddMember: [
    { name: "podId", type: "uint256" },
    { name: "member", type: "address" },
    { name: "commitmentDigest", type: "bytes32" },
    { name: "keyringDigest", type: "bytes32" },
    { name: "nonce", type: "uint32" },
    { name: "deadline", type: "uint256" },
  ],
  ReplaceMember: [
    { name: "podId", type: "uint256" },
    { name: "replaced", type: "address" },
    { name: "member", type: "address" },
    { name: "commitmentDigest", type: "bytes32" },
    { name: "keyringDigest", type: "bytes32" },
    { name: "nonce", type: "uint32" },
    { name: "deadline", type: "uint256" },
  ],
  ReplaceAbsentMember: [
    { name: "podId", type: "uint256" },
    { name: "replaced", type: "address" },
    { name: "member", type: "address" },
    { name: "commitmentDigest", type: "bytes32" },
    { name: "keyringDigest", type: "bytes32" },
    { name: "nonce", type: "uint32" },
    { name: "deadline", type: "uint256" },
  ],
  Recover: [
    { name: "podId", type: "uint256" },
    { name: "lost", type: "address" },
    { name: "account", type: "address" },
    { name: "keyringDigest", type: "bytes32" },
    { name: "nonce", type: "uint32" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The order of `Troth.typehashes()`. */
export const trothPrimaryTypes = [
  "Covenant",
  "CheckIn",
  "Witness",
  "Pause",
  "Resume",
  "Amend",
  "AddMember",
  "ReplaceMember",
  "ReplaceAbsentMember",
  "Recover",
] as const satisfies readonly (keyof typeof trothTypes)[];

export type TrothPrimaryType = keyof typeof trothTypes;

/** A complete Troth EIP-712 message (domain, types, primary type, message), ready for `signTypedData`. */
export type TrothTypedData<primaryType extends TrothPrimaryType> = TypedDataDefinition<typeof trothTypes, primaryType>;

/**
 * The message of one Troth type, its fields typed from {@link trothTypes} (a `uint8` is a number, a `uint256` a bigint):
 * viem checks every message the SDK signs or hashes against it.
 */
export type TrothMessage<primaryType extends TrothPrimaryType> = TrothTypedData<primaryType>["message"];

/**
 * The typed data of one Troth message bound to a chain and contract: what a wallet signs, typed so the message's
 * fields are checked against {@link trothTypes}.
 *
 * @example
 * ```ts
 * const signature = await wallet.signTypedData({ account, ...trothTypedData({ chainId, troth }, "Pause", { podId, nonce, deadline }) });
 * ```
 */
export function trothTypedData<primaryType extends TrothPrimaryType>(
  deployment: { chainId: number; address: Address },
  primaryType: primaryType,
  message: TrothMessage<primaryType>,
): TrothTypedData<primaryType> {
  return {
    domain: trothDomain(deployment.chainId, deployment.address),
    types: trothTypes,
    primaryType,
    message,
  } as TrothTypedData<primaryType>;
}

/**
 * The domain every Troth signature is bound to: this chain and this contract.
 *
 * @example
 * ```ts
 * const signature = await wallet.signTypedData({ domain: trothDomain(chainId, troth), types: trothTypes, primaryType: "Witness", message });
 * ```
 */
export function trothDomain(chainId: number, troth: Address): TypedDataDomain {
  return { name: "Troth", version: "1", chainId, verifyingContract: troth };
}

/** A covenant as signed and submitted. */
export type Covenant = {
  members: readonly Address[];
  commitmentDigests: readonly Hex[];
  cadence: number;
  grace: number;
  rounds: number;
  quorum: number;
  start: number;
  covenantDigest: Hex;
  keyringDigest: Hex;
  previousPod: bigint;
  deadline: bigint;
  salt: Hex;
};

/**
 * The pod id of a covenant: its EIP-712 digest shifted right by 8 bits (as the contract computes it).
 *
 * @example
 * ```ts
 * const podId = podIdFromDigest(hashTypedData({ domain, types: trothTypes, primaryType: "Covenant", message: covenant }));
 * ```
 */
export function podIdFromDigest(digest: Hex): bigint {
  return BigInt(digest) >> 8n;
}

/**
 * Token id of member `index` of pod `podId`.
 *
 * @example
 * ```ts
 * const bobsToken = tokenIdOf(podId, 1);
 * ```
 */
export function tokenIdOf(podId: bigint, index: number): bigint {
  return (podId << 8n) | BigInt(index);
}

/**
 * The pod a token belongs to, and the member index within it.
 *
 * @example
 * ```ts
 * const { podId, index } = splitTokenId(tokenId);
 * ```
 */
export function splitTokenId(tokenId: bigint): { podId: bigint; index: number } {
  return { podId: tokenId >> 8n, index: Number(tokenId & 0xffn) };
}
