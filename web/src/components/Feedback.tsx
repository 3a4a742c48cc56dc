// The lines every screen uses to tell the operator what happened: a done
// action (announced politely), a refusal or failure in words (announced at
// once), a list that could not be loaded with a way to try again, and a
// save refused because someone else changed the thing meanwhile.

import type { ReactNode } from "react";

/// What an action did; nothing when `children` is empty.
export function Notice({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="notice-line" role="status">
      {children}
    </p>
  );
}

/// What went wrong, in words; nothing when `children` is empty.
export function Problem({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="error" role="alert">
      {children}
    </p>
  );
}

/// "Cannot load `what`: `error`", with a button that tries again; nothing without an error.
export function LoadFailed({ what, error, onRetry }: { what: string; error: string | null | undefined; onRetry: () => void }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      Cannot load {what}: {error}{" "}
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </p>
  );
}

/// A save refused because someone else changed the resource since the form
/// showed it: `children` says what changed ("Someone else changed this
/// camera since you opened it."); the button shows their version, which
/// replaces the draft, so it is the user's choice when.
export function Changed({ children, onReload }: { children: ReactNode; onReload: () => void }) {
  return (
    <p className="error" role="alert">
      {children} Reload to see their change, then make yours again.{" "}
      <button type="button" onClick={onReload}>
        Reload
      </button>
    </p>
  );
}
