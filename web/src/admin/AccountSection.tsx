// My account: who the user is signed in as, in which tenant, what they may
// do; and changing their own password, which ends every session of theirs.

import { useId, useState } from "react";

import { useApp } from "../app/context";
import { Problem } from "../components/Feedback";
import { changePassword } from "./api";
import { PASSWORD_RULE, permissionText, reason } from "./words";

export function AccountSection() {
  const { api, me } = useApp();
  const hint = useId();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (next !== repeat) return setProblem("The two new passwords differ.");
    setBusy(true);
    setProblem(null);
    try {
      await changePassword(api, { current_password: current, new_password: next });
      setCurrent("");
      setNext("");
      setRepeat("");
      setChanged(true);
    } catch (error) {
      setProblem(`Cannot change your password: ${reason(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="admin-section" aria-label="My account">
      <div className="section-bar">
        <h2>My account</h2>
      </div>
      <dl className="facts" aria-label="Signed in as">
        <div>
          <dt>Login name</dt>
          <dd>{me.username}</dd>
        </div>
        <div>
          <dt>Tenant</dt>
          <dd>{me.tenant_name ?? me.tenant_id}</dd>
        </div>
        {me.super_admin && (
          <div>
            <dt>Super-admin</dt>
            <dd>yes: you may act in every tenant</dd>
          </div>
        )}
        <div>
          <dt>You may</dt>
          <dd>
            {me.permissions.length === 0 ? (
              "nothing yet"
            ) : (
              <ul className="plain">
                {me.permissions.map((p) => (
                  <li key={p}>
                    <code>{p}</code>
                    {permissionText(p) && <span className="muted"> — {permissionText(p)}</span>}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      <form className="admin-form" aria-label="Change your password" onSubmit={submit}>
        <h3>Change your password</h3>
        <label>
          Present password
          <input type="password" value={current} required autoComplete="current-password" onChange={(e) => setCurrent(e.target.value)} />
        </label>
        <label>
          New password
          <input
            type="password"
            value={next}
            required
            autoComplete="new-password"
            aria-describedby={hint}
            onChange={(e) => setNext(e.target.value)}
          />
        </label>
        <span className="hint" id={hint}>
          {PASSWORD_RULE}
        </span>
        <label>
          Repeat the new password
          <input type="password" value={repeat} required autoComplete="new-password" onChange={(e) => setRepeat(e.target.value)} />
        </label>
        <p className="hint">Changing it ends every session of yours, this one too: you sign in again with the new password.</p>
        <Problem>{problem}</Problem>
        {changed && (
          <p className="notice-line" role="status">
            Your password is changed. Your sessions have ended: sign in again with the new password.{" "}
            <button type="button" onClick={() => void api.session?.logout()}>
              Sign in again
            </button>
          </p>
        )}
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}
