// How a camera is analysed, apart from what is drawn on its picture:
// whether at all, which stream and how often, which objects count, how sure
// and how large they must be, and how faint a motion counts. Empty fields
// keep the analytics plane's defaults.

import type { AnalyticsDraft } from "./analyticsDraft";

export interface AnalyticsFieldsProps {
  draft: AnalyticsDraft;
  onChange: (patch: Partial<AnalyticsDraft>) => void;
  /// Shown, not editable (no `camera.manage` on the camera).
  readOnly: boolean;
}

export function AnalyticsFields({ draft, onChange, readOnly }: AnalyticsFieldsProps) {
  const text = (field: "fps" | "labels" | "minScore" | "minArea" | "maxArea" | "sensitivity") => ({
    value: draft[field],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => onChange({ [field]: e.target.value }),
  });
  return (
    <fieldset className="analytics-fields" disabled={readOnly}>
      <legend>Analysis</legend>
      <label className="check">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => onChange({ enabled: e.target.checked })} />
        Analyse this camera
      </label>
      <label>
        Stream analysed
        <select value={draft.stream} onChange={(e) => onChange({ stream: e.target.value as AnalyticsDraft["stream"] })}>
          <option value="">Default (the sub stream, else the main one)</option>
          <option value="sub">Sub stream</option>
          <option value="main">Main stream</option>
        </select>
      </label>
      <label>
        Pictures analysed a second (1–30; empty: the default)
        <input type="number" min={1} max={30} {...text("fps")} />
      </label>
      <label>
        Objects that count (comma-separated; empty: all)
        <input placeholder="person, car" {...text("labels")} />
      </label>
      <label>
        Minimum score (0.05–1; empty: the default)
        <input type="number" min={0.05} max={1} step={0.05} {...text("minScore")} />
      </label>
      <label>
        Smallest object, % of the picture (empty: any)
        <input type="number" min={0} max={100} step="any" {...text("minArea")} />
      </label>
      <label>
        Largest object, % of the picture (empty: any)
        <input type="number" min={0} max={100} step="any" {...text("maxArea")} />
      </label>
      <label>
        Motion sensitivity (1–100; empty: 50)
        <input type="number" min={1} max={100} {...text("sensitivity")} />
      </label>
    </fieldset>
  );
}
