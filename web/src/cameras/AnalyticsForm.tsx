// A camera's analytics settings: how it is analysed (AnalyticsFields) and
// the zones, lines and masks drawn on its current picture (ShapeCanvas,
// ShapeList). Loads them, checks what is cheap to check before the server
// does, and saves them whole. Whoever lacks `camera.manage` on the camera
// sees them read-only. Saved only over the version shown: if someone else
// changed them meanwhile, the form says so and keeps the drawing until the
// user reloads.

import { useCallback, useState } from "react";

import type { StreamRole } from "../api/types";
import { useApp } from "../app/context";
import { Permission, holdsOnCamera } from "../app/permissions";
import { Changed, LoadFailed, Problem } from "../components/Feedback";
import { useVersion } from "../components/useVersion";
import { AnalyticsFields } from "./AnalyticsFields";
import { type AnalyticsDraft, type ShapeKind, type ShapeRef, draftOf, settingsOf, shapeOfField } from "./analyticsDraft";
import { type AnalyticsSettings, type CameraDetail, analyticsSettings, saveAnalyticsSettings } from "./api";
import { ShapeCanvas } from "./ShapeCanvas";
import { ShapeList } from "./ShapeList";
import { type Point, freshName } from "./shapes";
import { useSnapshot } from "./useSnapshot";

export interface AnalyticsFormProps {
  camera: Pick<CameraDetail, "id" | "site_id" | "name" | "streams">;
  onDone: (settings: AnalyticsSettings) => void;
  onCancel: () => void;
}

/// The stream the draft has analysed: the one it names, else the sub stream if the camera has one.
function analysedRole(draft: AnalyticsDraft, camera: AnalyticsFormProps["camera"]): StreamRole {
  const has = (role: StreamRole) => camera.streams.some((s) => s.role === role);
  // As the server picks: the stream asked for if the camera has it, else the sub stream, else the main one.
  if (draft.stream && has(draft.stream)) return draft.stream;
  return has("sub") ? "sub" : "main";
}

/// `draft` with `shape` removed.
function without(draft: AnalyticsDraft, { kind, index }: ShapeRef): AnalyticsDraft {
  const drop = <T,>(list: T[]) => list.filter((_, i) => i !== index);
  if (kind === "zone") return { ...draft, zones: drop(draft.zones) };
  if (kind === "line") return { ...draft, lines: drop(draft.lines) };
  return { ...draft, masks: drop(draft.masks) };
}

/// `draft` with corner `corner` of `shape` at `to` (a line's corners are `a`, then `b`).
function moved(draft: AnalyticsDraft, { kind, index }: ShapeRef, corner: number, to: Point): AnalyticsDraft {
  const at = (points: Point[]) => points.map((p, i) => (i === corner ? to : p));
  if (kind === "zone") return { ...draft, zones: draft.zones.map((z, i) => (i === index ? { ...z, points: at(z.points) } : z)) };
  if (kind === "mask") return { ...draft, masks: draft.masks.map((m, i) => (i === index ? at(m) : m)) };
  return { ...draft, lines: draft.lines.map((l, i) => (i === index ? { ...l, ...(corner === 0 ? { a: to } : { b: to }) } : l)) };
}

export function AnalyticsForm({ camera, onDone, onCancel }: AnalyticsFormProps) {
  const { api, me } = useApp();
  const editable = holdsOnCamera(me, Permission.ManageCameras, camera);
  const [draft, setDraft] = useState<AnalyticsDraft | null>(null);
  const [selected, setSelected] = useState<ShapeRef | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const picture = useSnapshot(camera.id, draft && analysedRole(draft, camera));
  const version = useVersion(
    useCallback(() => analyticsSettings(api, camera.id), [api, camera.id]),
    (s) => {
      setDraft(draftOf(s));
      setSelected(null);
    },
  );

  const change = (patch: Partial<AnalyticsDraft>) => setDraft((d) => d && { ...d, ...patch });

  const add = (kind: ShapeKind, points: Point[]) => {
    if (!draft) return;
    const names = [...draft.zones.map((z) => z.name), ...draft.lines.map((l) => l.name)];
    if (kind === "zone") change({ zones: [...draft.zones, { name: freshName("Zone", names), points, labels: "", loiter: "" }] });
    if (kind === "line") change({ lines: [...draft.lines, { name: freshName("Line", names), a: points[0], b: points[1], labels: "" }] });
    if (kind === "mask") change({ masks: [...draft.masks, points] });
    const count = { zone: draft.zones.length, line: draft.lines.length, mask: draft.masks.length }[kind];
    setSelected({ kind, index: count });
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!draft || !editable) return;
    const checked = settingsOf(draft);
    if ("problem" in checked) {
      setProblem(checked.problem);
      if (checked.shape) setSelected(checked.shape);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const saved = await version.save((etag) => saveAnalyticsSettings(api, camera.id, checked.settings, etag));
      if (saved) onDone(saved);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      setProblem(`Cannot save the analytics settings: ${message}`);
      const shape = shapeOfField(message);
      if (shape) setSelected(shape);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="bookmark-form analytics-form" aria-label={`Analytics of ${camera.name}`} onSubmit={submit}>
      <h2>Analytics of {camera.name}</h2>
      {!editable && <p className="hint">Shown read-only: changing them needs the right to manage this camera.</p>}
      {draft && (
        <>
          <AnalyticsFields draft={draft} onChange={change} readOnly={!editable} />
          <div className="analytics-shapes">
            <ShapeCanvas
              cameraName={camera.name}
              shapes={draft}
              picture={picture}
              selected={selected}
              editable={editable}
              onSelect={setSelected}
              onAdd={add}
              onMove={(shape, corner, to) => setDraft((d) => d && moved(d, shape, corner, to))}
            />
            <ShapeList
              draft={draft}
              selected={selected}
              editable={editable}
              onSelect={setSelected}
              onZone={(index, patch) => change({ zones: draft.zones.map((z, i) => (i === index ? { ...z, ...patch } : z)) })}
              onLine={(index, patch) => change({ lines: draft.lines.map((l, i) => (i === index ? { ...l, ...patch } : l)) })}
              onDelete={(shape) => {
                setSelected(null);
                setDraft(without(draft, shape));
              }}
            />
          </div>
        </>
      )}
      {!draft && !version.error && <p className="muted">Loading…</p>}
      <LoadFailed what="the analytics settings" error={version.error} onRetry={version.reload} />
      {version.stale && (
        <Changed onReload={version.reload}>Someone else changed the analytics settings of this camera since you opened them.</Changed>
      )}
      <Problem>{problem}</Problem>
      <div className="buttons">
        {editable && (
          <button type="submit" className="primary" disabled={busy || draft === null}>
            Save
          </button>
        )}
        <button type="button" onClick={onCancel}>
          {editable ? "Cancel" : "Close"}
        </button>
      </div>
    </form>
  );
}
