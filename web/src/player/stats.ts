// Frames actually shown, counted with requestVideoFrameCallback (where the
// browser has it): the frame rate over the last second and the picture size.

import { type RefObject, useEffect, useRef, useState } from "react";

export interface FrameStats {
  fps: number | null;
  width: number;
  height: number;
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

/// Marks the first frame shown once `playing` (`vms:first-frame:<camera>`,
/// read by tools/vms-bench) and, while `shown` (the overlay is open), gives
/// the frame rate over the last second; otherwise it renders nothing anew.
export function useFrameStats(ref: RefObject<HTMLVideoElement | null>, playing: boolean, shown: boolean): FrameStats {
  const [stats, setStats] = useState<FrameStats>({ fps: null, width: 0, height: 0 });
  // A ref, so that opening the overlay does not restart the count (nor mark a second first frame).
  const showing = useRef(shown);
  showing.current = shown;
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
      if (now - windowStart >= 1000) {
        const fps = (windowFrames * 1000) / (now - windowStart);
        if (showing.current) setStats({ fps, width: video.videoWidth, height: video.videoHeight });
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
