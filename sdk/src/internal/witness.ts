import { type Address, type Hex, isAddressEqual } from "viem";
import { signerAddress, signTypedDataWith, type TrothClient, type TrothSigner } from "../client.ts";
import { trothTypedData } from "../eip712.ts";
import { trothError } from "../errors/troth.ts";
import type { MemberView, WitnessSignature } from "../types.ts";

/** A witness: a signer who signs now, or a signature made already. */
export type WitnessSource = TrothSigner | WitnessSignature;

function isSignature(source: WitnessSource): source is WitnessSignature {
  return "signature" in source && typeof source.signature === "string";
}

/**
 * Preflight of witnesses against the active members: the contract would reject a non-member (or one who left), the
 * holder themselves, or the same witness twice. Raised here, before anything is signed, stored or sent.
 */
export function requireWitnesses(
  active: readonly Address[],
  holder: Address | undefined,
  tokenId: bigint,
  round: number,
  witnesses: readonly Address[],
): void {
  const podId = tokenId >> 8n;
  witnesses.forEach((witness, i) => {
    if (holder && isAddressEqual(witness, holder))
      throw trothError("WitnessSelf", [tokenId, witness], { preflight: true });
    if (!active.some((a) => isAddressEqual(a, witness)))
      throw trothError("WitnessNotMember", [podId, witness], { preflight: true });
    if (witnesses.slice(0, i).some((w) => isAddressEqual(w, witness))) {
      throw trothError("WitnessDuplicate", [tokenId, round, witness], { preflight: true });
    }
  });
}

/** The active members and the holder of `tokenId`, from the member list. */
export function witnessContext(members: readonly MemberView[], tokenId: bigint) {
  return {
    active: members.filter((m) => m.status === "active").map((m) => m.account),
    holder: members[Number(tokenId & 0xffn)]?.account as Address | undefined,
  };
}

/** Signs (or passes through) each witness's signature over (token, round, report). */
export async function witnessSignatures(
  client: TrothClient,
  {
    tokenId,
    round,
    reportDigest,
    witnesses,
  }: { tokenId: bigint; round: number; reportDigest: Hex; witnesses: readonly WitnessSource[] },
): Promise<WitnessSignature[]> {
  return Promise.all(
    witnesses.map(async (w) =>
      isSignature(w)
        ? w
        : {
            signer: signerAddress(w),
            signature: await signTypedDataWith(w, trothTypedData(client, "Witness", { tokenId, round, reportDigest })),
          },
    ),
  );
}

export function witnessAddresses(witnesses: readonly WitnessSource[]): Address[] {
  return witnesses.map((w) => (isSignature(w) ? w.signer : signerAddress(w)));
}
