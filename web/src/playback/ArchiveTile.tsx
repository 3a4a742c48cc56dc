// One tile of a playback layout: plays the camera's recording at the
// layout clock's moment, says so where the camera recorded nothing then,
// and asks the clock to wait while it loads footage it has.

import { useEffect, useRef, useState } from "react";

import type { Api } from "../api/client";
import type { StreamRole } from "../api/types";
import { ArchiveSource, NothingRecorded } from "./archive";
import type { PlaybackClock } from "./clock";
import { follow, usesIFrames, windowFor, windowServes, type Window } from "./sync";
import { type Range, covering } from "./timeline";

/// How often the tile checks it still follows the clock.
const TICK_MS = 100;
/// Waits after a failed load, doubling up to 30 s.
const RETRY_MS = 2000;

type Status = "loading" | "playing" | "paused" | "buffering" | "no-footage" | "error";

export interface ArchiveTileProps {
  api: Api;
  camera: string;
  role: StreamRole;
  clock: PlaybackClock;
  /// The camera's recorded stretches around the clock, or null before they are known.
  ranges: Range[] | null;
}

export function ArchiveTile({ api, camera, role, clock, ranges }: ArchiveTileProps) {
  const video = useRef<HTMLVideoElement>(null);
  const [status, setStatus] = useState<Status>("loading");
  const [problem, setProblem] = useState<string | null>(null);
  const known = useRef(ranges);
  known.current = ranges;

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    const id = `${camera}:${Math.random().toString(36).slice(2)}`;
    let source: ArchiveSource | null = null;
    let loading = false;
    let cancelled = false;
    let failures = 0;
    let retryAt = 0;
    let broken = false;
    // Set when this browser cannot play the I-frame playlist: fast speeds then play every picture.
    let noIFrames = false;

    const release = () => clock.release(id);
    const drop = () => {
      source?.destroy();
      source = null;
    };
    const load = (window: Window, at: number) => {
      loading = true;
      drop();
      ArchiveSource.open(api, camera, role, element, window, at, (reason) => {
        // A fatal error while playing: load again, later each time it keeps
        // failing (every load spends a ticket and an audit entry).
        if (cancelled) return;
        broken = true;
        retryAt = Date.now() + Math.min(30000, RETRY_MS * 2 ** failures++);
        if (window.iframes) noIFrames = true;
        setProblem(reason);
      })
        .then((opened) => {
          if (cancelled) return opened.destroy();
          source = opened;
          // Only footage that keeps playing clears the backoff.
          const opening = source;
          setTimeout(() => {
            if (source === opening && !broken) failures = 0;
          }, 10000);
          element.dataset.playlist = window.iframes ? "iframes" : "playback";
          setProblem(null);
        })
        .catch((e) => {
          if (cancelled) return;
          if (window.iframes && !(e instanceof NothingRecorded)) {
            console.warn(`playback of ${camera}: the I-frame playlist failed (${e}); playing every picture at fast speeds`);
            noIFrames = true;
            return;
          }
          retryAt = Date.now() + Math.min(30000, RETRY_MS * 2 ** failures++);
          if (e instanceof NothingRecorded) {
            // The listing was ahead of the index, or the footage just went: try again later.
            setStatus("no-footage");
          } else {
            setStatus("error");
            setProblem(e instanceof Error ? e.message : String(e));
          }
        })
        .finally(() => {
          loading = false;
        });
    };

    const tick = () => {
      if (cancelled) return;
      if (broken) {
        broken = false;
        drop();
      }
      const t = clock.time();
      const playing = clock.playing;
      const rate = playing ? clock.rate : 0;
      const iframes = usesIFrames(rate) && !noIFrames;
      if (!source || !windowServes(source.window, t, rate, Date.now(), iframes)) {
        const listed = known.current;
        if (listed && !covering(listed, t)) {
          // Nothing recorded now: nothing to load, nothing to wait for.
          if (source) element.pause();
          release();
          setStatus("no-footage");
          return;
        }
        if (!loading && Date.now() >= retryAt) {
          const window = windowFor(t, rate, Date.now(), iframes);
          if (window) load(window, t);
          else {
            release();
            setStatus("no-footage");
            return;
          }
        }
        if (loading) {
          if (playing) clock.hold(id);
          setStatus("loading");
        }
        return;
      }
      const target = source.mediaTimeAt(t);
      const decision = follow(element, target, playing, rate);
      if (decision.seekTo !== null) element.currentTime = decision.seekTo;
      if (decision.play) {
        if (element.playbackRate !== decision.playbackRate) element.playbackRate = decision.playbackRate;
        if (element.paused) void element.play().catch(() => {});
      } else if (!element.paused) {
        element.pause();
      }
      const moment = source.moment();
      if (moment !== null) element.dataset.momentMs = String(Math.round(moment));
      if (target === null) {
        release();
        setStatus("no-footage");
        return;
      }
      const starved = element.readyState < HTMLMediaElement.HAVE_FUTURE_DATA || element.seeking;
      if (playing && rate > 0 && starved) {
        clock.hold(id);
        setStatus("buffering");
      } else {
        release();
        setStatus(playing ? "playing" : "paused");
      }
    };

    const timer = setInterval(tick, TICK_MS);
    const unsubscribe = clock.subscribe(tick);
    tick();
    return () => {
      cancelled = true;
      clearInterval(timer);
      unsubscribe();
      release();
      drop();
    };
  }, [api, camera, role, clock]);

  return (
    <div className="player archive" data-camera={camera} data-status={status}>
      <div className="picture">
        <video ref={video} muted playsInline data-camera={camera} />
      </div>
      {status !== "playing" && status !== "paused" && (
        <div className="overlay-message" role="status">
          {status === "loading" && "Loading the recording…"}
          {status === "buffering" && "Buffering…"}
          {status === "no-footage" && (
            <>
              <strong>No recording</strong>
              <span>at this moment</span>
            </>
          )}
          {status === "error" && (
            <>
              <strong>Cannot play the recording</strong>
              <span>{problem}</span>
            </>
          )}
        </div>
      )}
    </div>
  );
}
