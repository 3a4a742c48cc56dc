// What every live transport offers the player.

export type Protocol = "webrtc" | "mse" | "hls";

export const PROTOCOL_LABELS: Record<Protocol, string> = { webrtc: "WebRTC", mse: "MSE", hls: "HLS" };

/// A transport that was refused for a reason another transport would not
/// share (a codec WebRTC cannot carry, say): the player moves on at once.
export class Unsupported extends Error {}

/// The browser cannot decode the stream's codec (H.265, say): no transport
/// will help, but another stream of the camera might.
export class CannotDecode extends Unsupported {}

export interface Engine {
  readonly protocol: Protocol;
  /// Starts playing into the video element; resolves once media flows.
  start(): Promise<void>;
  /// Stops and releases everything (server session included).
  stop(): void;
  /// The measured delay to the screen, if known.
  latency(): Promise<Latency | null>;
}

/// A measured delay, and what it was measured from.
export interface Latency {
  seconds: number;
  basis: string;
}

/// What an engine needs: where the stream is, a fresh single-use ticket per
/// attempt, the video element, and a callback for a failure after start.
export interface EngineContext {
  /// `/api/live/{camera}/{stream}`
  base: string;
  ticket: () => Promise<string>;
  video: HTMLVideoElement;
  onFailure: (reason: string) => void;
}

/// Settles as `promise` does, or rejects after `ms`.
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/// Waits for `event` on `target`, or rejects after `ms`.
export function waitFor(target: EventTarget, event: string, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      target.removeEventListener(event, done);
      reject(new Error(`${what} did not happen within ${ms / 1000} s`));
    }, ms);
    const done = () => {
      clearTimeout(timer);
      target.removeEventListener(event, done);
      resolve();
    };
    target.addEventListener(event, done);
  });
}

/// Waits until the video has a picture to show (it may have one already), or
/// rejects after `ms`.
export function waitForPicture(video: HTMLVideoElement, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
        finish();
        resolve();
      }
    };
    const events = ["loadeddata", "playing", "timeupdate", "resize"];
    const poll = setInterval(check, 100);
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${what} did not arrive within ${ms / 1000} s`));
    }, ms);
    const finish = () => {
      clearInterval(poll);
      clearTimeout(timer);
      events.forEach((e) => video.removeEventListener(e, check));
    };
    events.forEach((e) => video.addEventListener(e, check));
    check();
  });
}
