// Adding or changing a camera: name, site, description, enabled, and its
// main and sub streams (RTSP URL, transport, credentials). Credentials are
// write-only: a stream that has them says so, and they are kept unless new
// ones are typed or "forget" is ticked. An edit opens on the camera as
// stored now and saves only over that version: if someone else changed it
// meanwhile, the form says so and keeps the draft until the user reloads.

import { useEffect, useMemo, useState } from "react";

import type { Site } from "../api/types";
import { useApp } from "../app/context";
import { Changed, LoadFailed, Problem } from "../components/Feedback";
import { useVersion } from "../components/useVersion";
import { type CameraDetail, type CameraInput, type StreamInput, type Transport, cameraDetail, createCamera, updateCamera } from "./api";

interface StreamDraft {
  url: string;
  transport: Transport;
  username: string;
  password: string;
  forget: boolean;
  /// Whether the server holds credentials for it now.
  stored: boolean;
}

function draftOf(camera: CameraDetail | null, role: "main" | "sub"): StreamDraft {
  const s = camera?.streams.find((x) => x.role === role);
  return { url: s?.url ?? "", transport: s?.transport ?? "tcp", username: "", password: "", forget: false, stored: s?.has_credentials ?? false };
}

/// The streams to send: those with a URL; credentials only when typed.
export function streamsOf(drafts: Record<"main" | "sub", StreamDraft>): StreamInput[] {
  return (["main", "sub"] as const)
    .filter((role) => drafts[role].url.trim() !== "")
    .map((role) => {
      const d = drafts[role];
      const stream: StreamInput = { role, url: d.url.trim(), transport: d.transport };
      if (d.username.trim()) {
        stream.username = d.username.trim();
        stream.password = d.password;
      } else if (d.forget) {
        stream.clear_credentials = true;
      }
      return stream;
    });
}

export interface CameraFormProps {
  /// The camera to change, as listed (the form loads it as stored now), or null for a new one.
  camera: CameraDetail | null;
  sites: Site[];
  onDone: (camera: CameraDetail) => void;
  onCancel: () => void;
}

export function CameraForm({ camera, sites, onDone, onCancel }: CameraFormProps) {
  const { api } = useApp();
  const [name, setName] = useState(camera?.name ?? "");
  const [site, setSite] = useState(camera?.site_id ?? sites[0]?.id ?? "");
  const [description, setDescription] = useState(camera?.description ?? "");
  const [enabled, setEnabled] = useState(camera?.enabled ?? true);
  const [streams, setStreams] = useState({ main: draftOf(camera, "main"), sub: draftOf(camera, "sub") });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const id = camera?.id;
  const version = useVersion(
    useMemo(() => (id ? () => cameraDetail(api, id) : null), [api, id]),
    (stored) => {
      setName(stored.name);
      setSite(stored.site_id);
      setDescription(stored.description);
      setEnabled(stored.enabled);
      setStreams({ main: draftOf(stored, "main"), sub: draftOf(stored, "sub") });
    },
  );
  // The sites may come after the form opens: a new camera goes to the first.
  useEffect(() => {
    if (!site && sites.length > 0) setSite(sites[0].id);
  }, [site, sites]);

  const edit = (role: "main" | "sub", field: keyof StreamDraft, value: string | boolean) =>
    setStreams((s) => ({ ...s, [role]: { ...s[role], [field]: value } }));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setProblem("Give the camera a name.");
    if (!site) return setProblem("Pick a site (an administrator adds sites under Admin).");
    if (!streams.main.url.trim()) return setProblem("The main stream needs its RTSP address (rtsp://…).");
    for (const role of ["main", "sub"] as const) {
      if (streams[role].password && !streams[role].username.trim()) {
        return setProblem(`Give the ${role} stream's user name with its password (credentials are replaced together).`);
      }
    }
    const body: CameraInput = { name: name.trim(), site_id: site, description, enabled, streams: streamsOf(streams) };
    setBusy(true);
    setProblem(null);
    try {
      if (!camera) {
        onDone(await createCamera(api, body));
      } else {
        const saved = await version.save((etag) => updateCamera(api, camera.id, body, etag));
        if (saved) onDone(saved);
      }
    } catch (error) {
      setProblem(`Cannot save the camera: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="bookmark-form camera-form" aria-label={camera ? `Edit ${camera.name}` : "New camera"} onSubmit={submit}>
      <h2>{camera ? `Edit ${camera.name}` : "Add a camera"}</h2>
      {version.ready ? (
        <>
          <label>
            Name
            <input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            Site
            <select value={site} onChange={(e) => setSite(e.target.value)}>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Description
            <textarea value={description} rows={2} onChange={(e) => setDescription(e.target.value)} />
          </label>
          <label className="check">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
            Enabled (watched, recorded and analysed)
          </label>
          {(["main", "sub"] as const).map((role) => {
            const d = streams[role];
            return (
              <fieldset key={role} className="stream">
                <legend>{role === "main" ? "Main stream (full resolution, recorded)" : "Sub stream (optional: grids and analytics)"}</legend>
                <label>
                  {role === "main" ? "Main" : "Sub"} RTSP address
                  <input value={d.url} placeholder="rtsp://192.0.2.10:554/stream1" onChange={(e) => edit(role, "url", e.target.value)} />
                </label>
                <label>
                  {role === "main" ? "Main" : "Sub"} transport
                  <select value={d.transport} onChange={(e) => edit(role, "transport", e.target.value)}>
                    <option value="tcp">TCP (interleaved; works through firewalls)</option>
                    <option value="udp">UDP</option>
                  </select>
                </label>
                <label>
                  {role === "main" ? "Main" : "Sub"} user name
                  <input value={d.username} autoComplete="off" placeholder={d.stored ? "stored; type to replace" : ""} onChange={(e) => edit(role, "username", e.target.value)} />
                </label>
                <label>
                  {role === "main" ? "Main" : "Sub"} password
                  <input type="password" value={d.password} autoComplete="new-password" onChange={(e) => edit(role, "password", e.target.value)} />
                </label>
                {d.stored && (
                  <label className="check">
                    <input type="checkbox" checked={d.forget} onChange={(e) => edit(role, "forget", e.target.checked)} />
                    Forget the stored credentials
                  </label>
                )}
              </fieldset>
            );
          })}
        </>
      ) : (
        !version.error && <p className="muted">Loading…</p>
      )}
      <LoadFailed what="the camera" error={version.error} onRetry={version.reload} />
      {version.stale && <Changed onReload={version.reload}>Someone else changed this camera since you opened it.</Changed>}
      <Problem>{problem}</Problem>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy || !version.ready}>
          {camera ? "Save" : "Add camera"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
