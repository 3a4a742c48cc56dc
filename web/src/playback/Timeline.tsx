// The timeline under the players: one row per camera with its recorded
// stretches (the gaps between them left empty), its events (coloured by
// type) and bookmarks, the time axis, the playhead and the present. The wheel (or a pinch) zooms from one minute to
// 30 days around the pointer, a drag pans, a click seeks, a drag with
// Shift held selects a range (for a bookmark or an export), and hovering
// shows the camera's recorded picture at that moment.

import { useEffect, useMemo, useRef, useState } from "react";

import {
  type Range,
  type View,
  bars,
  covering,
  fractionOf,
  keepInView,
  pan,
  stepSpan,
  ticks,
  timeAt,
  wheelFactor,
  zoomAround,
} from "./timeline";
import type { Mark } from "./useMarks";
import { formatWhen } from "./when";

export interface TimelineRow {
  id: string;
  label: string;
  ranges: Range[];
  /// Events and bookmarks on this camera, oldest first.
  marks?: Mark[];
}

export interface TimelineProps {
  view: View;
  onView: (view: View) => void;
  rows: TimelineRow[];
  /// The playhead.
  time: number;
  /// The present: later is shaded.
  now: number;
  onSeek: (t: number) => void;
  /// The recorded picture of a row's camera at `t`, for the hover card.
  thumbnail?: (row: string, t: number, signal: AbortSignal) => Promise<Blob>;
  /// The range selected with Shift and a drag, if any.
  selection?: Range | null;
  /// Called with the range selected (null: cleared by Escape).
  onSelect?: (range: Range | null) => void;
}

/// How close in time two hovers must be to share a thumbnail (about a GOP).
const THUMB_GRAIN_MS = 2000;
const THUMB_DELAY_MS = 150;
const THUMB_CACHE = 60;
/// A press that moves less than this is a click.
const CLICK_PX = 4;

const percent = (fraction: number) => `${(fraction * 100).toFixed(4)}%`;

interface Hover {
  fraction: number;
  t: number;
  row: string | null;
}

export function Timeline({ view, onView, rows, time, now, onSeek, thumbnail, selection = null, onSelect }: TimelineProps) {
  const area = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [hover, setHover] = useState<Hover | null>(null);
  const [thumb, setThumb] = useState<{ key: string; url: string } | null>(null);
  const latest = useRef({ view, onView });
  latest.current = { view, onView };

  useEffect(() => {
    const element = area.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth || 800));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const fractionAtClient = (clientX: number) => {
    const box = area.current!.getBoundingClientRect();
    return box.width > 0 ? (clientX - box.left) / box.width : 0;
  };

  // The wheel zooms around the pointer (a sideways scroll pans); React's
  // wheel listener is passive, so this one is added by hand to keep the page still.
  useEffect(() => {
    const element = area.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const { view: v, onView: set } = latest.current;
      if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        set(pan(v, event.deltaX / Math.max(1, element.getBoundingClientRect().width)));
      } else {
        set(zoomAround(v, wheelFactor(event.deltaY, event.deltaMode), timeAt(v, fractionAtClient(event.clientX))));
      }
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, []);

  // Pointers: one drags (or clicks), two pinch.
  const pointers = useRef(new Map<number, number>());
  const press = useRef<{ x: number; view: View; moved: boolean } | null>(null);
  /// Where a Shift-drag selection started (a time), while it goes on.
  const selecting = useRef<number | null>(null);
  const pinch = useRef<{ distance: number } | null>(null);

  const onPointerDown = (event: React.PointerEvent) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    pointers.current.set(event.pointerId, event.clientX);
    if (event.shiftKey && onSelect) {
      const t = timeAt(view, fractionAtClient(event.clientX));
      selecting.current = t;
      onSelect({ start: t, end: t });
      return;
    }
    if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()];
      pinch.current = { distance: Math.abs(a - b) };
      press.current = null;
    } else {
      press.current = { x: event.clientX, view, moved: false };
    }
  };
  const onPointerMove = (event: React.PointerEvent) => {
    const box = area.current!.getBoundingClientRect();
    if (pointers.current.has(event.pointerId)) pointers.current.set(event.pointerId, event.clientX);
    if (selecting.current !== null && onSelect) {
      const t = timeAt(view, fractionAtClient(event.clientX));
      onSelect({ start: Math.min(selecting.current, t), end: Math.max(selecting.current, t) });
      return;
    }
    if (pinch.current && pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()];
      const distance = Math.abs(a - b);
      if (distance > 0 && pinch.current.distance > 0) {
        const middle = timeAt(view, ((a + b) / 2 - box.left) / box.width);
        onView(zoomAround(view, pinch.current.distance / distance, middle));
      }
      pinch.current.distance = distance;
      return;
    }
    const held = press.current;
    if (held) {
      const dx = event.clientX - held.x;
      if (Math.abs(dx) >= CLICK_PX) held.moved = true;
      if (held.moved) onView(pan(held.view, -dx / Math.max(1, box.width)));
      return;
    }
    if (event.pointerType === "mouse") {
      const fraction = fractionAtClient(event.clientX);
      const row = (event.target as HTMLElement).closest?.<HTMLElement>("[data-row]")?.dataset.row ?? null;
      setHover({ fraction, t: timeAt(view, fraction), row });
    }
  };
  const onPointerUp = (event: React.PointerEvent) => {
    pointers.current.delete(event.pointerId);
    if (pointers.current.size < 2) pinch.current = null;
    if (selecting.current !== null) {
      const start = selecting.current;
      selecting.current = null;
      const t = timeAt(view, fractionAtClient(event.clientX));
      // A Shift-click selects nothing.
      if (Math.abs(fractionOf(view, t) - fractionOf(view, start)) * (area.current?.clientWidth || width) < CLICK_PX) onSelect?.(null);
      return;
    }
    const held = press.current;
    press.current = null;
    if (held && !held.moved) onSeek(timeAt(view, fractionAtClient(event.clientX)));
  };

  // The hover card's picture: fetched once the pointer rests, cached per camera and GOP.
  const cache = useRef(new Map<string, string>());
  useEffect(() => {
    const saved = cache.current;
    return () => saved.forEach((url) => URL.revokeObjectURL(url));
  }, []);
  const hoverRow = rows.find((r) => r.id === hover?.row);
  const recordedAtHover = hover && hoverRow ? covering(hoverRow.ranges, hover.t) !== null : false;
  const thumbKey = hover && hoverRow && recordedAtHover ? `${hoverRow.id}@${Math.round(hover.t / THUMB_GRAIN_MS)}` : null;
  useEffect(() => {
    if (!thumbKey || !thumbnail || !hover?.row) return;
    const cached = cache.current.get(thumbKey);
    if (cached) {
      setThumb({ key: thumbKey, url: cached });
      return;
    }
    const abort = new AbortController();
    const { row, t } = hover;
    const timer = setTimeout(() => {
      thumbnail(row, t, abort.signal).then(
        (blob) => {
          const url = URL.createObjectURL(blob);
          cache.current.set(thumbKey, url);
          if (cache.current.size > THUMB_CACHE) {
            const [oldest, old] = cache.current.entries().next().value!;
            cache.current.delete(oldest);
            URL.revokeObjectURL(old);
          }
          setThumb({ key: thumbKey, url });
        },
        () => {},
      );
    }, THUMB_DELAY_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
    // `hover` changes with every pixel; the key says when the picture would differ.
  }, [thumbKey, thumbnail]);

  const axis = useMemo(() => ticks(view, width), [view, width]);
  const nowFraction = fractionOf(view, now);
  const playhead = fractionOf(view, time);

  const onKeyDown = (event: React.KeyboardEvent) => {
    const keys: Record<string, () => View> = {
      ArrowLeft: () => pan(view, -0.1),
      ArrowRight: () => pan(view, 0.1),
      "+": () => zoomAround(view, stepSpan(view.span, -1) / view.span, time),
      "-": () => zoomAround(view, stepSpan(view.span, 1) / view.span, time),
      Home: () => keepInView(view, time),
    };
    if (event.key === "Escape" && selection && onSelect) {
      event.preventDefault();
      onSelect(null);
      return;
    }
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    onView(action());
  };

  return (
    <div className="timeline" role="group" aria-label="Timeline">
      <div className="axis" aria-hidden="true">
        {axis.map((tick) => (
          <span key={tick.t} className="tick" style={{ left: percent(fractionOf(view, tick.t)) }}>
            {tick.label}
          </span>
        ))}
      </div>
      <div
        className="rows"
        ref={area}
        tabIndex={0}
        aria-label="Recorded footage: click to go to a moment, wheel or pinch to zoom, drag to move, Shift and drag to select a range"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onPointerLeave={() => setHover(null)}
        onKeyDown={onKeyDown}
      >
        {rows.map((row) => (
          <div key={row.id} className="row" data-row={row.id} aria-label={row.label}>
            <span className="row-label">{row.label}</span>
            {bars(row.ranges, view, undefined, 1 / Math.max(1, width)).map((bar, i) => (
              <span key={i} className="recorded" style={{ left: percent(bar.left), width: percent(bar.width) }} />
            ))}
            {markBars(row.marks ?? [], view, now).map(({ mark, bar }) => (
              <span
                key={`${mark.kind}:${mark.id}`}
                className={`mark ${mark.kind}`}
                data-type={mark.type}
                style={{ left: percent(bar.left), width: percent(bar.width), ...(mark.kind === "event" ? { background: markColour(mark.type) } : {}) }}
                title={`${mark.title} · ${formatWhen(mark.start)}`}
              />
            ))}
          </div>
        ))}
        {nowFraction < 1 && <div className="future" style={{ left: percent(Math.max(0, nowFraction)) }} title="Not yet recorded" />}
        {selection && selection.end > selection.start && (
          <div
            className="selection"
            aria-label={`Selected ${formatWhen(selection.start)} to ${formatWhen(selection.end)}`}
            style={{ left: percent(Math.max(0, fractionOf(view, selection.start))), width: percent(Math.max(0.001, Math.min(1, fractionOf(view, selection.end)) - Math.max(0, fractionOf(view, selection.start)))) }}
          />
        )}
        {playhead >= 0 && playhead <= 1 && <div className="playhead" style={{ left: percent(playhead) }} />}
        {hover && (
          <div className="hover" style={{ left: percent(hover.fraction) }}>
            <div className={`hover-card${hover.fraction > 0.8 ? " left" : ""}`}>
              {thumb && thumb.key === thumbKey && <img src={thumb.url} alt={`Recorded picture at ${formatWhen(hover.t)}`} />}
              <span>{formatWhen(hover.t)}</span>
              {hoverRow && !recordedAtHover && <span className="muted">not recorded</span>}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

/// Where each mark falls across the view; an event still going on reaches the present.
function markBars(marks: Mark[], view: View, now: number) {
  return marks.flatMap((mark) => {
    const [bar] = bars([{ start: mark.start, end: Math.max(mark.end ?? now, mark.start + 1) }], view, 0.003);
    return bar ? [{ mark, bar }] : [];
  });
}

const COLOURS: Record<string, string> = { motion: "#e0a43a", object: "#4ea1ff", camera_offline: "#e5534b", line_crossed: "#b07cff", zone_enter: "#3fd1c4" };

/// An event type's colour on the timeline: fixed for the VMS's own types,
/// and stable for any other (from its name).
export function markColour(type: string): string {
  const known = COLOURS[type];
  if (known) return known;
  let hash = 0;
  for (const c of type) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360} 65% 60%)`;
}
