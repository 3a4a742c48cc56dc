// A secret the server shows once (an API key, a password reset token): the
// value to copy, a plain note that it will not be shown again, and a way to
// put it away. It lives only in this component's props: never in the
// address, storage or the list it came from.

import { type ReactNode, useState } from "react";

import { Problem } from "../components/Feedback";
import { reason } from "./words";

export interface OnceSecretProps {
  /// The panel's heading, also its accessible name.
  title: string;
  /// The field's label ("API key", "Reset token").
  label: string;
  secret: string;
  /// How to use it, and for how long it works.
  children?: ReactNode;
  /// Puts the secret away for good.
  onDone: () => void;
}

export function OnceSecret({ title, label, secret, children, onDone }: OnceSecretProps) {
  const [copied, setCopied] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const clipboard = typeof navigator !== "undefined" ? navigator.clipboard : undefined;

  const copy = async () => {
    setProblem(null);
    try {
      await clipboard!.writeText(secret);
      setCopied("Copied.");
    } catch (e) {
      setProblem(`Cannot copy: ${reason(e)}. Select the text and copy it by hand.`);
    }
  };

  return (
    <section className="once-secret" aria-label={title}>
      <h2>{title}</h2>
      <p className="once-note">
        <strong>Shown once.</strong> Copy it now: the server keeps only a fingerprint of it, so it cannot be shown again once
        this panel is closed.
      </p>
      <label>
        {label}
        <input readOnly value={secret} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
      </label>
      {children}
      <Problem>{problem}</Problem>
      <div className="buttons">
        {clipboard && (
          <button type="button" onClick={() => void copy()}>
            Copy
          </button>
        )}
        {copied && <span role="status">{copied}</span>}
        <button type="button" className="primary" onClick={onDone}>
          Done, I have copied it
        </button>
      </div>
    </section>
  );
}
