// The recorded stretches of a layout's cameras around the timeline's view:
// one request for every camera (`/api/recordings/ranges`), again when the
// view leaves what was fetched, and every few seconds while the fetched
// window reaches the present (recording goes on).

import { useEffect, useRef, useState } from "react";

import type { Api } from "../api/client";
import type { StreamRole } from "../api/types";
import { MINUTE, type Range, type View, fetchWindow, parseRanges } from "./timeline";

/// How often ranges reaching the present are fetched again.
const REFRESH_MS = 5000;

export interface Recorded {
  /// The window the ranges were fetched for; null before the first answer.
  window: Range | null;
  /// Per camera, oldest first.
  byCamera: Map<string, Range[]>;
  error: string | null;
}

const NOTHING: Recorded = { window: null, byCamera: new Map(), error: null };

export function useRanges(api: Api, cameras: string[], role: StreamRole, view: View): Recorded {
  const [recorded, setRecorded] = useState<Recorded>(NOTHING);
  const [tick, setTick] = useState(0);
  const key = cameras.join(",");
  const last = useRef<{ key: string; window: Range; at: number } | null>(null);
  const pending = useRef<AbortController | null>(null);

  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (!key) {
      last.current = null;
      setRecorded(NOTHING);
      return;
    }
    const now = Date.now();
    const previous = last.current;
    const viewEnd = Math.min(view.start + view.span, now);
    const covers = previous && previous.key === key && previous.window.start <= view.start && previous.window.end >= viewEnd;
    const settled = previous && previous.window.end < previous.at - MINUTE;
    const fresh = previous && (settled || now - previous.at < REFRESH_MS - 100);
    if (covers && fresh) return;
    if (pending.current && previous?.key === key && covers) return;
    pending.current?.abort();
    const abort = new AbortController();
    pending.current = abort;
    const window = fetchWindow(view, now);
    api
      .ranges(key.split(","), role, new Date(window.start), new Date(window.end), abort.signal)
      .then((answer) => {
        last.current = { key, window, at: now };
        setRecorded({ window, byCamera: new Map(answer.cameras.map((c) => [c.camera_id, parseRanges(c.ranges)])), error: null });
      })
      .catch((e) => {
        if (abort.signal.aborted) return;
        setRecorded((r) => ({ ...r, error: e instanceof Error ? e.message : String(e) }));
      })
      .finally(() => {
        if (pending.current === abort) pending.current = null;
      });
  }, [api, key, role, view, tick]);

  useEffect(() => () => pending.current?.abort(), []);
  return recorded;
}
