// A camera's analytics settings as the editor holds them: numbers and label
// lists as the text typed, shapes as drawn; and back to the API's settings
// once they pass the checks worth making before the server makes them all
// again (`vms_base::analytics::CameraAnalytics::validate`).

import type { StreamRole } from "../api/types";
import type { AnalyticsSettings } from "./api";
import { MAX_NAME, MAX_POINTS, MAX_SHAPES, MIN_AREA, MIN_LINE_LENGTH, type Point, distance, polygonArea, repeatedName, selfCrossing } from "./shapes";

export type ShapeKind = "zone" | "line" | "mask";

/// One shape of the draft: its kind and its place among those of its kind
/// (the index the server's messages name, `zones[2]`).
export interface ShapeRef {
  kind: ShapeKind;
  index: number;
}

export interface ZoneDraft {
  name: string;
  points: Point[];
  /// Comma-separated, as typed.
  labels: string;
  /// Seconds, as typed; empty for no loitering.
  loiter: string;
}

export interface LineDraft {
  name: string;
  a: Point;
  b: Point;
  /// Comma-separated, as typed.
  labels: string;
}

/// The form's state. Empty texts stand for the plane's defaults.
export interface AnalyticsDraft {
  enabled: boolean;
  /// Empty for the default stream (sub, else main).
  stream: StreamRole | "";
  fps: string;
  labels: string;
  minScore: string;
  /// Percent of the picture.
  minArea: string;
  maxArea: string;
  sensitivity: string;
  masks: Point[][];
  zones: ZoneDraft[];
  lines: LineDraft[];
}

/// What `settingsOf` makes of a draft: the settings to send, or why not
/// (and the shape at fault, if one is).
export type Checked = { settings: AnalyticsSettings } | { problem: string; shape?: ShapeRef };

const MAX_LABELS = 80;
const MAX_LOITER_SECS = 86_400;
const MAX_FPS = 30;

/// " person, car ,," → ["person", "car"].
export function labelsOf(text: string): string[] {
  return text
    .split(",")
    .map((l) => l.trim())
    .filter(Boolean);
}

/// 0.001 → "0.1" (percent, without float noise); none → "".
function percentText(share: number | null | undefined): string {
  return share == null ? "" : String(Number((share * 100).toFixed(4)));
}

function text(value: number | null | undefined): string {
  return value == null ? "" : String(value);
}

/// The API's `[x, y]` (a list of numbers to the document) as a point.
function pointOf(xy: number[]): Point {
  return [xy[0], xy[1]];
}

export function draftOf(s: AnalyticsSettings): AnalyticsDraft {
  return {
    enabled: s.enabled ?? true,
    stream: s.stream === "main" || s.stream === "sub" ? s.stream : "",
    fps: text(s.fps),
    labels: (s.labels ?? []).join(", "),
    minScore: text(s.min_score),
    minArea: percentText(s.min_area),
    maxArea: percentText(s.max_area),
    sensitivity: text(s.motion_sensitivity),
    masks: (s.masks ?? []).map((mask) => mask.map(pointOf)),
    zones: (s.zones ?? []).map((z) => ({ name: z.name, points: z.points.map(pointOf), labels: (z.labels ?? []).join(", "), loiter: text(z.loiter_secs) })),
    lines: (s.lines ?? []).map((l) => ({ name: l.name, a: pointOf(l.a), b: pointOf(l.b), labels: (l.labels ?? []).join(", ") })),
  };
}

/// "Zone “Door”", "Line 2" (a shape without a name yet), "Mask 1": how
/// messages and the list name a shape.
export function shapeTitle(draft: AnalyticsDraft, { kind, index }: ShapeRef): string {
  if (kind === "mask") return `Mask ${index + 1}`;
  const word = kind === "zone" ? "Zone" : "Line";
  const name = (kind === "zone" ? draft.zones[index]?.name : draft.lines[index]?.name)?.trim();
  return name ? `${word} “${name}”` : `${word} ${index + 1}`;
}

/// The shape a server message names by its field (`zones[0].points: …`), if any.
export function shapeOfField(message: string): ShapeRef | undefined {
  const m = /\b(zones|lines|masks)\[(\d+)\]/.exec(message);
  if (!m) return undefined;
  return { kind: m[1].slice(0, -1) as ShapeKind, index: Number(m[2]) };
}

/// `text` as a number from `min` to `max` (a whole one if `whole`); null
/// when empty; undefined when it is not such a number.
function numberIn(text: string, min: number, max: number, whole = false): number | null | undefined {
  if (text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= min && n <= max && (!whole || Number.isInteger(n)) ? n : undefined;
}

/// Why `labels` would be refused, or null.
function labelsProblem(labels: string[]): string | null {
  if (labels.length > MAX_LABELS) return `at most ${MAX_LABELS} labels`;
  if (labels.some((l) => [...l].length > MAX_NAME)) return `each label is at most ${MAX_NAME} characters`;
  return null;
}

/// Why a polygon would be refused, in words, or null.
function polygonProblem(points: Point[]): string | null {
  if (points.length < 3) return "needs at least 3 corners";
  if (points.length > MAX_POINTS) return `has more than ${MAX_POINTS} corners`;
  // Before the area: a symmetric bow tie's halves cancel out, and "crosses
  // itself" says what is wrong with it.
  const crossing = selfCrossing(points);
  if (crossing) return `crosses itself (its sides ${crossing[0] + 1} and ${crossing[1] + 1}): move its corners so no sides cross`;
  if (polygonArea(points) < MIN_AREA) return "must enclose an area: its corners are (almost) on one line";
  return null;
}

/// The settings a draft stands for, or the first reason the server would
/// refuse them, in the operator's words.
export function settingsOf(draft: AnalyticsDraft): Checked {
  const fps = numberIn(draft.fps, 1, MAX_FPS, true);
  if (fps === undefined) return { problem: `Pictures a second is a whole number from 1 to ${MAX_FPS}, or empty for the default.` };
  const labels = labelsOf(draft.labels);
  const labelProblem = labelsProblem(labels);
  if (labelProblem) return { problem: `Objects that count: ${labelProblem}.` };
  const minScore = numberIn(draft.minScore, 0.05, 0.99);
  if (minScore === undefined) return { problem: "The minimum score is from 0.05 to 0.99, or empty for the default." };
  const minArea = numberIn(draft.minArea, 0, 100);
  const maxArea = numberIn(draft.maxArea, 0, 100);
  if (minArea === undefined || maxArea === undefined) return { problem: "The smallest and largest object are 0 to 100% of the picture, or empty for any." };
  if (minArea !== null && maxArea !== null && minArea > maxArea) return { problem: "The smallest object must not be larger than the largest." };
  const sensitivity = numberIn(draft.sensitivity, 1, 100, true);
  if (sensitivity === undefined) return { problem: "Motion sensitivity is a whole number from 1 to 100, or empty for 50." };

  for (const [kind, count] of [
    ["zones", draft.zones.length],
    ["lines", draft.lines.length],
    ["masks", draft.masks.length],
  ] as const) {
    if (count > MAX_SHAPES) return { problem: `A camera has at most ${MAX_SHAPES} ${kind}.` };
  }
  const title = (shape: ShapeRef) => shapeTitle(draft, shape);
  for (const [index, mask] of draft.masks.entries()) {
    const problem = polygonProblem(mask);
    if (problem) return { problem: `${title({ kind: "mask", index })} ${problem}.`, shape: { kind: "mask", index } };
  }
  const named: ShapeRef[] = [
    ...draft.zones.map((_, index) => ({ kind: "zone" as const, index })),
    ...draft.lines.map((_, index) => ({ kind: "line" as const, index })),
  ];
  const names = [...draft.zones.map((z) => z.name), ...draft.lines.map((l) => l.name)];
  for (const [at, shape] of named.entries()) {
    const length = [...names[at].trim()].length;
    if (length === 0 || length > MAX_NAME) return { problem: `${title(shape)} needs a name of 1 to ${MAX_NAME} characters.`, shape };
  }
  const twin = repeatedName(names);
  if (twin >= 0) return { problem: `Two zones or lines are called “${names[twin].trim()}”: give each its own name.`, shape: named[twin] };
  for (const [index, zone] of draft.zones.entries()) {
    const shape = { kind: "zone" as const, index };
    const problem = polygonProblem(zone.points);
    if (problem) return { problem: `${title(shape)} ${problem}.`, shape };
    const labelProblem = labelsProblem(labelsOf(zone.labels));
    if (labelProblem) return { problem: `${title(shape)}: ${labelProblem}.`, shape };
    if (numberIn(zone.loiter, 1, MAX_LOITER_SECS, true) === undefined)
      return { problem: `${title(shape)}: loitering takes a whole number of seconds from 1 to ${MAX_LOITER_SECS}, or empty for none.`, shape };
  }
  for (const [index, line] of draft.lines.entries()) {
    const shape = { kind: "line" as const, index };
    if (distance(line.a, line.b) < MIN_LINE_LENGTH) return { problem: `${title(shape)} is too short: move its ends apart.`, shape };
    const problem = labelsProblem(labelsOf(line.labels));
    if (problem) return { problem: `${title(shape)}: ${problem}.`, shape };
  }

  const settings: AnalyticsSettings = {
    enabled: draft.enabled,
    labels,
    masks: draft.masks,
    zones: draft.zones.map((z) => {
      const loiter = numberIn(z.loiter, 1, MAX_LOITER_SECS, true);
      return { name: z.name.trim(), points: z.points, labels: labelsOf(z.labels), ...(loiter != null && { loiter_secs: loiter }) };
    }),
    lines: draft.lines.map((l) => ({ name: l.name.trim(), a: l.a, b: l.b, labels: labelsOf(l.labels) })),
  };
  if (draft.stream) settings.stream = draft.stream;
  if (fps !== null) settings.fps = fps;
  if (minScore !== null) settings.min_score = minScore;
  if (minArea !== null) settings.min_area = minArea / 100;
  if (maxArea !== null) settings.max_area = maxArea / 100;
  if (sensitivity !== null) settings.motion_sensitivity = sensitivity;
  return { settings };
}
