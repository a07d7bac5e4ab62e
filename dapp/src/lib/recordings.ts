import type { IdentityKey, RecordingWriterState } from "@troth/sdk/crypto";

/**
 * The local copy of a recording being made: what the recorder produced that is not yet stored on IPFS (its bytes,
 * piece by piece, with their offsets) and the writer's state (nonce, chunk CIDs stored so far), so a closed tab, a
 * reload or an IPFS outage picks up where it stopped. Kept in IndexedDB, encrypted with AES-GCM under a key derived
 * from the member's identity key (as drafts are): nothing of the recording is readable from storage, and even the
 * record's name is hashed. Pieces below the stored prefix are deleted as the chunks holding them are stored.
 */
export type SavedRecording = {
  kind: "audio" | "video";
  mimeType: string;
  /** The writer's state as last reported (a fresh recording: its nonce and no chunks). */
  writer: RecordingWriterState;
  /** Byte offsets where recorder sessions began (a new one after each resume). */
  segments: number[];
  /** Milliseconds recorded so far (pauses excluded). */
  elapsedMs: number;
  /** Bytes recorded so far. */
  size: number;
  /** Once sealed: the manifest's CID, for the report. */
  finished?: { recording: string; durationMs: number };
  savedAt: number;
};

export type RecordingVault = {
  load(id: string): Promise<SavedRecording | undefined>;
  save(id: string, recording: SavedRecording): Promise<void>;
  /** Keeps `bytes`, recorded at `offset`, until a stored chunk covers them. */
  addPiece(id: string, offset: number, bytes: Uint8Array): Promise<void>;
  /** Every kept piece that reaches past `from`, in order, cut to start at `from`. */
  piecesFrom(id: string, from: number): Promise<Uint8Array[]>;
  /** Drops the pieces that end at or before `below` (stored on IPFS now). */
  prune(id: string, below: number): Promise<void>;
  remove(id: string): Promise<void>;
};

const DB_NAME = "troth-recordings";
const VERSION = 1;
const encoder = new TextEncoder();

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDatabase(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, VERSION);
  open.onupgradeneeded = () => {
    open.result.createObjectStore("recordings");
    open.result.createObjectStore("pieces"); // key: [record, offset]
  };
  return request(open);
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The vault of `identity`: its key never leaves this function's closure. */
export async function openRecordingVault(identity: IdentityKey): Promise<RecordingVault> {
  const address = identity.address.toLowerCase();
  const material = await crypto.subtle.importKey("raw", new Uint8Array(identity.privateKey), "HKDF", false, [
    "deriveKey",
  ]);
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode("troth/dapp/recordings/v1"), info: encoder.encode(address) },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  const db = await openDatabase();
  const record = (id: string) => sha256Hex(`${address}\n${id}`);

  // Each value is bound to where it is kept (record and offset), so pieces cannot be swapped around in storage.
  async function seal(place: string, plain: Uint8Array): Promise<ArrayBuffer> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: encoder.encode(place) },
      key,
      new Uint8Array(plain),
    );
    const out = new Uint8Array(12 + ct.byteLength);
    out.set(iv);
    out.set(new Uint8Array(ct), 12);
    return out.buffer;
  }
  async function open(place: string, sealed: ArrayBuffer): Promise<Uint8Array> {
    const bytes = new Uint8Array(sealed);
    return new Uint8Array(
      await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: encoder.encode(place) },
        key,
        bytes.subarray(12),
      ),
    );
  }
  const store = (name: "recordings" | "pieces", mode: IDBTransactionMode) =>
    db.transaction(name, mode).objectStore(name);
  const pieceRange = (hashed: string, from = 0, to = Number.MAX_SAFE_INTEGER) =>
    IDBKeyRange.bound([hashed, from], [hashed, to]);

  return {
    async load(id) {
      const hashed = await record(id);
      const sealed = (await request(store("recordings", "readonly").get(hashed))) as ArrayBuffer | undefined;
      if (!sealed) return undefined;
      return JSON.parse(new TextDecoder().decode(await open(hashed, sealed))) as SavedRecording;
    },
    async save(id, recording) {
      const hashed = await record(id);
      const sealed = await seal(hashed, encoder.encode(JSON.stringify(recording)));
      await request(store("recordings", "readwrite").put(sealed, hashed));
    },
    async addPiece(id, offset, bytes) {
      const hashed = await record(id);
      const sealed = await seal(`${hashed}:${offset}`, bytes);
      await request(store("pieces", "readwrite").put(sealed, [hashed, offset]));
    },
    async piecesFrom(id, from) {
      const hashed = await record(id);
      const cursor = store("pieces", "readonly").openCursor(pieceRange(hashed));
      const found: { offset: number; sealed: ArrayBuffer }[] = [];
      await new Promise<void>((resolve, reject) => {
        cursor.onsuccess = () => {
          const at = cursor.result;
          if (!at) return resolve();
          found.push({ offset: (at.key as [string, number])[1], sealed: at.value as ArrayBuffer });
          at.continue();
        };
        cursor.onerror = () => reject(cursor.error);
      });
      const pieces: Uint8Array[] = [];
      for (const { offset, sealed } of found) {
        const bytes = await open(`${hashed}:${offset}`, sealed);
        if (offset + bytes.length <= from) continue;
        pieces.push(offset >= from ? bytes : bytes.subarray(from - offset));
      }
      return pieces;
    },
    async prune(id, below) {
      const hashed = await record(id);
      const cursor = store("pieces", "readwrite").openCursor(pieceRange(hashed, 0, below));
      await new Promise<void>((resolve, reject) => {
        cursor.onsuccess = () => {
          const at = cursor.result;
          if (!at) return resolve();
          // A piece is dropped only when it ends at or before `below`: its bytes are all in stored chunks.
          const sealed = at.value as ArrayBuffer;
          const length = sealed.byteLength - 12 - 16;
          if ((at.key as [string, number])[1] + length <= below) at.delete();
          at.continue();
        };
        cursor.onerror = () => reject(cursor.error);
      });
    },
    async remove(id) {
      const hashed = await record(id);
      await request(store("pieces", "readwrite").delete(pieceRange(hashed)));
      await request(store("recordings", "readwrite").delete(hashed));
    },
  };
}
