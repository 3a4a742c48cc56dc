// LL-HLS: hls.js in low-latency mode where MSE exists, the browser's own
// player otherwise (Safari on iOS).

import Hls from "hls.js";

import { type Engine, type EngineContext, Unsupported, waitForPicture } from "./engine";

const START_MS = 12000;

export class HlsEngine implements Engine {
  readonly protocol = "hls" as const;
  private hls: Hls | null = null;

  constructor(private readonly ctx: EngineContext) {}

  async start(): Promise<void> {
    const ticket = await this.ctx.ticket();
    const url = `${this.ctx.base}/hls/index.m3u8?ticket=${encodeURIComponent(ticket)}`;
    const video = this.ctx.video;
    if (Hls.isSupported()) {
      const hls = new Hls({ lowLatencyMode: true, backBufferLength: 10, liveSyncDurationCount: 1 });
      this.hls = hls;
      hls.on(Hls.Events.ERROR, (_, data) => {
        if (data.fatal) this.ctx.onFailure(`HLS: ${data.details}`);
      });
      hls.loadSource(url);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = url;
    } else {
      throw new Unsupported("this browser plays no HLS");
    }
    await waitForPicture(video, START_MS, "the first HLS picture");
    await video.play().catch(() => {});
  }

  stop(): void {
    this.hls?.destroy();
    this.hls = null;
    this.ctx.video.removeAttribute("src");
    this.ctx.video.load();
  }

  async latency(): Promise<number | null> {
    return this.hls?.latency ?? null;
  }
}
