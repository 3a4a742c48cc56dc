// One live tile's player: picks a transport (WebRTC, then MSE, then HLS),
// reconnects by itself, stops while off screen, and offers digital zoom, a
// snapshot download and an information overlay.

import { useEffect, useRef, useState } from "react";

import type { Api } from "../api/client";
import type { Camera, StreamRole } from "../api/types";
import { Icon } from "../components/Icon";
import { type Engine, type Latency, PROTOCOL_LABELS, type Protocol, within } from "./engine";
import { ConnectError, TRANSPORT_ORDER, type TransportSetting, backoff, connect } from "./fallback";
import { openEngine } from "./open";
import { progress, useFrameStats } from "./stats";
import { NO_ZOOM, type Zoom, pan, transform, zoomAt } from "./zoom";

/// No new picture for this long means the stream stalled (cameras send
/// several pictures a second).
const STALL_MS = 3000;
/// How long asking the API for a live ticket may take.
const TICKET_MS = 10000;
/// `?latency` in the page's address keeps every tile measuring its latency
/// (`data-latency-ms`, read by tools/vms-bench); otherwise only an open
/// information overlay does.
const ALWAYS_MEASURE = new URLSearchParams(window.location.search).has("latency");

export interface PlayerProps {
  api: Api;
  camera: Camera;
  role: StreamRole;
  transport: TransportSetting;
}

type Status = { kind: "connecting" } | { kind: "playing"; protocol: Protocol; skipped: string[] } | { kind: "paused" } | { kind: "error"; message: string; retryIn: number };

/// The camera's H.264 stream other than `role`, to play when the browser cannot decode `role`'s codec.
function decodableAlternative(camera: Camera, role: StreamRole): StreamRole | null {
  const other = camera.streams.find((s) => s.role !== role && s.state.codec?.toLowerCase() === "h264");
  return other ? other.role : null;
}

export function Player({ api, camera, role: asked, transport }: PlayerProps) {
  const frame = useRef<HTMLDivElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const engine = useRef<Engine | null>(null);
  const [visible, setVisible] = useState(true);
  const [status, setStatus] = useState<Status>({ kind: "connecting" });
  const [zoom, setZoom] = useState<Zoom>(NO_ZOOM);
  const [info, setInfo] = useState(false);
  const [latency, setLatency] = useState<Latency | null>(null);
  const stats = useFrameStats(video, status.kind === "playing", info);
  // Set when the browser cannot decode the asked stream and another stream of the camera is H.264.
  const [substitute, setSubstitute] = useState<{ role: StreamRole; reason: string } | null>(null);
  const role = substitute?.role ?? asked;
  // The camera as last listed (its streams' codecs), without restarting the stream when the list refreshes.
  const latest = useRef(camera);
  latest.current = camera;

  // Off screen (or in a hidden tab) the stream is stopped, not just paused.
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    let onScreen = true;
    const update = () => setVisible(onScreen && document.visibilityState !== "hidden");
    const observer = new IntersectionObserver((entries) => {
      onScreen = entries.some((e) => e.isIntersecting);
      update();
    });
    observer.observe(element);
    document.addEventListener("visibilitychange", update);
    return () => {
      observer.disconnect();
      document.removeEventListener("visibilitychange", update);
    };
  }, []);

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    if (!visible) {
      setStatus({ kind: "paused" });
      return;
    }
    let cancelled = false;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let watchdog: ReturnType<typeof setInterval> | undefined;

    const stop = () => {
      clearInterval(watchdog);
      engine.current?.stop();
      engine.current = null;
    };
    const fail = (message: string) => {
      if (cancelled) return;
      stop();
      const wait = backoff(attempt++);
      setStatus({ kind: "error", message, retryIn: wait });
      retry = setTimeout(run, wait);
    };
    const run = async () => {
      setStatus({ kind: "connecting" });
      // Marks for measuring the time from opening a camera to its first picture (tools/vms-bench).
      performance.mark(`vms:open:${camera.id}`);
      const base = `/api/live/${camera.id}/${role}`;
      const context = {
        base,
        video: element,
        ticket: () => within(api.liveTicket(camera.id, role), TICKET_MS, "a live ticket"),
        // Failures while starting reject the start; these are failures after it.
        onFailure: (reason: string) => {
          if (engine.current) fail(reason);
        },
      };
      try {
        const { engine: started, skipped } = await connect(TRANSPORT_ORDER[transport], (p) => openEngine(p, context), () => cancelled);
        engine.current = started;
        attempt = 0;
        element.dataset.protocol = started.protocol;
        element.dataset.skipped = skipped.join("; ");
        setStatus({ kind: "playing", protocol: started.protocol, skipped });
        let last = progress(element);
        let since = Date.now();
        watchdog = setInterval(() => {
          const now = progress(element);
          if (now !== last) {
            last = now;
            since = Date.now();
          } else if (Date.now() - since > STALL_MS) {
            fail("the picture stopped");
          }
        }, 500);
      } catch (e) {
        const alternative = decodableAlternative(latest.current, role);
        if (e instanceof ConnectError && e.undecodable && alternative && !cancelled) {
          setSubstitute({ role: alternative, reason: e.message });
          return;
        }
        fail(e instanceof Error ? e.message : String(e));
      }
    };
    void run();
    return () => {
      cancelled = true;
      clearTimeout(retry);
      stop();
      delete element.dataset.protocol;
    };
  }, [api, camera.id, role, transport, visible]);

  // Latency is measured every second while playing with the overlay open (or
  // `?latency`); the overlay shows it and `data-latency-ms` exposes it.
  const measuring = status.kind === "playing" && (info || ALWAYS_MEASURE);
  useEffect(() => {
    const element = video.current;
    if (!element || !measuring) return;
    const timer = setInterval(async () => {
      const measured = (await engine.current?.latency()) ?? null;
      setLatency(measured);
      if (measured !== null) {
        element.dataset.latencyMs = String(Math.round(measured.seconds * 1000));
        element.dataset.latencyBasis = measured.basis;
      }
    }, 1000);
    return () => {
      clearInterval(timer);
      delete element.dataset.latencyMs;
      delete element.dataset.latencyBasis;
      setLatency(null);
    };
  }, [measuring]);

  // Digital zoom: the wheel zooms around the pointer, a drag pans, a double click resets.
  const onWheel = (event: React.WheelEvent) => {
    const box = event.currentTarget.getBoundingClientRect();
    const factor = event.deltaY < 0 ? 1.25 : 0.8;
    setZoom((z) => zoomAt(z, factor, (event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height));
  };
  const dragFrom = useRef<{ x: number; y: number } | null>(null);
  const onPointerDown = (event: React.PointerEvent) => {
    if (zoom.scale === 1) return;
    dragFrom.current = { x: event.clientX, y: event.clientY };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: React.PointerEvent) => {
    const from = dragFrom.current;
    if (!from) return;
    const box = event.currentTarget.getBoundingClientRect();
    setZoom((z) => pan(z, (event.clientX - from.x) / box.width, (event.clientY - from.y) / box.height));
    dragFrom.current = { x: event.clientX, y: event.clientY };
  };

  const download = async () => {
    try {
      const blob = await api.snapshot(camera.id, role);
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = `${camera.name}-${new Date().toISOString().replace(/[:.]/g, "-")}.jpg`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    } catch (e) {
      alert(`No snapshot: ${e instanceof Error ? e.message : e}`);
    }
  };

  const state = camera.streams.find((s) => s.role === role)?.state;
  return (
    <div className="player" ref={frame} data-camera={camera.id} data-status={status.kind}>
      <div
        className={`picture${zoom.scale > 1 ? " zoomed" : ""}`}
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (dragFrom.current = null)}
        onDoubleClick={() => setZoom(NO_ZOOM)}
      >
        <video ref={video} muted playsInline autoPlay style={{ transform: transform(zoom) }} data-camera={camera.id} />
      </div>
      <div className="badges">
        <span className="name">{camera.name}</span>
        {status.kind === "playing" && <span className="badge protocol">{PROTOCOL_LABELS[status.protocol]}</span>}
        {substitute && (
          <span className="badge" title={substitute.reason}>
            {substitute.role} stream
          </span>
        )}
        {zoom.scale > 1 && <span className="badge">{zoom.scale.toFixed(1)}×</span>}
      </div>
      {status.kind !== "playing" && (
        <div className="overlay-message" role="status">
          {status.kind === "connecting" && "Connecting…"}
          {status.kind === "paused" && "Paused (off screen)"}
          {status.kind === "error" && (
            <>
              <strong>No video</strong>
              <span>{status.message}</span>
              <span>Retrying in {Math.round(status.retryIn / 1000)} s</span>
            </>
          )}
        </div>
      )}
      {info && (
        <dl className="info" aria-label="Stream information">
          <dt>Transport</dt>
          <dd>{status.kind === "playing" ? PROTOCOL_LABELS[status.protocol] : "—"}</dd>
          {substitute && (
            <>
              <dt>Stream</dt>
              <dd>
                {substitute.role}, because {substitute.reason}
              </dd>
            </>
          )}
          {status.kind === "playing" && status.skipped.length > 0 && (
            <>
              <dt>Fell back</dt>
              <dd>{status.skipped.join("; ")}</dd>
            </>
          )}
          <dt>Codec</dt>
          <dd>{state?.codec_string ?? state?.codec ?? "—"}</dd>
          <dt>Resolution</dt>
          <dd>{stats.width ? `${stats.width}×${stats.height}` : state?.width ? `${state.width}×${state.height}` : "—"}</dd>
          <dt>Frame rate</dt>
          <dd>{stats.fps !== null ? `${stats.fps.toFixed(1)} fps` : "—"}</dd>
          <dt>Bit rate</dt>
          <dd>{state?.bitrate_kbps ? `${(state.bitrate_kbps / 1000).toFixed(2)} Mbit/s` : "—"}</dd>
          <dt>Latency</dt>
          <dd>{latency !== null ? `${Math.round(latency.seconds * 1000)} ms (${latency.basis})` : "—"}</dd>
        </dl>
      )}
      <div className="tools">
        <button type="button" title="Information" aria-label="Information" aria-pressed={info} onClick={() => setInfo(!info)}>
          <Icon name="info" />
        </button>
        <button type="button" title="Download a snapshot" aria-label="Download a snapshot" onClick={download}>
          <Icon name="download" />
        </button>
        <button type="button" title="Full screen" aria-label="Full screen" onClick={() => void frame.current?.requestFullscreen?.()}>
          <Icon name="fullscreen" />
        </button>
      </div>
    </div>
  );
}
