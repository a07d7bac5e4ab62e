import type { TrothClient } from "../client.ts";
import { openDocument, type RecordingDocument } from "../crypto/documents.ts";
import { readEnvelopeHeader } from "../crypto/envelope.ts";
import type { IdentityKey } from "../crypto/identity.ts";
import type { RecordingSlot } from "../crypto/media.ts";
import { RecordingEpochError } from "../errors/media.ts";
import type { ReportInput } from "../types.ts";
import { readTroth } from "./contract.ts";
import { verifyInstalledKeyring } from "./keyringCheck.ts";
import { epochKey, type PodKey } from "./keys.ts";

/**
 * A recording's manifest, with the key and slot its chunks open under. The manifest's envelope names its key epoch;
 * the keyring chain (checked first) gives that epoch's key, and the author's slot binds it, as for every document.
 */
export async function openRecording(
  client: TrothClient,
  {
    podId,
    member,
    round,
    recording,
    identity,
  }: { podId: bigint; member: number; round: number; recording: string; identity: IdentityKey },
): Promise<{ manifest: RecordingDocument; key: Uint8Array; slot: RecordingSlot }> {
  const [blob, { keyringDigest }] = await Promise.all([
    client.store.get(recording),
    readTroth(client, "podRecord", [podId]),
  ]);
  await verifyInstalledKeyring(client, podId, keyringDigest);
  const { epoch } = readEnvelopeHeader(blob);
  const podKey = await epochKey(client, keyringDigest, epoch, identity);
  const slot = { pod: podKey.pod, epoch, member, round };
  const manifest = openDocument(blob, { key: podKey.key, slot: { ...slot, kind: "recording" } });
  return { manifest, key: podKey.key, slot };
}

/**
 * Before a report that points to a recording is sealed: the recording must be this author's for this round, sealed
 * under the key the report is written with. One sealed under an earlier epoch is refused ({@link RecordingEpochError}),
 * since a member who left since holds that key; one of another slot fails to open (`DecryptionError`).
 */
export async function requireRecordingFor(
  client: TrothClient,
  podKey: PodKey,
  { member, round, report }: { member: number; round: number; report: ReportInput },
): Promise<void> {
  if (report.recording === undefined) return;
  const blob = await client.store.get(report.recording);
  const { epoch } = readEnvelopeHeader(blob);
  if (epoch !== podKey.epoch) throw new RecordingEpochError({ recorded: epoch, current: podKey.epoch });
  openDocument(blob, { key: podKey.key, slot: { pod: podKey.pod, epoch, kind: "recording", member, round } });
}
