// The health screen: the watchdog's alerts, the planes and theirs, each recorder's storage
// roots (room, footage, evidence, how far back the archive reaches), and
// every camera's live state and recording, refreshed every few seconds
// without a reload.

import { useEffect, useState } from "react";

import { ApiError } from "../api/client";
import type { AlertView, Camera, ComponentView, PlaneView, StorageRootStatus, SystemReply, TenantSystemView } from "../api/types";
import { useApp } from "../app/context";
import { Permission, holds } from "../app/permissions";
import { formatWhen } from "../playback/when";
import { age, bytes, share } from "./format";

/// How often the screen asks again.
export const REFRESH_MS = 5000;
/// A camera whose footage ends longer ago than this is not recording now.
const RECORDING_GRACE_MS = 60_000;

interface Snapshot {
  system: SystemReply | null;
  /// The alerts raised now; null when they cannot be read.
  raised: AlertView[] | null;
  cameras: Camera[];
  /// Per camera: when its latest footage ends (epoch ms), from the last ten minutes.
  footage: Map<string, number>;
  at: number;
}

function full(plane: SystemReply["planes"][number]): plane is PlaneView {
  return "alerts" in plane;
}

/// A tenant administrator's view of the system (no node of its own), or null.
function tenantView(system: SystemReply | null | undefined): TenantSystemView | null {
  return system && !("node_id" in system) ? system : null;
}

/// A rule's name as people read it.
export function alertName(kind: AlertView["kind"]): string {
  const names: Record<AlertView["kind"], string> = {
    camera_offline: "Camera offline",
    no_footage: "Not recording",
    disk_free_low: "Disk nearly full",
    retention_short: "Retention shorter than asked",
    index_lag: "Recording index behind",
    plane_restarts: "Plane restarting",
    plane_hung: "Plane hung",
    analytics_behind: "Analytics behind",
    licence_expiring: "Licence expiring",
    audit_chain: "Audit trail tampered",
  };
  return names[kind] ?? kind;
}

export function HealthScreen() {
  const { api, me } = useApp();
  const [data, setData] = useState<Snapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const archive = holds(me, Permission.ViewArchive);

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      const now = Date.now();
      const [system, cameras, raised] = await Promise.allSettled([api.system(abort.signal), api.cameras(), api.alerts(abort.signal)]);
      const list = cameras.status === "fulfilled" ? cameras.value : [];
      const footage = new Map<string, number>();
      if (archive) {
        // The ranges API takes 64 cameras at a time.
        for (let i = 0; i < list.length; i += 64) {
          const ids = list.slice(i, i + 64).map((c) => c.id);
          const answer = await api.ranges(ids, "main", new Date(now - 600_000), new Date(now + 60_000), abort.signal).catch(() => null);
          answer?.cameras.forEach((c) => {
            const last = c.ranges.at(-1);
            if (last) footage.set(c.camera_id, Date.parse(last.end));
          });
        }
      }
      if (abort.signal.aborted) return;
      setData({
        system: system.status === "fulfilled" ? system.value : null,
        raised: raised.status === "fulfilled" ? raised.value : null,
        cameras: list,
        footage,
        at: now,
      });
      setError(system.status === "rejected" ? (system.reason instanceof Error ? system.reason.message : String(system.reason)) : null);
      if (system.status === "rejected" && system.reason instanceof ApiError && system.reason.status >= 400 && system.reason.status < 500 && system.reason.status !== 429) {
        refused = true;
      }
    };
    // Asks again after each answer (never two at once), and not while the
    // tab is hidden; a refusal (the login lost its rights) stops it.
    let refused = false;
    const cycle = (): Promise<void> => {
      if (document.hidden) {
        timer = setTimeout(cycle, REFRESH_MS);
        return Promise.resolve();
      }
      return load()
        .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
        .finally(() => {
          if (!abort.signal.aborted && !refused) timer = setTimeout(cycle, REFRESH_MS);
        });
    };
    void cycle();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [api, archive]);

  const planes = data?.system?.planes ?? [];
  const alerts = planes.flatMap((p) => (full(p) ? p.alerts.map((a) => ({ plane: p.plane, node: p.node_id, text: a })) : []));
  const down = planes.filter((p) => p.status !== "up");
  const raised = data?.raised ?? [];
  const unread = data !== null && data.raised === null;
  const names = new Map((data?.cameras ?? []).map((c) => [c.id, c.name]));
  const roots = planes.flatMap((p) => (full(p) ? (p.storage ?? []).map((r) => ({ node: p.node_id, root: r })) : []));
  // Per component: its readiness (a tenant administrator's view: a boolean).
  const readiness: Record<string, ComponentView | boolean> = data?.system?.components ?? {};
  const components = Object.entries(readiness);
  const tenant = tenantView(data?.system);

  return (
    <section className="health-screen" aria-label="Health">
      <header className="bar">
        <h1>Health</h1>
        <span className="updated" role="status">
          {data ? `Updated ${formatWhen(data.at)}` : "Loading…"}
        </span>
      </header>
      {error && (
        <p className="banner" role="alert">
          Cannot read the system's state: {error}
        </p>
      )}
      <section aria-label="Alerts" className="panel">
        <h2>Alerts</h2>
        {unread && <p className="bad">The alerts cannot be read now.</p>}
        {alerts.length === 0 && down.length === 0 && raised.length === 0 ? (
          unread ? null : (
            <p className="ok-line">No active alerts.</p>
          )
        ) : (
          <ul className="alerts">
            {raised.map((a) => (
              <li key={a.id} className={`alert-${a.severity}`}>
                <strong>
                  {a.severity === "critical" ? "Critical" : "Warning"} · {alertName(a.kind)}
                  {a.camera_id ? ` · ${names.get(a.camera_id) ?? a.camera_id}` : ""}:
                </strong>{" "}
                {a.message} <span className="since">(since {formatWhen(Date.parse(a.raised_at))})</span>
              </li>
            ))}
            {down.map((p) => (
              <li key={`down:${p.plane}`}>
                The {p.plane} plane is {p.status}.
              </li>
            ))}
            {alerts.map((a, i) => (
              <li key={i}>
                <strong>
                  {a.plane} on {a.node}:
                </strong>{" "}
                {a.text}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-label="Planes" className="panel">
        <h2>Planes and services</h2>
        <table>
          <thead>
            <tr>
              <th>Plane</th>
              <th>Status</th>
              <th>Node</th>
              <th>Version</th>
              <th>Up for</th>
              <th>Last report</th>
            </tr>
          </thead>
          <tbody>
            {planes.map((p, i) => (
              <tr key={`${p.plane}:${full(p) ? p.node_id : ""}:${i}`} data-plane={p.plane}>
                <td>{p.plane}</td>
                <td>
                  <span className={`dot ${p.status === "up" ? "online" : "offline"}`} /> {p.status}
                </td>
                <td>{full(p) ? p.node_id : ""}</td>
                <td>{full(p) ? (p.version ?? "") : ""}</td>
                <td>{full(p) && p.started_at && data ? age(Date.parse(p.started_at), data.at) : ""}</td>
                <td>{full(p) && p.last_report_secs != null ? `${p.last_report_secs.toFixed(1)} s ago` : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {tenant?.cameras && (
          <p className="components">
            Cameras: {tenant.cameras.configured}
            {tenant.cameras.quota != null ? ` of ${tenant.cameras.quota} allowed` : ""}
            {tenant.streams &&
              ` · streams: ${Object.entries(tenant.streams.by_status)
                .map(([status, n]) => `${n} ${status}`)
                .join(", ")}`}
          </p>
        )}
        {components.length > 0 && (
          <p className="components">
            {components.map(([name, state]) => {
              const ready = typeof state === "boolean" ? state : state.ready;
              return (
                <span key={name} title={typeof state === "boolean" ? undefined : (state.detail ?? undefined)}>
                  <span className={`dot ${ready ? "online" : "offline"}`} /> {name}
                </span>
              );
            })}
          </p>
        )}
      </section>
      {roots.length > 0 && data && (
        <section aria-label="Storage" className="panel">
          <h2>Storage</h2>
          <table>
            <thead>
              <tr>
                <th>Root</th>
                <th>Disk</th>
                <th>Footage</th>
                <th>Locked evidence</th>
                <th>Oldest footage</th>
              </tr>
            </thead>
            <tbody>
              {roots.map(({ node, root }) => (
                <RootRow key={`${node}:${root.path}`} node={node} root={root} now={data.at} />
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section aria-label="Cameras" className="panel">
        <h2>Cameras</h2>
        <table>
          <thead>
            <tr>
              <th>Camera</th>
              <th>Status</th>
              <th>Picture</th>
              <th>Frame rate</th>
              <th>Bit rate</th>
              <th>Last keyframe</th>
              {archive && <th>Recording</th>}
            </tr>
          </thead>
          <tbody>
            {(data?.cameras ?? []).map((c) => (
              <CameraRow key={c.id} camera={c} footage={data!.footage.get(c.id) ?? null} now={data!.at} archive={archive} />
            ))}
          </tbody>
        </table>
        {data && data.cameras.length === 0 && <p className="empty">No cameras to show.</p>}
      </section>
    </section>
  );
}

function RootRow({ node, root, now }: { node: string; root: StorageRootStatus; now: number }) {
  const used = root.total_bytes - root.free_bytes;
  const full = share(used, root.total_bytes);
  return (
    <tr data-root={root.path}>
      <td>
        {root.path}
        <div className="muted">{node}</div>
      </td>
      <td>
        {root.error ? (
          <span className="bad">{root.error}</span>
        ) : (
          <>
            <meter min={0} max={1} low={0.8} high={0.9} optimum={0} value={full} aria-label={`Disk ${Math.round(full * 100)} % full`} />{" "}
            {bytes(root.free_bytes)} free of {bytes(root.total_bytes)}
          </>
        )}
      </td>
      <td>
        {bytes(root.recorded_bytes)}
        {root.max_bytes ? ` of a ${bytes(root.max_bytes)} quota` : ""}
      </td>
      <td>{root.locked_bytes > 0 ? bytes(root.locked_bytes) : "none"}</td>
      <td>{root.oldest ? `${age(Date.parse(root.oldest), now)} back (${formatWhen(Date.parse(root.oldest))})` : "no footage"}</td>
    </tr>
  );
}

function CameraRow({ camera, footage, now, archive }: { camera: Camera; footage: number | null; now: number; archive: boolean }) {
  const main = camera.streams.find((s) => s.role === "main")?.state;
  const status = camera.enabled ? (main?.status ?? "unknown") : "disabled";
  const recording = footage !== null && now - footage < RECORDING_GRACE_MS;
  return (
    <tr data-camera={camera.id} data-status={status}>
      <td>{camera.name}</td>
      <td>
        <span className={`dot ${status}`} /> {status}
        {main?.reason && <div className="muted">{[main.reason, main.detail].filter(Boolean).join(": ")}</div>}
      </td>
      <td>{main?.width && main.height ? `${main.width}×${main.height} ${main.codec ?? ""}` : ""}</td>
      <td>{main?.fps ? `${main.fps.toFixed(1)} fps` : ""}</td>
      <td>{main?.bitrate_kbps ? `${(main.bitrate_kbps / 1000).toFixed(2)} Mbit/s` : ""}</td>
      <td>{main?.last_keyframe_at ? `${age(Date.parse(main.last_keyframe_at), now)} ago` : ""}</td>
      {archive && <td>{recording ? "recording" : footage !== null ? `stopped ${age(footage, now)} ago` : "nothing in 10 min"}</td>}
    </tr>
  );
}
