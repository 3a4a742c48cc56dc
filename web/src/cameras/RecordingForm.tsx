// A camera's recording settings: always, on a weekly schedule (in its
// site's time zone) or around events, the event buffers, and how long its
// footage is kept. Saved only over the version shown: if someone else
// changed them meanwhile, the form says so and keeps the draft until the
// user reloads.

import { useCallback, useState } from "react";

import { useApp } from "../app/context";
import { Changed, LoadFailed, Problem } from "../components/Feedback";
import { useVersion } from "../components/useVersion";
import { type RecordingMode, type RecordingSettings, recordingSettings, saveRecordingSettings } from "./api";
import { ScheduleEditor } from "./ScheduleEditor";
import { type Grid, gridOf, onHalfHours, rangesOf } from "./schedule";

export interface RecordingFormProps {
  camera: { id: string; name: string };
  /// The time zone the schedule is in (the camera's site's).
  timezone: string;
  onDone: (settings: RecordingSettings) => void;
  onCancel: () => void;
}

/// "30" → 30; "" → null (no limit); anything else → undefined (not a number of days).
export function daysOf(text: string): number | null | undefined {
  if (text.trim() === "") return null;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 36_500 ? n : undefined;
}

export function RecordingForm({ camera, timezone, onDone, onCancel }: RecordingFormProps) {
  const { api } = useApp();
  const [mode, setMode] = useState<RecordingMode>("continuous");
  const [grid, setGrid] = useState<Grid>(() => gridOf([]));
  /// Whether the schedule was changed here: if not, the one loaded is sent
  /// back as it was (times between half hours, set through the API, stay).
  const [edited, setEdited] = useState(false);
  const [pre, setPre] = useState("5");
  const [post, setPost] = useState("10");
  const [retention, setRetention] = useState("");
  const [eventRetention, setEventRetention] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const version = useVersion(
    useCallback(() => recordingSettings(api, camera.id), [api, camera.id]),
    (s) => {
      setMode(s.mode ?? "continuous");
      setGrid(gridOf(s.schedule ?? []));
      setEdited(false);
      setPre(String(s.pre_buffer_secs ?? 5));
      setPost(String(s.post_buffer_secs ?? 10));
      setRetention(s.retention_days == null ? "" : String(s.retention_days));
      setEventRetention(s.event_retention_days == null ? "" : String(s.event_retention_days));
    },
  );
  /// The settings as stored, whose schedule is sent back unless edited.
  const loaded = version.shown;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const schedule = edited || !loaded ? rangesOf(grid) : (loaded.schedule ?? []);
    const days = daysOf(retention);
    const eventDays = daysOf(eventRetention);
    const preSecs = Number(pre);
    const postSecs = Number(post);
    if (mode === "scheduled" && schedule.length === 0) return setProblem("Mark the times to record on the schedule.");
    if (!Number.isInteger(preSecs) || preSecs < 0 || preSecs > 30) return setProblem("The time before an event is 0 to 30 seconds.");
    if (!Number.isInteger(postSecs) || postSecs < 0 || postSecs > 300) return setProblem("The time after an event is 0 to 300 seconds.");
    if (days === undefined || eventDays === undefined) return setProblem("Keep footage 1 to 36500 days, or leave it empty to keep it until the space is needed.");
    setBusy(true);
    setProblem(null);
    const body: RecordingSettings = {
      mode,
      schedule,
      pre_buffer_secs: preSecs,
      post_buffer_secs: postSecs,
      retention_days: days,
      event_retention_days: eventDays,
    };
    try {
      const saved = await version.save((etag) => saveRecordingSettings(api, camera.id, body, etag));
      if (saved) onDone(saved);
    } catch (error) {
      setProblem(`Cannot save the recording settings: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="bookmark-form recording-form" aria-label={`Recording of ${camera.name}`} onSubmit={submit}>
      <h2>Recording of {camera.name}</h2>
      <fieldset>
        <legend>When</legend>
        {(
          [
            ["continuous", "Always"],
            ["scheduled", `On a weekly schedule (${timezone} time)`],
            ["event", "Around events only"],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="check">
            <input type="radio" name="mode" value={value} checked={mode === value} onChange={() => setMode(value)} />
            {label}
          </label>
        ))}
      </fieldset>
      {mode === "scheduled" && loaded && !edited && !onHalfHours(loaded.schedule ?? []) && (
        <p className="hint" role="note">
          This schedule has times between half hours:{" "}
          {(loaded.schedule ?? []).map((r) => `${r.days.join(", ")} ${r.start}–${r.end}`).join("; ")}. It is kept as it is unless you change it here,
          which sets it to the half hours shown.
        </p>
      )}
      {mode === "scheduled" && (
        <ScheduleEditor
          grid={grid}
          onChange={(next) => {
            setEdited(true);
            setGrid(next);
          }}
        />
      )}
      <label>
        Seconds kept before an event (0–30)
        <input type="number" min={0} max={30} value={pre} onChange={(e) => setPre(e.target.value)} />
      </label>
      <label>
        Seconds recorded after an event (0–300)
        <input type="number" min={0} max={300} value={post} onChange={(e) => setPost(e.target.value)} />
      </label>
      <label>
        Keep footage for days (empty: until the space is needed)
        <input type="number" min={1} max={36500} value={retention} onChange={(e) => setRetention(e.target.value)} />
      </label>
      <label>
        Keep event footage for days (empty: as above)
        <input type="number" min={1} max={36500} value={eventRetention} onChange={(e) => setEventRetention(e.target.value)} />
      </label>
      <LoadFailed what="the recording settings" error={version.error} onRetry={version.reload} />
      {version.stale && (
        <Changed onReload={version.reload}>Someone else changed the recording settings of this camera since you opened them.</Changed>
      )}
      <Problem>{problem}</Problem>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy || loaded === null}>
          Save
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
