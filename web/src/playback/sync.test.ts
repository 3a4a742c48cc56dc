import { type Fragment, follow, mediaTimeAt, momentAt, usesIFrames, windowFor, windowServes } from "./sync";

const T0 = Date.UTC(2026, 10, 21, 12);

// Two files: 12:00:00–12:00:06 in three 2 s fragments, then, after a gap,
// 12:01:00–12:01:04; hls.js lays them back to back on the media timeline.
const fragments: Fragment[] = [
  { start: 0, duration: 2, programDateTime: T0 },
  { start: 2, duration: 2, programDateTime: T0 + 2000 },
  { start: 4, duration: 2, programDateTime: T0 + 4000 },
  { start: 6, duration: 2, programDateTime: T0 + 60_000 },
  { start: 8, duration: 2, programDateTime: T0 + 62_000 },
];

describe("following the clock", () => {
  it("finds a moment on the media timeline, and not in a gap", () => {
    expect(mediaTimeAt(fragments, T0)).toBe(0);
    expect(mediaTimeAt(fragments, T0 + 3500)).toBe(3.5);
    expect(mediaTimeAt(fragments, T0 + 61_000)).toBe(7);
    expect(mediaTimeAt(fragments, T0 + 6100)).toBe(6); // rounding slack at a fragment's end
    expect(mediaTimeAt(fragments, T0 + 30_000)).toBeNull();
    expect(mediaTimeAt(fragments, T0 - 1)).toBeNull();
    expect(mediaTimeAt([{ start: 0, duration: 2, programDateTime: null }], T0)).toBeNull();
    expect(momentAt(fragments, 3.5)).toBe(T0 + 3500);
    expect(momentAt(fragments, 7)).toBe(T0 + 61_000);
    expect(momentAt(fragments, 11)).toBeNull();
  });

  it("loads a window ahead of the clock in the direction of play, up to the present", () => {
    const now = T0 + 3_600_000;
    expect(windowFor(T0, 1, now)).toEqual({ start: T0 - 60_000, end: T0 + 600_000, iframes: false, live: false });
    expect(windowFor(T0, -1, now)).toEqual({ start: T0 - 600_000, end: T0 + 60_000, iframes: false, live: false });
    expect(windowFor(T0, 8, now)).toEqual({ start: T0 - 60_000, end: T0 + 3_600_000, iframes: true, live: false });
    expect(windowFor(T0, 1, T0 + 5000)).toEqual({ start: T0 - 60_000, end: T0 + 5000, iframes: false, live: true });
    expect(windowFor(T0 + 59_500, 1, T0)).toBeNull();
    expect([0.25, 1, 4, 8, 16, -4, -8].map(usesIFrames)).toEqual([false, false, false, true, true, false, true]);
  });

  it("keeps a window while the clock is well inside it, in its kind", () => {
    const w = { start: T0, end: T0 + 600_000, iframes: false, live: false };
    const now = T0 + 3_600_000;
    expect(windowServes(w, T0 + 1000, 1, now)).toBe(true);
    expect(windowServes(w, T0 + 598_000, 1, now)).toBe(false); // about to run out going forwards
    expect(windowServes(w, T0 + 598_000, -1, now)).toBe(true);
    expect(windowServes(w, T0 + 1000, -1, now)).toBe(false); // about to run out going backwards
    expect(windowServes(w, T0 + 599_999, 0, now)).toBe(true); // paused: inside is enough
    expect(windowServes(w, T0 + 600_000, 0, now)).toBe(false);
    expect(windowServes(w, T0 - 1, 0, now)).toBe(false);
    expect(windowServes(w, T0 + 1000, 8, now)).toBe(false); // 8× wants the I-frame playlist
  });

  it("keeps a window cut at the present until there is newer footage to load", () => {
    const w = { start: T0, end: T0 + 100_000, iframes: true, live: true };
    // At 8× the clock closes on the end: nothing newer yet, so no reload.
    expect(windowServes(w, T0 + 95_000, 8, T0 + 101_000)).toBe(true);
    expect(windowServes(w, T0 + 100_500, 8, T0 + 101_000)).toBe(true);
    // Ten seconds later there is.
    expect(windowServes(w, T0 + 95_000, 8, T0 + 110_000)).toBe(false);
    expect(windowServes({ ...w, live: false }, T0 + 95_000, 8, T0 + 101_000)).toBe(false);
  });

  it("seeks a paused video exactly to the clock, once at a time", () => {
    expect(follow({ currentTime: 3, seeking: false }, 3.5, false, 1)).toEqual({ seekTo: 3.5, play: false, playbackRate: 1 });
    expect(follow({ currentTime: 3.49, seeking: false }, 3.5, false, 1).seekTo).toBeNull();
    expect(follow({ currentTime: 3, seeking: true }, 3.5, false, 1).seekTo).toBeNull();
  });

  it("plays forwards at the clock's speed, nudging a small drift and seeking past a large one", () => {
    expect(follow({ currentTime: 10, seeking: false }, 10.02, true, 2)).toEqual({ seekTo: null, play: true, playbackRate: 2 });
    const behind = follow({ currentTime: 10, seeking: false }, 10.4, true, 1);
    expect(behind.seekTo).toBeNull();
    expect(behind.playbackRate).toBeCloseTo(1.1, 9);
    expect(follow({ currentTime: 10.2, seeking: false }, 10, true, 1).playbackRate).toBeCloseTo(0.9, 9);
    expect(follow({ currentTime: 10, seeking: false }, 13, true, 1)).toEqual({ seekTo: 13, play: true, playbackRate: 1 });
    // At 16× a few seconds of drift is normal, and the browser's ceiling holds.
    const fast = follow({ currentTime: 10, seeking: false }, 14, true, 16);
    expect(fast.seekTo).toBeNull();
    expect(fast.playbackRate).toBe(16);
  });

  it("steps backwards by seeking, and waits paused where there is no footage", () => {
    expect(follow({ currentTime: 10, seeking: false }, 9.5, true, -1)).toEqual({ seekTo: 9.5, play: false, playbackRate: 1 });
    expect(follow({ currentTime: 10, seeking: false }, 9.9, true, -1).seekTo).toBeNull();
    expect(follow({ currentTime: 10, seeking: false }, null, true, 1)).toEqual({ seekTo: null, play: false, playbackRate: 1 });
  });
});
