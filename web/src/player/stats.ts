// Frames actually shown, counted with requestVideoFrameCallback (where the
// browser has it): the frame rate over the last second and the picture size.

import { type RefObject, useEffect, useState } from "react";

export interface FrameStats {
  fps: number | null;
  width: number;
  height: number;
  /// Frames presented since playing started.
  frames: number;
}

type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number, meta: { presentedFrames: number }) => void) => number;
  cancelVideoFrameCallback?: (id: number) => void;
};

/// A number that grows while new pictures arrive: the frames the browser
/// decoded where it counts them, else the playback position. (A WebRTC
/// video's position keeps moving when no picture comes, its frame count does not.)
export function progress(video: HTMLVideoElement): number {
  const decoded = video.getVideoPlaybackQuality?.().totalVideoFrames ?? 0;
  return decoded > 0 ? decoded : video.currentTime;
}

/// Counts the frames shown while `playing`, and the frame rate over the last second.
export function useFrameStats(ref: RefObject<HTMLVideoElement | null>, playing: boolean): FrameStats {
  const [stats, setStats] = useState<FrameStats>({ fps: null, width: 0, height: 0, frames: 0 });
  useEffect(() => {
    const video = ref.current as FrameCallbackVideo | null;
    if (!video || !playing || !video.requestVideoFrameCallback) return;
    let handle = 0;
    let frames = 0;
    let windowStart = performance.now();
    let windowFrames = 0;
    const onFrame = (now: number) => {
      if (frames === 0) performance.mark(`vms:first-frame:${video.dataset.camera}`);
      frames += 1;
      windowFrames += 1;
      video.dataset.frames = String(frames);
      if (now - windowStart >= 1000) {
        const fps = (windowFrames * 1000) / (now - windowStart);
        setStats({ fps, width: video.videoWidth, height: video.videoHeight, frames });
        windowStart = now;
        windowFrames = 0;
      }
      handle = video.requestVideoFrameCallback!(onFrame);
    };
    handle = video.requestVideoFrameCallback(onFrame);
    return () => video.cancelVideoFrameCallback?.(handle);
  }, [ref, playing]);
  return stats;
}
