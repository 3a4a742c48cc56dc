// Sites: the tenant's sites with their time zones; create, rename, move to
// another time zone, and delete one that has no cameras left.

import { useCallback, useState } from "react";

import { useApp } from "../app/context";
import { Notice, Problem, LoadFailed } from "../components/Feedback";
import { deleteSite, listSites } from "./api";
import { SiteForm } from "./SiteForm";
import type { SiteView } from "./types";
import { useLoad } from "./useLoad";
import { reason } from "./words";

const byName = (a: SiteView, b: SiteView) => a.name.localeCompare(b.name);

export function SitesSection() {
  const { api } = useApp();
  const sites = useLoad(useCallback(() => listSites(api), [api]));
  const [editing, setEditing] = useState<SiteView | "new" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const saved = (site: SiteView) => {
    const isNew = editing === "new";
    setEditing(null);
    sites.update((list) => (isNew ? [...list, site] : list.map((s) => (s.id === site.id ? site : s))).sort(byName));
    setNotice(isNew ? `Site ${site.name} created.` : `Site ${site.name} saved.`);
  };
  const remove = async (site: SiteView) => {
    if (!window.confirm(`Delete the site ${site.name}? Only a site without cameras can be deleted.`)) return;
    setBusy(site.id);
    setProblem(null);
    setNotice(null);
    try {
      await deleteSite(api, site.id);
      sites.update((list) => list.filter((s) => s.id !== site.id));
      setNotice(`Site ${site.name} deleted.`);
    } catch (e) {
      setProblem(`Cannot delete the site ${site.name}: ${reason(e)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="admin-section" aria-label="Sites">
      <div className="section-bar">
        <h2>Sites</h2>
        {editing === null && (
          <button type="button" className="primary" onClick={() => setEditing("new")}>
            New site
          </button>
        )}
      </div>
      {editing !== null && (
        <SiteForm
          key={editing === "new" ? "new" : editing.id}
          site={editing === "new" ? undefined : editing}
          onDone={saved}
          onCancel={() => setEditing(null)}
        />
      )}
      <Notice>{notice}</Notice>
      <Problem>{problem}</Problem>
      <LoadFailed what="sites" error={sites.error} onRetry={sites.reload} />
      {sites.loading && !sites.value && <p className="muted">Loading…</p>}
      {sites.value && sites.value.length > 0 && (
        <table className="admin-table" aria-label="Site list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Description</th>
              <th>Time zone</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sites.value.map((s) => (
              <tr key={s.id} data-site={s.id}>
                <td>
                  <strong>{s.name}</strong>
                </td>
                <td>{s.description}</td>
                <td>{s.timezone}</td>
                <td className="actions">
                  <button type="button" disabled={busy === s.id} onClick={() => setEditing(s)} aria-label={`Edit ${s.name}`}>
                    Edit
                  </button>
                  <button type="button" disabled={busy === s.id} onClick={() => void remove(s)} aria-label={`Delete ${s.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {sites.value?.length === 0 && <p className="muted">No sites.</p>}
    </section>
  );
}
