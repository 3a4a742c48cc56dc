// Loading what a section shows: the value, the reason it could not be
// loaded, and a way to load it again or change it in place after an edit.

import { useCallback, useEffect, useState } from "react";

import { reason } from "./words";

export interface Loaded<T> {
  /// Null until first loaded (and kept when a reload fails).
  value: T | null;
  /// Why the last load failed, in the server's words.
  error: string | null;
  loading: boolean;
  reload: () => void;
  /// Changes the loaded value in place (after a create, edit or delete).
  update: (change: (value: T) => T) => void;
  /// Replaces the value (an answer that holds it whole); clears the error.
  set: (value: T) => void;
}

/// Loads with `load` (keep it stable with `useCallback`) when mounted and
/// whenever `load` changes; a failure, even one thrown at once, becomes `error`.
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    (async () => load())().then(
      (v) => {
        if (!live) return;
        setValue(v);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(reason(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [load, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  const update = useCallback((change: (value: T) => T) => setValue((v) => (v === null ? v : change(v))), []);
  const set = useCallback((v: T) => {
    setValue(v);
    setError(null);
  }, []);
  return { value, error, loading, reload, update, set };
}
