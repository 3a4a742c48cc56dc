// The selected zone, line or mask in words: its name, the objects that
// count in it, a zone's loitering time, a line's direction; editable for
// whoever may manage the camera, read-only for the others.

import type { AnalyticsDraft, LineDraft, ShapeRef, ZoneDraft } from "./analyticsDraft";
import { shapeTitle } from "./analyticsDraft";
import { MAX_NAME } from "./shapes";

export interface ShapeFieldsProps {
  draft: AnalyticsDraft;
  shape: ShapeRef;
  editable: boolean;
  onZone: (index: number, patch: Partial<ZoneDraft>) => void;
  onLine: (index: number, patch: Partial<LineDraft>) => void;
}

const LABELS_HINT = "Objects that count here (comma-separated; empty: all the camera counts)";

/// What a line's crossings are called, by the "A", "B", "L" and "R" marks on the picture.
function Direction() {
  return (
    <p className="muted">
      Crossings from the L side to the R side, seen standing on A looking at B, are reported as <code>left_to_right</code>; the other way as{" "}
      <code>right_to_left</code>.
    </p>
  );
}

export function ShapeFields({ draft, shape, editable, onZone, onLine }: ShapeFieldsProps) {
  const title = shapeTitle(draft, shape);
  const zone = shape.kind === "zone" ? draft.zones[shape.index] : undefined;
  const line = shape.kind === "line" ? draft.lines[shape.index] : undefined;
  const mask = shape.kind === "mask" ? draft.masks[shape.index] : undefined;

  if (mask) {
    return (
      <fieldset className="shape-fields">
        <legend>{title}</legend>
        <p className="muted">
          Motion inside is ignored. {mask.length} corners{editable ? ": drag them on the picture." : "."}
        </p>
      </fieldset>
    );
  }
  const named = zone ?? line;
  if (!named) return null;

  if (!editable) {
    return (
      <fieldset className="shape-fields">
        <legend>{title}</legend>
        <dl>
          <dt>Objects that count</dt>
          <dd>{named.labels.trim() || "All the camera counts"}</dd>
          {zone && (
            <>
              <dt>Loitering after</dt>
              <dd>{zone.loiter ? `${zone.loiter} s` : "Not watched"}</dd>
            </>
          )}
        </dl>
        {line && <Direction />}
      </fieldset>
    );
  }

  const rename = (name: string) => (zone ? onZone(shape.index, { name }) : onLine(shape.index, { name }));
  const relabel = (labels: string) => (zone ? onZone(shape.index, { labels }) : onLine(shape.index, { labels }));
  return (
    <fieldset className="shape-fields">
      <legend>{title}</legend>
      <label>
        Name
        <input value={named.name} maxLength={MAX_NAME} onChange={(e) => rename(e.target.value)} />
      </label>
      <label>
        {LABELS_HINT}
        <input value={named.labels} placeholder="person, car" onChange={(e) => relabel(e.target.value)} />
      </label>
      {zone && (
        <>
          <label>
            Loitering after seconds (empty: not watched)
            <input type="number" min={1} max={86_400} value={zone.loiter} onChange={(e) => onZone(shape.index, { loiter: e.target.value })} />
          </label>
          <p className="muted">{zone.points.length} corners: drag them on the picture.</p>
        </>
      )}
      {line && (
        <>
          <Direction />
          <button type="button" onClick={() => onLine(shape.index, { a: line.b, b: line.a })}>
            Swap A and B
          </button>
        </>
      )}
    </fieldset>
  );
}
