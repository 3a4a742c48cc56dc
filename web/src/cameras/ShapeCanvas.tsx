// The camera's picture with its zones, lines and masks over it, and the
// tools that draw them: "Add zone" or "Add mask" then a click per corner (a
// click on the first corner, a double click, Enter or "Finish" closes the
// polygon), "Add line" then two clicks, from A to B; Escape cancels. The
// selected shape's corners can be dragged. Drawing is pointer-only; the
// list beside it does the rest from a keyboard.

import { useEffect, useId, useRef, useState } from "react";

import type { AnalyticsDraft, ShapeKind, ShapeRef } from "./analyticsDraft";
import { DrawingLayer, ShapeLabels, ShapeLayer } from "./ShapeLayer";
import { MAX_POINTS, MAX_SHAPES, MIN_LINE_LENGTH, type Point, distance, pixelDistance, pointIn } from "./shapes";
import type { Snapshot } from "./useSnapshot";

/// How near (pixels) a click must be to the first corner to close the polygon.
const CLOSE_PX = 10;
/// A click this near (pixels) the last corner adds none: the second click of a double click.
const REPEAT_PX = 4;
/// Until the picture says otherwise.
const DEFAULT_ASPECT = 16 / 9;

const TOOLS: [ShapeKind, string][] = [
  ["zone", "Add zone"],
  ["line", "Add line"],
  ["mask", "Add mask"],
];

export interface ShapeCanvasProps {
  cameraName: string;
  shapes: Pick<AnalyticsDraft, "zones" | "lines" | "masks">;
  picture: Snapshot;
  selected: ShapeRef | null;
  /// Whether shapes may be drawn and moved (`camera.manage` on the camera).
  editable: boolean;
  onSelect: (shape: ShapeRef) => void;
  /// A shape drawn: a polygon's corners, or a line's `a` and `b`.
  onAdd: (kind: ShapeKind, points: Point[]) => void;
  /// A corner of `shape` dragged to `to` (a line's corners are `a`, then `b`).
  onMove: (shape: ShapeRef, corner: number, to: Point) => void;
}

/// What to do next, in words, while drawing.
function hint(tool: ShapeKind, clicked: number): string {
  if (tool === "line")
    return clicked === 0
      ? "Click where the line starts (A)."
      : "Click where it ends (B). Crossings are named as seen standing on A looking at B. Escape cancels.";
  return `Click the corners of the ${tool} (${clicked} so far); click the first corner again, double-click or press Enter to close it. Escape cancels.`;
}

export function ShapeCanvas({ cameraName, shapes, picture, selected, editable, onSelect, onAdd, onMove }: ShapeCanvasProps) {
  const svg = useRef<SVGSVGElement>(null);
  const hatch = `hatch-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const [aspect, setAspect] = useState(DEFAULT_ASPECT);
  const [tool, setTool] = useState<ShapeKind | null>(null);
  const [pending, setPending] = useState<Point[]>([]);
  const [pointer, setPointer] = useState<Point | null>(null);
  /// The corner being dragged.
  const dragging = useRef<{ shape: ShapeRef; corner: number } | null>(null);

  const stop = () => {
    setTool(null);
    setPending([]);
    setPointer(null);
  };
  /// Adds the shape drawn if it has corners enough; otherwise drawing goes on.
  const finish = (points: Point[]) => {
    if (!tool || points.length < (tool === "line" ? 2 : 3)) return;
    onAdd(tool, points);
    stop();
  };
  const rect = () => svg.current!.getBoundingClientRect();

  // Subscribed afresh after every render while drawing, so the keys act on
  // the corners clicked so far.
  useEffect(() => {
    if (!tool) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        stop();
      } else if (e.key === "Enter" && tool !== "line" && !(e.target instanceof HTMLButtonElement)) {
        // Enter closes the polygon rather than sending the form.
        e.preventDefault();
        finish(pending);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const click = (e: React.MouseEvent) => {
    if (!tool) return;
    const box = rect();
    const at = pointIn(e.clientX, e.clientY, box);
    const last = pending.at(-1);
    if (last && pixelDistance(at, last, box.width, box.height) < REPEAT_PX) return;
    if (tool === "line") {
      if (pending.length === 0) setPending([at]);
      else if (distance(pending[0], at) >= MIN_LINE_LENGTH) finish([pending[0], at]);
      return;
    }
    if (pending.length >= 3 && pixelDistance(at, pending[0], box.width, box.height) <= CLOSE_PX) return finish(pending);
    if (pending.length < MAX_POINTS) setPending([...pending, at]);
  };

  const move = (e: React.PointerEvent) => {
    if (dragging.current) onMove(dragging.current.shape, dragging.current.corner, pointIn(e.clientX, e.clientY, rect()));
    else if (tool && pending.length > 0) setPointer(pointIn(e.clientX, e.clientY, rect()));
  };

  const grab = (corner: number, e: React.PointerEvent) => {
    if (!selected) return;
    e.preventDefault();
    e.stopPropagation();
    dragging.current = { shape: selected, corner };
    svg.current?.setPointerCapture?.(e.pointerId);
  };
  const release = () => (dragging.current = null);

  const counts: Record<ShapeKind, number> = { zone: shapes.zones.length, line: shapes.lines.length, mask: shapes.masks.length };

  return (
    <div className="shape-canvas">
      {editable && (
        <div className="tools" role="toolbar" aria-label="Drawing tools">
          {TOOLS.map(([kind, label]) => (
            <button
              key={kind}
              type="button"
              aria-pressed={tool === kind}
              disabled={tool !== kind && counts[kind] >= MAX_SHAPES}
              onClick={() => {
                stop();
                if (tool !== kind) setTool(kind);
              }}
            >
              {label}
            </button>
          ))}
          {tool && tool !== "line" && (
            <button type="button" disabled={pending.length < 3} onClick={() => finish(pending)}>
              Finish
            </button>
          )}
          {tool && (
            <button type="button" onClick={stop}>
              Cancel drawing
            </button>
          )}
        </div>
      )}
      {editable && (
        <p className="hint" aria-live="polite">
          {tool ? hint(tool, pending.length) : "Choose a shape in the list to rename it, or drag its corners on the picture."}
        </p>
      )}
      <div className="picture" style={{ aspectRatio: String(aspect) }}>
        {picture.url ? (
          <img
            src={picture.url}
            alt={`Current picture of ${cameraName}`}
            onLoad={(e) => {
              const { naturalWidth: w, naturalHeight: h } = e.currentTarget;
              if (w > 0 && h > 0) setAspect(w / h);
            }}
          />
        ) : (
          <p className="no-picture">{picture.failed ? `The picture is unavailable (${picture.failed}); shapes can still be drawn.` : "Loading the picture…"}</p>
        )}
        <svg
          ref={svg}
          viewBox="0 0 1 1"
          preserveAspectRatio="none"
          role="img"
          aria-label={tool ? `Picture of ${cameraName}: click to draw the ${tool}` : `Zones, lines and masks of ${cameraName}`}
          className={tool ? "drawing" : undefined}
          onClick={click}
          onDoubleClick={() => tool !== "line" && finish(pending)}
          onPointerMove={move}
          onPointerUp={release}
          onPointerCancel={release}
        >
          <ShapeLayer
            shapes={shapes}
            selected={tool ? null : selected}
            aspect={aspect}
            hatch={hatch}
            onSelect={tool ? undefined : onSelect}
            onGrab={editable && !tool ? grab : undefined}
          />
          {tool && <DrawingLayer kind={tool} points={pending} pointer={pointer} aspect={aspect} />}
        </svg>
        <ShapeLabels shapes={shapes} aspect={aspect} />
      </div>
    </div>
  );
}
