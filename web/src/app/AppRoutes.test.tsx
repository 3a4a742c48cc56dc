import "@testing-library/jest-dom/vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { formatWhen } from "../playback/when";
import { Permission } from "./permissions";
import { homePath } from "./screens";
import { OPERATOR, VIEWER, camera, fakeApi, renderApp, user } from "./testUtils";

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
});

const nav = () => within(screen.getByRole("navigation", { name: "Screens" }));

describe("the app's routes", () => {
  it("leads from / to the live screen, keeping the query", async () => {
    const { where } = renderApp("/?layout=9&transport=no-webrtc", user(OPERATOR));
    await waitFor(() => expect(where()).toBe("/live?layout=9&transport=no-webrtc"));
    expect(screen.getByRole("group", { name: "Layout" })).toBeInTheDocument();
    expect(nav().getByRole("link", { name: "Live" })).toHaveClass("active");
  });

  it("opens a deep link to playback at the camera and moment it names", async () => {
    const at = Date.UTC(2026, 10, 21, 12, 0, 0);
    const api = fakeApi({ cameras: [camera("c1", "Front door")] });
    const { where } = renderApp(`/playback?camera=c1&at=${new Date(at).toISOString()}`, user(OPERATOR), api);
    expect(screen.getByRole("group", { name: "Transport" })).toBeInTheDocument();
    expect(screen.getByLabelText("Playback time")).toHaveTextContent(formatWhen(at));
    expect(await screen.findByRole("region", { name: "Front door" })).toBeInTheDocument();
    await waitFor(() => expect(api.ranges).toHaveBeenCalled());
    expect(api.ranges.mock.calls[0][0]).toEqual(["c1"]);
    expect(where()).toContain("/playback?camera=c1");
    expect(nav().getByRole("link", { name: "Playback" })).toHaveClass("active");
  });

  it("keeps playback from a user without archive rights", async () => {
    const api = fakeApi({ cameras: [camera("c1", "Front door")] });
    renderApp("/playback?camera=c1", user(VIEWER), api);
    expect(nav().queryByRole("link", { name: "Playback" })).toBeNull();
    expect(nav().getByRole("link", { name: "Live" })).toBeInTheDocument();
    expect(screen.getByRole("alert", { name: "Not allowed" })).toHaveTextContent("camera.view_archive");
    expect(screen.queryByRole("group", { name: "Transport" })).toBeNull();
    expect(api.ranges).not.toHaveBeenCalled();
    // The live screen offers no way into playback either.
    fireEvent.click(nav().getByRole("link", { name: "Live" }));
    expect(await screen.findByRole("region", { name: "Front door" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Playback" })).toBeNull();
  });

  it("takes the live layout's cameras into playback", async () => {
    const api = fakeApi({ cameras: [camera("c1", "Front door"), camera("c2", "Yard")] });
    const { where } = renderApp("/live?layout=4", user(OPERATOR), api);
    expect(await screen.findByRole("region", { name: "Yard" })).toBeInTheDocument();
    const inConsole = screen.getAllByRole("link", { name: "Playback" }).find((link) => !link.closest("nav"));
    expect(inConsole).toHaveAttribute("href", "/playback?camera=c1&camera=c2");
    fireEvent.click(inConsole!);
    await waitFor(() => expect(where()).toMatch(/^\/playback\?camera=c1&camera=c2/));
    expect(screen.getByRole("group", { name: "Transport" })).toBeInTheDocument();
    // And back: "Live" opens the live screen with the same cameras.
    fireEvent.click(screen.getByRole("button", { name: "Live" }));
    await waitFor(() => expect(where()).toBe("/live?camera=c1&camera=c2"));
  });

  it("offers each screen only to those it is for", () => {
    const admin = user(Object.values(Permission));
    renderApp("/admin", admin);
    expect(nav().getAllByRole("link").map((l) => l.textContent)).toEqual([
      "Live", "Playback", "Events", "Bookmarks", "Export", "Cameras", "Health", "Admin",
    ]);
    expect(screen.getByRole("region", { name: "Admin" })).toBeInTheDocument();
    cleanup();
    renderApp("/events", user(OPERATOR));
    expect(nav().getAllByRole("link").map((l) => l.textContent)).toEqual(["Live", "Playback", "Events", "Bookmarks", "Export"]);
    expect(screen.getByRole("region", { name: "Events" })).toBeInTheDocument();
  });

  it("starts an auditor on the admin screen, and says so when nothing is open to a user", async () => {
    expect(homePath(user([Permission.ReadAudit]))).toBe("/admin");
    const { where } = renderApp("/", user([Permission.ReadAudit]));
    await waitFor(() => expect(where()).toBe("/admin"));
    cleanup();
    renderApp("/", user([]));
    expect(screen.getByRole("alert")).toHaveTextContent("no permission");
  });

  it("answers an unknown address with a way back", () => {
    renderApp("/no/such/screen", user(OPERATOR));
    expect(screen.getByRole("alert")).toHaveTextContent("No such page");
    expect(screen.getByRole("link", { name: "Go to your start screen" })).toHaveAttribute("href", "/");
  });

  it("signs out from every screen", () => {
    const { onLogout } = renderApp("/events", user(OPERATOR, "bob"));
    expect(screen.getByText("bob")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect(onLogout).toHaveBeenCalledOnce();
  });
});

describe("one's own account", () => {
  it("is open to every signed-in user from the user name in the bar", async () => {
    const { where } = renderApp("/live", user(VIEWER, "guard"));
    fireEvent.click(screen.getByRole("link", { name: "guard" }));
    await waitFor(() => expect(where()).toBe("/account"));
    expect(screen.getByRole("region", { name: "My account" })).toBeInTheDocument();
  });

  it("opens the admin screen to a super-admin who holds no admin permission", () => {
    const boss = { ...user(VIEWER, "boss"), super_admin: true };
    renderApp("/admin/tenants", boss);
    expect(screen.queryByRole("alert", { name: "Not allowed" })).toBeNull();
    expect(screen.getByRole("navigation", { name: "Admin sections" })).toHaveTextContent("Tenants");
  });
});
