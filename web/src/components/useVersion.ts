// What an editor of a resource two operators could both edit keeps: the
// version it shows (loaded when it opens, never taken from a list, which
// carries no ETag), that version's ETag to send back with a save, and
// whether a save was refused because someone else changed the resource
// since. Only the user reloads: until then what they typed stays.

import { useCallback, useEffect, useRef, useState } from "react";

import { type Versioned, isStale } from "../api/versioned";

export interface Version<T> {
  /// The version shown (loaded, or as the last save stored it); null until loaded.
  shown: T | null;
  /// Whether the form may be filled in: loaded, or nothing to load (a new resource).
  ready: boolean;
  /// Why it could not be loaded.
  error: string | null;
  /// Whether the last save was refused: someone else changed it meanwhile.
  stale: boolean;
  /// Loads the current version and shows it, over the draft.
  reload: () => void;
  /// Saves with `write`, naming the version shown; answers what was stored
  /// and keeps its version for the next save. A refusal as stale sets
  /// `stale` and answers null; any other failure is thrown.
  save: (write: (etag: string | null) => Promise<Versioned<T>>) => Promise<T | null>;
}

/// The version `load` (null for a new resource: nothing to load) reads,
/// handed to `show` to fill the form when it opens and on each reload.
export function useVersion<T>(load: (() => Promise<Versioned<T>>) | null, show: (value: T) => void): Version<T> {
  const [shown, setShown] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [round, setRound] = useState(0);
  // A ref, so that a save right after another names the version just stored.
  const etag = useRef<string | null>(null);
  const fill = useRef(show);
  useEffect(() => {
    fill.current = show;
  });

  useEffect(() => {
    if (!load) return;
    let live = true;
    setError(null);
    load().then(
      (version) => {
        if (!live) return;
        etag.current = version.etag;
        setShown(version.value);
        setStale(false);
        fill.current(version.value);
      },
      (e: unknown) => {
        if (live) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      live = false;
    };
  }, [load, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  const save = useCallback(async (write: (etag: string | null) => Promise<Versioned<T>>) => {
    setStale(false);
    try {
      const stored = await write(etag.current);
      etag.current = stored.etag;
      setShown(stored.value);
      return stored.value;
    } catch (e) {
      if (!isStale(e)) throw e;
      setStale(true);
      return null;
    }
  }, []);

  return { shown, ready: shown !== null || !load, error, stale, reload, save };
}
