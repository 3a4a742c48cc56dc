// fMP4 over WebSocket into Media Source Extensions (ManagedMediaSource on
// iOS). The server sends a JSON description, an init segment, then one
// fragment per picture, each after a `prft` saying when the picture reached
// the media plane. The player stays near the live edge by jumping ahead when
// its buffer runs long, reconnects (at the newest keyframe) when pictures
// pile up on a slow link, and trims what it has shown.

import { CannotDecode, type Engine, type EngineContext, type Latency, Unsupported, waitFor, waitForPicture, within } from "./engine";
import { FallBehind, splitProducerTime } from "./lag";

/// Behind the live edge by more than this, the player jumps ahead.
const MAX_BEHIND = 1.0;
/// Where it lands, behind the newest picture.
const LAND_BEHIND = 0.15;
/// Seconds of shown video kept in the buffer.
const KEEP = 10;
const START_MS = 8000;

type MediaSourceCtor = typeof MediaSource;

function mediaSource(): MediaSourceCtor | null {
  const w = globalThis as unknown as { ManagedMediaSource?: MediaSourceCtor; MediaSource?: MediaSourceCtor };
  return w.ManagedMediaSource ?? w.MediaSource ?? null;
}

export class MseEngine implements Engine {
  readonly protocol = "mse" as const;
  private socket: WebSocket | null = null;
  private source: MediaSource | null = null;
  private buffer: SourceBuffer | null = null;
  private queue: ArrayBuffer[] = [];
  private url: string | null = null;
  private stopped = false;
  private readonly behind = new FallBehind();

  constructor(private readonly ctx: EngineContext) {}

  async start(): Promise<void> {
    const Source = mediaSource();
    if (!Source) throw new Unsupported("this browser has no Media Source Extensions");
    const ticket = await this.ctx.ticket();
    const origin = location.origin.replace(/^http/, "ws");
    const socket = new WebSocket(`${origin}${this.ctx.base}/ws?ticket=${encodeURIComponent(ticket)}`);
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    const started = new Promise<void>((resolve, reject) => {
      socket.onmessage = (event) => {
        if (typeof event.data === "string") {
          const message = JSON.parse(event.data);
          if (message.type === "init") {
            if (!Source.isTypeSupported(message.mime)) {
              reject(new CannotDecode(`this browser cannot decode ${message.codec}`));
              return;
            }
            this.describe(Source, message.mime).then(resolve, reject);
          } else if (message.type === "end") {
            this.ctx.onFailure(message.reason);
          }
          return;
        }
        const { arrivedMs, media } = splitProducerTime(event.data);
        if (arrivedMs !== null) {
          const behind = this.behind.observe(Date.now() - arrivedMs);
          if (behind !== null) {
            this.ctx.onFailure(`pictures arrive ${(behind / 1000).toFixed(1)} s late (slow network); catching up`);
          }
        }
        this.queue.push(media);
        this.pump();
      };
      socket.onerror = () => reject(new Error("the live WebSocket failed"));
      socket.onclose = (event) => {
        reject(new Error(`the live WebSocket closed (${event.code})`));
        if (!this.stopped) this.ctx.onFailure("the live WebSocket closed");
      };
    });
    await within(started, START_MS, "the stream's description");
    await waitForPicture(this.ctx.video, START_MS, "the first MSE picture");
    await this.ctx.video.play().catch(() => {});
  }

  /// Sets up (or, on a new codec or size, re-types) the source buffer.
  private async describe(Source: MediaSourceCtor, mime: string): Promise<void> {
    if (this.buffer) {
      this.buffer.changeType(mime);
      return;
    }
    const source = new Source();
    this.source = source;
    const video = this.ctx.video;
    video.disableRemotePlayback = true;
    if ("ManagedMediaSource" in globalThis) {
      video.srcObject = source as unknown as MediaProvider;
    } else {
      this.url = URL.createObjectURL(source);
      video.src = this.url;
    }
    await waitFor(source, "sourceopen", START_MS, "the media source opening");
    const buffer = source.addSourceBuffer(mime);
    buffer.mode = "segments";
    buffer.addEventListener("updateend", () => this.afterAppend());
    this.buffer = buffer;
    this.pump();
  }

  private pump() {
    const buffer = this.buffer;
    if (!buffer || buffer.updating || this.queue.length === 0 || this.source?.readyState !== "open") return;
    const next = this.queue.shift()!;
    try {
      buffer.appendBuffer(next);
    } catch (e) {
      this.ctx.onFailure(`MSE append failed: ${e}`);
    }
  }

  private afterAppend() {
    const video = this.ctx.video;
    const buffered = video.buffered;
    if (buffered.length > 0) {
      const end = buffered.end(buffered.length - 1);
      if (end - video.currentTime > MAX_BEHIND) {
        video.currentTime = Math.max(buffered.start(buffered.length - 1), end - LAND_BEHIND);
      }
      const start = buffered.start(0);
      if (this.buffer && !this.buffer.updating && video.currentTime - start > KEEP * 2) {
        this.buffer.remove(start, video.currentTime - KEEP);
        return;
      }
    }
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
    this.socket = null;
    this.queue = [];
    if (this.source?.readyState === "open") {
      try {
        this.source.endOfStream();
      } catch {
        // Closing anyway.
      }
    }
    this.buffer = null;
    this.source = null;
    this.ctx.video.removeAttribute("src");
    this.ctx.video.srcObject = null;
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }

  /// From the media plane's stamps when both clocks agree: how long the
  /// newest picture took to get here, plus the buffered time until it shows.
  /// Otherwise only the buffered time.
  async latency(): Promise<Latency | null> {
    const video = this.ctx.video;
    if (video.buffered.length === 0) return null;
    const buffered = Math.max(0, video.buffered.end(video.buffered.length - 1) - video.currentTime);
    const delay = this.behind.latest;
    if (delay !== null && this.behind.clocksAgree()) {
      return { seconds: Math.max(0, delay / 1000) + buffered, basis: "media plane stamps" };
    }
    return { seconds: buffered, basis: "buffer" };
  }
}
