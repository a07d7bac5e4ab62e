import type { Covenant, TrothClient } from "@troth/sdk";
import {
  type CovenantDocument,
  decodeKeyring,
  type IdentityKey,
  NO_SLOT,
  openDocument,
  openKeyring,
} from "@troth/sdk/crypto";

export type ReadProposedCovenantParameters = { covenant: Covenant; identity: IdentityKey };
export type ReadProposedCovenantReturnType = CovenantDocument;

/**
 * Decrypts a covenant that has no pod yet (members read it before they consent). The SDK's `readCovenant` reads the
 * digests from the pod's on-chain record; here they come from the proposal itself, and the document is opened with
 * the SDK's keyring and document functions.
 */
export async function readProposedCovenant(
  client: TrothClient,
  { covenant, identity }: ReadProposedCovenantParameters,
): Promise<ReadProposedCovenantReturnType> {
  const [keyringBytes, blob] = await Promise.all([
    client.store.get(covenant.keyringDigest),
    client.store.get(covenant.covenantDigest),
  ]);
  const keyring = decodeKeyring(keyringBytes);
  const key = openKeyring(keyring, identity);
  return openDocument(blob, {
    key,
    slot: { pod: keyring.pod, epoch: keyring.epoch, kind: "covenant", member: NO_SLOT, round: NO_SLOT },
  });
}
