import type { IdentityKey } from "@troth/sdk/crypto";

/**
 * Drafts (a check-in being written, a covenant being drafted, a proposal waiting for consent) kept on this device,
 * encrypted with a key derived from the member's identity key, until the chain has confirmed what they became.
 * Plaintext never touches storage; even the draft's name is hashed, so storage does not say which pod it is about.
 */
export type DraftVault = {
  readonly address: string;
  save<T>(id: string, value: T): Promise<void>;
  load<T>(id: string): Promise<Draft<T> | undefined>;
  remove(id: string): Promise<void>;
  /** Every draft of this member whose id starts with `prefix`. */
  list<T>(prefix?: string): Promise<Draft<T>[]>;
};

export type Draft<T> = { id: string; value: T; savedAt: number };

/** A stored draft could not be decrypted (another identity key, or damaged storage). */
export class DraftUnreadableError extends Error {
  override name = "DraftUnreadableError";
}

const VERSION = 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The vault of `identity` in `storage`. `kind` keeps other encrypted records of the member (their settings) apart from
 * drafts, under a key and a prefix of their own.
 */
export async function createDraftVault(
  identity: IdentityKey,
  storage: Storage = localStorage,
  kind: "draft" | "setting" = "draft",
): Promise<DraftVault> {
  const address = identity.address.toLowerCase();
  const material = await crypto.subtle.importKey("raw", new Uint8Array(identity.privateKey), "HKDF", false, [
    "deriveKey",
  ]);
  const key = await crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: encoder.encode(`troth/dapp/${kind}s/v${VERSION}`),
      info: encoder.encode(address),
    },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  const prefix = `troth:${kind}:v${VERSION}:${(await sha256Hex(address)).slice(0, 16)}:`;
  const slot = async (id: string) => `${prefix}${await sha256Hex(`${address}\n${id}`)}`;

  async function open<T>(storageKey: string): Promise<Draft<T> | undefined> {
    const raw = storage.getItem(storageKey);
    if (!raw) return undefined;
    try {
      const { iv, ct } = JSON.parse(raw) as { iv: string; ct: string };
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64(iv), additionalData: encoder.encode(storageKey) },
        key,
        fromBase64(ct),
      );
      return JSON.parse(decoder.decode(plain)) as Draft<T>;
    } catch (cause) {
      throw new DraftUnreadableError(`A saved draft could not be decrypted (${(cause as Error).message}).`);
    }
  }

  return {
    address,
    async save(id, value) {
      const storageKey = await slot(id);
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const plain = encoder.encode(JSON.stringify({ id, value, savedAt: Date.now() } satisfies Draft<unknown>));
      const ct = new Uint8Array(
        await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(storageKey) }, key, plain),
      );
      storage.setItem(storageKey, JSON.stringify({ v: VERSION, iv: toBase64(iv), ct: toBase64(ct) }));
    },
    async load(id) {
      return open(await slot(id));
    },
    async remove(id) {
      storage.removeItem(await slot(id));
    },
    async list<T>(idPrefix = "") {
      const keys: string[] = [];
      for (let i = 0; i < storage.length; i++) {
        const k = storage.key(i);
        if (k?.startsWith(prefix)) keys.push(k);
      }
      const drafts = await Promise.all(keys.map((k) => open<T>(k).catch(() => undefined)));
      return drafts
        .filter((d): d is Draft<T> => d?.id.startsWith(idPrefix) === true)
        .sort((a, b) => b.savedAt - a.savedAt);
    },
  };
}
