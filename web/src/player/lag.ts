// How far behind the camera an MSE viewer is. The media plane puts a `prft`
// box (producer reference time) ahead of each picture's fragment, saying when
// the picture reached it; comparing that with when the fragment arrives here
// shows pictures piling up in buffers on a slow link, which the browser's
// own buffer cannot show.

import { ntpToUnixMs } from "./ntp";

/// Splits a WebSocket message into the time its `prft` gives (Unix
/// milliseconds, null without one) and the media to append (the rest).
export function splitProducerTime(data: ArrayBuffer): { arrivedMs: number | null; media: ArrayBuffer } {
  const view = new DataView(data);
  if (data.byteLength < 24 || view.getUint32(4) !== 0x70726674 /* prft */) return { arrivedMs: null, media: data };
  const size = view.getUint32(0);
  if (size < 24 || size > data.byteLength) return { arrivedMs: null, media: data };
  return { arrivedMs: ntpToUnixMs(view.getUint32(16), view.getUint32(20)), media: data.slice(size) };
}

/// Watches how long pictures take to arrive. The smallest delay seen is the
/// baseline (it absorbs a clock difference between the two machines); a
/// viewer whose pictures arrive more than `limitMs` later than that, `count`
/// times in a row, has fallen behind.
export class FallBehind {
  private floor = Number.POSITIVE_INFINITY;
  private over = 0;
  /// The latest delay, in milliseconds.
  latest: number | null = null;

  constructor(
    private readonly limitMs = 3000,
    private readonly count = 5,
  ) {}

  /// Notes one picture's delay; returns how far behind the baseline it is
  /// once the viewer has fallen behind, otherwise null.
  observe(delayMs: number): number | null {
    this.latest = delayMs;
    this.floor = Math.min(this.floor, delayMs);
    const behind = delayMs - this.floor;
    this.over = behind > this.limitMs ? this.over + 1 : 0;
    return this.over >= this.count ? behind : null;
  }

  /// Whether both clocks seem to agree (the baseline is a plausible network
  /// delay), so that the latest delay is a real latency.
  clocksAgree(): boolean {
    return this.floor > -500 && this.floor < 2000;
  }
}
