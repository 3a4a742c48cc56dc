// The playback screen: a layout of cameras played back together on one
// clock, the transport (play and pause, speed, frame step, gap jumps, a
// date/time picker, back to live) and the timeline under the tiles. The
// address holds the cameras, the moment and the speed (`url.ts`), so a
// reload or a shared link opens the same footage.

import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";

import type { Camera, DeletedCamera, Site, StreamRole } from "../api/types";
import { useApp } from "../app/context";
import { newBookmarkAddress } from "../bookmarks/query";
import { exportAddress } from "../export/ExportScreen";
import { Permission, holds, holdsOnCamera } from "../app/permissions";
import { Icon } from "../components/Icon";
import { columns, sizeFor } from "../components/layouts";
import { ResourceTree } from "../components/ResourceTree";
import { Player } from "../player/Player";
import { ArchiveTile } from "./ArchiveTile";
import { PlaybackClock, SPEEDS, shuttle } from "./clock";
import { Timeline } from "./Timeline";
import {
  HOUR,
  MINUTE,
  type Range,
  type View,
  centredOn,
  initialPosition,
  keepInView,
  nextGap,
  previousGap,
  spanLabel,
  stepSpan,
  union,
  zoomAround,
} from "./timeline";
import { MAX_TILES, parsePlaybackSearch, playbackSearch } from "./url";
import { useClock } from "./useClock";
import { MARKS_LIMIT, nearestEvent, useMarks } from "./useMarks";
import { useRanges } from "./useRanges";
import { formatWhen, parseWhen, toPickerValue } from "./when";

const ROLE: StreamRole = "main";
/// Without a range selected, a bookmark or export started from playback covers this much either side of the moment shown.
const BOOKMARK_LEAD_MS = 30_000;
/// Frame rate assumed for a frame step when the camera reports none.
const DEFAULT_FPS = 25;
/// While playing, the address is brought up to date this often.
const ADDRESS_MS = 5000;
/// After the user moves the timeline, it stops following the playhead this long.
const HANDS_OFF_MS = 5000;

export function speedLabel(speed: number): string {
  const size = `${Math.abs(speed)}×`;
  return speed < 0 ? `◀ ${size}` : size;
}

export function PlaybackScreen() {
  const { api, me } = useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const address = useMemo(() => parsePlaybackSearch(params, Date.now()), [params]);
  const cameras = address.cameras;
  // The clock is made once: afterwards it, not the address, says where playback is.
  const [clock] = useState(() => {
    const c = new PlaybackClock(address.at ?? Date.now() - MINUTE);
    c.setRate(address.speed);
    return c;
  });
  const { time, playing, rate } = useClock(clock);
  const [view, setViewState] = useState<View>(() => centredOn(clock.time(), HOUR));
  const [selection, setSelection] = useState<Range | null>(null);
  const touched = useRef(0);
  const setView = useCallback((v: View) => {
    touched.current = Date.now();
    setViewState(v);
  }, []);
  const [selected, setSelected] = useState(0);
  const [live, setLive] = useState<Set<string>>(new Set());
  const [treeOpen, setTreeOpen] = useState(false);
  const [known, setKnown] = useState<{ sites: Site[]; cameras: Camera[]; deleted: DeletedCamera[] }>({ sites: [], cameras: [], deleted: [] });
  const [problem, setProblem] = useState<string | null>(null);
  const [pick, setPick] = useState("");

  useEffect(() => {
    let cancelled = false;
    // Listing cameras needs live rights; an archive-only user still plays the ids the address names.
    Promise.allSettled([api.sites(), api.cameras(), api.deletedCameras()]).then(([s, c, d]) => {
      if (cancelled) return;
      setKnown({
        sites: s.status === "fulfilled" ? s.value : [],
        cameras: c.status === "fulfilled" ? c.value : [],
        deleted: d.status === "fulfilled" ? d.value : [],
      });
    });
    return () => {
      cancelled = true;
    };
  }, [api]);
  const byId = useMemo(() => new Map(known.cameras.map((c) => [c.id, c])), [known.cameras]);
  const name = (id: string) => byId.get(id)?.name ?? known.deleted.find((d) => d.id === id)?.name ?? `Camera ${id.slice(0, 8)}`;

  const recorded = useRanges(api, cameras, ROLE, view);
  const marks = useMarks(api, cameras, view, { events: holds(me, Permission.ReadEvents), bookmarks: true });
  const rangesOf = (id: string): Range[] | null => {
    const w = recorded.window;
    // Ranges are only known where they were fetched.
    if (!w || time < w.start || time > w.end) return null;
    return recorded.byCamera.get(id) ?? null;
  };

  // Without a moment in the address, start a little before the latest footage.
  const placed = useRef(address.at !== null);
  useEffect(() => {
    if (placed.current || !recorded.window) return;
    placed.current = true;
    const t = initialPosition(union(...recorded.byCamera.values()), clock.time());
    clock.seek(t);
    setViewState(centredOn(t, view.span));
  }, [recorded, clock, view.span]);

  // The timeline follows the playhead, unless the user just moved it.
  useEffect(() => {
    if (Date.now() - touched.current < HANDS_OFF_MS) return;
    setViewState((v) => keepInView(v, time));
  }, [time]);

  // The address follows the clock: on every jump, pause and speed change, and now and then while playing.
  // Set on the way out: a write racing the navigation would bring the user back.
  const leaving = useRef(false);
  const latestCameras = useRef(cameras);
  latestCameras.current = cameras;
  useEffect(() => {
    const write = () =>
      !leaving.current &&
      setParams(playbackSearch({ cameras: latestCameras.current, at: clock.time(), speed: clock.rate }), { replace: true });
    const unsubscribe = clock.subscribe(write);
    const timer = setInterval(() => clock.playing && write(), ADDRESS_MS);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [clock, setParams]);

  const setCameras = (next: string[]) => {
    setParams(playbackSearch({ cameras: next.slice(0, MAX_TILES), at: clock.time(), speed: clock.rate }), { replace: true });
  };
  const open = (id: string) => {
    if (cameras.includes(id)) setSelected(cameras.indexOf(id));
    else if (cameras.length < MAX_TILES) setCameras([...cameras, id]);
    else setCameras(cameras.map((c, i) => (i === selected ? id : c)));
    setTreeOpen(false);
  };
  const remove = (index: number) => {
    setCameras(cameras.filter((_, i) => i !== index));
    setSelected(0);
  };

  const current = cameras[Math.min(selected, cameras.length - 1)];
  const selectedRanges = (current && recorded.byCamera.get(current)) || [];
  const previous = previousGap(selectedRanges, time);
  const next = nextGap(selectedRanges, time);
  const previousEvent = nearestEvent(marks.byCamera, time, -1);
  const nextEvent = nearestEvent(marks.byCamera, time, 1);
  const fps = (current && byId.get(current)?.streams.find((s) => s.role === ROLE)?.state.fps) || DEFAULT_FPS;
  const jump = (t: number) => {
    clock.seek(t);
    setViewState((v) => keepInView(v, t));
  };

  const goTo = (event: FormEvent) => {
    event.preventDefault();
    if (!pick.trim()) return;
    const t = parseWhen(pick, Date.now());
    if (t === null) {
      setProblem(`“${pick}” is not a date and time`);
      return;
    }
    setProblem(null);
    clock.seek(t);
    setViewState((v) => centredOn(t, v.span));
  };

  // Space plays and pauses; the arrows step a frame; J, K and L shuttle back, pause and forward.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (target.closest("input, select, textarea, button, [tabindex]")) return;
      if (event.key === " ") clock.toggle();
      else if (event.key === "ArrowRight") clock.step(1000 / fps);
      else if (event.key === "ArrowLeft") clock.step(-1000 / fps);
      else if (event.key === "k" || event.key === "K") clock.pause();
      else if (["j", "J", "l", "L"].includes(event.key)) {
        clock.setRate(shuttle(clock.rate, clock.playing, event.key.toLowerCase() === "l" ? 1 : -1));
        clock.play();
      } else return;
      event.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [clock, fps]);

  /// What a bookmark or export covers: the range selected on the timeline, else the minute around `t`.
  const around = (t: number): [number, number] =>
    selection && selection.end > selection.start ? [selection.start, selection.end] : [t - BOOKMARK_LEAD_MS, t + BOOKMARK_LEAD_MS];
  const thumbnail = useCallback((camera: string, t: number, signal: AbortSignal) => api.thumbnail(camera, ROLE, new Date(t), 240, signal), [api]);
  const rows = cameras.map((id) => ({ id, label: name(id), ranges: recorded.byCamera.get(id) ?? [], marks: marks.byCamera.get(id) ?? [] }));
  const size = sizeFor(cameras.length);
  const mayLive = holds(me, Permission.ViewLive);

  return (
    <div className={`playback${treeOpen ? " tree-open" : ""}`} data-clock-ms={Math.round(time)} data-playing={playing}>
      <header className="bar transport">
        <button type="button" className="menu" aria-label="Cameras" aria-expanded={treeOpen} onClick={() => setTreeOpen(!treeOpen)}>
          <Icon name="menu" />
        </button>
        <div className="buttons" role="group" aria-label="Transport">
          <button type="button" title="Jump back over the previous gap" aria-label="Previous gap" disabled={previous === null} onClick={() => previous !== null && jump(previous)}>
            <Icon name="previousGap" />
          </button>
          <button type="button" title="One frame back" aria-label="Frame back" onClick={() => clock.step(-1000 / fps)}>
            <Icon name="frameBack" />
          </button>
          <button type="button" className="play" aria-label={playing ? "Pause" : "Play"} title={playing ? "Pause (space)" : "Play (space)"} onClick={() => clock.toggle()}>
            <Icon name={playing ? "pause" : "play"} />
          </button>
          <button type="button" title="One frame forward" aria-label="Frame forward" onClick={() => clock.step(1000 / fps)}>
            <Icon name="frameForward" />
          </button>
          <button type="button" title="Jump over the next gap" aria-label="Next gap" disabled={next === null} onClick={() => next !== null && jump(next)}>
            <Icon name="nextGap" />
          </button>
          <button type="button" title="Go to the previous event" aria-label="Previous event" disabled={previousEvent === null} onClick={() => previousEvent !== null && jump(previousEvent)}>
            <Icon name="previousEvent" />
          </button>
          <button type="button" title="Go to the next event" aria-label="Next event" disabled={nextEvent === null} onClick={() => nextEvent !== null && jump(nextEvent)}>
            <Icon name="nextEvent" />
          </button>
        </div>
        <select aria-label="Speed" value={rate} onChange={(e) => clock.setRate(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {speedLabel(s)}
            </option>
          ))}
        </select>
        <output className="when" aria-label="Playback time">
          {formatWhen(time)}
        </output>
        <form className="pick" onSubmit={goTo}>
          <input
            type="datetime-local"
            step="1"
            aria-label="Go to date and time"
            value={pick}
            onFocus={() => pick || setPick(toPickerValue(time))}
            onChange={(e) => setPick(e.target.value)}
          />
          <button type="submit">Go</button>
        </form>
        {mayLive && (
          <button type="button" onClick={() => {
              leaving.current = true;
              navigate({ pathname: "/live", search: playbackSearch({ cameras }) });
            }} title="Watch these cameras live">
            Live
          </button>
        )}
        {cameras.length > 0 && (
          <button type="button" onClick={() => {
              leaving.current = true;
              const [from, to] = around(time);
              navigate(newBookmarkAddress(cameras, from, to));
            }} title="Bookmark these cameras around this moment">
            Bookmark
          </button>
        )}
        {current && holds(me, Permission.Export) && (
          <button type="button" onClick={() => {
              leaving.current = true;
              const [from, to] = around(time);
              navigate(exportAddress(current, from, to));
            }} title="Export the selected camera around this moment">
            Export
          </button>
        )}
      </header>
      {(problem || recorded.error) && (
        <p className="banner" role="alert">
          {problem ?? `Recordings: ${recorded.error}`}
        </p>
      )}
      <ResourceTree tenant={me.tenant_name ?? "Organisation"} sites={known.sites} cameras={known.cameras} onOpen={open} />
      {cameras.length === 0 ? (
        <p className="empty-layout">Double-click cameras in the list to play back their recordings together.</p>
      ) : (
        <div className="grid" style={{ gridTemplateColumns: `repeat(${columns(size)}, minmax(0, 1fr))` }} data-size={size}>
          {cameras.map((id, index) => {
            const camera = byId.get(id);
            const isLive = live.has(id) && !!camera;
            const canLive = !!camera && mayLive && holdsOnCamera(me, Permission.ViewLive, camera);
            return (
              <section key={id} className={`tile${index === selected ? " selected" : ""}`} aria-label={name(id)} onClick={() => setSelected(index)}>
                {isLive ? (
                  <Player api={api} camera={camera} role={ROLE} transport="auto" />
                ) : (
                  <ArchiveTile api={api} camera={id} role={ROLE} clock={clock} ranges={rangesOf(id)} />
                )}
                <div className="tile-head">
                  <span className="name">{name(id)}</span>
                  <button
                    type="button"
                    className={`mode${isLive ? " live" : ""}`}
                    disabled={!canLive}
                    title={isLive ? "Back to the recording" : "Watch this camera live"}
                    onClick={(e) => {
                      e.stopPropagation();
                      setLive((s) => {
                        const n = new Set(s);
                        if (isLive) n.delete(id);
                        else n.add(id);
                        return n;
                      });
                    }}
                  >
                    {isLive ? "Live" : "Archive"}
                  </button>
                  <button type="button" className="remove" title="Remove from the layout" aria-label={`Remove ${name(id)}`} onClick={(e) => (e.stopPropagation(), remove(index))}>
                    <Icon name="close" />
                  </button>
                </div>
              </section>
            );
          })}
        </div>
      )}
      <footer className="timeline-bar">
        <div className="zoom" role="group" aria-label="Zoom">
          <button type="button" aria-label="Zoom in" title="Zoom in" onClick={() => setView(zoomAround(view, stepSpan(view.span, -1) / view.span, time))}>
            +
          </button>
          <span className="span" aria-label="Timeline span">
            {spanLabel(view.span)}
          </span>
          <button type="button" aria-label="Zoom out" title="Zoom out" onClick={() => setView(zoomAround(view, stepSpan(view.span, 1) / view.span, time))}>
            −
          </button>
        </div>
        <Timeline view={view} onView={setView} rows={rows} time={time} now={Date.now()} onSeek={jump} thumbnail={thumbnail} selection={selection} onSelect={setSelection} />
        {(marks.partial || marks.error) && (
          <span className="marks-note" role="note">
            {marks.error ? `Events and bookmarks: ${marks.error}` : `Only the newest ${MARKS_LIMIT} events and bookmarks are marked: zoom in for the rest`}
          </span>
        )}
      </footer>
    </div>
  );
}
