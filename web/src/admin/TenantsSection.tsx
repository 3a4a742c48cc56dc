// Tenants (super-admins only): every tenant with its camera quota and how
// long it keeps events; create one (with its first administrator), change
// one, and delete an empty one after a confirmation.

import { useCallback, useState } from "react";

import { useApp } from "../app/context";
import { Notice, Problem, LoadFailed } from "../components/Feedback";
import { deleteTenant, listTenants } from "./api";
import { TenantForm } from "./TenantForm";
import type { TenantView } from "./types";
import { useLoad } from "./useLoad";
import { reason, when } from "./words";

const byName = (a: TenantView, b: TenantView) => a.name.localeCompare(b.name);

export function TenantsSection() {
  const { api, me } = useApp();
  const tenants = useLoad(useCallback(() => listTenants(api), [api]));
  const [editing, setEditing] = useState<TenantView | "new" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const saved = (tenant: TenantView) => {
    const isNew = editing === "new";
    setEditing(null);
    tenants.update((list) => (isNew ? [...list, tenant] : list.map((t) => (t.id === tenant.id ? tenant : t))).sort(byName));
    setNotice(
      isNew
        ? `Tenant ${tenant.name} created${tenant.admin_id ? ", with its first administrator" : ""}.`
        : `Tenant ${tenant.name} saved.`,
    );
  };
  const remove = async (tenant: TenantView) => {
    const sure = window.confirm(
      `Delete the tenant ${tenant.name}? This cannot be undone. Only a tenant without users, sites or cameras can be deleted.`,
    );
    if (!sure) return;
    setBusy(tenant.id);
    setProblem(null);
    setNotice(null);
    try {
      await deleteTenant(api, tenant.id);
      tenants.update((list) => list.filter((t) => t.id !== tenant.id));
      setNotice(`Tenant ${tenant.name} deleted.`);
    } catch (e) {
      setProblem(`Cannot delete the tenant ${tenant.name}: ${reason(e)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="admin-section" aria-label="Tenants">
      <div className="section-bar">
        <h2>Tenants</h2>
        {editing === null && (
          <button type="button" className="primary" onClick={() => setEditing("new")}>
            New tenant
          </button>
        )}
      </div>
      {editing !== null && (
        <TenantForm
          key={editing === "new" ? "new" : editing.id}
          tenant={editing === "new" ? undefined : editing}
          onDone={saved}
          onCancel={() => setEditing(null)}
        />
      )}
      <Notice>{notice}</Notice>
      <Problem>{problem}</Problem>
      <LoadFailed what="tenants" error={tenants.error} onRetry={tenants.reload} />
      {tenants.loading && !tenants.value && <p className="muted">Loading…</p>}
      {tenants.value && tenants.value.length > 0 && (
        <table className="admin-table" aria-label="Tenant list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Camera quota</th>
              <th>Events kept</th>
              <th>Created</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tenants.value.map((t) => {
              const own = t.id === me.tenant_id;
              return (
                <tr key={t.id} data-tenant={t.id}>
                  <td>
                    <strong>{t.name}</strong>
                    {own && <span className="badge">yours</span>}
                  </td>
                  <td>{t.camera_quota == null ? <span className="muted">the licence's limit</span> : t.camera_quota}</td>
                  <td>{t.event_retention_days} days</td>
                  <td>{when(t.created_at)}</td>
                  <td className="actions">
                    <button type="button" disabled={busy === t.id} onClick={() => setEditing(t)} aria-label={`Edit ${t.name}`}>
                      Edit
                    </button>
                    {!own && (
                      <button type="button" disabled={busy === t.id} onClick={() => void remove(t)} aria-label={`Delete ${t.name}`}>
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {tenants.value?.length === 0 && <p className="muted">No tenants.</p>}
    </section>
  );
}
