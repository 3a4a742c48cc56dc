// The export screen: pick a camera, a stream and a window (at most 24 h;
// playback hands over its camera and moment in the address), optionally a
// burnt-in watermark, and follow each export to its MP4, its signed
// manifest and their verification.

import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";

import type { Camera, StreamRole } from "../api/types";
import { useApp } from "../app/context";
import { Permission, holdsOnCamera } from "../app/permissions";
import { Problem } from "../components/Feedback";
import { parseWhen, toPickerValue } from "../playback/when";
import { ExportRow } from "./ExportRow";
import { type StartedExport, forget, remember, remembered } from "./jobs";

/// The longest window one export covers (the server's limit).
const MAX_WINDOW_MS = 24 * 3_600_000;

/// The address that opens the form for `camera` over `start`–`end`.
export function exportAddress(camera: string, start: number, end: number): string {
  const query = new URLSearchParams({ camera, start: new Date(start).toISOString(), end: new Date(end).toISOString() });
  return `/export?${query}`;
}

export function ExportScreen() {
  const { api, me } = useApp();
  const [params] = useSearchParams();
  const now = useMemo(() => Date.now(), []);
  const asked = useMemo(() => {
    const when = (key: string) => {
      const text = params.get(key);
      return text ? parseWhen(text, now) : null;
    };
    return { camera: params.get("camera") ?? "", start: when("start"), end: when("end") };
  }, [params, now]);
  const [cameras, setCameras] = useState<Camera[]>([]);
  const [camera, setCamera] = useState(asked.camera);
  const [stream, setStream] = useState<StreamRole>("main");
  const [start, setStart] = useState(toPickerValue(asked.start ?? now - 5 * 60_000));
  const [end, setEnd] = useState(toPickerValue(asked.end ?? now - 60_000));
  const [watermark, setWatermark] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [jobs, setJobs] = useState<StartedExport[]>(() => remembered(me.id));

  useEffect(() => {
    api.cameras().then(
      (list) => setCameras(list.filter((c) => holdsOnCamera(me, Permission.Export, c))),
      () => setCameras([]),
    );
  }, [api, me]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const from = new Date(start).getTime();
    const to = new Date(end).getTime();
    if (!camera) return setProblem("Pick a camera.");
    if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return setProblem("The end must come after the start.");
    if (to - from > MAX_WINDOW_MS) return setProblem("One export covers at most 24 hours.");
    setBusy(true);
    setProblem(null);
    try {
      const body = { camera_id: camera, stream, start: new Date(from).toISOString(), end: new Date(to).toISOString(), watermark };
      const job = await api.createExport(body);
      const name = cameras.find((c) => c.id === camera)?.name ?? `Camera ${camera.slice(0, 8)}`;
      setJobs(remember(me.id, { id: job.id, camera_id: camera, camera_name: name, stream, start: body.start, end: body.end, watermark }));
    } catch (error) {
      setProblem(`Cannot export: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="export-screen" aria-label="Export">
      <header className="bar">
        <h1>Export</h1>
      </header>
      <form className="bookmark-form" aria-label="New export" onSubmit={submit}>
        <label>
          Camera
          <select value={camera} onChange={(e) => setCamera(e.target.value)}>
            <option value="">Pick a camera</option>
            {cameras.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
            {camera && !cameras.some((c) => c.id === camera) && <option value={camera}>Camera {camera.slice(0, 8)}</option>}
          </select>
        </label>
        <label>
          Stream
          <select value={stream} onChange={(e) => setStream(e.target.value as StreamRole)}>
            <option value="main">Main (full resolution)</option>
            <option value="sub">Sub</option>
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" step="1" value={start} onChange={(e) => setStart(e.target.value)} />
        </label>
        <label>
          To
          <input type="datetime-local" step="1" value={end} onChange={(e) => setEnd(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={watermark} onChange={(e) => setWatermark(e.target.checked)} />
          Watermark: burn my name, the time and the camera into every picture (re-encodes; slower)
        </label>
        <Problem>{problem}</Problem>
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            Export
          </button>
        </div>
      </form>
      <ol className="event-list" aria-label="Exports">
        {jobs.map((job) => (
          <ExportRow key={job.id} started={job} onForget={() => setJobs(forget(me.id, job.id))} />
        ))}
      </ol>
      {jobs.length === 0 && <p className="empty">Exports you start appear here until they expire.</p>}
    </section>
  );
}
