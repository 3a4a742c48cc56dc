// The cameras screen: every camera with its site, streams and live state;
// add one by its RTSP address or by discovery (an ONVIF device found on
// the network, or named by its address), make cameras of an NVR's channels,
// change or delete it, set how it is recorded and how it is analysed (the
// zones and lines drawn on its picture). The address names what is open
// (`?new=1`, `?discover=1` with its `scan=<id>`, `?nvrs=1` with the `nvr=<id>`
// whose channels show, `?edit=<id>`, `?recording=<id>`, `?analytics=<id>`),
// so a reload keeps the form.

import { useCallback, useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";

import type { Site } from "../api/types";
import { useApp } from "../app/context";
import { Permission, holdsOnSomeSite } from "../app/permissions";
import { Notice, Problem } from "../components/Feedback";
import { AnalyticsForm } from "./AnalyticsForm";
import { type AnalyticsSettings, type CameraDetail, cameraList, deleteCamera } from "./api";
import { CameraForm } from "./CameraForm";
import { DiscoveryPanel } from "./DiscoveryPanel";
import { NvrPanel } from "./NvrPanel";
import { RecordingForm } from "./RecordingForm";

/// "1 zone, 2 lines, 0 masks".
function shapeCount({ zones = [], lines = [], masks = [] }: AnalyticsSettings): string {
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  return [count(zones.length, "zone"), count(lines.length, "line"), count(masks.length, "mask")].join(", ");
}

export function CamerasScreen() {
  const { api, me } = useApp();
  const [params, setParams] = useSearchParams();
  const [cameras, setCameras] = useState<CameraDetail[] | null>(null);
  const [sites, setSites] = useState<Site[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = useCallback(() => {
    cameraList(api).then(
      (list) => {
        setCameras(list);
        setError(null);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [api]);
  useEffect(() => {
    reload();
    api.sites().then(setSites, () => setSites([]));
  }, [api, reload]);

  const siteName = useMemo(() => new Map(sites.map((s) => [s.id, s])), [sites]);
  const editing = cameras?.find((c) => c.id === params.get("edit")) ?? null;
  const recording = cameras?.find((c) => c.id === params.get("recording")) ?? null;
  const analysing = cameras?.find((c) => c.id === params.get("analytics")) ?? null;
  const adding = params.get("new") === "1";
  const discovering = params.get("discover") === "1";
  // NVRs belong to sites: a grant on single cameras is not enough.
  const mayNvrs = holdsOnSomeSite(me, Permission.ManageCameras);
  const showingNvrs = mayNvrs && params.get("nvrs") === "1";
  const cameraNames = useMemo(() => new Map((cameras ?? []).map((c) => [c.id, c.name])), [cameras]);
  const cameraSites = useMemo(() => new Map((cameras ?? []).map((c) => [c.id, c.site_id])), [cameras]);
  const close = () => setParams({}, { replace: true });

  const remove = async (camera: CameraDetail) => {
    if (!window.confirm(`Delete the camera "${camera.name}"? Its recordings stay playable until retention removes them.`)) return;
    try {
      await deleteCamera(api, camera.id);
      setNotice(`Camera “${camera.name}” deleted.`);
      reload();
    } catch (e) {
      setError(`Cannot delete “${camera.name}”: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <section className="cameras-screen" aria-label="Cameras">
      <header className="bar">
        <h1>Cameras</h1>
        {mayNvrs && !showingNvrs && (
          <button type="button" onClick={() => setParams({ nvrs: "1" })}>
            NVRs
          </button>
        )}
        {!discovering && (
          <button type="button" onClick={() => setParams({ discover: "1" })}>
            Add by discovery
          </button>
        )}
        {!adding && (
          <button type="button" className="primary" onClick={() => setParams({ new: "1" })}>
            Add camera
          </button>
        )}
      </header>
      {discovering && (
        <DiscoveryPanel
          scanId={params.get("scan")}
          onScan={(scan) => setParams({ discover: "1", scan }, { replace: true })}
          sites={sites}
          cameraNames={cameraNames}
          cameraSites={cameraSites}
          onAdded={reload}
          onClose={close}
        />
      )}
      {showingNvrs && (
        <NvrPanel
          open={params.get("nvr")}
          onOpen={(nvr) => setParams(nvr ? { nvrs: "1", nvr } : { nvrs: "1" }, { replace: true })}
          sites={sites}
          cameraNames={cameraNames}
          onChanged={reload}
          onClose={close}
        />
      )}
      {(adding || editing) && (
        <CameraForm
          key={editing?.id ?? "new"}
          camera={editing}
          sites={sites}
          onDone={(saved) => {
            setNotice(`Camera “${saved.name}” saved.`);
            close();
            reload();
          }}
          onCancel={close}
        />
      )}
      {recording && (
        <RecordingForm
          key={recording.id}
          camera={recording}
          timezone={siteName.get(recording.site_id)?.timezone ?? "the site's"}
          onDone={(settings) => {
            setNotice(`Recording of “${recording.name}”: ${settings.mode}.`);
            close();
          }}
          onCancel={close}
        />
      )}
      {analysing && (
        <AnalyticsForm
          key={analysing.id}
          camera={analysing}
          onDone={(settings) => {
            setNotice(`Analytics of “${analysing.name}” ${settings.enabled ? "saved" : "saved, turned off"}: ${shapeCount(settings)}.`);
            close();
          }}
          onCancel={close}
        />
      )}
      <Notice>{notice}</Notice>
      <Problem>{error}</Problem>
      <div className="panel">
        <table>
          <thead>
            <tr>
              <th>Camera</th>
              <th>Site</th>
              <th>Status</th>
              <th>Streams</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(cameras ?? []).map((c) => {
              const main = c.streams.find((s) => s.role === "main");
              const status = c.enabled ? (main?.state.status ?? "unknown") : "disabled";
              return (
                <tr key={c.id} data-camera={c.id}>
                  <td>
                    {c.name}
                    {c.description && <div className="muted">{c.description}</div>}
                  </td>
                  <td>{siteName.get(c.site_id)?.name ?? ""}</td>
                  <td>
                    <span className={`dot ${status}`} /> {status}
                    {main?.state.reason && <div className="muted">{[main.state.reason, main.state.detail].filter(Boolean).join(": ")}</div>}
                  </td>
                  <td>
                    {c.streams.map((s) => (
                      <div key={s.id} className="muted">
                        {s.role}: {s.url} ({s.transport}
                        {s.has_credentials ? ", with credentials" : ""})
                      </div>
                    ))}
                  </td>
                  <td className="actions">
                    <button type="button" onClick={() => setParams({ edit: c.id })}>
                      Edit
                    </button>
                    <button type="button" onClick={() => setParams({ recording: c.id })}>
                      Recording
                    </button>
                    <button type="button" onClick={() => setParams({ analytics: c.id })}>
                      Analytics
                    </button>
                    <button type="button" onClick={() => void remove(c)}>
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {cameras?.length === 0 && <p className="empty">No cameras yet: add one by its RTSP address, or by discovery.</p>}
        {cameras === null && !error && <p className="empty">Loading…</p>}
      </div>
    </section>
  );
}
