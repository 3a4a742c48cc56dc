// Writing a site: its name, a description, and the time zone its schedules
// and local times are read in (a list of the browser's zones where it has
// one). An edit opens on the site as stored now, sends only what changed
// from it, and only over that version: if someone else changed the site
// meanwhile, the form says so and keeps the draft until the user reloads.

import { useMemo, useState } from "react";

import { useApp } from "../app/context";
import { Changed, LoadFailed, Problem } from "../components/Feedback";
import { useVersion } from "../components/useVersion";
import { createSite, getSite, updateSite } from "./api";
import { timeZones } from "./timeZones";
import type { SiteView, UpdateSite } from "./types";
import { reason } from "./words";

export interface SiteFormProps {
  /// The site to change, as listed (the form loads it as stored now); absent for a new one.
  site?: SiteView;
  onDone: (site: SiteView) => void;
  onCancel: () => void;
}

export function SiteForm({ site, onDone, onCancel }: SiteFormProps) {
  const { api } = useApp();
  const zones = useMemo(timeZones, []);
  const [name, setName] = useState(site?.name ?? "");
  const [description, setDescription] = useState(site?.description ?? "");
  const [timezone, setTimezone] = useState(site?.timezone ?? "UTC");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const id = site?.id;
  const version = useVersion(
    useMemo(() => (id ? () => getSite(api, id) : null), [api, id]),
    (stored) => {
      setName(stored.name);
      setDescription(stored.description);
      setTimezone(stored.timezone);
    },
  );
  const title = site ? `Edit site ${site.name}` : "New site";

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setProblem("Give the site a name.");
    if (!timezone.trim()) return setProblem("Pick the site's time zone.");
    setBusy(true);
    setProblem(null);
    const body = { name: name.trim(), description: description.trim(), timezone: timezone.trim() };
    try {
      if (site) {
        const shown = version.shown ?? site;
        const change: UpdateSite = {};
        if (body.name !== shown.name) change.name = body.name;
        if (body.description !== shown.description) change.description = body.description;
        if (body.timezone !== shown.timezone) change.timezone = body.timezone;
        if (Object.keys(change).length === 0) return onDone(shown);
        const saved = await version.save((etag) => updateSite(api, site.id, change, etag));
        if (saved) onDone(saved);
        else setBusy(false);
      } else {
        onDone(await createSite(api, body));
      }
    } catch (error) {
      setProblem(`Cannot save the site: ${reason(error)}`);
      setBusy(false);
    }
  };

  return (
    <form className="admin-form" aria-label={title} onSubmit={submit}>
      <h2>{title}</h2>
      {version.ready ? (
        <>
          <label>
            Name
            <input value={name} maxLength={200} required onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            Description
            <textarea value={description} maxLength={2000} rows={2} onChange={(e) => setDescription(e.target.value)} />
          </label>
          <label>
            Time zone
            {zones ? (
              <select value={timezone} onChange={(e) => setTimezone(e.target.value)}>
                {!zones.includes(timezone) && <option value={timezone}>{timezone}</option>}
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
            ) : (
              <input value={timezone} maxLength={64} required placeholder="Europe/Berlin" onChange={(e) => setTimezone(e.target.value)} />
            )}
          </label>
        </>
      ) : (
        !version.error && <p className="muted">Loading…</p>
      )}
      <LoadFailed what="the site" error={version.error} onRetry={version.reload} />
      {version.stale && <Changed onReload={version.reload}>Someone else changed this site since you opened it.</Changed>}
      <Problem>{problem}</Problem>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy || !version.ready}>
          {site ? "Save site" : "Create site"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
