import "@testing-library/jest-dom/vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { OPERATOR, camera, event, fakeApi, renderApp, user } from "../app/testUtils";
import type { Fragment, Window } from "./sync";
import { toPickerValue } from "./when";

// The recordings, as fragments of 2 s: camera "a" has 12:00:00–12:01:00 and
// 12:02:00–12:03:00, camera "b" only 12:00:30–12:01:00 (T0 is "12:00").
const { T0, recorded, opened } = vi.hoisted(() => {
  const T0 = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
  const stretch = (from: number, to: number) => Array.from({ length: (to - from) / 2000 }, (_, i) => from + i * 2000);
  return {
    T0,
    recorded: {
      a: [...stretch(T0, T0 + 60_000), ...stretch(T0 + 120_000, T0 + 180_000)],
      b: stretch(T0 + 30_000, T0 + 60_000),
    } as Record<string, number[]>,
    opened: [] as { camera: string; window: Window }[],
  };
});

// hls.js is not what is tested here: a source lays the window's fragments
// back to back on the media timeline, as hls.js does.
vi.mock("./archive", async () => {
  const { mediaTimeAt, momentAt } = await import("./sync");
  class NothingRecorded extends Error {}
  class ArchiveSource {
    private readonly list: Fragment[];
    constructor(
      readonly window: Window,
      starts: number[],
      private readonly video: HTMLVideoElement,
    ) {
      this.list = starts.filter((s) => s + 2000 > window.start && s < window.end).map((s, i) => ({ start: i * 2, duration: 2, programDateTime: s }));
    }
    static async open(_api: unknown, camera: string, _role: string, video: HTMLVideoElement, window: Window) {
      opened.push({ camera, window });
      return new ArchiveSource(window, recorded[camera] ?? [], video);
    }
    fragments() {
      return this.list;
    }
    mediaTimeAt(t: number) {
      return mediaTimeAt(this.list, t);
    }
    moment() {
      return momentAt(this.list, this.video.currentTime);
    }
    destroy() {}
  }
  return { ArchiveSource, NothingRecorded };
});

function api(fields: Partial<Parameters<typeof fakeApi>[0]> = {}) {
  return fakeApi({
    ...fields,
    cameras: [camera("a", "Front door"), camera("b", "Yard")],
    ranges: (ids) => ({
      cameras: ids.map((id) => ({
        camera_id: id,
        ranges: id === "a"
          ? [{ start: iso(T0), end: iso(T0 + 60_000) }, { start: iso(T0 + 120_000), end: iso(T0 + 180_000) }]
          : [{ start: iso(T0 + 30_000), end: iso(T0 + 60_000) }],
      })),
    }),
  });
}

const iso = (t: number) => new Date(t).toISOString();
const tile = (name: string) => screen.getByRole("region", { name });
const video = (name: string) => tile(name).querySelector("video")!;
const status = (name: string) => tile(name).querySelector<HTMLElement>(".player")!.dataset.status;

/// Waits until tile `name` shows media time `seconds` (or says it has no footage, for null).
async function shows(name: string, seconds: number | null) {
  await waitFor(() => {
    if (seconds === null) {
      expect(status(name)).toBe("no-footage");
      expect(within(tile(name)).getByRole("status")).toHaveTextContent("No recording");
    } else {
      expect(status(name)).not.toBe("no-footage");
      expect(video(name).currentTime).toBeCloseTo(seconds, 3);
    }
  });
}

beforeEach(() => {
  opened.length = 0;
  // Every video has its pictures at hand (jsdom loads nothing).
  Object.defineProperty(HTMLMediaElement.prototype, "readyState", { configurable: true, get: () => 4 });
});
afterEach(() => {
  cleanup();
  delete (HTMLMediaElement.prototype as { readyState?: number }).readyState;
});

describe("events and bookmarks on the timeline", () => {
  it("marks them on their cameras' rows and jumps from event to event", async () => {
    const now = new Date().toISOString();
    const marked = api({
      events: [
        event("e2", iso(T0 + 130_000), { type: "object", attributes: { label: "person" }, end: iso(T0 + 140_000) }),
        event("e1", iso(T0 + 20_000), { camera_id: "b", camera_name: "Yard" }),
      ],
      bookmarks: [
        { id: "k1", name: "Van", description: "", tags: [], cameras: ["a"], start: iso(T0), end: iso(T0 + 30_000), locked: true, created_at: now, updated_at: now },
      ],
    });
    const { where } = renderApp(`/playback?camera=a&camera=b&at=${iso(T0 + 10_000)}`, user(OPERATOR), marked);
    await shows("Front door", 10);
    const row = (id: string) => document.querySelector(`.timeline .row[data-row="${id}"]`)!;
    await waitFor(() => expect(row("a").querySelector('.mark.event[data-type="object"]')).not.toBeNull());
    expect(row("a").querySelector(".mark.event")!.getAttribute("title")).toContain("object person");
    expect(row("b").querySelector('.mark.event[data-type="motion"]')).not.toBeNull();
    expect(row("a").querySelector(".mark.bookmark")!.getAttribute("title")).toContain("Locked bookmark: Van");
    expect(row("b").querySelector(".mark.bookmark")).toBeNull();
    const asked = (marked.events as ReturnType<typeof vi.fn>).mock.calls[0][0] as URLSearchParams;
    expect(asked.get("cameras")).toBe("a,b");

    // The next event is "b"'s at 12:00:20, then "a"'s at 12:02:10; none after.
    fireEvent.click(screen.getByRole("button", { name: "Next event" }));
    await waitFor(() => expect(where()).toContain(`at=${encodeURIComponent(iso(T0 + 20_000))}`));
    fireEvent.click(screen.getByRole("button", { name: "Next event" }));
    await shows("Front door", 70);
    expect(screen.getByRole("button", { name: "Next event" })).toBeDisabled();
    fireEvent.click(screen.getByRole("button", { name: "Previous event" }));
    await shows("Front door", 20);
  });
});

describe("synchronised playback of a layout", () => {
  it("shows every tile at the clock's moment, and says so where a camera recorded nothing", async () => {
    const { where } = renderApp(`/playback?camera=a&camera=b&at=${iso(T0 + 10_000)}`, user(OPERATOR), api());
    await shows("Front door", 10);
    await shows("Yard", null);

    // Over the gap to 12:02: "a" plays its second file, "b" still has nothing.
    fireEvent.click(screen.getByRole("button", { name: "Next gap" }));
    await shows("Front door", 60);
    await shows("Yard", null);
    await waitFor(() => expect(where()).toContain(`at=${encodeURIComponent(iso(T0 + 120_000))}`));

    // Back over it to the last seconds before 12:01: both cameras have footage.
    fireEvent.click(screen.getByRole("button", { name: "Previous gap" }));
    await shows("Front door", 55);
    await shows("Yard", 25);

    // A frame forward moves both by one frame (25 fps).
    fireEvent.click(screen.getByRole("button", { name: "Frame forward" }));
    await shows("Front door", 55.04);
    await shows("Yard", 25.04);
    fireEvent.click(screen.getByRole("button", { name: "Frame back" }));
    fireEvent.click(screen.getByRole("button", { name: "Frame back" }));
    await shows("Front door", 54.96);

    // The date/time picker goes to 12:02:30.
    const picker = screen.getByLabelText("Go to date and time");
    fireEvent.change(picker, { target: { value: toPickerValue(T0 + 150_000) } });
    fireEvent.click(screen.getByRole("button", { name: "Go" }));
    await shows("Front door", 90);
    await shows("Yard", null);
  });

  it("plays every tile on the one clock, from the I-frame playlist above 4×", async () => {
    renderApp(`/playback?camera=a&camera=b&at=${iso(T0 + 40_000)}`, user(OPERATOR), api());
    await shows("Front door", 40);
    await shows("Yard", 10);
    fireEvent.click(screen.getByRole("button", { name: "Play" }));
    await waitFor(() => {
      expect(status("Front door")).toBe("playing");
      expect(status("Yard")).toBe("playing");
    });
    expect(screen.getByRole("button", { name: "Pause" })).toBeInTheDocument();
    expect(opened.every((o) => !o.window.iframes)).toBe(true);
    fireEvent.change(screen.getByLabelText("Speed"), { target: { value: "8" } });
    await waitFor(() => expect(opened.filter((o) => o.window.iframes).map((o) => o.camera).sort()).toEqual(["a", "b"]));
    await waitFor(() => expect(video("Front door").playbackRate).toBeGreaterThan(7));
    fireEvent.click(screen.getByRole("button", { name: "Pause" }));
    await waitFor(() => expect(status("Front door")).toBe("paused"));
  });

  it("switches a tile between the recording and live video", async () => {
    // Live tiles stop while off screen; here they are, so none connects.
    vi.stubGlobal(
      "IntersectionObserver",
      class {
        constructor(private readonly callback: IntersectionObserverCallback) {}
        observe(target: Element) {
          this.callback([{ isIntersecting: false, target } as IntersectionObserverEntry], this as unknown as IntersectionObserver);
        }
        disconnect() {}
      },
    );
    try {
      renderApp(`/playback?camera=a&camera=b&at=${iso(T0 + 40_000)}`, user(OPERATOR), api());
      await shows("Front door", 40);
      fireEvent.click(within(tile("Front door")).getByRole("button", { name: "Archive" }));
      expect(tile("Front door").querySelector(".player.archive")).toBeNull();
      expect(tile("Front door").querySelector(".player")).toHaveAttribute("data-status", "paused");
      expect(within(tile("Front door")).getByRole("button", { name: "Live" })).toBeInTheDocument();
      // The other tile plays on from the recording.
      await shows("Yard", 10);
      fireEvent.click(within(tile("Front door")).getByRole("button", { name: "Live" }));
      await shows("Front door", 40);
    } finally {
      cleanup();
      vi.unstubAllGlobals();
    }
  });

  it("stays put when the picker is empty", async () => {
    renderApp(`/playback?camera=a&at=${iso(T0 + 20_000)}`, user(OPERATOR), api());
    await shows("Front door", 20);
    const picker = screen.getByLabelText("Go to date and time");
    fireEvent.change(picker, { target: { value: "" } });
    fireEvent.submit(picker.closest("form")!);
    expect(screen.queryByRole("alert")).toBeNull();
    await shows("Front door", 20);
  });

  it("opens at the latest footage when the address names no moment", async () => {
    const { where } = renderApp("/playback?camera=a", user(OPERATOR), api());
    // 30 s before the end of the last stretch, 12:03:00; the window loaded starts a minute earlier, in the gap.
    await shows("Front door", 30);
    await waitFor(() => expect(where()).toBe(`/playback?camera=a&at=${encodeURIComponent(iso(T0 + 150_000))}`));
  });
});
