import { useCallback, useEffect, useRef, useState } from "react";
import { useIdentity } from "../lib/identity.tsx";

export type DraftStatus = "loading" | "empty" | "restored" | "saving" | "saved" | "error";

/**
 * A piece of writing kept in the member's encrypted draft vault as it is typed (a short pause after each change), so
 * a reload, a crash or a failed step loses nothing. `clear` is for when the chain has confirmed what it became.
 */
export function useDraft<T>(id: string, initial: T) {
  const { vault } = useIdentity();
  const [value, setValue] = useState<T>(initial);
  const [status, setStatus] = useState<DraftStatus>("loading");
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const dirty = useRef(false);
  const latest = useRef(value);
  latest.current = value;

  useEffect(() => {
    let cancelled = false;
    dirty.current = false;
    if (!vault) return;
    setStatus("loading");
    vault
      .load<T>(id)
      .then((draft) => {
        if (cancelled || dirty.current) return;
        if (draft) {
          setValue(draft.value);
          setSavedAt(draft.savedAt);
        }
        setStatus(draft ? "restored" : "empty");
      })
      .catch(() => !cancelled && setStatus("error"));
    return () => {
      cancelled = true;
    };
  }, [vault, id]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: every change of `value` is what schedules a save
  useEffect(() => {
    if (!vault || !dirty.current) return;
    setStatus("saving");
    const timer = setTimeout(() => {
      vault
        .save(id, latest.current)
        .then(() => {
          setStatus("saved");
          setSavedAt(Date.now());
        })
        .catch(() => setStatus("error"));
    }, 250);
    return () => clearTimeout(timer);
  }, [vault, id, value]);

  const update = useCallback((next: T | ((previous: T) => T)) => {
    dirty.current = true;
    setValue(next);
  }, []);

  /** Saves now (before a step that may fail) and resolves when it is on disk. */
  const flush = useCallback(async () => {
    if (vault) await vault.save(id, latest.current);
  }, [vault, id]);

  const clear = useCallback(async () => {
    dirty.current = false;
    if (vault) await vault.remove(id);
  }, [vault, id]);

  return { value, update, status, savedAt, flush, clear, ready: status !== "loading" };
}

export function draftStatusText(status: DraftStatus, savedAt: number | null): string {
  switch (status) {
    case "loading":
      return "Opening your saved draft…";
    case "restored":
      return `Draft restored from this device${savedAt ? ` (saved ${new Date(savedAt).toLocaleTimeString()})` : ""}.`;
    case "saving":
      return "Saving…";
    case "saved":
      return "Saved on this device, encrypted.";
    case "error":
      return "This draft couldn't be saved on this device. Keep this page open.";
    default:
      return "Drafts are saved on this device, encrypted, as you type.";
  }
}
