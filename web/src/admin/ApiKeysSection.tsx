// API keys: the user's keys (all the tenant's for a user manager), with
// what each carries, its owner, expiry and last use; create one, whose key
// is shown once, and revoke one.

import { useCallback, useState } from "react";

import { useApp } from "../app/context";
import { Permission, holds } from "../app/permissions";
import { Notice, Problem, LoadFailed } from "../components/Feedback";
import { listApiKeys, listUsers, revokeApiKey } from "./api";
import { ApiKeyForm } from "./ApiKeyForm";
import { OnceSecret } from "./OnceSecret";
import type { ApiKeyView, CreatedApiKey, UserView } from "./types";
import { useLoad } from "./useLoad";
import { reason, when } from "./words";

/// "Active", "Revoked …", "Expired …".
function status(key: ApiKeyView, now: number): { text: string; active: boolean } {
  if (key.revoked_at) return { text: `Revoked ${when(key.revoked_at)}`, active: false };
  if (key.expires_at && Date.parse(key.expires_at) <= now) return { text: `Expired ${when(key.expires_at)}`, active: false };
  return { text: "Active", active: true };
}

export function ApiKeysSection() {
  const { api, me } = useApp();
  const keys = useLoad(useCallback(() => listApiKeys(api), [api]));
  const managesUsers = holds(me, Permission.ManageUsers);
  // Owners' names, for a user manager who sees everyone's keys.
  const users = useLoad(useCallback(async (): Promise<UserView[]> => (managesUsers ? listUsers(api) : []), [api, managesUsers]));
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const now = Date.now();

  const owner = (id: string) => {
    if (id === me.id) return `you (${me.username})`;
    return users.value?.find((u) => u.id === id)?.username ?? `user ${id.slice(0, 8)}`;
  };
  const done = (made: CreatedApiKey) => {
    setCreating(false);
    setCreated(made);
    // The list keeps the key's record only, never the key.
    const { key: _secret, ...record } = made;
    keys.update((list) => [record, ...list]);
    setNotice(null);
  };
  const revoke = async (key: ApiKeyView) => {
    if (!window.confirm(`Revoke the API key "${key.name}"? Whatever uses it is refused from now on.`)) return;
    setBusy(key.id);
    setProblem(null);
    setNotice(null);
    try {
      await revokeApiKey(api, key.id);
      const at = new Date().toISOString();
      keys.update((list) => list.map((k) => (k.id === key.id ? { ...k, revoked_at: at } : k)));
      setNotice(`API key "${key.name}" revoked.`);
    } catch (e) {
      setProblem(`Cannot revoke the API key "${key.name}": ${reason(e)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="admin-section" aria-label="API keys">
      <div className="section-bar">
        <h2>API keys</h2>
        {!creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New API key
          </button>
        )}
      </div>
      {creating && <ApiKeyForm onDone={done} onCancel={() => setCreating(false)} />}
      {created && (
        <OnceSecret title={`API key "${created.name}"`} label="API key" secret={created.key} onDone={() => setCreated(null)}>
          <p className="hint">
            Send it as <code>Authorization: Bearer &lt;key&gt;</code> or <code>X-API-Key: &lt;key&gt;</code>.
            {created.expires_at ? ` It works until ${when(created.expires_at)}.` : " It works until revoked."}
          </p>
        </OnceSecret>
      )}
      <Notice>{notice}</Notice>
      <Problem>{problem}</Problem>
      {users.error && <p className="hint">Owners show as ids: cannot load users ({users.error}).</p>}
      <LoadFailed what="API keys" error={keys.error} onRetry={keys.reload} />
      {keys.loading && !keys.value && <p className="muted">Loading…</p>}
      {keys.value && keys.value.length > 0 && (
        <table className="admin-table" aria-label="API key list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key begins</th>
              <th>Owner</th>
              <th>Permissions</th>
              <th>Created</th>
              <th>Expires</th>
              <th>Last used</th>
              <th>Status</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.value.map((k) => {
              const s = status(k, now);
              return (
                <tr key={k.id} data-key={k.id} className={s.active ? undefined : "disabled"}>
                  <td>
                    <strong>{k.name}</strong>
                  </td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{owner(k.user_id)}</td>
                  <td>{k.permissions.join(", ")}</td>
                  <td>{when(k.created_at)}</td>
                  <td>{when(k.expires_at)}</td>
                  <td>{k.last_used_at ? `${when(k.last_used_at)}${k.last_used_ip ? ` from ${k.last_used_ip}` : ""}` : "never"}</td>
                  <td>{s.text}</td>
                  <td className="actions">
                    {s.active && (
                      <button type="button" disabled={busy === k.id} onClick={() => void revoke(k)} aria-label={`Revoke ${k.name}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {keys.value?.length === 0 && <p className="muted">No API keys.</p>}
    </section>
  );
}
