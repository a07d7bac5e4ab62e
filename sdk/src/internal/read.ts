import type { Hex } from "viem";
import type { TrothClient } from "../client.ts";
import { openDocument, type TrothDocument } from "../crypto/documents.ts";
import { type DocumentKind, readEnvelopeHeader } from "../crypto/envelope.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { readTroth } from "./contract.ts";
import { keyringOfEpoch, unlock } from "./keys.ts";

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
