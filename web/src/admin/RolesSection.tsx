// Roles: what each built-in and custom role grants, as a matrix of roles
// and permissions; create, change and delete custom roles.

import { useCallback, useState } from "react";

import { useApp } from "../app/context";
import { Notice, LoadFailed } from "../components/Feedback";
import { listRoles } from "./api";
import { RoleForm } from "./RoleForm";
import { RoleMatrix } from "./RoleMatrix";
import type { RoleView } from "./types";
import { useLoad } from "./useLoad";

export function RolesSection() {
  const { api } = useApp();
  const roles = useLoad(useCallback(() => listRoles(api), [api]));
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const replace = (role: RoleView) => roles.update((list) => ({ ...list, items: list.items.map((r) => (r.id === role.id ? role : r)) }));
  const created = (role: RoleView) => {
    setCreating(false);
    roles.update((list) => ({ ...list, items: [...list.items, role] }));
    setNotice(`Role ${role.name} created.`);
  };

  return (
    <section className="admin-section" aria-label="Roles">
      <div className="section-bar">
        <h2>Roles</h2>
        {!creating && roles.value && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New role
          </button>
        )}
      </div>
      {creating && roles.value && <RoleForm permissions={roles.value.permissions} onDone={created} onCancel={() => setCreating(false)} />}
      <Notice>{notice}</Notice>
      <LoadFailed what="roles" error={roles.error} onRetry={roles.reload} />
      {roles.loading && !roles.value && <p className="muted">Loading…</p>}
      {roles.value && (
        <RoleMatrix
          roles={roles.value.items}
          permissions={roles.value.permissions}
          onSaved={(role) => {
            replace(role);
            setNotice(`Role ${role.name} saved.`);
          }}
          onDeleted={(role) => {
            roles.update((list) => ({ ...list, items: list.items.filter((r) => r.id !== role.id) }));
            setNotice(`Role ${role.name} deleted.`);
          }}
        />
      )}
    </section>
  );
}
