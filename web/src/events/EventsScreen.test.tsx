import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router-dom";

import type { Api } from "../api/client";
import type { EventView } from "../api/types";
import { AppRoutes } from "../app/AppRoutes";
import { LiveEvents, LiveEventsContext } from "../app/events";
import { OPERATOR, VIEWER, camera, event, fakeApi, user } from "../app/testUtils";

/// A feed socket the test pushes messages into.
class FakeSocket {
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  close() {}
  push(message: object) {
    act(() => this.onmessage?.({ data: JSON.stringify(message) }));
  }
}

function Where() {
  const location = useLocation();
  return <output data-testid="where">{location.pathname + location.search}</output>;
}

/// The app at `path` with a live feed the test controls.
async function renderEvents(path: string, api: Api, permissions = OPERATOR) {
  const sockets: FakeSocket[] = [];
  const live = new LiveEvents(async () => {
    const s = new FakeSocket();
    sockets.push(s);
    return s as unknown as WebSocket;
  });
  render(
    <LiveEventsContext.Provider value={live}>
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes api={api} me={user(permissions)} onLogout={() => {}} />
        <Routes>
          <Route path="*" element={<Where />} />
        </Routes>
      </MemoryRouter>
    </LiveEventsContext.Provider>,
  );
  await waitFor(() => expect(sockets.length).toBeGreaterThan(0));
  act(() => sockets.forEach((s) => s.onopen?.()));
  return { feed: sockets[0], where: () => screen.getByTestId("where").textContent };
}

const STORED: EventView[] = [
  event("e3", "2026-12-03T11:00:20Z", { type: "object", attributes: { label: "person", score: 0.91 }, has_snapshot: true }),
  event("e2", "2026-12-03T11:00:10Z", { end: "2026-12-03T11:00:15Z" }),
  event("e1", "2026-12-03T11:00:00Z", { camera_id: "b", camera_name: "Yard", acknowledged_at: "2026-12-03T11:05:00Z" }),
];

const rows = () => within(screen.getByRole("list", { name: "Event list" })).queryAllByRole("listitem");
const ids = () => rows().map((r) => r.dataset.event);

beforeEach(() => {
  // jsdom makes no object URLs.
  URL.createObjectURL = vi.fn(() => "blob:snapshot");
  URL.revokeObjectURL = vi.fn();
});
afterEach(cleanup);

describe("the events screen", () => {
  it("lists the stored events newest first, with what happened, where and when", async () => {
    const api = fakeApi({ cameras: [camera("a", "Front door"), camera("b", "Yard")], events: STORED });
    await renderEvents("/events", api);
    await waitFor(() => expect(ids()).toEqual(["e3", "e2", "e1"]));
    const person = rows()[0];
    expect(person).toHaveTextContent("Person");
    expect(person).toHaveTextContent("91 %");
    expect(person).toHaveTextContent("ongoing");
    expect(person).toHaveTextContent("Front door · HQ");
    expect(rows()[1]).toHaveTextContent("5 s");
    expect(within(rows()[2]).getByText("Acknowledged")).toBeInTheDocument();
    await waitFor(() => expect(within(person).getByRole("img")).toHaveAttribute("src", expect.stringContaining("blob:")));
    expect(api.eventSnapshot).toHaveBeenCalledWith("e3", expect.anything());
    expect(api.eventSnapshot).toHaveBeenCalledTimes(1);
    expect(document.querySelector(".feed-status")).toHaveTextContent("Live");
  });

  it("searches with the filters of its address, and applying the form changes the address", async () => {
    const api = fakeApi({ cameras: [camera("a", "Front door"), camera("b", "Yard")], events: STORED });
    const { where } = await renderEvents("/events?camera=a&label=person", api);
    await waitFor(() => expect(api.events).toHaveBeenCalled());
    const asked = (api.events as ReturnType<typeof vi.fn>).mock.calls[0][0] as URLSearchParams;
    expect(asked.get("cameras")).toBe("a");
    expect(asked.get("labels")).toBe("person");
    const form = screen.getByRole("form", { name: "Event filters" });
    fireEvent.change(within(form).getByLabelText("Camera"), { target: { value: "b" } });
    fireEvent.change(within(form).getByLabelText("Type"), { target: { value: "motion, object" } });
    fireEvent.click(within(form).getByRole("button", { name: "Search" }));
    await waitFor(() => expect(where()).toBe("/events?camera=b&type=motion&type=object&label=person"));
    const again = (api.events as ReturnType<typeof vi.fn>).mock.calls.at(-1)![0] as URLSearchParams;
    expect(again.get("types")).toBe("motion,object");
    fireEvent.change(within(form).getByLabelText("Zone"), { target: { value: `front door, ${"x".repeat(201)}` } });
    fireEvent.click(within(form).getByRole("button", { name: "Search" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("at most 200 bytes");
    fireEvent.click(within(form).getByRole("button", { name: "Clear" }));
    await waitFor(() => expect(where()).toBe("/events"));
  });

  it("puts live events at the top as they arrive, only those the filter shows", async () => {
    const api = fakeApi({ events: STORED });
    const { feed } = await renderEvents("/events?camera=a", api);
    await waitFor(() => expect(ids()).toEqual(["e3", "e2", "e1"]));
    feed.push({ type: "event", event: event("e4", "2026-12-03T11:01:00Z", { type: "door_forced" }), cursor: "k1" });
    feed.push({ type: "event", event: event("e5", "2026-12-03T11:02:00Z", { camera_id: "b" }), cursor: "k2" });
    await waitFor(() => expect(ids()[0]).toBe("e4"));
    expect(ids()).not.toContain("e5");
    expect(rows()[0]).toHaveClass("fresh");
    expect(rows()[0]).toHaveTextContent("Door forced");
    // An update of a listed event changes its row in place.
    feed.push({ type: "event", event: { ...STORED[0], end: "2026-12-03T11:00:50Z" }, cursor: "k3" });
    await waitFor(() => expect(rows()[1]).toHaveTextContent("30 s"));
    expect(ids()).toEqual(["e4", "e3", "e2", "e1"]);
    feed.push({ type: "truncated", cursor: "k3" });
    expect(await screen.findByText(/more events happened while the connection was down/i)).toBeInTheDocument();
  });

  it("keeps a live event that arrives while the first page is on its way", async () => {
    const api = fakeApi({ events: STORED });
    let answer: (page: { items: EventView[] }) => void = () => {};
    (api.events as ReturnType<typeof vi.fn>).mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    const { feed } = await renderEvents("/events", api);
    feed.push({ type: "event", event: event("e9", "2026-12-03T11:05:00Z"), cursor: "k9" });
    act(() => answer({ items: STORED }));
    await waitFor(() => expect(ids()).toEqual(["e9", "e3", "e2", "e1"]));
  });

  it("acknowledges an event and opens it in playback from a little before it began", async () => {
    const api = fakeApi({ events: STORED });
    const { where } = await renderEvents("/events", api);
    await waitFor(() => expect(ids()).toHaveLength(3));
    fireEvent.click(within(rows()[0]).getByRole("button", { name: "Acknowledge" }));
    await waitFor(() => expect(within(rows()[0]).getByText("Acknowledged")).toBeInTheDocument());
    expect(api.acknowledgeEvent).toHaveBeenCalledWith("e3");
    fireEvent.click(within(rows()[0]).getByRole("button", { name: "Details" }));
    expect(within(rows()[0]).getByText("label").nextSibling).toHaveTextContent("person");
    fireEvent.click(within(rows()[0]).getByRole("link", { name: "Play from here" }));
    await waitFor(() => expect(where()).toBe("/playback?camera=a&at=2026-12-03T11%3A00%3A15.000Z"));
  });

  it("offers no playback or picture to a user without archive rights", async () => {
    const api = fakeApi({ events: STORED });
    await renderEvents("/events", api, VIEWER);
    await waitFor(() => expect(ids()).toHaveLength(3));
    expect(screen.queryByRole("link", { name: "Play from here" })).toBeNull();
    expect(within(rows()[0]).getByText("Picture hidden")).toBeInTheDocument();
    expect(api.eventSnapshot).not.toHaveBeenCalled();
  });

  it("loads older pages on demand", async () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      event(`e${String(i).padStart(3, "0")}`, new Date(Date.parse("2026-12-03T11:00:00Z") - i * 1000).toISOString()),
    );
    const api = fakeApi({ events: many });
    await renderEvents("/events", api);
    await waitFor(() => expect(ids()).toHaveLength(50));
    fireEvent.click(screen.getByRole("button", { name: "Load older events" }));
    await waitFor(() => expect(ids()).toHaveLength(100));
    fireEvent.click(screen.getByRole("button", { name: "Load older events" }));
    await waitFor(() => expect(ids()).toHaveLength(120));
    expect(screen.queryByRole("button", { name: "Load older events" })).toBeNull();
    expect(new Set(ids()).size).toBe(120);
  });

  it("says in words when the search fails, and tries again", async () => {
    const api = fakeApi({ events: STORED });
    (api.events as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new Error("the database is not answering"));
    await renderEvents("/events", api);
    expect(await screen.findByText(/cannot load events: the database is not answering/i)).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(ids()).toHaveLength(3));
  });

  it("shows a rule's notification on any screen until dismissed", async () => {
    const api = fakeApi({ events: STORED });
    const { feed, where } = await renderEvents("/events", api);
    feed.push({ type: "notification", rule: { id: "r1", name: "door" }, message: "Door forced open", event: STORED[1] });
    const notice = (await screen.findByText("Door forced open")).closest(".notice") as HTMLElement;
    expect(notice).toHaveTextContent("Door forced open");
    expect(notice).toHaveTextContent("rule “door”");
    fireEvent.click(within(notice).getByRole("link", { name: "Show events" }));
    await waitFor(() => expect(where()).toBe("/events?camera=a&type=motion"));
    expect(screen.queryByText("Door forced open")).toBeNull();
  });
});
