// The timeline's arithmetic: the visible window of time (from one minute to
// 30 days wide), mapping time to a position and back, zooming around a
// point, the ticks of the time axis, the recorded stretches as bars, and
// jumping over gaps. All times are epoch milliseconds.

import type { TimeRange } from "../api/types";

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/// The narrowest and the widest the timeline shows.
export const MIN_SPAN = MINUTE;
export const MAX_SPAN = 30 * DAY;

/// The steps of the zoom buttons, narrowest first.
export const ZOOM_LEVELS = [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 3 * DAY, 7 * DAY, 30 * DAY];

/// The visible window: from `start`, `span` wide.
export interface View {
  start: number;
  span: number;
}

/// A stretch with video, `end` exclusive.
export interface Range {
  start: number;
  end: number;
}

export function clampSpan(span: number): number {
  return Math.min(MAX_SPAN, Math.max(MIN_SPAN, span));
}

/// Where `t` falls across the view: 0 at its start, 1 at its end.
export function fractionOf(view: View, t: number): number {
  return (t - view.start) / view.span;
}

/// The time at `fraction` across the view.
export function timeAt(view: View, fraction: number): number {
  return view.start + fraction * view.span;
}

/// The pixel of `t` on a timeline `width` pixels wide.
export function timeToX(view: View, t: number, width: number): number {
  return fractionOf(view, t) * width;
}

/// The time at pixel `x` of a timeline `width` pixels wide.
export function xToTime(view: View, x: number, width: number): number {
  return timeAt(view, x / width);
}

/// Zooms by `factor` (below 1 zooms in) keeping the moment `at` where it is
/// on screen; the span stays between one minute and 30 days.
export function zoomAround(view: View, factor: number, at: number): View {
  const span = clampSpan(view.span * factor);
  const fraction = fractionOf(view, at);
  return { start: at - fraction * span, span };
}

/// The zoom factor of a wheel turn: smooth, a notch (100 px) about 16 %.
export function wheelFactor(deltaY: number, deltaMode = 0): number {
  const pixels = deltaMode === 1 ? deltaY * 40 : deltaMode === 2 ? deltaY * 800 : deltaY;
  return Math.exp(pixels * 0.0015);
}

/// The next zoom level in (`direction` -1) or out (+1) from the view's span.
export function stepSpan(span: number, direction: 1 | -1): number {
  if (direction < 0) return [...ZOOM_LEVELS].reverse().find((l) => l < span * 0.999) ?? MIN_SPAN;
  return ZOOM_LEVELS.find((l) => l > span * 1.001) ?? MAX_SPAN;
}

/// The view of `span` with `t` at its middle.
export function centredOn(t: number, span: number): View {
  const s = clampSpan(span);
  return { start: t - s / 2, span: s };
}

/// Moves the view by `fraction` of its width (positive: later).
export function pan(view: View, fraction: number): View {
  return { start: view.start + fraction * view.span, span: view.span };
}

/// A view that shows `t`: the same view when it does, otherwise one paged so
/// that `t` sits a tenth in from the edge it entered by.
export function keepInView(view: View, t: number): View {
  const end = view.start + view.span;
  if (t >= view.start && t <= end) return view;
  return t > end ? { start: t - 0.1 * view.span, span: view.span } : { start: t - 0.9 * view.span, span: view.span };
}

/// The API's ranges as epoch milliseconds, invalid ones dropped.
export function parseRanges(ranges: TimeRange[]): Range[] {
  return ranges
    .map((r) => ({ start: Date.parse(r.start), end: Date.parse(r.end) }))
    .filter((r) => Number.isFinite(r.start) && Number.isFinite(r.end) && r.end > r.start);
}

/// The stretches with video in any of `lists`, merged, oldest first.
export function union(...lists: Range[][]): Range[] {
  const all = lists.flat().sort((a, b) => a.start - b.start);
  const out: Range[] = [];
  for (const r of all) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/// The stretch that holds `t`, if any (ranges oldest first).
export function covering(ranges: Range[], t: number): Range | null {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid];
    if (t < r.start) hi = mid - 1;
    else if (t >= r.end) lo = mid + 1;
    else return r;
  }
  return null;
}

/// How long before the end of a stretch "previous gap" lands, so the last
/// moments before the recording stopped are seen.
export const GAP_LEAD = 5 * SECOND;

/// Jumps over the next gap after `t`: where the video resumes after it (the
/// start of the first stretch that starts after `t`); null when none.
export function nextGap(ranges: Range[], t: number): number | null {
  return ranges.find((r) => r.start > t)?.start ?? null;
}

/// Jumps back over the previous gap before `t`: to the last moments before
/// the video stopped (`GAP_LEAD` before the end of the last stretch that
/// ends before `t`, or its start when it is shorter); null when none.
export function previousGap(ranges: Range[], t: number): number | null {
  for (let i = ranges.length - 1; i >= 0; i--) {
    const r = ranges[i];
    // A stretch ending within a moment of `t` is the one playing now (or just ended): its gap is next, not previous.
    if (r.end < t - 1) return Math.max(r.start, r.end - GAP_LEAD);
  }
  return null;
}

/// Where to start when the address names no moment: a little before the end
/// of the latest recording, or `fallback` when nothing is recorded.
export function initialPosition(ranges: Range[], fallback: number, lead = 30 * SECOND): number {
  const last = ranges[ranges.length - 1];
  return last ? Math.max(last.start, last.end - lead) : fallback;
}

/// A bar of the timeline, as fractions of its width.
export interface Bar {
  left: number;
  width: number;
}

/// The stretches inside the view as bars, clipped to it; each at least
/// `minWidth` wide (a fraction) so that short recordings stay visible.
/// Bars closer than `joinBelow` (a fraction: a pixel, say) are drawn as one,
/// since no one could see the gap: 30 days of hourly gaps are 720 bars, and
/// each costs the browser as much as a visible one.
export function bars(ranges: Range[], view: View, minWidth = 0.002, joinBelow = 0): Bar[] {
  const end = view.start + view.span;
  const out: Bar[] = [];
  for (const r of ranges) {
    if (r.end <= view.start || r.start >= end) continue;
    const left = Math.max(0, fractionOf(view, r.start));
    const right = Math.min(1, fractionOf(view, r.end));
    const last = out[out.length - 1];
    if (last && left - (last.left + last.width) < joinBelow) {
      last.width = Math.max(last.width, Math.max(minWidth, right - left) + left - last.left);
      continue;
    }
    out.push({ left, width: Math.max(minWidth, right - left) });
  }
  return out;
}

/// Steps between ticks, smallest first.
const TICK_STEPS = [
  SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY,
];

export interface Tick {
  t: number;
  label: string;
}

const pad = (n: number) => String(n).padStart(2, "0");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The tick step for a view shown `width` pixels wide: the smallest that
/// keeps ticks at least `minPixels` apart.
export function tickStep(view: View, width: number, minPixels = 80): number {
  const wanted = (view.span * minPixels) / Math.max(1, width);
  return TICK_STEPS.find((s) => s >= wanted) ?? TICK_STEPS[TICK_STEPS.length - 1];
}

/// The ticks of the time axis in local time: on whole steps (local
/// midnights for days), labelled with the time, or the date at midnight.
export function ticks(view: View, width: number, minPixels = 80): Tick[] {
  const step = tickStep(view, width, minPixels);
  const end = view.start + view.span;
  const out: Tick[] = [];
  const label = (t: number) => {
    const d = new Date(t);
    const midnight = d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0;
    if (step >= DAY || midnight) return `${d.getDate()} ${MONTHS[d.getMonth()]}`;
    const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
    return step < MINUTE ? `${hm}:${pad(d.getSeconds())}` : hm;
  };
  if (step >= DAY) {
    const days = step / DAY;
    const d = new Date(view.start);
    d.setHours(0, 0, 0, 0);
    while (d.getTime() < view.start || Math.round(d.getTime() / DAY) % days !== 0) d.setDate(d.getDate() + 1);
    for (; d.getTime() <= end; d.setDate(d.getDate() + days)) out.push({ t: d.getTime(), label: label(d.getTime()) });
    return out;
  }
  // Local time is UTC shifted by the zone's offset at the view's start.
  const offset = new Date(view.start).getTimezoneOffset() * MINUTE;
  for (let t = Math.ceil((view.start - offset) / step) * step + offset; t <= end; t += step) out.push({ t, label: label(t) });
  return out;
}

/// The window of ranges to fetch for a view: the view and half a view
/// either side, at most 31 days (the API's limit), and not past `now`.
export function fetchWindow(view: View, now: number): Range {
  const margin = Math.min(view.span / 2, ((31 * DAY - view.span) / 2) * 0.999);
  const end = Math.min(now + MINUTE, view.start + view.span + margin);
  const start = Math.min(view.start - margin, end - MINUTE);
  return { start, end: Math.max(end, start + MINUTE) };
}

/// A span in words: "5 min", "3 h", "7 days".
export function spanLabel(span: number): string {
  if (span < HOUR) return `${Math.round(span / MINUTE)} min`;
  if (span < DAY) return `${+(span / HOUR).toFixed(1)} h`;
  const days = +(span / DAY).toFixed(1);
  return `${days} day${days === 1 ? "" : "s"}`;
}
