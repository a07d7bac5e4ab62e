import type { IdentityKey } from "@troth/sdk/crypto";
import { createDraftVault, type DraftVault } from "./drafts.ts";

/**
 * Where a member's writes go: the commons' IPFS node (its Kubo RPC, with the credentials it gave them) and, for a
 * second copy, a pinning service. Kept on this device only, encrypted with a key derived from the member's identity
 * key (like drafts), and in memory once unlocked; never in the app's served config, which anyone can read.
 */
export type StorageSettings = {
  /** Kubo RPC base URL, e.g. `https://ipfs.example.org`. */
  apiUrl: string;
  /** What the node asks for (Kubo's `API.Authorizations`): a bearer token, or a user name and password. */
  auth?: { token: string } | { username: string; password: string };
  /** An IPFS Pinning Service API endpoint and its access token. */
  pinning?: { url: string; token: string };
};

/** The member's storage settings do not hold together (the message says which field and why). */
export class StorageSettingsError extends Error {
  override name = "StorageSettingsError";
}

const RECORD_ID = "storage";

let current: StorageSettings | undefined;
let lastReplicaFailure: string | undefined;
const listeners = new Set<() => void>();
const changed = () => {
  for (const listener of listeners) listener();
};

/** The settings in use now (undefined: the app's configured node, without credentials). */
export function memberStorage(): StorageSettings | undefined {
  return current;
}

/** Subscribes to changes of {@link memberStorage} (for `useSyncExternalStore`). */
export function subscribeMemberStorage(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The last failure of a second copy (the blob itself was stored), to show in Settings. */
export function lastReplicaError(): string | undefined {
  return lastReplicaFailure;
}

export function reportReplicaError(message: string) {
  lastReplicaFailure = message;
  changed();
}

function httpUrl(value: string, field: string): string {
  const text = value.trim();
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol))
    throw new StorageSettingsError(`${field} must be an http(s) URL.`);
  const parsed = new URL(text);
  if (parsed.username || parsed.password)
    throw new StorageSettingsError(`Put the credentials in their own fields, not in the ${field.toLowerCase()}.`);
  return text.replace(/\/+$/, "");
}

/**
 * Checks settings a member typed: URLs are http(s) without credentials in them, a token or a user name is not blank.
 *
 * @example
 * ```ts
 * const settings = checkStorageSettings({ apiUrl: "https://ipfs.example.org", auth: { token } });
 * ```
 */
export function checkStorageSettings(input: StorageSettings): StorageSettings {
  const settings: StorageSettings = { apiUrl: httpUrl(input.apiUrl, "The IPFS node's address") };
  if (input.auth && "token" in input.auth) {
    const token = input.auth.token.trim();
    if (!token) throw new StorageSettingsError("The access token is empty.");
    settings.auth = { token };
  } else if (input.auth) {
    if (!input.auth.username.trim()) throw new StorageSettingsError("The user name is empty.");
    if (!input.auth.password) throw new StorageSettingsError("The password is empty.");
    settings.auth = { username: input.auth.username.trim(), password: input.auth.password };
  }
  if (input.pinning) {
    const token = input.pinning.token.trim();
    if (!token) throw new StorageSettingsError("The pinning service's access token is empty.");
    settings.pinning = { url: httpUrl(input.pinning.url, "The pinning service's address"), token };
  }
  return settings;
}

/** The encrypted record of this member's settings. */
function settingsVault(identity: IdentityKey, storage?: Storage): Promise<DraftVault> {
  return createDraftVault(identity, storage, "setting");
}

/** Reads the member's saved settings (on unlock) and puts them in use. */
export async function loadMemberStorage(
  identity: IdentityKey,
  storage?: Storage,
): Promise<StorageSettings | undefined> {
  const vault = await settingsVault(identity, storage);
  current = (await vault.load<StorageSettings>(RECORD_ID).catch(() => undefined))?.value;
  changed();
  return current;
}

/** Saves settings, encrypted on this device, and puts them in use. */
export async function saveMemberStorage(identity: IdentityKey, settings: StorageSettings, storage?: Storage) {
  const checked = checkStorageSettings(settings);
  await (await settingsVault(identity, storage)).save(RECORD_ID, checked);
  current = checked;
  lastReplicaFailure = undefined;
  changed();
}

/** Forgets the saved settings: writes go to the app's configured node again. */
export async function forgetMemberStorage(identity: IdentityKey, storage?: Storage) {
  await (await settingsVault(identity, storage)).remove(RECORD_ID);
  current = undefined;
  changed();
}

/** Another identity (a wallet switch, a lock): its settings are not this one's. */
export function clearMemberStorage() {
  current = undefined;
  changed();
}
