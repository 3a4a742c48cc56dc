// What the timeline marks besides footage: the events of the layout's
// cameras (coloured by type) and the bookmarks on them, fetched for a
// window around the view, again when the view leaves it, and kept current
// by the live feed and a slow refresh.

import { useEffect, useRef, useState } from "react";

import type { Api } from "../api/client";
import type { BookmarkView, EventView } from "../api/types";
import { useLiveEvents } from "../app/events";
import { type Range, type View, fetchWindow } from "./timeline";

/// Most events and bookmarks fetched for one window (the newest ones).
export const MARKS_LIMIT = 500;
const REFRESH_MS = 30_000;

/// A moment or stretch marked on a camera's row.
export interface Mark {
  id: string;
  kind: "event" | "bookmark";
  /// The event's type; "bookmark" for bookmarks.
  type: string;
  start: number;
  /// Null while an event goes on.
  end: number | null;
  title: string;
  camera: string;
}

export interface Marks {
  byCamera: Map<string, Mark[]>;
  /// More than `MARKS_LIMIT` events or bookmarks in the window: only the newest are marked.
  partial: boolean;
  error: string | null;
}

const NONE: Marks = { byCamera: new Map(), partial: false, error: null };

export function eventMark(e: EventView): Mark | null {
  if (!e.camera_id) return null;
  const label = typeof e.attributes?.label === "string" ? ` ${e.attributes.label}` : "";
  return {
    id: e.id,
    kind: "event",
    type: e.type,
    start: Date.parse(e.start),
    end: e.end ? Date.parse(e.end) : null,
    title: `${e.type}${label}`,
    camera: e.camera_id,
  };
}

export function bookmarkMarks(b: BookmarkView): Mark[] {
  return b.cameras.map((camera) => ({
    id: b.id,
    kind: "bookmark" as const,
    type: "bookmark",
    start: Date.parse(b.start),
    end: Date.parse(b.end),
    title: `${b.locked ? "Locked bookmark" : "Bookmark"}: ${b.name}`,
    camera,
  }));
}

/// Groups `marks` by camera, for `cameras` only, oldest first.
export function byCamera(marks: Mark[], cameras: string[]): Map<string, Mark[]> {
  const out = new Map<string, Mark[]>(cameras.map((c) => [c, []]));
  for (const m of marks) out.get(m.camera)?.push(m);
  out.forEach((list) => list.sort((a, b) => a.start - b.start));
  return out;
}

export function useMarks(api: Api, cameras: string[], view: View, enabled: { events: boolean; bookmarks: boolean }): Marks {
  const [marks, setMarks] = useState<Marks>(NONE);
  const [tick, setTick] = useState(0);
  const fetched = useRef<{ key: string; window: Range; at: number } | null>(null);
  /// The request on its way, kept while the view stays inside its window (a drag does not restart it).
  const pending = useRef<{ key: string; window: Range; abort: AbortController } | null>(null);

  useEffect(() => () => pending.current?.abort.abort(), []);
  const key = cameras.join(",");

  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (!key || (!enabled.events && !enabled.bookmarks)) {
      pending.current?.abort.abort();
      pending.current = null;
      fetched.current = null;
      setMarks(NONE);
      return;
    }
    const now = Date.now();
    const previous = fetched.current;
    const viewEnd = Math.min(view.start + view.span, now);
    const covers = previous && previous.key === key && previous.window.start <= view.start && previous.window.end >= viewEnd;
    if (covers && now - previous.at < REFRESH_MS - 100) return;
    const inflight = pending.current;
    if (inflight && inflight.key === key && inflight.window.start <= view.start && inflight.window.end >= viewEnd) return;
    inflight?.abort.abort();
    const window = fetchWindow(view, now);
    const abort = new AbortController();
    pending.current = { key, window, abort };
    const query = new URLSearchParams({
      cameras: key,
      start: new Date(window.start).toISOString(),
      end: new Date(window.end).toISOString(),
      limit: String(MARKS_LIMIT),
    });
    Promise.all([
      enabled.events ? api.events(query, abort.signal) : Promise.resolve({ items: [] as EventView[], next_cursor: undefined }),
      enabled.bookmarks ? api.bookmarks(query, abort.signal) : Promise.resolve({ items: [] as BookmarkView[], next_cursor: undefined }),
    ]).then(
      ([found, saved]) => {
        if (pending.current?.abort === abort) pending.current = null;
        fetched.current = { key, window, at: now };
        const all = [...found.items.flatMap((e) => eventMark(e) ?? []), ...saved.items.flatMap(bookmarkMarks)];
        setMarks({ byCamera: byCamera(all, cameras), partial: Boolean(found.next_cursor || saved.next_cursor), error: null });
      },
      (e: unknown) => {
        if (pending.current?.abort === abort) pending.current = null;
        if (!abort.signal.aborted) setMarks((m) => ({ ...m, error: e instanceof Error ? e.message : String(e) }));
      },
    );
    // `key` names the cameras; the view matters only once it leaves the window fetched.
  }, [api, key, view, tick, enabled.events, enabled.bookmarks]);

  // Events of these cameras arriving live are marked at once.
  useLiveEvents((message) => {
    if (message.type !== "event") return;
    const mark = eventMark(message.event);
    if (!mark || !cameras.includes(mark.camera)) return;
    setMarks((m) => {
      const list = (m.byCamera.get(mark.camera) ?? []).filter((x) => x.id !== mark.id);
      const next = new Map(m.byCamera);
      next.set(mark.camera, [...list, mark].sort((a, b) => a.start - b.start));
      return { ...m, byCamera: next };
    });
  }, enabled.events);

  return marks;
}

/// The start of the nearest event mark after `t` (`direction` 1) or before it
/// (-1), on any row; null when there is none in what was fetched. Marks
/// within half a second of `t` are where the playhead already is.
export function nearestEvent(marks: Map<string, Mark[]>, t: number, direction: 1 | -1): number | null {
  let best: number | null = null;
  marks.forEach((list) =>
    list.forEach((m) => {
      if (m.kind !== "event") return;
      const ahead = direction === 1 ? m.start > t + 500 : m.start < t - 500;
      if (ahead && (best === null || (direction === 1 ? m.start < best : m.start > best))) best = m.start;
    }),
  );
  return best;
}
