import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { ApiError } from "../api/client";
import type { Me } from "../api/types";
import { Permission } from "../app/permissions";
import { Tagged, fakeApi, renderApp, user } from "../app/testUtils";
import { FakeVersions } from "../app/testVersions";
import type { AnalyticsSettings, CameraDetail } from "./api";

const MANAGER = [Permission.ManageCameras, Permission.ViewLive];

const CAMERA: CameraDetail = {
  id: "a",
  site_id: "s1",
  name: "Front door",
  description: "",
  enabled: true,
  streams: [
    { id: "a-m", role: "main", url: "rtsp://192.0.2.1/main", transport: "tcp", has_credentials: false, state: { status: "online" } },
    { id: "a-s", role: "sub", url: "rtsp://192.0.2.1/sub", transport: "tcp", has_credentials: false, state: { status: "online" } },
  ],
};

const STORED: AnalyticsSettings = {
  enabled: true,
  fps: 5,
  labels: ["person"],
  min_area: 0.001,
  masks: [
    [
      [0, 0],
      [0.2, 0],
      [0.2, 0.1],
    ],
  ],
  zones: [
    {
      name: "Door",
      points: [
        [0.1, 0.5],
        [0.9, 0.5],
        [0.9, 1],
        [0.1, 1],
      ],
      labels: ["person"],
      loiter_secs: 30,
    },
  ],
  lines: [{ name: "Gate", a: [0.2, 0.3], b: [0.8, 0.3], labels: [] }],
};

const SETTINGS = "/api/cameras/a/analytics";

/// A server holding one camera and its analytics settings, versioned as the
/// server does, recording the PUTs and the `If-Match` of each; `refuse`
/// answers a PUT with a 400 when it returns a message.
function server(settings: AnalyticsSettings, refuse: (body: AnalyticsSettings) => string | null = () => null) {
  const puts: AnalyticsSettings[] = [];
  const ifMatch: (string | null)[] = [];
  const versions = new FakeVersions();
  const api = fakeApi({
    respond: (method, path, body, headers) => {
      if (method === "GET" && path === "/api/cameras") return { items: [CAMERA] };
      if (path === SETTINGS && method === "GET") return new Tagged(settings, versions.etag(SETTINGS));
      if (path === SETTINGS && method === "PUT") {
        puts.push(body as AnalyticsSettings);
        ifMatch.push(headers.get("if-match"));
        const refusal = refuse(body as AnalyticsSettings);
        if (refusal) throw new ApiError(400, refusal);
        versions.write(SETTINGS, headers);
        settings = body as AnalyticsSettings;
        return new Tagged(settings, versions.etag(SETTINGS));
      }
      throw new Error(`unexpected ${method} ${path}`);
    },
  });
  /// A colleague's save of `changed`, meanwhile.
  const elsewhere = (changed: AnalyticsSettings) => {
    settings = changed;
    versions.bump(SETTINGS);
  };
  return { api, puts, ifMatch, elsewhere };
}

/// Opens the editor of camera "a" as `me`, its picture 1000 × 500 pixels.
async function open(api: ReturnType<typeof fakeApi>, me: Me = user(MANAGER)) {
  renderApp("/cameras?analytics=a", me, api);
  const form = await screen.findByRole("form", { name: "Analytics of Front door" });
  await within(form).findByRole("list", { name: "Zones, lines and masks" });
  const svg = form.querySelector("svg")!;
  svg.getBoundingClientRect = () => ({ left: 0, top: 0, width: 1000, height: 500, right: 1000, bottom: 500, x: 0, y: 0, toJSON: () => ({}) });
  return { form, svg };
}

/// Clicks the picture at (x, y) pixels.
const clickAt = (svg: Element, x: number, y: number) => fireEvent.click(svg, { clientX: x, clientY: y });

beforeEach(() => {
  // jsdom makes no object URLs.
  URL.createObjectURL = vi.fn(() => "blob:picture");
  URL.revokeObjectURL = vi.fn();
});
afterEach(cleanup);

describe("the analytics editor", () => {
  it("opens from the cameras list and shows the settings over the analysed stream's picture", async () => {
    const { api } = server(STORED);
    const { where } = renderApp("/cameras", user(MANAGER), api);
    fireEvent.click(within((await screen.findByText("Front door")).closest("tr")!).getByRole("button", { name: "Analytics" }));
    expect(where()).toBe("/cameras?analytics=a");
    const form = await screen.findByRole("form", { name: "Analytics of Front door" });
    await waitFor(() => expect(within(form).getByLabelText(/Pictures analysed a second/)).toHaveValue(5));
    expect(within(form).getByLabelText(/Objects that count \(comma/)).toHaveValue("person");
    expect(within(form).getByLabelText(/Smallest object/)).toHaveValue(0.1);
    expect(within(form).getByLabelText(/Largest object/)).toHaveValue(null);
    expect(within(form).getByLabelText("Stream analysed")).toHaveValue("");
    // No stream named: the sub stream is analysed, so that is the picture.
    expect(api.snapshot).toHaveBeenCalledWith("a", "sub");
    expect(await within(form).findByRole("img", { name: "Current picture of Front door" })).toHaveAttribute("src", "blob:picture");
    const list = within(form).getByRole("list", { name: "Zones, lines and masks" });
    expect(within(list).getAllByRole("button", { name: /^(Zone|Line|Mask)/ }).map((b) => b.textContent)).toEqual([
      "Zone “Door” 4 corners, person, loitering 30 s",
      "Line “Gate” all objects",
      "Mask 1 3 corners, motion ignored",
    ]);
    const svg = form.querySelector("svg")!;
    expect(svg).toHaveAttribute("viewBox", "0 0 1 1");
    expect(svg.querySelector('[data-shape="zone-0"]')).toHaveAttribute("points", "0.1,0.5 0.9,0.5 0.9,1 0.1,1");
    expect(svg.querySelector('[data-shape="line-0"] .arrow')).not.toBeNull();
    expect(svg.querySelector('[data-shape="mask-0"]')).not.toBeNull();
    // The line's direction: A, B and the sides crossings are named after.
    const labels = form.querySelector(".shape-labels")!;
    expect([...labels.querySelectorAll(".end, .side")].map((e) => e.textContent)).toEqual(["A", "B", "L", "R"]);
    // Choosing the stream fetches its picture.
    fireEvent.change(within(form).getByLabelText("Stream analysed"), { target: { value: "main" } });
    await waitFor(() => expect(api.snapshot).toHaveBeenCalledWith("a", "main"));
  });

  it("draws a zone, a line and a mask by clicks, renames them and sends what was drawn", async () => {
    const { api, puts } = server({ enabled: true, labels: [], masks: [], zones: [], lines: [] });
    api.snapshot.mockRejectedValue(new ApiError(503, "camera a has no keyframe yet"));
    const { form, svg } = await open(api);
    expect(await within(form).findByText(/The picture is unavailable \(camera a has no keyframe yet\)/)).toBeInTheDocument();
    const list = within(form).getByRole("list", { name: "Zones, lines and masks" });

    // A zone: three corners, then a click on the first closes it.
    fireEvent.click(within(form).getByRole("button", { name: "Add zone" }));
    expect(within(form).getByRole("button", { name: "Add zone" })).toHaveAttribute("aria-pressed", "true");
    clickAt(svg, 100, 100);
    clickAt(svg, 400, 100);
    clickAt(svg, 400, 400);
    expect(within(form).getByText(/3 so far/)).toBeInTheDocument();
    clickAt(svg, 103, 102);
    expect(within(list).getByRole("button", { name: /^Zone “Zone 1”/ })).toHaveAttribute("aria-pressed", "true");
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Door" } });
    fireEvent.change(within(form).getByLabelText(/Objects that count here/), { target: { value: "person, dog" } });
    fireEvent.change(within(form).getByLabelText(/Loitering after seconds/), { target: { value: "45" } });
    expect(within(list).getByRole("button", { name: /^Zone “Door” 3 corners, person, dog, loitering 45 s/ })).toBeInTheDocument();
    expect(form.querySelector(".shape-labels")).toHaveTextContent("Door");

    // Escape gives up a shape half drawn.
    fireEvent.click(within(form).getByRole("button", { name: "Add zone" }));
    clickAt(svg, 500, 50);
    fireEvent.keyDown(svg, { key: "Escape" });
    expect(within(form).getByRole("button", { name: "Add zone" })).toHaveAttribute("aria-pressed", "false");

    // A line: two clicks, from A to B.
    fireEvent.click(within(form).getByRole("button", { name: "Add line" }));
    clickAt(svg, 100, 450);
    expect(within(form).getByText(/Click where it ends \(B\)/)).toBeInTheDocument();
    clickAt(svg, 900, 450);
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Gate" } });

    // A mask closed by Enter, another by a double click (whose second click adds no corner).
    fireEvent.click(within(form).getByRole("button", { name: "Add mask" }));
    clickAt(svg, 600, 0);
    clickAt(svg, 1000, 0);
    clickAt(svg, 1000, 100);
    fireEvent.keyDown(svg, { key: "Enter" });
    fireEvent.click(within(form).getByRole("button", { name: "Add mask" }));
    clickAt(svg, 0, 300);
    clickAt(svg, 50, 300);
    clickAt(svg, 50, 350);
    clickAt(svg, 50, 350);
    fireEvent.doubleClick(svg, { clientX: 50, clientY: 350 });
    expect(within(list).getByRole("button", { name: /^Mask 2 3 corners/ })).toBeInTheDocument();

    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getByText("Analytics of “Front door” saved: 1 zone, 1 line, 2 masks.")).toBeInTheDocument());
    expect(puts).toEqual([
      {
        enabled: true,
        labels: [],
        masks: [
          [
            [0.6, 0],
            [1, 0],
            [1, 0.2],
          ],
          [
            [0, 0.6],
            [0.05, 0.6],
            [0.05, 0.7],
          ],
        ],
        zones: [
          {
            name: "Door",
            points: [
              [0.1, 0.2],
              [0.4, 0.2],
              [0.4, 0.8],
            ],
            labels: ["person", "dog"],
            loiter_secs: 45,
          },
        ],
        lines: [{ name: "Gate", a: [0.1, 0.9], b: [0.9, 0.9], labels: [] }],
      },
    ]);
  });

  it("drags a corner of the selected shape, swaps a line's ends and deletes a shape", async () => {
    const { api, puts } = server(STORED);
    const { form, svg } = await open(api);
    const list = within(form).getByRole("list", { name: "Zones, lines and masks" });
    expect(svg.querySelectorAll(".corner")).toHaveLength(0);
    fireEvent.click(within(list).getByRole("button", { name: /^Zone “Door”/ }));
    const corners = svg.querySelectorAll(".corner.grab");
    expect(corners).toHaveLength(4);
    fireEvent.pointerDown(corners[1], { pointerId: 1, clientX: 900, clientY: 250 });
    fireEvent.pointerMove(svg, { pointerId: 1, clientX: 950, clientY: 200 });
    fireEvent.pointerUp(svg, { pointerId: 1 });
    // Moving after the release moves nothing.
    fireEvent.pointerMove(svg, { pointerId: 1, clientX: 10, clientY: 10 });
    fireEvent.click(within(list).getByRole("button", { name: /^Line “Gate”/ }));
    fireEvent.click(within(form).getByRole("button", { name: "Swap A and B" }));
    fireEvent.click(within(list).getByRole("button", { name: "Delete Mask 1" }));
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0].zones?.[0].points[1]).toEqual([0.95, 0.4]);
    expect(puts[0].lines?.[0]).toEqual({ name: "Gate", a: [0.8, 0.3], b: [0.2, 0.3], labels: [] });
    expect(puts[0].masks).toEqual([]);
    expect(puts[0].fps).toBe(5);
    expect(puts[0].min_area).toBe(0.001);
  });

  it("says what is wrong before sending: a zone crossing itself, two shapes of one name", async () => {
    const { api, puts } = server(STORED);
    const { form, svg } = await open(api);
    fireEvent.click(within(form).getByRole("button", { name: "Add zone" }));
    // A bow tie.
    clickAt(svg, 0, 0);
    clickAt(svg, 500, 250);
    clickAt(svg, 500, 0);
    clickAt(svg, 0, 250);
    fireEvent.click(within(form).getByRole("button", { name: "Finish" }));
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Zone “Zone 1” crosses itself (its sides 1 and 3)");
    fireEvent.click(within(form).getByRole("button", { name: "Delete Zone “Zone 1”" }));
    fireEvent.click(within(form).getByRole("button", { name: /^Line “Gate”/ }));
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: " door" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Two zones or lines are called “door”: give each its own name.");
    expect(puts).toEqual([]);
  });

  it("shows the server's refusal and selects the shape it names", async () => {
    const { api, puts } = server(STORED, () => "zones[0].points: point 2 must be [x, y], each between 0 and 1");
    const { form } = await open(api);
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent(
      "Cannot save the analytics settings: zones[0].points: point 2 must be [x, y], each between 0 and 1",
    );
    expect(within(form).getByRole("button", { name: /^Zone “Door”/ })).toHaveAttribute("aria-pressed", "true");
    expect(within(form).getByRole("group", { name: "Zone “Door”" })).toBeInTheDocument();
    expect(puts).toHaveLength(1);
    expect(screen.getByRole("form", { name: "Analytics of Front door" })).toBeInTheDocument();
  });

  it("keeps the drawing when someone else changed the settings meanwhile, and saves over theirs after a reload", async () => {
    const { api, puts, ifMatch, elsewhere } = server(STORED);
    const { form } = await open(api);
    const list = within(form).getByRole("list", { name: "Zones, lines and masks" });
    fireEvent.click(within(list).getByRole("button", { name: "Delete Mask 1" }));
    elsewhere({ ...STORED, fps: 10, lines: [] });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent(
      "Someone else changed the analytics settings of this camera since you opened them. Reload to see their change, then make yours again.",
    );
    expect(within(list).getAllByRole("button", { name: /^(Zone|Line|Mask)/ }).map((b) => b.textContent)).toEqual([
      "Zone “Door” 4 corners, person, loitering 30 s",
      "Line “Gate” all objects",
    ]);
    expect(within(form).getByLabelText(/Pictures analysed a second/)).toHaveValue(5);
    fireEvent.click(within(form).getByRole("button", { name: "Reload" }));
    await waitFor(() => expect(within(form).getByLabelText(/Pictures analysed a second/)).toHaveValue(10));
    expect(within(list).getAllByRole("button", { name: /^(Zone|Line|Mask)/ }).map((b) => b.textContent)).toEqual([
      "Zone “Door” 4 corners, person, loitering 30 s",
      "Mask 1 3 corners, motion ignored",
    ]);
    expect(within(form).queryByRole("alert")).toBeNull();
    fireEvent.click(within(list).getByRole("button", { name: "Delete Mask 1" }));
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getByText("Analytics of “Front door” saved: 1 zone, 0 lines, 0 masks.")).toBeInTheDocument());
    expect(ifMatch).toEqual(['"0"', '"1"']);
    expect(puts[1]).toMatchObject({ fps: 10, lines: [], masks: [] });
  });

  it("shows a viewer the shapes read-only, without tools or Save", async () => {
    const { api, puts } = server(STORED);
    // Manages the cameras of another site only; may watch this one.
    const viewer: Me = { ...user(MANAGER), access: { t: [Permission.ViewLive], s: { s2: [Permission.ManageCameras] } } };
    const { form, svg } = await open(api, viewer);
    expect(within(form).getByText(/Shown read-only/)).toBeInTheDocument();
    expect(within(form).queryByRole("button", { name: "Save" })).toBeNull();
    expect(within(form).queryByRole("toolbar", { name: "Drawing tools" })).toBeNull();
    expect(within(form).queryByRole("button", { name: /^Delete/ })).toBeNull();
    expect(within(form).getByLabelText(/Pictures analysed a second/)).toBeDisabled();
    expect(within(form).getByLabelText("Analyse this camera")).toBeDisabled();
    fireEvent.click(within(form).getByRole("button", { name: /^Zone “Door”/ }));
    const fields = within(form).getByRole("group", { name: "Zone “Door”" });
    expect(fields).toHaveTextContent("Loitering after30 s");
    expect(within(fields).queryByRole("textbox")).toBeNull();
    // Its corners are shown, not grabbed; clicks draw nothing.
    expect(svg.querySelectorAll(".corner")).toHaveLength(4);
    expect(svg.querySelectorAll(".corner.grab")).toHaveLength(0);
    clickAt(svg, 100, 100);
    expect(within(form).getAllByRole("button", { name: /^(Zone|Line|Mask)/ })).toHaveLength(3);
    fireEvent.click(within(form).getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("form", { name: "Analytics of Front door" })).toBeNull();
    expect(puts).toEqual([]);
  });
});
