// The geometry of the zones, lines and masks drawn on a camera's picture,
// in the picture's normalised coordinates (0–1 from its top left, y
// downwards), with the rules the server checks
// (`vms_base::analytics::CameraAnalytics::validate`): polygons that enclose
// an area without crossing themselves, names unique across zones and lines.

/// A point `[x, y]`, each 0–1 from the top left of the picture.
export type Point = [number, number];

/// The box an element takes on the screen, as `getBoundingClientRect` gives it.
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/// Most corners of one polygon (`MAX_POINTS`).
export const MAX_POINTS = 64;
/// Most zones, lines or masks of one camera (`MAX_SHAPES`).
export const MAX_SHAPES = 32;
/// The longest name of a zone or line, or of a label (`MAX_NAME`).
export const MAX_NAME = 64;
/// The smallest area a polygon must enclose, as a share of the picture.
export const MIN_AREA = 1e-4;
/// How far apart a line's ends must be, as a share of the picture.
export const MIN_LINE_LENGTH = 0.01;

/// The point under the pointer at (`clientX`, `clientY`) in `rect`, 0–1
/// from its top left, clamped onto it and rounded to 1/10,000 (finer than
/// any stream's pixels, and short in JSON). An empty rect gives the top left.
export function pointIn(clientX: number, clientY: number, rect: Rect): Point {
  const along = (offset: number, size: number) => (size > 0 ? Math.round(Math.min(1, Math.max(0, offset / size)) * 10_000) / 10_000 : 0);
  return [along(clientX - rect.left, rect.width), along(clientY - rect.top, rect.height)];
}

/// The straight distance between two points, as a share of the picture's sides.
export function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/// The distance between two points in pixels, on a picture `width` × `height` pixels.
export function pixelDistance(a: Point, b: Point, width: number, height: number): number {
  return Math.hypot((a[0] - b[0]) * width, (a[1] - b[1]) * height);
}

/// Which side of the line through `a` and `b` the point `p` is on: positive
/// on the right as seen standing on `a` looking at `b` (y grows downwards),
/// negative on the left, zero on it. The server's `side`, to the sign.
export function side(a: Point, b: Point, p: Point): number {
  return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
}

/// Whether the segments `p`–`q` and `r`–`s` cross or touch.
export function segmentsCross(p: Point, q: Point, r: Point, s: Point): boolean {
  const [d1, d2, d3, d4] = [side(r, s, p), side(r, s, q), side(p, q, r), side(p, q, s)];
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  const within = (a: Point, b: Point, c: Point) =>
    c[0] >= Math.min(a[0], b[0]) && c[0] <= Math.max(a[0], b[0]) && c[1] >= Math.min(a[1], b[1]) && c[1] <= Math.max(a[1], b[1]);
  return (d1 === 0 && within(r, s, p)) || (d2 === 0 && within(r, s, q)) || (d3 === 0 && within(p, q, r)) || (d4 === 0 && within(p, q, s));
}

/// The area a polygon encloses (shoelace), as a share of the picture.
export function polygonArea(points: Point[]): number {
  let twice = 0;
  points.forEach((p, i) => {
    const q = points[(i + 1) % points.length];
    twice += p[0] * q[1] - q[0] * p[1];
  });
  return Math.abs(twice) / 2;
}

/// The first two edges of a closed polygon that cross or touch, `[i, j]`
/// (edge `i` runs from corner `i` to the next; the last joins the first),
/// or null when it does not cross itself. Neighbouring edges share a corner,
/// which is no crossing.
export function selfCrossing(points: Point[]): [number, number] | null {
  const n = points.length;
  for (let i = 0; i < n; i += 1) {
    for (let j = i + 2; j < n; j += 1) {
      if (i === 0 && j === n - 1) continue;
      if (segmentsCross(points[i], points[(i + 1) % n], points[j], points[(j + 1) % n])) return [i, j];
    }
  }
  return null;
}

/// A name as the server compares them: trimmed, case ignored.
export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

/// The index of the first name that repeats an earlier one (trimmed, case
/// ignored), or -1 when all differ.
export function repeatedName(names: string[]): number {
  const seen = new Set<string>();
  return names.findIndex((name) => {
    const key = nameKey(name);
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  });
}

/// `"<prefix> <n>"` with the smallest n from 1 that no name in `taken` has.
export function freshName(prefix: string, taken: string[]): string {
  const keys = new Set(taken.map(nameKey));
  let n = 1;
  while (keys.has(nameKey(`${prefix} ${n}`))) n += 1;
  return `${prefix} ${n}`;
}

/// The average of the corners: where a polygon's name is written.
export function centreOf(points: Point[]): Point {
  if (points.length === 0) return [0.5, 0.5];
  const sum = points.reduce<Point>((acc, p) => [acc[0] + p[0], acc[1] + p[1]], [0, 0]);
  return [sum[0] / points.length, sum[1] / points.length];
}

/// What shows a line's direction on a picture `aspect` (width ÷ height)
/// wide: an arrowhead at its middle pointing from `a` to `b`, and where the
/// "L" and "R" marks go, the sides that `left_to_right` and `right_to_left`
/// crossings are named after. Sizes are shares of the picture's height,
/// worked out on the screen's proportions so the arrow is not skewed.
export function directionMarks(a: Point, b: Point, aspect: number): { arrow: Point[]; left: Point; right: Point } {
  // On screen proportions: x in picture heights.
  const [ax, ay, bx, by] = [a[0] * aspect, a[1], b[0] * aspect, b[1]];
  const length = Math.hypot(bx - ax, by - ay) || 1;
  const [ux, uy] = [(bx - ax) / length, (by - ay) / length];
  // The right hand, standing on a looking at b, with y downwards.
  const [rx, ry] = [-uy, ux];
  const [mx, my] = [(ax + bx) / 2, (ay + by) / 2];
  const size = 0.025;
  const back = (x: number, y: number): Point => [x / aspect, y];
  return {
    arrow: [
      back(mx + ux * size, my + uy * size),
      back(mx - ux * size + rx * size * 0.8, my - uy * size + ry * size * 0.8),
      back(mx - ux * size - rx * size * 0.8, my - uy * size - ry * size * 0.8),
    ],
    left: back(mx - rx * 0.06, my - ry * 0.06),
    right: back(mx + rx * 0.06, my + ry * 0.06),
  };
}
