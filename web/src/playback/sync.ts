// How one archive tile follows the playback clock: which window of footage
// to load as a playlist, where a moment lies in the loaded playlist (each
// fragment carries its EXT-X-PROGRAM-DATE-TIME), and what to do to the video
// element to show the clock's moment.

import { IFRAME_SPEED } from "./clock";
import { MINUTE, SECOND } from "./timeline";

/// A playlist fragment as hls.js places it: from `start` (seconds of media
/// time), `duration` seconds long, recorded from `programDateTime` (epoch ms).
export interface Fragment {
  start: number;
  duration: number;
  programDateTime: number | null;
}

/// Fragments are written back to back; a moment this close past a
/// fragment's end still belongs to it (rounded durations).
const SLACK_MS = 250;

/// The media time (seconds) showing the moment `t`, or null when no loaded
/// fragment holds it (a gap, or outside the playlist).
export function mediaTimeAt(fragments: Fragment[], t: number): number | null {
  for (const f of fragments) {
    if (f.programDateTime === null) continue;
    const offset = t - f.programDateTime;
    if (offset >= 0 && offset < f.duration * 1000 + SLACK_MS) return f.start + Math.min(offset / 1000, f.duration);
  }
  return null;
}

/// The moment (epoch ms) media time `seconds` shows, or null when outside the fragments.
export function momentAt(fragments: Fragment[], seconds: number): number | null {
  for (const f of fragments) {
    if (f.programDateTime === null) continue;
    if (seconds >= f.start && seconds < f.start + f.duration + 0.001) return f.programDateTime + (seconds - f.start) * 1000;
  }
  return null;
}

/// A window of footage asked for as one playlist.
export interface Window {
  start: number;
  end: number;
  /// The I-frame playlist (fast speeds) rather than every picture.
  iframes: boolean;
  /// Cut short at the present: newer footage comes after it.
  live: boolean;
}

/// How much of the footage ahead of the clock one playlist covers, and behind it.
const AHEAD = 10 * MINUTE;
const BEHIND = 1 * MINUTE;
/// Fast speeds cover more: an I-frame playlist is one entry per fragment.
const AHEAD_IFRAMES = 60 * MINUTE;
/// A window cut at the present is loaded again once this much newer time
/// has passed, not sooner, however close the clock runs to its end.
export const LIVE_RELOAD = 10 * SECOND;

/// Whether a speed plays the I-frame playlist.
export function usesIFrames(rate: number): boolean {
  return Math.abs(rate) > IFRAME_SPEED;
}

/// The window to load for the moment `t` at `rate`, ending no later than the
/// present (`now`); null when there is nothing before the present to load.
/// `iframes` says which playlist (by default the one for the speed).
export function windowFor(t: number, rate: number, now: number, iframes = usesIFrames(rate)): Window | null {
  const ahead = iframes ? AHEAD_IFRAMES : AHEAD;
  const [before, after] = rate < 0 ? [ahead, BEHIND] : [BEHIND, ahead];
  const start = t - before;
  const end = Math.min(now, t + after);
  if (end - start < SECOND) return null;
  return { start, end, iframes, live: t + after > now };
}

/// Whether a loaded window still serves the clock at `t` going at `rate`
/// (0: paused) at the present `now`: it is of the right kind for the speed,
/// and `t` lies inside it with a margin in the direction of play, so the
/// next window loads a little before the clock runs out of this one. A
/// window cut at the present serves up to and past its end until
/// `LIVE_RELOAD` of newer time exists: near the present, reloading sooner
/// would bring nothing new.
export function windowServes(window: Window, t: number, rate: number, now: number, iframes = usesIFrames(rate)): boolean {
  if (window.iframes !== iframes) return false;
  const margin = Math.min(3 * SECOND * Math.abs(rate), (window.end - window.start) / 4);
  const nothingNewer = window.live && now - window.end < LIVE_RELOAD;
  if (t >= window.end - (rate > 0 ? margin : 0)) return nothingNewer && t >= window.start;
  if (rate < 0) return t >= window.start + margin;
  return t >= window.start;
}

/// What the tile does to its video element.
export interface Follow {
  /// Seek to this media time first (seconds), if set.
  seekTo: number | null;
  /// Play (at `playbackRate`), or stay paused.
  play: boolean;
  playbackRate: number;
}

/// The state of the tile's video element that matters here.
export interface VideoState {
  currentTime: number;
  seeking: boolean;
}

/// Steps of a tile playing backwards or paused: seek when the picture is
/// further than this from the clock (seconds).
const PAUSED_TOLERANCE = 0.02;
/// Playing backwards shows a picture every so often by seeking.
const REVERSE_STEP = 0.2;

/// Decides how the video follows the clock. `target` is the media time of
/// the clock's moment (null: no footage there, so the video waits paused).
/// Forwards it plays at the clock's rate, nudged by up to 10 % to close a
/// small drift and seeking past a large one; backwards and paused it seeks,
/// one seek at a time.
export function follow(video: VideoState, target: number | null, playing: boolean, rate: number): Follow {
  const still = { seekTo: null, play: false, playbackRate: 1 };
  if (target === null) return still;
  const drift = video.currentTime - target;
  if (!playing || rate < 0) {
    const tolerance = playing ? Math.max(REVERSE_STEP, REVERSE_STEP * Math.abs(rate)) : PAUSED_TOLERANCE;
    const seekTo = !video.seeking && Math.abs(drift) > tolerance ? target : null;
    return { ...still, seekTo };
  }
  // Past this drift a seek is quicker than catching up (more at high speed).
  const tolerance = Math.max(1, 0.5 * rate);
  if (Math.abs(drift) > tolerance) return { seekTo: video.seeking ? null : target, play: true, playbackRate: rate };
  const nudge = Math.abs(drift) < 0.05 ? 1 : Math.min(1.1, Math.max(0.9, 1 - drift / 2));
  // Browsers play at most 16×.
  return { seekTo: null, play: true, playbackRate: Math.min(16, rate * nudge) };
}
