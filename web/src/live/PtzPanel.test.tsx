import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { ApiError } from "../api/client";
import { Permission } from "../app/permissions";
import type { Me } from "../api/types";
import { OPERATOR, VIEWER, camera, fakeApi, renderApp, user } from "../app/testUtils";
import { HOLD_TIMEOUT_MS, NUDGE_MS } from "./ptzDriver";
import type { PtzPreset } from "./ptzApi";

/// A PTZ camera `a` ("Front door") with `presets`, recording each command;
/// `noPtz` answers 409 as the server does for a camera without PTZ (to
/// every command, or from the first move on).
function server({ presets = [{ token: "1", name: "Gate" }] as PtzPreset[], noPtz = "never" as "never" | "always" | "moves" } = {}) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const refuse = () => {
    throw new ApiError(409, "the camera has no PTZ", "failed_precondition");
  };
  const api = fakeApi({
    cameras: [camera("a", "Front door"), camera("b", "Yard")],
    respond: (method, path, body) => {
      const ptz = path.match(/^\/api\/cameras\/a\/ptz\/(.+)$/)?.[1];
      if (!ptz) throw new Error(`unexpected ${method} ${path}`);
      calls.push({ method, path: ptz, body });
      if (noPtz === "always" || (noPtz === "moves" && ptz === "move")) refuse();
      if (method === "GET" && ptz === "presets") return { items: presets };
      if (method === "POST" && ptz === "presets") {
        const saved = { token: String(presets.length + 1), name: (body as { name: string }).name };
        presets = [...presets, saved];
        return saved;
      }
      if (method === "DELETE" && ptz.startsWith("presets/")) {
        presets = presets.filter((p) => p.token !== ptz.split("/")[1]);
        return null;
      }
      if (method === "POST") return null;
      throw new Error(`unexpected ${method} ${path}`);
    },
  });
  const sent = () => calls.filter((c) => c.method !== "GET").map((c) => c.path);
  return { api, calls, sent };
}

/// The live console with camera `a` in its one tile.
const openLive = (me: Me, api: ReturnType<typeof server>["api"]) => renderApp("/live?camera=a&layout=1", me, api);

// Live tiles stop while off screen; here every tile is off screen, so none connects.
class OffScreen {
  constructor(private readonly callback: IntersectionObserverCallback) {}
  observe(target: Element) {
    this.callback([{ isIntersecting: false, target } as IntersectionObserverEntry], this as unknown as IntersectionObserver);
  }
  disconnect() {}
}
beforeEach(() => vi.stubGlobal("IntersectionObserver", OffScreen));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("PTZ in the live console", () => {
  it("moves while a direction is held and stops when it is let go", async () => {
    const { api, calls, sent } = server();
    openLive(user(OPERATOR), api);
    const panel = await screen.findByRole("region", { name: "PTZ of Front door" });
    const left = within(panel).getByRole("button", { name: "Pan left" });
    fireEvent.pointerDown(left, { button: 0, pointerId: 1 });
    await waitFor(() => expect(sent()).toEqual(["move"]));
    expect(calls.find((c) => c.path === "move")!.body).toEqual({ pan: -0.5, tilt: 0, zoom: 0, timeout_ms: HOLD_TIMEOUT_MS });
    fireEvent.pointerUp(left, { button: 0, pointerId: 1 });
    await waitFor(() => expect(sent()).toEqual(["move", "stop"]));
    // Leaving the button without a press sends nothing more.
    fireEvent.pointerLeave(left);
    await new Promise((r) => setTimeout(r, 50));
    expect(sent()).toEqual(["move", "stop"]);
  });

  it("nudges on a click alone (a screen reader's), but not on the click after a press", async () => {
    const { api, calls, sent } = server();
    openLive(user(OPERATOR), api);
    const panel = await screen.findByRole("region", { name: "PTZ of Front door" });
    const up = within(panel).getByRole("button", { name: "Tilt up" });
    fireEvent.click(up);
    await waitFor(() => expect(sent()).toEqual(["move"]));
    expect(calls.find((c) => c.path === "move")!.body).toEqual({ pan: 0, tilt: 0.5, zoom: 0, timeout_ms: NUDGE_MS });
    // Past the 200 ms between two moves.
    await new Promise((r) => setTimeout(r, 250));
    expect(sent()).toEqual(["move"]);
    fireEvent.pointerDown(up, { button: 0, pointerId: 1 });
    fireEvent.pointerUp(up, { button: 0, pointerId: 1 });
    fireEvent.click(up);
    await waitFor(() => expect(sent()).toEqual(["move", "move", "stop"]));
    await new Promise((r) => setTimeout(r, 250));
    expect(sent()).toEqual(["move", "move", "stop"]);
    expect(calls.filter((c) => c.path === "move")[1].body).toMatchObject({ timeout_ms: HOLD_TIMEOUT_MS });
  });

  it("steers with the arrow keys and zooms with the zoom buttons", async () => {
    const { api, calls, sent } = server();
    openLive(user(OPERATOR), api);
    const pad = await screen.findByRole("group", { name: /Steer the camera/ });
    fireEvent.keyDown(pad, { key: "ArrowUp" });
    await waitFor(() => expect(sent()).toEqual(["move"]));
    fireEvent.keyDown(pad, { key: "ArrowUp", repeat: true });
    fireEvent.keyUp(pad, { key: "ArrowUp" });
    await waitFor(() => expect(sent()).toEqual(["move", "stop"]));
    expect(calls.find((c) => c.path === "move")!.body).toMatchObject({ pan: 0, tilt: 0.5, zoom: 0 });
    const zoomIn = within(pad).getByRole("button", { name: "Zoom in" });
    // Past the 200 ms between two moves.
    await new Promise((r) => setTimeout(r, 250));
    fireEvent.pointerDown(zoomIn, { button: 0 });
    fireEvent.pointerLeave(zoomIn);
    await waitFor(() => expect(sent()).toEqual(["move", "stop", "move", "stop"]));
    expect(calls.filter((c) => c.path === "move")[1].body).toMatchObject({ pan: 0, tilt: 0, zoom: 0.5 });
  });

  it("goes to presets, and leaves storing and removing them to camera managers", async () => {
    const { api, sent } = server();
    openLive(user(OPERATOR), api);
    const panel = await screen.findByRole("region", { name: "PTZ of Front door" });
    fireEvent.click(await within(panel).findByRole("button", { name: "Go to Gate" }));
    await waitFor(() => expect(sent()).toEqual(["presets/1/goto"]));
    expect(within(panel).queryByRole("button", { name: "Delete Gate" })).toBeNull();
    expect(within(panel).queryByLabelText("New preset name")).toBeNull();
  });

  it("goes home, goes to, saves and deletes presets", async () => {
    const { api, sent, calls } = server();
    vi.spyOn(window, "confirm").mockReturnValue(true);
    openLive(user([...OPERATOR, Permission.ManageCameras]), api);
    const panel = await screen.findByRole("region", { name: "PTZ of Front door" });
    fireEvent.click(within(panel).getByRole("button", { name: "Home" }));
    await waitFor(() => expect(sent()).toEqual(["home"]));
    fireEvent.click(await within(panel).findByRole("button", { name: "Go to Gate" }));
    await waitFor(() => expect(sent()).toEqual(["home", "presets/1/goto"]));
    fireEvent.change(within(panel).getByLabelText("New preset name"), { target: { value: "Car park" } });
    fireEvent.click(within(panel).getByRole("button", { name: "Save current as preset" }));
    expect(await within(panel).findByRole("button", { name: "Go to Car park" })).toBeInTheDocument();
    expect(calls.find((c) => c.method === "POST" && c.path === "presets")!.body).toEqual({ name: "Car park" });
    expect(within(panel).getByLabelText("New preset name")).toHaveValue("");
    fireEvent.click(within(panel).getByRole("button", { name: "Delete Gate" }));
    await waitFor(() => expect(within(panel).queryByRole("button", { name: "Go to Gate" })).toBeNull());
    expect(sent().at(-1)).toBe("presets/1");
  });

  it("hides the panel, with a note, once the server says the camera has no PTZ", async () => {
    const { api, sent } = server({ noPtz: "moves" });
    openLive(user(OPERATOR), api);
    const panel = await screen.findByRole("region", { name: "PTZ of Front door" });
    fireEvent.pointerDown(within(panel).getByRole("button", { name: "Tilt down" }), { button: 0 });
    expect(await screen.findByRole("note")).toHaveTextContent("Front door cannot pan, tilt or zoom from here.");
    expect(screen.queryByRole("region", { name: "PTZ of Front door" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Tilt down" })).toBeNull();
    expect(sent()[0]).toBe("move");
  });

  it("hides it at once when the presets asked for on opening are refused with 409", async () => {
    const { api } = server({ noPtz: "always" });
    openLive(user(OPERATOR), api);
    expect(await screen.findByRole("note")).toHaveTextContent("Front door cannot pan, tilt or zoom from here.");
    expect(screen.queryByRole("button", { name: "Pan left" })).toBeNull();
  });

  it("is not offered to those who may not steer the camera", async () => {
    const { api, calls } = server();
    openLive(user(VIEWER), api);
    await screen.findByRole("region", { name: "Front door" });
    expect(screen.queryByRole("region", { name: /PTZ of/ })).toBeNull();
    // Steering granted on another camera only.
    cleanup();
    openLive({ ...user(OPERATOR), access: { t: VIEWER, c: { b: OPERATOR } } }, api);
    await screen.findByRole("region", { name: "Front door" });
    expect(screen.queryByRole("region", { name: /PTZ of/ })).toBeNull();
    expect(calls).toEqual([]);
  });
});
