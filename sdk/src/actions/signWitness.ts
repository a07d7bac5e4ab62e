import type { Hex } from "viem";
import { signerAddress, type TrothClient, type TrothSigner } from "../client.ts";
import { sealDocument, type WitnessReplyText } from "../crypto/documents.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import type { ListeningRuleError } from "../errors/document.ts";
import type { TrothContractError } from "../errors/troth.ts";
import { membersOf, splitToken } from "../internal/pod.ts";
import { writingKey } from "../internal/report.ts";
import { requireWitnesses, witnessContext, witnessSignatures } from "../internal/witness.ts";
import { blobRef } from "../storage/cid.ts";
import type { WitnessSignature } from "../types.ts";

export type SignWitnessParameters = {
  tokenId: bigint;
  round: number;
  /** The digest of the report being witnessed (from the member, or `pendingReport` once checked in). */
  reportDigest: Hex;
  /** The witness. */
  signer: TrothSigner;
  /** An optional reply: only "Thank you" or "What did you notice?" (the listening rule). */
  reply?: WitnessReplyText;
  /** The witness's identity key, needed to encrypt a reply. */
  identity?: IdentityKey;
};
export type SignWitnessReturnType = WitnessSignature;
export type SignWitnessErrorType = TrothContractError | ListeningRuleError;

/**
 * Signs a witness attestation (EIP-712 over token, round and report) after checking that the signer may witness it
 * (an active member, not the holder). With a reply, the reply is encrypted and stored, and its digest rides along
 * with the signature (hand it to the member with the signature; `readReplies` opens it).
 *
 * @example
 * ```ts
 * const attestation = await signWitness(bobTroth, { tokenId, round: 0, reportDigest, signer: bob, reply: "Thank you", identity: bobIdentity });
 * await checkIn(aliceTroth, { ...params, witnesses: [attestation] });
 * ```
 */
export async function signWitness(
  client: TrothClient,
  parameters: SignWitnessParameters,
): Promise<SignWitnessReturnType> {
  const { tokenId, round, reportDigest, signer, reply, identity } = parameters;
  const { podId, index } = splitToken(tokenId);
  const witness = signerAddress(signer);
  let replyDigest: Hex | undefined;
  if (reply !== undefined) {
    if (!identity) throw new TypeError("signWitness: a reply needs the witness's identity key");
    const { podKey } = await writingKey(client, podId, identity, (active) =>
      requireWitnesses(active, undefined, tokenId, round, [witness]),
    );
    const blob = sealDocument(
      { type: "troth/reply", version: 1, from: witness, reply },
      {
        key: podKey.key,
        slot: { pod: podKey.pod, epoch: podKey.epoch, kind: "reply", member: index, round },
        random: client.random,
      },
    );
    replyDigest = blobRef(blob).digest;
    await client.store.put(blob);
  } else {
    const { active, holder } = witnessContext(await membersOf(client, podId), tokenId);
    requireWitnesses(active, holder, tokenId, round, [witness]);
  }
  const [signature] = await witnessSignatures(client, { tokenId, round, reportDigest, witnesses: [signer] });
  return replyDigest ? { ...signature, reply: replyDigest } : signature;
}
