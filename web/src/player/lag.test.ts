import { describe, expect, it } from "vitest";

import { FallBehind, splitProducerTime } from "./lag";

/// A prft box (version 1) for `unixMs`, followed by `rest`.
function message(unixMs: number, rest: number[]): ArrayBuffer {
  const buffer = new ArrayBuffer(32 + rest.length);
  const view = new DataView(buffer);
  view.setUint32(0, 32);
  view.setUint32(4, 0x70726674);
  view.setUint32(8, 0x01000000);
  view.setUint32(12, 1);
  const seconds = Math.floor(unixMs / 1000);
  view.setUint32(16, seconds + 2_208_988_800);
  view.setUint32(20, Math.floor(((unixMs - seconds * 1000) / 1000) * 2 ** 32));
  view.setBigUint64(24, 0n);
  new Uint8Array(buffer, 32).set(rest);
  return buffer;
}

describe("splitProducerTime", () => {
  it("reads the prft's wall-clock time and hands on the rest", () => {
    const { arrivedMs, media } = splitProducerTime(message(1_763_769_600_250, [1, 2, 3]));
    expect(arrivedMs).toBeCloseTo(1_763_769_600_250, 0);
    expect([...new Uint8Array(media)]).toEqual([1, 2, 3]);
  });

  it("passes a message without one through whole", () => {
    const moof = new Uint8Array([0, 0, 0, 8, 0x6d, 0x6f, 0x6f, 0x66]).buffer;
    expect(splitProducerTime(moof)).toEqual({ arrivedMs: null, media: moof });
    const torn = message(5, []).slice(0, 20);
    expect(splitProducerTime(torn).arrivedMs).toBeNull();
  });
});

describe("FallBehind", () => {
  it("ignores a clock difference and the GOP cache's older pictures", () => {
    const watch = new FallBehind(3000, 3);
    // The burst from the GOP cache (up to 2 s old), then live pictures, all with the server's clock 10 s ahead.
    for (const delay of [-8000, -8500, -9000, -9900, -9950, -9900, -9920]) expect(watch.observe(delay)).toBeNull();
    expect(watch.clocksAgree()).toBe(false);
  });

  it("says so once pictures keep arriving seconds later than they did", () => {
    const watch = new FallBehind(3000, 3);
    for (const delay of [40, 30, 35]) watch.observe(delay);
    expect(watch.clocksAgree()).toBe(true);
    expect(watch.observe(3500)).toBeNull();
    expect(watch.observe(3600)).toBeNull();
    expect(watch.observe(40)).toBeNull();
    expect(watch.observe(3500)).toBeNull();
    expect(watch.observe(3600)).toBeNull();
    expect(watch.observe(3700)).toBe(3670);
  });
});
