// The roles × permissions matrix: a column per role, a row per permission,
// a tick where the role grants it. Built-in roles, and roles granting what
// the user does not hold tenant-wide, are read-only; a custom role's
// changed column is saved (or undone) on its own.

import { useState } from "react";

import { useApp } from "../app/context";
import { Problem } from "../components/Feedback";
import { deleteRole, updateRole } from "./api";
import { heldTenantWide } from "./held";
import type { PermissionView, RoleView, UpdateRole } from "./types";
import { reason } from "./words";

export interface RoleMatrixProps {
  roles: RoleView[];
  permissions: PermissionView[];
  onSaved: (role: RoleView) => void;
  onDeleted: (role: RoleView) => void;
}

interface Draft {
  permissions: Set<string>;
  description: string;
}

function sameSet(a: Set<string>, b: string[]): boolean {
  return a.size === new Set(b).size && b.every((p) => a.has(p));
}

export function RoleMatrix({ roles, permissions, onSaved, onDeleted }: RoleMatrixProps) {
  const { api, me } = useApp();
  const [drafts, setDrafts] = useState<Map<string, Draft>>(new Map());
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const draft = (role: RoleView): Draft => drafts.get(role.id) ?? { permissions: new Set(role.permissions), description: role.description };
  const setDraft = (role: RoleView, next: Draft | null) =>
    setDrafts((map) => {
      const copy = new Map(map);
      if (next) copy.set(role.id, next);
      else copy.delete(role.id);
      return copy;
    });
  const dirty = (role: RoleView) => {
    const d = drafts.get(role.id);
    return !!d && (!sameSet(d.permissions, role.permissions) || d.description !== role.description);
  };
  // Changing a role takes from its holders: only one who holds all it grants may.
  const editable = (role: RoleView) => !role.built_in && role.permissions.every((p) => heldTenantWide(me, p));
  const toggle = (role: RoleView, permission: string) => {
    const d = draft(role);
    const next = new Set(d.permissions);
    if (!next.delete(permission)) next.add(permission);
    setDraft(role, { ...d, permissions: next });
  };

  const act = async (role: RoleView, what: string, action: () => Promise<void>) => {
    setBusy(role.id);
    setProblem(null);
    try {
      await action();
    } catch (e) {
      setProblem(`Cannot ${what} the role ${role.name}: ${reason(e)}`);
    } finally {
      setBusy(null);
    }
  };
  const save = (role: RoleView) =>
    act(role, "save", async () => {
      const d = draft(role);
      const change: UpdateRole = {};
      if (!sameSet(d.permissions, role.permissions)) change.permissions = permissions.map((p) => p.name).filter((p) => d.permissions.has(p));
      if (d.description !== role.description) change.description = d.description.trim();
      const saved = await updateRole(api, role.id, change);
      setDraft(role, null);
      onSaved(saved);
    });
  const remove = (role: RoleView) => {
    if (!window.confirm(`Delete the role ${role.name}? Everyone holding it loses what it grants, and their sessions end.`)) return;
    void act(role, "delete", async () => {
      await deleteRole(api, role.id);
      setDraft(role, null);
      onDeleted(role);
    });
  };

  return (
    <>
      <Problem>{problem}</Problem>
      <div className="matrix-scroll">
        <table className="admin-table matrix" aria-label="Permissions by role">
          <thead>
            <tr>
              <th scope="col">Permission</th>
              {roles.map((r) => (
                <th key={r.id} scope="col" title={r.description}>
                  {r.name}
                  {r.built_in && <span className="badge">built-in</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {permissions.map((p) => (
              <tr key={p.name}>
                <th scope="row">
                  <code>{p.name}</code>
                  <span className="muted">{p.description}</span>
                </th>
                {roles.map((r) => {
                  const changeable = editable(r) && heldTenantWide(me, p.name);
                  return (
                    <td key={r.id} className="tick">
                      <input
                        type="checkbox"
                        aria-label={`${r.name}: ${p.name}`}
                        checked={draft(r).permissions.has(p.name)}
                        disabled={!changeable || busy === r.id}
                        onChange={() => toggle(r, p.name)}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Description</th>
              {roles.map((r) => (
                <td key={r.id}>
                  {editable(r) ? (
                    <input
                      aria-label={`Description of ${r.name}`}
                      value={draft(r).description}
                      maxLength={2000}
                      onChange={(e) => setDraft(r, { ...draft(r), description: e.target.value })}
                    />
                  ) : (
                    <span className="muted">{r.description}</span>
                  )}
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">
                <span className="visually-hidden">Actions</span>
              </th>
              {roles.map((r) => (
                <td key={r.id} className="actions">
                  {r.built_in ? (
                    <span className="muted">read-only</span>
                  ) : !editable(r) ? (
                    <span className="muted" title="It grants permissions you do not hold tenant-wide.">
                      beyond your reach
                    </span>
                  ) : (
                    <>
                      {dirty(r) && (
                        <>
                          <button type="button" className="primary" disabled={busy === r.id} onClick={() => void save(r)}>
                            Save {r.name}
                          </button>
                          <button type="button" disabled={busy === r.id} onClick={() => setDraft(r, null)}>
                            Undo
                          </button>
                        </>
                      )}
                      <button type="button" disabled={busy === r.id} onClick={() => remove(r)}>
                        Delete {r.name}
                      </button>
                    </>
                  )}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      {roles.some(dirty) && <p className="hint">Saving a role's new permissions ends the sessions of everyone holding it.</p>}
    </>
  );
}
