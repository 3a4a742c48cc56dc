// One action at a time on a row (lock, delete, download, …): what is
// running, and why the last one failed, in words ("Cannot delete: …").

import { useState } from "react";

export function useAction() {
  /// The action running now (its name), or null.
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  /// Runs `action` as `what`, keeping its failure as "Cannot `what`: reason".
  const act = async (what: string, action: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(`Cannot ${what}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, act };
}
