import { PlaybackClock, shuttle } from "./clock";

const T0 = Date.UTC(2026, 10, 21, 12);

/// A clock with hand-moved time: `advance(ms)` moves both the monotonic and the wall clock.
function clockAt(start: number, wallStart = start + 3_600_000, holdLimit = 8000) {
  let now = 0;
  let wall = wallStart;
  const clock = new PlaybackClock(start, { now: () => now, wall: () => wall, holdLimit });
  const advance = (ms: number) => {
    now += ms;
    wall += ms;
  };
  return { clock, advance };
}

describe("the playback clock", () => {
  it("stands while paused and runs at the speed while playing", () => {
    const { clock, advance } = clockAt(T0);
    advance(5000);
    expect(clock.time()).toBe(T0);
    clock.play();
    advance(2000);
    expect(clock.time()).toBe(T0 + 2000);
    clock.setRate(4);
    advance(1000);
    expect(clock.time()).toBe(T0 + 6000);
    clock.setRate(0.25);
    advance(4000);
    expect(clock.time()).toBe(T0 + 7000);
    clock.pause();
    advance(10_000);
    expect(clock.time()).toBe(T0 + 7000);
  });

  it("runs backwards at a negative speed", () => {
    const { clock, advance } = clockAt(T0);
    clock.setRate(-2);
    clock.play();
    advance(1500);
    expect(clock.time()).toBe(T0 - 3000);
  });

  it("seeks, steps a frame (pausing) and counts seeks", () => {
    const { clock, advance } = clockAt(T0);
    const changes: string[] = [];
    clock.subscribe((c) => changes.push(c));
    clock.play();
    advance(1000);
    clock.seek(T0 + 60_000);
    expect(clock.time()).toBe(T0 + 60_000);
    advance(1000);
    expect(clock.time()).toBe(T0 + 61_000);
    clock.step(40);
    expect(clock.playing).toBe(false);
    expect(clock.time()).toBe(T0 + 61_040);
    clock.step(-80);
    expect(clock.time()).toBe(T0 + 60_960);
    expect(clock.seekCount).toBe(3);
    expect(changes).toEqual(["play", "seek", "pause", "seek", "seek"]);
  });

  it("never runs past the present", () => {
    const { clock, advance } = clockAt(T0, T0 + 1000);
    clock.setRate(16);
    clock.play();
    advance(500);
    expect(clock.time()).toBe(T0 + 1500); // the present has moved on by 500 ms too
    clock.seek(T0 + 3_600_000);
    expect(clock.time()).toBe(T0 + 1500);
  });

  it("waits while a tile loads footage, for every tile, and no longer than the limit", () => {
    const { clock, advance } = clockAt(T0);
    clock.play();
    advance(1000);
    clock.hold("a");
    clock.hold("b");
    expect(clock.waiting).toBe(true);
    advance(2000);
    expect(clock.time()).toBe(T0 + 1000);
    clock.release("a");
    advance(1000);
    expect(clock.time()).toBe(T0 + 1000); // "b" still loads
    clock.release("b");
    expect(clock.waiting).toBe(false);
    advance(1000);
    expect(clock.time()).toBe(T0 + 2000);
    // A tile that never gets its footage stops the others for at most the limit.
    clock.hold("stuck");
    advance(8000);
    expect(clock.time()).toBe(T0 + 2000);
    advance(3000);
    expect(clock.waiting).toBe(false);
    expect(clock.time()).toBe(T0 + 5000);
    // A speed change while held past the limit does not start the wait again.
    clock.setRate(2);
    advance(1000);
    expect(clock.time()).toBe(T0 + 7000);
    clock.release("stuck");
    advance(1000);
    expect(clock.time()).toBe(T0 + 9000);
  });

  it("gives holds their full limit again after a seek", () => {
    const { clock, advance } = clockAt(T0);
    clock.play();
    clock.hold("a");
    advance(7000);
    clock.seek(T0 + 60_000);
    advance(7000);
    expect(clock.time()).toBe(T0 + 60_000);
    advance(2000);
    expect(clock.time()).toBe(T0 + 61_000);
  });
});

describe("the J/K/L shuttle", () => {
  it("starts at 1× each way and doubles while going that way, up to 16×", () => {
    expect(shuttle(1, false, 1)).toBe(1);
    expect(shuttle(1, true, 1)).toBe(2);
    expect(shuttle(8, true, 1)).toBe(16);
    expect(shuttle(16, true, 1)).toBe(16);
    expect(shuttle(4, true, -1)).toBe(-1);
    expect(shuttle(-1, true, -1)).toBe(-2);
    expect(shuttle(-2, false, -1)).toBe(-1);
    // From a slow speed, the first press plays at 1×.
    expect(shuttle(0.25, true, 1)).toBe(1);
  });
});
