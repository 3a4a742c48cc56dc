// One window of recorded footage in a video element: an archive ticket
// opens the camera stream's playback playlist (or its I-frame playlist for
// fast speeds), hls.js plays it, and the playlist's fragments map moments to
// media time. hls.js loads on first use, as for live HLS.

import type Hls from "hls.js";

import type { Api } from "../api/client";
import type { StreamRole } from "../api/types";
import { type Fragment, type Window, mediaTimeAt, momentAt } from "./sync";

/// How long the playlist may take to arrive.
const LOAD_MS = 15000;

/// No footage in the window (the playlist answered 404).
export class NothingRecorded extends Error {}

/// The playlist URL of a window, for an archive ticket.
export function playlistUrl(camera: string, role: StreamRole, window: Window, ticket: string): string {
  const query = new URLSearchParams({
    start: new Date(window.start).toISOString(),
    end: new Date(window.end).toISOString(),
    ticket,
  });
  return `/api/cameras/${camera}/streams/${role}/${window.iframes ? "iframes" : "playback"}.m3u8?${query}`;
}

export class ArchiveSource {
  private constructor(
    private readonly hls: Hls,
    readonly window: Window,
    private readonly video: HTMLVideoElement,
  ) {}

  /// Loads `window` of the camera stream into `video`, ready to show the
  /// moment `at`; `onFailure` hears of a fatal error after that.
  static async open(
    api: Api,
    camera: string,
    role: StreamRole,
    video: HTMLVideoElement,
    window: Window,
    at: number,
    onFailure: (reason: string) => void,
  ): Promise<ArchiveSource> {
    const { default: HlsClass } = await import("hls.js");
    if (!HlsClass.isSupported()) throw new Error("this browser cannot play recordings (no Media Source Extensions)");
    const ticket = await api.archiveTicket(camera, role);
    const hls = new HlsClass({
      autoStartLoad: false,
      // A window is a few minutes: keep some behind for stepping back.
      maxBufferLength: 30,
      backBufferLength: 60,
      // Each ticketed fragment URL is only valid for this window; a refused one will not get better.
      fragLoadPolicy: {
        default: {
          maxTimeToFirstByteMs: 10000,
          maxLoadTimeMs: 30000,
          timeoutRetry: { maxNumRetry: 2, retryDelayMs: 0, maxRetryDelayMs: 0 },
          errorRetry: { maxNumRetry: 1, retryDelayMs: 500, maxRetryDelayMs: 1000 },
        },
      },
    });
    const source = new ArchiveSource(hls, window, video);
    let started = false;
    let recovered = false;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the playlist did not load within ${LOAD_MS / 1000} s`)), LOAD_MS);
        hls.on(HlsClass.Events.LEVEL_LOADED, () => {
          clearTimeout(timer);
          resolve();
        });
        hls.on(HlsClass.Events.ERROR, (_, data) => {
          if (!data.fatal) return;
          if (!started) {
            clearTimeout(timer);
            const status = data.response?.code;
            reject(status === 404 ? new NothingRecorded("nothing is recorded in this window") : new Error(`playback: ${data.details}`));
          } else if (data.type === HlsClass.ErrorTypes.MEDIA_ERROR && !recovered) {
            recovered = true;
            hls.recoverMediaError();
          } else {
            onFailure(`playback: ${data.details}`);
          }
        });
        hls.loadSource(playlistUrl(camera, role, window, ticket));
        hls.attachMedia(video);
      });
    } catch (e) {
      source.destroy();
      throw e;
    }
    started = true;
    hls.startLoad(source.mediaTimeAt(at) ?? 0);
    return source;
  }

  /// The playlist's fragments as placed on the media timeline.
  fragments(): Fragment[] {
    return this.hls.levels[0]?.details?.fragments ?? [];
  }

  /// The media time (seconds) showing moment `t`; null where the window has no footage.
  mediaTimeAt(t: number): number | null {
    return mediaTimeAt(this.fragments(), t);
  }

  /// The moment the video shows now, if it is inside the footage.
  moment(): number | null {
    return momentAt(this.fragments(), this.video.currentTime);
  }

  destroy(): void {
    this.hls.destroy();
    this.video.removeAttribute("src");
    this.video.load();
  }
}
