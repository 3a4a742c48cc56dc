// The licence (super-admins): whether one is in force, for whom, until
// when, the cameras it allows against those configured, its features and
// this installation's id; and installing a new one.

import { useCallback, useState } from "react";

import { useApp } from "../app/context";
import { Notice, LoadFailed } from "../components/Feedback";
import { getLicense } from "./api";
import { LicenceUpload } from "./LicenceUpload";
import type { LicenseView } from "./types";
import { useLoad } from "./useLoad";
import { when } from "./words";

const STATUS: Record<string, string> = {
  unlicensed: "No licence installed: the free tier applies",
  valid: "Valid",
  grace: "Expired, in its grace period: renew it now",
  expired: "Expired: the free tier applies",
  invalid: "Invalid: the free tier applies",
};

const DAY = 86_400_000;

/// "in 12 days", "3 days ago", "today".
function daysFrom(text: string, now: number): string {
  const days = Math.round((Date.parse(text) - now) / DAY);
  if (days === 0) return "today";
  return days > 0 ? `in ${days} day${days === 1 ? "" : "s"}` : `${-days} day${days === -1 ? "" : "s"} ago`;
}

export function LicenceSection() {
  const { api } = useApp();
  const licence = useLoad(useCallback(() => getLicense(api), [api]));
  const [notice, setNotice] = useState<string | null>(null);
  const now = Date.now();

  const installed = (next: LicenseView) => {
    licence.set(next);
    setNotice(`Licence installed${next.customer ? ` for ${next.customer}` : ""}.`);
  };

  const l = licence.value;
  const full = l ? l.cameras_in_use >= l.max_cameras : false;
  return (
    <section className="admin-section" aria-label="Licence">
      <div className="section-bar">
        <h2>Licence</h2>
      </div>
      <Notice>{notice}</Notice>
      <LoadFailed what="the licence" error={licence.error} onRetry={licence.reload} />
      {licence.loading && !l && <p className="muted">Loading…</p>}
      {l && (
        <dl className="facts" aria-label="Licence in force">
          <div>
            <dt>Status</dt>
            <dd className={l.status === "valid" ? "ok" : "bad"}>{STATUS[l.status] ?? l.status}</dd>
          </div>
          {l.message && (
            <div>
              <dt>Note</dt>
              <dd>{l.message}</dd>
            </div>
          )}
          <div>
            <dt>Licensee</dt>
            <dd>{l.customer ?? "—"}</dd>
          </div>
          <div>
            <dt>Cameras</dt>
            <dd>
              <meter min={0} max={Math.max(l.max_cameras, 1)} high={Math.max(l.max_cameras, 1) * 0.9} value={l.cameras_in_use} />{" "}
              <span className={full ? "bad" : undefined}>
                {l.cameras_in_use} of {l.max_cameras} in use, across every tenant{full ? ": no more can be added" : ""}
              </span>
            </dd>
          </div>
          <div>
            <dt>Expires</dt>
            <dd>{l.expires_at ? `${when(l.expires_at)} (${daysFrom(l.expires_at, now)})` : l.license_id ? "never" : "—"}</dd>
          </div>
          <div>
            <dt>Features</dt>
            <dd>{l.features.length > 0 ? l.features.join(", ") : "none"}</dd>
          </div>
          {l.license_id && (
            <div>
              <dt>Licence id</dt>
              <dd>
                <code>{l.license_id}</code>
              </dd>
            </div>
          )}
          <div>
            <dt>Installation id</dt>
            <dd>
              <code>{l.installation_id}</code> <span className="muted">(a licence may be bound to it)</span>
            </dd>
          </div>
        </dl>
      )}
      <LicenceUpload onDone={installed} />
    </section>
  );
}
