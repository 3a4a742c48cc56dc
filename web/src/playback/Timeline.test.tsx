import "@testing-library/jest-dom/vitest";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";

import { SECOND } from "./timeline";
import { Timeline, type TimelineProps } from "./Timeline";

const T0 = Date.UTC(2026, 10, 21, 12);
const view = { start: T0, span: 100 * SECOND };
const rows = [
  { id: "a", label: "Front door", ranges: [{ start: T0 + 10 * SECOND, end: T0 + 40 * SECOND }, { start: T0 + 60 * SECOND, end: T0 + 200 * SECOND }] },
  { id: "b", label: "Yard", ranges: [] },
];

function setup(props: Partial<TimelineProps> = {}) {
  const onView = vi.fn();
  const onSeek = vi.fn();
  const utils = render(<Timeline view={view} onView={onView} rows={rows} time={T0 + 50 * SECOND} now={T0 + 90 * SECOND} onSeek={onSeek} {...props} />);
  const area = utils.container.querySelector<HTMLElement>(".rows")!;
  // jsdom lays nothing out: the timeline is 1000 px wide from x = 0.
  area.getBoundingClientRect = () => ({ left: 0, top: 0, width: 1000, height: 40, right: 1000, bottom: 40, x: 0, y: 0, toJSON: () => {} });
  return { ...utils, area, onView, onSeek };
}

afterEach(cleanup);

describe("Timeline", () => {
  it("draws each camera's recorded stretches, the gaps left empty, with the playhead and the present", () => {
    const { container } = setup();
    const row = screen.getByLabelText("Front door");
    const recorded = [...row.querySelectorAll<HTMLElement>(".recorded")];
    expect(recorded.map((b) => [b.style.left, b.style.width])).toEqual([
      ["10%", "30%"],
      ["60%", "40%"],
    ]);
    expect(screen.getByLabelText("Yard").querySelectorAll(".recorded")).toHaveLength(0);
    expect(container.querySelector<HTMLElement>(".playhead")!.style.left).toBe("50%");
    expect(container.querySelector<HTMLElement>(".future")!.style.left).toBe("90%");
    expect(container.querySelectorAll(".axis .tick").length).toBeGreaterThan(3);
  });

  it("seeks where it is clicked, and pans when dragged instead", () => {
    const { area, onSeek, onView } = setup();
    fireEvent.pointerDown(area, { clientX: 250, pointerId: 1, button: 0, pointerType: "mouse" });
    fireEvent.pointerUp(area, { clientX: 251, pointerId: 1, button: 0, pointerType: "mouse" });
    expect(onSeek).toHaveBeenCalledWith(T0 + 25.1 * SECOND);
    onSeek.mockClear();
    fireEvent.pointerDown(area, { clientX: 500, pointerId: 2, button: 0, pointerType: "mouse" });
    fireEvent.pointerMove(area, { clientX: 600, pointerId: 2, pointerType: "mouse" });
    fireEvent.pointerUp(area, { clientX: 600, pointerId: 2, pointerType: "mouse" });
    expect(onView).toHaveBeenLastCalledWith({ start: T0 - 10 * SECOND, span: view.span });
    expect(onSeek).not.toHaveBeenCalled();
  });

  it("selects a range with Shift and a drag, shows it, and clears it with Escape", () => {
    const onSelect = vi.fn();
    const { area, onSeek, onView, rerender } = setup({ onSelect });
    fireEvent.pointerDown(area, { clientX: 450, pointerId: 1, button: 0, pointerType: "mouse", shiftKey: true });
    fireEvent.pointerMove(area, { clientX: 200, pointerId: 1, pointerType: "mouse", shiftKey: true });
    fireEvent.pointerUp(area, { clientX: 200, pointerId: 1, pointerType: "mouse", shiftKey: true });
    expect(onSelect).toHaveBeenLastCalledWith({ start: T0 + 20 * SECOND, end: T0 + 45 * SECOND });
    expect(onSeek).not.toHaveBeenCalled();
    expect(onView).not.toHaveBeenCalled();
    rerender(<Timeline view={view} onView={onView} rows={rows} time={T0} now={T0 + 90 * SECOND} onSeek={onSeek} selection={onSelect.mock.lastCall![0]} onSelect={onSelect} />);
    const shown = document.querySelector<HTMLElement>(".timeline .selection")!;
    expect([shown.style.left, shown.style.width]).toEqual(["20%", "25%"]);
    fireEvent.keyDown(area, { key: "Escape" });
    expect(onSelect).toHaveBeenLastCalledWith(null);
    // A Shift-click selects nothing.
    fireEvent.pointerDown(area, { clientX: 300, pointerId: 2, button: 0, pointerType: "mouse", shiftKey: true });
    fireEvent.pointerUp(area, { clientX: 301, pointerId: 2, pointerType: "mouse", shiftKey: true });
    expect(onSelect).toHaveBeenLastCalledWith(null);
  });

  it("zooms with the wheel around the pointer", () => {
    const { area, onView } = setup();
    fireEvent.wheel(area, { deltaY: -100, clientX: 250 });
    const zoomed = onView.mock.lastCall![0];
    expect(zoomed.span).toBeLessThan(view.span);
    expect((T0 + 25 * SECOND - zoomed.start) / zoomed.span).toBeCloseTo(0.25, 6);
    fireEvent.wheel(area, { deltaY: 300, clientX: 250 });
    expect(onView.mock.lastCall![0].span).toBeGreaterThan(view.span);
  });

  it("zooms with a pinch around the fingers", () => {
    const wide = { start: T0, span: 1000 * SECOND };
    const { area, onView } = setup({ view: wide });
    fireEvent.pointerDown(area, { clientX: 400, pointerId: 1, button: 0, pointerType: "touch" });
    fireEvent.pointerDown(area, { clientX: 600, pointerId: 2, button: 0, pointerType: "touch" });
    fireEvent.pointerMove(area, { clientX: 800, pointerId: 2, pointerType: "touch" });
    // The fingers moved apart to twice the distance: half the span, around their middle.
    const zoomed = onView.mock.lastCall![0];
    expect(zoomed.span).toBeCloseTo(wide.span / 2, 6);
    const middle = T0 + 600 * SECOND;
    expect(zoomed.start).toBeCloseTo(middle - 0.6 * zoomed.span, 6);
  });

  it("shows the recorded picture and the time while hovering over footage", async () => {
    vi.useFakeTimers();
    URL.createObjectURL = vi.fn(() => "blob:thumb");
    URL.revokeObjectURL = vi.fn();
    const thumbnail = vi.fn(() => Promise.resolve(new Blob(["jpeg"], { type: "image/jpeg" })));
    try {
      setup({ thumbnail });
      const row = screen.getByLabelText("Front door");
      fireEvent.pointerMove(row, { clientX: 200, pointerId: 1, pointerType: "mouse" });
      await act(async () => {
        await vi.advanceTimersByTimeAsync(200);
      });
      expect(thumbnail).toHaveBeenCalledWith("a", T0 + 20 * SECOND, expect.any(AbortSignal));
      expect(screen.getByRole("img")).toHaveAttribute("src", "blob:thumb");
      // Over a gap: the time, "not recorded", and no request.
      fireEvent.pointerMove(row, { clientX: 500, pointerId: 1, pointerType: "mouse" });
      await act(async () => {
        await vi.advanceTimersByTimeAsync(200);
      });
      expect(thumbnail).toHaveBeenCalledTimes(1);
      expect(screen.getByText("not recorded")).toBeInTheDocument();
      expect(screen.queryByRole("img")).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
