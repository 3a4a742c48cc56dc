// LL-HLS: hls.js in low-latency mode where MSE exists, the browser's own
// player otherwise (Safari on iOS). hls.js is most of the app's weight and
// only this fallback needs it, so it loads on first use.

import type Hls from "hls.js";

import { CannotDecode, type Engine, type EngineContext, type Latency, Unsupported, waitForPicture } from "./engine";

const START_MS = 12000;

export class HlsEngine implements Engine {
  readonly protocol = "hls" as const;
  private hls: Hls | null = null;

  constructor(private readonly ctx: EngineContext) {}

  async start(): Promise<void> {
    const ticket = await this.ctx.ticket();
    const url = `${this.ctx.base}/hls/index.m3u8?ticket=${encodeURIComponent(ticket)}`;
    const video = this.ctx.video;
    const { default: Hls } = await import("hls.js");
    if (Hls.isSupported()) {
      const hls = new Hls({ lowLatencyMode: true, backBufferLength: 10, liveSyncDurationCount: 1 });
      this.hls = hls;
      // A fatal error while starting fails the start at once; later ones go to the player.
      let starting = true;
      const refused = new Promise<never>((_, reject) => {
        hls.on(Hls.Events.ERROR, (_, data) => {
          if (!data.fatal) return;
          if (!starting) {
            this.ctx.onFailure(`HLS: ${data.details}`);
          } else if (data.details === Hls.ErrorDetails.MANIFEST_INCOMPATIBLE_CODECS_ERROR) {
            reject(new CannotDecode("this browser cannot decode the stream's codec"));
          } else {
            reject(new Error(`HLS: ${data.details}`));
          }
        });
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      try {
        await Promise.race([waitForPicture(video, START_MS, "the first HLS picture"), refused]);
      } finally {
        starting = false;
      }
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = url;
      await waitForPicture(video, START_MS, "the first HLS picture");
    } else {
      throw new Unsupported("this browser plays no HLS");
    }
    await video.play().catch(() => {});
  }

  stop(): void {
    this.hls?.destroy();
    this.hls = null;
    this.ctx.video.removeAttribute("src");
    this.ctx.video.load();
  }

  async latency(): Promise<Latency | null> {
    return this.hls ? { seconds: this.hls.latency, basis: "hls.js" } : null;
  }
}
