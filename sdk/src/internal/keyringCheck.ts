import { type Address, getAddress, type Hex, isAddressEqual } from "viem";
import type { TrothClient } from "../client.ts";
import type { KeyringDocument } from "../crypto/keyring.ts";
import { InvalidKeyringError } from "../errors/client.ts";
import type { MemberView } from "../types.ts";
import { readTroth } from "./contract.ts";
import { encryptionKeysOf, holdsEpoch, keyringChain, loadKeyring } from "./keys.ts";
import { readTrothEvents } from "./logs.ts";
import { activeAccounts, membersOf } from "./pod.ts";

/**
 * The keyring a rotation replaced, as the chain recorded it: `KeyringRotated.previousDigest` of the latest rotation to
 * `digest` (null when no rotation installed it: the pod's founding keyring).
 */
async function installedAfter(client: TrothClient, podId: bigint, digest: Hex): Promise<Hex | null> {
  const logs = await readTrothEvents(client, { eventName: "KeyringRotated", args: { podId } });
  const last = logs.findLast((log) => log.args.keyringDigest === digest);
  return last ? (last.args.previousDigest as Hex) : null;
}

/** Who a keyring wraps the pod key for, with duplicates refused. */
function recipientsOf(keyring: KeyringDocument, fail: (reason: string) => Error): Address[] {
  const recipients = keyring.recipients.map((r) => getAddress(r.member));
  recipients.forEach((r, i) => {
    if (recipients.slice(0, i).some((o) => isAddressEqual(o, r))) throw fail(`it wraps the pod key twice for ${r}`);
  });
  return recipients;
}

/**
 * Checks the pod's keyring as installed on chain before anything is read or written under it: it follows the keyring
 * it replaced (the one its `KeyringRotated` event names, same pod, the next epoch), and wraps the pod key for every
 * active member and nobody else but members who left since (until someone rotates; `writingKey` refuses to write under
 * those). An outsider, a replaced member or a wallet whose seat was recovered elsewhere is never a reader. A keyring
 * that passes is remembered for the client (its verdict cannot change: who joins always brings a new keyring).
 */
export async function verifyInstalledKeyring(
  client: TrothClient,
  podId: bigint,
  digest: Hex,
  members?: readonly MemberView[],
): Promise<KeyringDocument> {
  const cacheKey = `keyring-ok:${podId}:${digest}`;
  const keyring = await loadKeyring(client, digest);
  if (client.cache.has(cacheKey)) return keyring;
  const fail = (reason: string) => new InvalidKeyringError({ podId, keyringDigest: digest, reason });
  const [previous, list] = await Promise.all([
    installedAfter(client, podId, digest),
    members ?? membersOf(client, podId),
  ]);
  if (previous === null) {
    if (keyring.previous !== null || keyring.epoch !== 0)
      throw fail("no rotation installed it, yet it is not the pod's founding keyring (epoch 0)");
  } else {
    if (keyring.previous !== previous) throw fail(`it does not follow the keyring it replaced on chain (${previous})`);
    const before = await loadKeyring(client, previous);
    if (before.pod !== keyring.pod) throw fail("it belongs to another pod's key chain");
    if (keyring.epoch !== before.epoch + 1)
      throw fail(`its epoch ${keyring.epoch} does not follow epoch ${before.epoch} of the keyring it replaced`);
  }
  const recipients = recipientsOf(keyring, fail);
  const active = activeAccounts(list);
  for (const member of active) {
    if (!recipients.some((r) => isAddressEqual(r, member)))
      throw fail(`it does not wrap the pod key for ${member}, an active member`);
  }
  const others = recipients.filter((r) => !active.some((a) => isAddressEqual(a, r)));
  const statuses = await Promise.all(others.map((r) => readTroth(client, "memberRecord", [podId, r])));
  others.forEach((r, i) => {
    const status = statuses[i].status;
    // Left (2) or Burned (4): a member who was a reader and has gone since; the next rotation drops them.
    if (status === 2 || status === 4) return;
    if (status === 3) throw fail(`it wraps the pod key for ${r}, who was replaced`);
    if (status === 5) throw fail(`it wraps the pod key for ${r}, whose seat was recovered at another address`);
    throw fail(`it wraps the pod key for ${r}, who is not a member of the pod`);
  });
  client.cache.set(cacheKey, true);
  return keyring;
}

export type ProposedKeyringCheck = {
  podId: bigint;
  /** The proposed keyring (stored already, named by its digest in the message to sign or the rotation to send). */
  keyringDigest: Hex;
  /** Who the new epoch leaves out: the replaced member, or the recovered seat's lost address. */
  leaving?: Address;
  /** Who it adds: the newcomer, or the recovered seat's new address. */
  joining?: Address;
  /** `joining` is `leaving`'s new address: it may carry grants of the epochs `leaving` held (and no others). */
  recovery?: boolean;
};

export type ProposedKeyring = {
  keyring: KeyringDocument;
  /** Who the new epoch wraps the key for. */
  recipients: Address[];
  /** Earlier epochs the keyring hands on to the recovered seat's new address. */
  grantedEpochs: number[];
  /** Epochs the lost address held that the keyring does not hand on (its preparer could not open them). */
  missingEpochs: number[];
};

/**
 * Checks a proposed keyring before it is installed (before consenting, or before a rotation is sent): it follows the
 * pod's current keyring (names it as previous, same pod, the next epoch) and wraps the pod key for exactly the active
 * members (less `leaving`, plus `joining`), each for the identity key they published. Only a recovery's keyring may
 * carry grants, and only to the new address, for its published key, of epochs the lost address held.
 */
export async function verifyProposedKeyring(
  client: TrothClient,
  { podId, keyringDigest, leaving, joining, recovery = false }: ProposedKeyringCheck,
  fail: (reason: string) => Error,
): Promise<ProposedKeyring> {
  const [record, members, proposed] = await Promise.all([
    readTroth(client, "podRecord", [podId]),
    membersOf(client, podId),
    loadKeyring(client, keyringDigest),
  ]);
  const current = await loadKeyring(client, record.keyringDigest);
  if (
    proposed.previous !== record.keyringDigest ||
    proposed.epoch !== current.epoch + 1 ||
    proposed.pod !== current.pod
  )
    throw fail("the keyring does not follow the pod's current one");
  const expected = [
    ...activeAccounts(members).filter((a) => !leaving || !isAddressEqual(a, leaving)),
    ...(joining ? [getAddress(joining)] : []),
  ];
  const recipients = recipientsOf(proposed, fail);
  const same =
    recipients.length === expected.length && expected.every((a) => recipients.some((r) => isAddressEqual(r, a)));
  if (!same) throw fail(`the keyring is for ${recipients.join(", ")} instead of ${expected.join(", ")}`);
  const published = await encryptionKeysOf(client, expected);
  for (const { member, publicKey } of published) {
    const entry = proposed.recipients.find((r) => isAddressEqual(r.member, member));
    if (entry?.publicKey.toLowerCase() !== publicKey.toLowerCase())
      throw fail(`the keyring wraps the key for ${member} under another identity key than the one they published`);
  }
  const grants = proposed.grants ?? [];
  if (grants.length > 0 && !(recovery && leaving && joining))
    throw fail("the keyring hands earlier epochs' keys on, which only a recovery's may");
  let missingEpochs: number[] = [];
  if (recovery && leaving && joining) {
    const chain = await keyringChain(client, record.keyringDigest);
    const joiningKey = published.find((p) => isAddressEqual(p.member, joining))?.publicKey;
    grants.forEach((g, i) => {
      if (!isAddressEqual(g.member, joining) || g.publicKey.toLowerCase() !== joiningKey?.toLowerCase())
        throw fail(`the keyring hands epoch ${g.epoch}'s key to someone other than ${getAddress(joining)}`);
      if (grants.slice(0, i).some((o) => o.epoch === g.epoch))
        throw fail(`the keyring hands epoch ${g.epoch} on twice`);
      if (g.epoch >= proposed.epoch || !holdsEpoch(chain, leaving, g.epoch))
        throw fail(`the keyring hands on epoch ${g.epoch}, which ${getAddress(leaving)} never held`);
    });
    missingEpochs = chain
      .map(({ keyring }) => keyring.epoch)
      .filter((e) => holdsEpoch(chain, leaving, e) && !grants.some((g) => g.epoch === e))
      .sort((a, b) => a - b);
  }
  return {
    keyring: proposed,
    recipients,
    grantedEpochs: grants.map((g) => g.epoch).sort((a, b) => a - b),
    missingEpochs,
  };
}
