// Writing a new custom role: its name, what it is for, and the permissions
// it grants (only those the author holds tenant-wide may be given).

import { useState } from "react";

import { useApp } from "../app/context";
import { Problem } from "../components/Feedback";
import { createRole } from "./api";
import { heldTenantWide } from "./held";
import type { PermissionView, RoleView } from "./types";
import { reason } from "./words";

export interface RoleFormProps {
  permissions: PermissionView[];
  onDone: (role: RoleView) => void;
  onCancel: () => void;
}

export function RoleForm({ permissions, onDone, onCancel }: RoleFormProps) {
  const { api, me } = useApp();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const toggle = (p: string) =>
    setChosen((set) => {
      const next = new Set(set);
      if (!next.delete(p)) next.add(p);
      return next;
    });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setProblem("Give the role a name.");
    setBusy(true);
    setProblem(null);
    try {
      // In the server's order, whatever order they were ticked in.
      const granted = permissions.map((p) => p.name).filter((p) => chosen.has(p));
      onDone(await createRole(api, { name: name.trim(), description: description.trim(), permissions: granted }));
    } catch (error) {
      setProblem(`Cannot save the role: ${reason(error)}`);
      setBusy(false);
    }
  };

  return (
    <form className="admin-form" aria-label="New role" onSubmit={submit}>
      <h2>New role</h2>
      <label>
        Name
        <input value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Description
        <textarea value={description} maxLength={2000} rows={2} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <fieldset>
        <legend>Permissions</legend>
        {permissions.map((p) => {
          const held = heldTenantWide(me, p.name);
          return (
            <label key={p.name} className="check" title={held ? undefined : "You do not hold this tenant-wide, so you may not grant it."}>
              <input type="checkbox" checked={chosen.has(p.name)} disabled={!held} onChange={() => toggle(p.name)} />
              <code>{p.name}</code>
              <span className="muted"> — {p.description}</span>
            </label>
          );
        })}
      </fieldset>
      <Problem>{problem}</Problem>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          Create role
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
