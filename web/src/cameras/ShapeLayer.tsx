// How the zones, lines and masks look over a camera's picture. The SVG is
// stretched to the picture (viewBox 0 0 1 1, preserveAspectRatio none), so
// strokes do not scale, and corners are ellipses as much narrower as the
// picture is wide, which the stretch makes round. Text would stretch too,
// so names and the "A", "B", "L", "R" marks of lines are HTML laid over it
// instead (`ShapeLabels`).

import { Fragment } from "react";

import type { AnalyticsDraft, ShapeKind, ShapeRef } from "./analyticsDraft";
import { type Point, centreOf, directionMarks } from "./shapes";

type Shapes = Pick<AnalyticsDraft, "zones" | "lines" | "masks">;

const pointsAttr = (points: Point[]) => points.map((p) => p.join(",")).join(" ");
const same = (a: ShapeRef | null, b: ShapeRef) => a !== null && a.kind === b.kind && a.index === b.index;

/// The corners of a shape, in order (a line's are `a` then `b`).
export function cornersOf(shapes: Shapes, { kind, index }: ShapeRef): Point[] {
  if (kind === "zone") return shapes.zones[index]?.points ?? [];
  if (kind === "mask") return shapes.masks[index] ?? [];
  const line = shapes.lines[index];
  return line ? [line.a, line.b] : [];
}

/// A corner's radius, as a share of the picture's height.
const DOT = 0.014;

/// A corner, drawn as a dot that is round on a picture `aspect` (width ÷ height) wide.
function Dot({ at, aspect, size = DOT, ...rest }: { at: Point; aspect: number; size?: number } & React.SVGProps<SVGEllipseElement>) {
  return <ellipse cx={at[0]} cy={at[1]} rx={size / aspect} ry={size} vectorEffect="non-scaling-stroke" {...rest} />;
}

export interface ShapeLayerProps {
  shapes: Shapes;
  selected: ShapeRef | null;
  /// The picture's width ÷ height, for the arrowheads.
  aspect: number;
  /// The id of the mask hatching pattern, unique in the page.
  hatch: string;
  /// Selects a shape clicked on; absent while drawing.
  onSelect?: (shape: ShapeRef) => void;
  /// Starts dragging a corner of the selected shape; absent when it cannot be changed.
  onGrab?: (corner: number, e: React.PointerEvent) => void;
}

/// The saved shapes, the selected one highlighted with its corners to drag.
export function ShapeLayer({ shapes, selected, aspect, hatch, onSelect, onGrab }: ShapeLayerProps) {
  const handlers = (shape: ShapeRef) =>
    onSelect && {
      onClick: (e: React.MouseEvent) => {
        e.stopPropagation();
        onSelect(shape);
      },
    };
  const classOf = (kind: ShapeKind, index: number) => `${kind}${same(selected, { kind, index }) ? " selected" : ""}`;
  return (
    <>
      <defs>
        <pattern id={hatch} patternUnits="userSpaceOnUse" width="0.02" height="0.02" patternTransform="rotate(45)">
          <rect width="0.008" height="0.02" className="hatch" />
        </pattern>
      </defs>
      {shapes.masks.map((points, index) => (
        <g key={`m${index}`} className={classOf("mask", index)} data-shape={`mask-${index}`} {...handlers({ kind: "mask", index })}>
          <polygon points={pointsAttr(points)} className="mask-shade" vectorEffect="non-scaling-stroke" />
          <polygon points={pointsAttr(points)} fill={`url(#${hatch})`} vectorEffect="non-scaling-stroke" />
        </g>
      ))}
      {shapes.zones.map((zone, index) => (
        <polygon
          key={`z${index}`}
          points={pointsAttr(zone.points)}
          className={classOf("zone", index)}
          data-shape={`zone-${index}`}
          vectorEffect="non-scaling-stroke"
          {...handlers({ kind: "zone", index })}
        />
      ))}
      {shapes.lines.map((line, index) => (
        <g key={`l${index}`} className={classOf("line", index)} data-shape={`line-${index}`} {...handlers({ kind: "line", index })}>
          {/* A wide invisible stroke, so a thin line is easy to click. */}
          <line x1={line.a[0]} y1={line.a[1]} x2={line.b[0]} y2={line.b[1]} className="hit" vectorEffect="non-scaling-stroke" />
          <line x1={line.a[0]} y1={line.a[1]} x2={line.b[0]} y2={line.b[1]} className="stroke" vectorEffect="non-scaling-stroke" />
          <polygon points={pointsAttr(directionMarks(line.a, line.b, aspect).arrow)} className="arrow" />
        </g>
      ))}
      {selected &&
        cornersOf(shapes, selected).map((at, corner) => (
          <Dot
            key={`c${corner}`}
            at={at}
            aspect={aspect}
            className={onGrab ? "corner grab" : "corner"}
            data-corner={corner}
            onPointerDown={onGrab && ((e: React.PointerEvent) => onGrab(corner, e))}
          />
        ))}
    </>
  );
}

/// A shape being drawn: the corners clicked so far, the edge to the
/// pointer, and the first corner ringed once a click on it would close it.
export function DrawingLayer({ kind, points, pointer, aspect }: { kind: ShapeKind; points: Point[]; pointer: Point | null; aspect: number }) {
  const path = pointer ? [...points, pointer] : points;
  return (
    <g className={`drawing ${kind}`}>
      {path.length > 1 && <polyline points={pointsAttr(path)} vectorEffect="non-scaling-stroke" />}
      {points.map((at, i) => {
        const closes = i === 0 && kind !== "line" && points.length >= 3;
        return <Dot key={i} at={at} aspect={aspect} size={closes ? DOT * 1.6 : DOT} className={closes ? "corner first" : "corner"} />;
      })}
    </g>
  );
}

/// Where a text goes, in percent of the picture.
const place = ([x, y]: Point) => ({ left: `${x * 100}%`, top: `${y * 100}%` });

/// The names of zones, lines and masks over the picture, and each line's
/// ends ("A", "B") and sides ("L", "R": a `left_to_right` crossing goes
/// from L to R). Hidden from screen readers: the list says the same.
export function ShapeLabels({ shapes, aspect }: { shapes: Shapes; aspect: number }) {
  return (
    <div className="shape-labels" aria-hidden="true">
      {shapes.masks.map((points, i) => (
        <span key={`m${i}`} className="label mask" style={place(centreOf(points))}>
          Mask {i + 1}
        </span>
      ))}
      {shapes.zones.map((zone, i) => (
        <span key={`z${i}`} className="label zone" style={place(centreOf(zone.points))}>
          {zone.name}
        </span>
      ))}
      {shapes.lines.map((line, i) => {
        const marks = directionMarks(line.a, line.b, aspect);
        const quarter: Point = [line.a[0] * 0.75 + line.b[0] * 0.25, line.a[1] * 0.75 + line.b[1] * 0.25];
        return (
          <Fragment key={`l${i}`}>
            <span className="label line" style={place(quarter)}>
              {line.name}
            </span>
            <span className="end" style={place(line.a)}>
              A
            </span>
            <span className="end" style={place(line.b)}>
              B
            </span>
            <span className="side" style={place(marks.left)}>
              L
            </span>
            <span className="side" style={place(marks.right)}>
              R
            </span>
          </Fragment>
        );
      })}
    </div>
  );
}
