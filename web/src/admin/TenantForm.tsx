// Writing a tenant (super-admins): its name and camera quota; a new one
// may come with its first administrator, an existing one's events are kept
// for a number of days. An edit sends only what changed.

import { useId, useState } from "react";

import { useApp } from "../app/context";
import { Problem } from "../components/Feedback";
import { createTenant, updateTenant } from "./api";
import type { CreateTenant, TenantView, UpdateTenant } from "./types";
import { PASSWORD_RULE, reason } from "./words";

export interface TenantFormProps {
  /// The tenant to change; absent for a new one.
  tenant?: TenantView;
  onDone: (tenant: TenantView) => void;
  onCancel: () => void;
}

/// A whole number from `text` within `min`–`max`, null when empty, or NaN when not one.
function whole(text: string, min: number, max: number): number | null {
  if (!text.trim()) return null;
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : NaN;
}

export function TenantForm({ tenant, onDone, onCancel }: TenantFormProps) {
  const { api } = useApp();
  const hint = useId();
  const [name, setName] = useState(tenant?.name ?? "");
  const [quota, setQuota] = useState(tenant?.camera_quota == null ? "" : String(tenant.camera_quota));
  const [retention, setRetention] = useState(tenant ? String(tenant.event_retention_days) : "");
  const [adminName, setAdminName] = useState("");
  const [adminPassword, setAdminPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const title = tenant ? `Edit tenant ${tenant.name}` : "New tenant";

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setProblem("Give the tenant a name.");
    const cameras = whole(quota, 0, 2 ** 31 - 1);
    if (Number.isNaN(cameras)) return setProblem("The camera quota must be a whole number, or empty for the licence's limit.");
    setBusy(true);
    setProblem(null);
    try {
      if (tenant) {
        const days = whole(retention, 1, 3650);
        if (days === null || Number.isNaN(days)) {
          setBusy(false);
          return setProblem("Events must be kept 1 to 3650 days.");
        }
        const change: UpdateTenant = {};
        if (name.trim() !== tenant.name) change.name = name.trim();
        if (cameras !== (tenant.camera_quota ?? null)) change.camera_quota = cameras;
        if (days !== tenant.event_retention_days) change.event_retention_days = days;
        onDone(Object.keys(change).length > 0 ? await updateTenant(api, tenant.id, change) : tenant);
      } else {
        const body: CreateTenant = { name: name.trim() };
        if (cameras !== null) body.camera_quota = cameras;
        if (adminName.trim() || adminPassword) {
          if (!adminName.trim() || !adminPassword) {
            setBusy(false);
            return setProblem("Give the first administrator both a login name and a password, or neither.");
          }
          if (adminPassword !== repeat) {
            setBusy(false);
            return setProblem("The two passwords differ.");
          }
          body.admin = { username: adminName.trim(), password: adminPassword };
        }
        onDone(await createTenant(api, body));
      }
    } catch (error) {
      setProblem(`Cannot save the tenant: ${reason(error)}`);
      setBusy(false);
    }
  };

  return (
    <form className="admin-form" aria-label={title} onSubmit={submit}>
      <h2>{title}</h2>
      <label>
        Name
        <input value={name} maxLength={200} required onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Camera quota
        <input
          type="number"
          min={0}
          step={1}
          value={quota}
          placeholder="the licence's limit"
          aria-describedby={`${hint}-quota`}
          onChange={(e) => setQuota(e.target.value)}
        />
      </label>
      <span className="hint" id={`${hint}-quota`}>
        Most cameras the tenant may have; empty leaves only the licence's limit.
      </span>
      {tenant && (
        <label>
          Keep events (days)
          <input type="number" min={1} max={3650} step={1} required value={retention} onChange={(e) => setRetention(e.target.value)} />
        </label>
      )}
      {!tenant && (
        <fieldset>
          <legend>First administrator (optional)</legend>
          <label>
            Administrator login name
            <input value={adminName} maxLength={100} autoComplete="off" onChange={(e) => setAdminName(e.target.value)} />
          </label>
          <label>
            Administrator password
            <input
              type="password"
              value={adminPassword}
              autoComplete="new-password"
              aria-describedby={`${hint}-password`}
              onChange={(e) => setAdminPassword(e.target.value)}
            />
          </label>
          <span className="hint" id={`${hint}-password`}>
            {PASSWORD_RULE}
          </span>
          <label>
            Repeat the administrator password
            <input type="password" value={repeat} autoComplete="new-password" onChange={(e) => setRepeat(e.target.value)} />
          </label>
        </fieldset>
      )}
      <Problem>{problem}</Problem>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {tenant ? "Save tenant" : "Create tenant"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
