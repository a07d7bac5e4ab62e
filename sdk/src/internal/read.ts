import type { Hex } from "viem";
import type { TrothClient } from "../client.ts";
import { type CovenantDocument, openDocument, type TrothDocument } from "../crypto/documents.ts";
import { type DocumentKind, NO_SLOT, readEnvelopeHeader } from "../crypto/envelope.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import { NotARecipientError } from "../errors/crypto.ts";
import { readTroth } from "./contract.ts";
import { verifyInstalledKeyring } from "./keyringCheck.ts";
import { epochKey, holdsEpoch, keyringChain } from "./keys.ts";

/**
 * Fetches and decrypts one document of a pod: its envelope names the key epoch, the keyring chain (walked back from
 * the pod's current keyring, which is checked first: see `verifyInstalledKeyring`) gives that epoch's key — wrapped
 * for the reader in that epoch, or granted to them later (a recovered seat) — and the slot binds it to where it was
 * found. `proposed` names a keyring that is not installed yet (a change being consented to): it is not checked here.
 * `blob` is the document's bytes when the caller holds them already (read once, not fetched again).
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
    proposed = false,
    blob: given,
  }: {
    podId: bigint;
    digest: Hex;
    kind: K;
    member: number;
    round: number;
    identity: IdentityKey;
    keyringDigest?: Hex;
    proposed?: boolean;
    blob?: Uint8Array;
  },
): Promise<TrothDocument[K]> {
  const [blob, current] = await Promise.all([
    given ?? client.store.get(digest),
    keyringDigest ?? readTroth(client, "podRecord", [podId]).then((r) => r.keyringDigest),
  ]);
  if (!proposed) await verifyInstalledKeyring(client, podId, current);
  const { epoch } = readEnvelopeHeader(blob);
  const podKey = await epochKey(client, current, epoch, identity);
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
    const chain = await keyringChain(client, keyringDigest);
    for (const { keyring } of chain) {
      if (!holdsEpoch(chain, identity.address, keyring.epoch)) break;
      if (keyring.covenant) return open(keyring.covenant);
    }
    throw error;
  }
}
