import { type Hex, isAddressEqual } from "viem";
import type { TrothClient } from "../client.ts";
import { type CovenantDocument, openDocument, type TrothDocument } from "../crypto/documents.ts";
import { type DocumentKind, NO_SLOT, readEnvelopeHeader } from "../crypto/envelope.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { NotARecipientError } from "../errors/crypto.ts";
import { readTroth } from "./contract.ts";
import { keyringOfEpoch, loadKeyring, unlock } from "./keys.ts";

/**
 * Fetches and decrypts one document of a pod: its envelope names the key epoch, the keyring chain (walked back from
 * the pod's current keyring) gives that epoch's key, and the slot binds it to where it was found.
 */
export async function openPodDocument<K extends DocumentKind>(
  client: TrothClient,
  {
    podId,
    digest,
    kind,
    member,
    round,
    identity,
    keyringDigest,
  }: { podId: bigint; digest: Hex; kind: K; member: number; round: number; identity: IdentityKey; keyringDigest?: Hex },
): Promise<TrothDocument[K]> {
  const [blob, current] = await Promise.all([
    client.store.get(digest),
    keyringDigest ?? readTroth(client, "podRecord", [podId]).then((r) => r.keyringDigest),
  ]);
  const { epoch } = readEnvelopeHeader(blob);
  const keyring = await keyringOfEpoch(client, current, epoch);
  const podKey = unlock(client, keyring, identity);
  return openDocument(blob, { key: podKey.key, slot: { pod: podKey.pod, epoch, kind, member, round } });
}

/**
 * The pod's covenant as it stands (`covenantDigest` and `keyringDigest` from its record). A member who joined after it
 * was sealed reads the copy sealed for their joining key epoch: the newest epoch they hold whose keyring names one.
 */
export async function openCovenant(
  client: TrothClient,
  {
    podId,
    identity,
    covenantDigest,
    keyringDigest,
  }: { podId: bigint; identity: IdentityKey; covenantDigest: Hex; keyringDigest: Hex },
): Promise<CovenantDocument> {
  const open = (digest: Hex) =>
    openPodDocument(client, {
      podId,
      digest,
      kind: "covenant",
      member: NO_SLOT,
      round: NO_SLOT,
      identity,
      keyringDigest,
    });
  try {
    return await open(covenantDigest);
  } catch (error) {
    if (!(error instanceof NotARecipientError)) throw error;
    for (let digest: Hex | null = keyringDigest; digest; ) {
      const keyring = await loadKeyring(client, digest);
      if (!keyring.recipients.some((r) => isAddressEqual(r.member, identity.address))) break;
      if (keyring.covenant) return open(keyring.covenant);
      digest = keyring.previous;
    }
    throw error;
  }
}
