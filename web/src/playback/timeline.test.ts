import {
  DAY,
  GAP_LEAD,
  HOUR,
  MAX_SPAN,
  MIN_SPAN,
  MINUTE,
  SECOND,
  bars,
  centredOn,
  covering,
  fetchWindow,
  initialPosition,
  keepInView,
  nextGap,
  parseRanges,
  previousGap,
  spanLabel,
  stepSpan,
  tickStep,
  ticks,
  timeToX,
  union,
  wheelFactor,
  xToTime,
  zoomAround,
} from "./timeline";

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

describe("timeline maths", () => {
  it("maps time to pixels and back", () => {
    const view = { start: T0, span: 10 * MINUTE };
    expect(timeToX(view, T0, 1000)).toBe(0);
    expect(timeToX(view, T0 + 5 * MINUTE, 1000)).toBe(500);
    expect(timeToX(view, T0 + 10 * MINUTE, 1000)).toBe(1000);
    expect(timeToX(view, T0 - MINUTE, 1000)).toBe(-100);
    expect(xToTime(view, 250, 1000)).toBe(T0 + 2.5 * MINUTE);
    for (const x of [0, 1, 333, 999]) expect(timeToX(view, xToTime(view, x, 1000), 1000)).toBeCloseTo(x, 6);
  });

  it("zooms around the pointer, from one minute to 30 days", () => {
    const view = { start: T0, span: HOUR };
    const at = T0 + 15 * MINUTE; // a quarter across
    const zoomed = zoomAround(view, 0.5, at);
    expect(zoomed.span).toBe(30 * MINUTE);
    expect((at - zoomed.start) / zoomed.span).toBeCloseTo(0.25, 9);
    expect(zoomAround(view, 1e-6, at).span).toBe(MIN_SPAN);
    expect(zoomAround(view, 1e6, at).span).toBe(MAX_SPAN);
    expect(MIN_SPAN).toBe(MINUTE);
    expect(MAX_SPAN).toBe(30 * DAY);
    // A wheel notch towards the user zooms in, away zooms out, by the same step.
    expect(wheelFactor(-100)).toBeLessThan(1);
    expect(wheelFactor(100)).toBeGreaterThan(1);
    expect(wheelFactor(100) * wheelFactor(-100)).toBeCloseTo(1, 9);
    expect(wheelFactor(3, 1)).toBeCloseTo(wheelFactor(120), 9);
  });

  it("steps between zoom levels", () => {
    expect(stepSpan(HOUR, -1)).toBe(15 * MINUTE);
    expect(stepSpan(HOUR, 1)).toBe(3 * HOUR);
    expect(stepSpan(40 * MINUTE, -1)).toBe(15 * MINUTE);
    expect(stepSpan(40 * MINUTE, 1)).toBe(HOUR);
    expect(stepSpan(MINUTE, -1)).toBe(MIN_SPAN);
    expect(stepSpan(30 * DAY, 1)).toBe(MAX_SPAN);
    expect(spanLabel(5 * MINUTE)).toBe("5 min");
    expect(spanLabel(3 * HOUR)).toBe("3 h");
    expect(spanLabel(DAY)).toBe("1 day");
    expect(spanLabel(30 * DAY)).toBe("30 days");
  });

  it("keeps the playhead in view by paging", () => {
    const view = { start: T0, span: HOUR };
    expect(keepInView(view, T0 + 30 * MINUTE)).toBe(view);
    expect(keepInView(view, T0 + 2 * HOUR)).toEqual({ start: T0 + 2 * HOUR - 6 * MINUTE, span: HOUR });
    expect(keepInView(view, T0 - HOUR)).toEqual({ start: T0 - HOUR - 54 * MINUTE, span: HOUR });
    expect(centredOn(T0, HOUR)).toEqual({ start: T0 - 30 * MINUTE, span: HOUR });
  });

  it("draws recorded stretches as bars clipped to the view, short ones still visible", () => {
    const view = { start: T0, span: 100 * SECOND };
    const ranges = [
      { start: T0 - 50 * SECOND, end: T0 + 10 * SECOND },
      { start: T0 + 20 * SECOND, end: T0 + 20 * SECOND + 1 },
      { start: T0 + 90 * SECOND, end: T0 + 200 * SECOND },
      { start: T0 + 300 * SECOND, end: T0 + 400 * SECOND },
    ];
    const drawn = bars(ranges, view);
    expect(drawn).toHaveLength(3);
    expect(drawn[0].left).toBe(0);
    expect(drawn[0].width).toBeCloseTo(0.1, 9);
    expect(drawn[1]).toEqual({ left: 0.2, width: 0.002 });
    expect(drawn[2].left).toBeCloseTo(0.9, 9);
    expect(drawn[2].width).toBeCloseTo(0.1, 9);
  });

  it("reads the API's ranges and merges cameras' stretches", () => {
    const parsed = parseRanges([
      { start: "2026-11-21T12:00:00Z", end: "2026-11-21T12:10:00Z" },
      { start: "garbage", end: "2026-11-21T12:10:00Z" },
      { start: "2026-11-21T12:20:00Z", end: "2026-11-21T12:20:00Z" },
    ]);
    expect(parsed).toEqual([{ start: T0, end: T0 + 10 * MINUTE }]);
    const a = [{ start: T0, end: T0 + 10 }, { start: T0 + 50, end: T0 + 60 }];
    const b = [{ start: T0 + 5, end: T0 + 20 }, { start: T0 + 60, end: T0 + 70 }];
    expect(union(a, b)).toEqual([{ start: T0, end: T0 + 20 }, { start: T0 + 50, end: T0 + 70 }]);
    expect(a[0].end).toBe(T0 + 10); // the inputs are untouched
  });

  describe("gaps", () => {
    // Recorded 12:00–12:10, 12:20–12:30, 13:00–13:05.
    const ranges = [
      { start: T0, end: T0 + 10 * MINUTE },
      { start: T0 + 20 * MINUTE, end: T0 + 30 * MINUTE },
      { start: T0 + HOUR, end: T0 + HOUR + 5 * MINUTE },
    ];

    it("finds the stretch that holds a moment", () => {
      expect(covering(ranges, T0)).toBe(ranges[0]);
      expect(covering(ranges, T0 + 10 * MINUTE)).toBeNull(); // the end is exclusive
      expect(covering(ranges, T0 + 25 * MINUTE)).toBe(ranges[1]);
      expect(covering(ranges, T0 + 40 * MINUTE)).toBeNull();
      expect(covering([], T0)).toBeNull();
    });

    it("jumps over the next gap to where video resumes", () => {
      expect(nextGap(ranges, T0 + 5 * MINUTE)).toBe(T0 + 20 * MINUTE);
      expect(nextGap(ranges, T0 + 15 * MINUTE)).toBe(T0 + 20 * MINUTE); // from inside a gap
      expect(nextGap(ranges, T0 + 20 * MINUTE)).toBe(T0 + HOUR);
      expect(nextGap(ranges, T0 + HOUR + MINUTE)).toBeNull();
      expect(nextGap(ranges, T0 - DAY)).toBe(T0);
    });

    it("jumps back over the previous gap to the last moments before video stopped", () => {
      expect(previousGap(ranges, T0 + 25 * MINUTE)).toBe(T0 + 10 * MINUTE - GAP_LEAD);
      expect(previousGap(ranges, T0 + 45 * MINUTE)).toBe(T0 + 30 * MINUTE - GAP_LEAD); // from inside a gap
      expect(previousGap(ranges, T0 + HOUR + MINUTE)).toBe(T0 + 30 * MINUTE - GAP_LEAD);
      expect(previousGap(ranges, T0 + 5 * MINUTE)).toBeNull();
      // Pressing again carries on backwards, one gap a time.
      const once = previousGap(ranges, T0 + HOUR + MINUTE)!;
      expect(previousGap(ranges, once)).toBe(T0 + 10 * MINUTE - GAP_LEAD);
      // A stretch shorter than the lead lands on its start.
      expect(previousGap([{ start: T0, end: T0 + 2 * SECOND }], T0 + MINUTE)).toBe(T0);
    });

    it("starts a little before the latest footage when the address names no moment", () => {
      expect(initialPosition(ranges, 0)).toBe(T0 + HOUR + 5 * MINUTE - 30 * SECOND);
      expect(initialPosition([{ start: T0, end: T0 + 10 * SECOND }], 0)).toBe(T0);
      expect(initialPosition([], 42)).toBe(42);
    });
  });

  it("puts ticks on whole local steps, far enough apart", () => {
    const start = new Date(2026, 10, 21, 12, 0, 20).getTime();
    const view = { start, span: 10 * MINUTE };
    expect(tickStep(view, 1000)).toBe(MINUTE);
    const marks = ticks(view, 1000);
    expect(marks[0].t).toBe(new Date(2026, 10, 21, 12, 1, 0).getTime());
    expect(marks[0].label).toBe("12:01");
    expect(marks).toHaveLength(10);
    // One minute wide: seconds are shown.
    const fine = ticks({ start, span: MINUTE }, 1000);
    expect(tickStep({ start, span: MINUTE }, 1000)).toBe(5 * SECOND);
    expect(fine[0].label).toBe("12:00:20");
    expect(fine[1].label).toBe("12:00:25");
    // A week wide: days, labelled by date, at local midnight.
    const week = ticks({ start, span: 7 * DAY }, 1000);
    expect(week.every((tick) => new Date(tick.t).getHours() === 0)).toBe(true);
    expect(week[0].label).toBe("22 Nov");
    // Midnight says the date even among hours.
    const night = ticks({ start: new Date(2026, 10, 21, 22, 0).getTime(), span: 4 * HOUR }, 800);
    expect(night.map((tick) => tick.label)).toContain("22 Nov");
  });

  it("fetches the view and half a view either side, at most 31 days and not past now", () => {
    const now = T0;
    const w = fetchWindow({ start: T0 - 2 * HOUR, span: HOUR }, now);
    expect(w).toEqual({ start: T0 - 2.5 * HOUR, end: T0 - 0.5 * HOUR });
    const live = fetchWindow({ start: T0 - 30 * MINUTE, span: HOUR }, now);
    expect(live.end).toBe(now + MINUTE);
    const wide = fetchWindow({ start: T0 - 30 * DAY, span: 30 * DAY }, now);
    expect(wide.end - wide.start).toBeLessThanOrEqual(31 * DAY);
    const future = fetchWindow({ start: T0 + DAY, span: HOUR }, now);
    expect(future.end).toBeGreaterThan(future.start);
  });
});

describe("bars closer than a pixel", () => {
  it("are drawn as one, keeping visible gaps", () => {
    const view = { start: 0, span: 1000 };
    const ranges = [
      { start: 0, end: 100 },
      { start: 100.5, end: 200 },
      { start: 300, end: 400 },
    ];
    expect(bars(ranges, view)).toHaveLength(3);
    const joined = bars(ranges, view, 0, 0.001);
    expect(joined).toHaveLength(2);
    expect([joined[0].left, joined[0].width, joined[1].left, joined[1].width].map((x) => Math.round(x * 1e9) / 1e9)).toEqual([0, 0.2, 0.3, 0.1]);
  });
});
