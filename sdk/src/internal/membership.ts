import { type Address, getAddress, type Hex, isAddressEqual } from "viem";
import type { TrothClient } from "../client.ts";
import { type CovenantDocument, sealDocument } from "../crypto/documents.ts";
import { NO_SLOT } from "../crypto/envelope.ts";
import { blobRef } from "../storage/cid.ts";
import type { MemberView } from "../types.ts";
import { loadKeyring, newKeyring } from "./keys.ts";
import { activeAccounts } from "./pod.ts";

/**
 * A new key epoch for the members who remain (without `leaving`) and the newcomer, and the newcomer's commitment
 * encrypted under it. The newcomer reads from this epoch on; whoever leaves reads nothing written under it. With
 * `covenant` (the pod's covenant as it stands), it is sealed under the new epoch as well, so the newcomer can read it.
 */
export async function rekey(
  client: TrothClient,
  {
    members,
    keyringDigest,
    leaving,
    newcomer,
    covenant,
  }: {
    members: readonly MemberView[];
    keyringDigest: Hex;
    leaving?: Address;
    newcomer?: { address: Address; commitment: string };
    covenant?: CovenantDocument;
  },
) {
  const previous = await loadKeyring(client, keyringDigest);
  const remaining = activeAccounts(members).filter((a) => !leaving || !isAddressEqual(a, leaving));
  const recipients = newcomer ? [...remaining, getAddress(newcomer.address)] : remaining;
  const next = await newKeyring(client, {
    pod: previous.pod,
    previous: { digest: keyringDigest, keyring: previous },
    members: recipients,
    covenant,
  });
  const blobs = next.covenantBlob ? [next.covenantBlob, next.bytes] : [next.bytes];
  let commitmentDigest: Hex | undefined;
  if (newcomer) {
    // The newcomer's token index is the next one: every member the pod ever had keeps theirs.
    const commitment = sealDocument(
      { type: "troth/commitment", version: 1, member: getAddress(newcomer.address), commitment: newcomer.commitment },
      {
        key: next.key,
        slot: {
          pod: previous.pod,
          epoch: next.keyring.epoch,
          kind: "commitment",
          member: members.length,
          round: NO_SLOT,
        },
        random: client.random,
      },
    );
    blobs.push(commitment);
    commitmentDigest = blobRef(commitment).digest;
  }
  return { keyringDigest: next.digest, epoch: next.keyring.epoch, commitmentDigest, blobs };
}
