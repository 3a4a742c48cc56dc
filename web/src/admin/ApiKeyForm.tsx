// Writing a new API key: what it is for, which of the user's own
// permissions it carries, and when it stops working. The key itself comes
// back once, to the section, which shows it once.

import { useState } from "react";

import { useApp } from "../app/context";
import { Problem } from "../components/Feedback";
import { createApiKey } from "./api";
import type { CreateApiKey, CreatedApiKey } from "./types";
import { PERMISSION_WORDS, permissionText, reason } from "./words";

export interface ApiKeyFormProps {
  onDone: (created: CreatedApiKey) => void;
  onCancel: () => void;
}

export function ApiKeyForm({ onDone, onCancel }: ApiKeyFormProps) {
  const { api, me } = useApp();
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [expires, setExpires] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // A key carries only what its owner holds; in the usual order, unknown words last.
  const order = PERMISSION_WORDS.map((p) => p.name as string);
  const offered = [...me.permissions].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));

  const toggle = (p: string) =>
    setChosen((set) => {
      const next = new Set(set);
      if (!next.delete(p)) next.add(p);
      return next;
    });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setProblem("Say what the key is for.");
    if (chosen.size === 0) return setProblem("Pick at least one permission.");
    const body: CreateApiKey = { name: name.trim(), permissions: offered.filter((p) => chosen.has(p)) };
    if (expires) {
      const t = new Date(expires).getTime();
      if (!Number.isFinite(t) || t <= Date.now()) return setProblem("The expiry must be in the future.");
      body.expires_at = new Date(t).toISOString();
    }
    setBusy(true);
    setProblem(null);
    try {
      onDone(await createApiKey(api, body));
    } catch (error) {
      setProblem(`Cannot create the API key: ${reason(error)}`);
      setBusy(false);
    }
  };

  return (
    <form className="admin-form" aria-label="New API key" onSubmit={submit}>
      <h2>New API key</h2>
      <label>
        Name
        <input value={name} maxLength={200} required placeholder="door controller" onChange={(e) => setName(e.target.value)} />
      </label>
      <fieldset>
        <legend>Permissions (of your own)</legend>
        {offered.map((p) => (
          <label key={p} className="check">
            <input type="checkbox" checked={chosen.has(p)} onChange={() => toggle(p)} />
            <code>{p}</code>
            {permissionText(p) && <span className="muted"> — {permissionText(p)}</span>}
          </label>
        ))}
      </fieldset>
      <label>
        Expires (leave empty for never)
        <input type="datetime-local" step="1" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </label>
      <p className="hint">The key acts as you, within these permissions and only where you hold them.</p>
      <Problem>{problem}</Problem>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          Create key
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
