import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { ApiError } from "../api/client";
import type { Me } from "../api/types";
import { Permission } from "../app/permissions";
import { VIEWER, WithStatus, fakeApi, renderApp, user } from "../app/testUtils";
import { formatWhen } from "../playback/when";
import type { CameraDetail } from "./api";
import { MAX_CHANNELS, parseChannels } from "./channelList";
import type { ImportNvrRequest, NvrChannel, NvrDetail, NvrView } from "./nvrApi";

const MANAGER = [Permission.ManageCameras, Permission.ViewLive];
const SYNCED = "2026-12-04T09:00:00Z";

function nvrOf(id: string, name: string, fields: Partial<NvrView> = {}): NvrView {
  return {
    id,
    name,
    vendor: "hikvision",
    manufacturer: "Hikvision",
    model: "DS-7608NI-K2",
    firmware: "V4.30.085",
    serial: "DS-7608NI-K20820191234",
    address: "http://192.168.1.20/",
    site_id: "s1",
    all_channels: true,
    camera_count: 2,
    channel_count: 3,
    created_at: SYNCED,
    synced_at: SYNCED,
    ...fields,
  };
}

function channel(number: number, name: string | null, online: boolean | null, camera_id: string | null = null): NvrChannel {
  const base = `rtsp://192.168.1.20:554/Streaming/Channels/${number}0`;
  return { number, name, online, camera_id, main_url: `${base}1`, sub_url: `${base}2` };
}

function cameraOf(id: string, name: string): CameraDetail {
  return {
    id,
    site_id: "s1",
    name,
    description: "",
    enabled: true,
    streams: [{ id: `${id}-m`, role: "main", url: "rtsp://192.168.1.20:554/Streaming/Channels/101", transport: "tcp", has_credentials: true, state: { status: "online" } }],
  };
}

/// The channels of the NVR "Warehouse NVR": two cameras, one channel not.
const CHANNELS = [channel(1, "Gate", true, "c1"), channel(2, "Loading bay", false, "c2"), channel(3, null, null)];

interface Options {
  nvrs?: NvrView[];
  /// Answers an import (a `WithStatus` for 201), or throws its refusal.
  onImport?: (body: ImportNvrRequest) => unknown;
  /// Answers a sync of `nvr`, or throws its refusal.
  onSync?: (nvr: NvrView) => NvrDetail;
}

/// A server holding `nvrs` (each with `CHANNELS`) and the cameras of their
/// channels, recording what it is asked.
function server({
  nvrs = [],
  onImport = () => new WithStatus(detailOf(nvrOf("n1", "Warehouse NVR"), 4, 0), 201),
  onSync = (nvr) => detailOf({ ...nvr, camera_count: 3 }, 1, 1),
}: Options = {}) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const held = [...nvrs];
  const api = fakeApi({
    respond: (method, path, body) => {
      calls.push({ method, path, body });
      if (method === "GET" && path === "/api/cameras") return { items: [cameraOf("c1", "Warehouse NVR 01 Gate"), cameraOf("c2", "Warehouse NVR 02 Loading bay")] };
      if (method === "GET" && path === "/api/nvrs") return { items: [...held] };
      if (method === "POST" && path === "/api/nvrs") {
        const answer = onImport(body as ImportNvrRequest);
        const detail = (answer instanceof WithStatus ? answer.body : answer) as NvrDetail;
        if (!held.some((n) => n.id === detail.nvr.id)) held.push(detail.nvr);
        return answer;
      }
      const one = /^\/api\/nvrs\/(\w+)(\/sync|\?cameras=(keep|remove))?$/.exec(path);
      const nvr = held.find((n) => n.id === one?.[1]);
      if (one && nvr && method === "GET" && !one[2]) return { nvr, channels: CHANNELS, cameras_created: [], cameras_updated: [] };
      if (one && nvr && method === "POST" && one[2] === "/sync") return onSync(nvr);
      if (one && nvr && method === "DELETE" && one[3]) {
        held.splice(held.indexOf(nvr), 1);
        return new WithStatus(undefined, 204);
      }
      throw new ApiError(404, `unexpected ${method} ${path}`, "not_found");
    },
  });
  const asked = (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path);
  return { api, calls, asked };
}

/// The answer of an import or sync that made `created` cameras and updated `updated`.
function detailOf(nvr: NvrView, created: number, updated: number): NvrDetail {
  const ids = (n: number, from: number) => Array.from({ length: n }, (_, i) => `c${from + i}`);
  return { nvr, channels: CHANNELS, cameras_created: ids(created, 10), cameras_updated: ids(updated, 1) };
}

const fill = (form: HTMLElement, label: string, value: string) => fireEvent.change(within(form).getByLabelText(label), { target: { value } });

/// Opens the import form of the NVR panel at `/cameras?nvrs=1` and fills in what every import needs.
async function importForm() {
  fireEvent.click(await screen.findByRole("button", { name: "Import an NVR" }));
  const form = await screen.findByRole("form", { name: "Import an NVR" });
  fill(form, "NVR address", " 192.168.1.20 ");
  fill(form, "NVR user name", "admin");
  fill(form, "NVR password", "Nvr-pass-2026");
  return form;
}

afterEach(cleanup);

describe("the NVR panel", () => {
  it("imports an NVR with every channel, says what it did and shows its channels", async () => {
    const { api, calls, asked } = server();
    const { where } = renderApp("/cameras", user(MANAGER), api);
    fireEvent.click(await screen.findByRole("button", { name: "NVRs" }));
    expect(where()).toBe("/cameras?nvrs=1");
    const panel = await screen.findByRole("region", { name: "NVRs" });
    expect(await within(panel).findByText(/No NVR imported yet/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "NVRs" })).toBeNull();

    const form = await importForm();
    expect(within(form).getByLabelText("NVR password")).toHaveAttribute("type", "password");
    expect(within(form).getByLabelText("NVR password")).toHaveAttribute("autocomplete", "new-password");
    expect(within(form).getByLabelText("Channels (optional)")).toHaveAccessibleDescription(/Leave empty for every channel: later syncs then make cameras of new channels too/);
    expect(within(form).getByLabelText("Vendor")).toHaveValue("hikvision");
    fireEvent.change(within(form).getByLabelText("Vendor"), { target: { value: "dahua" } });
    const camerasRead = asked("GET", "/api/cameras").length;
    fireEvent.click(within(form).getByRole("button", { name: "Import NVR" }));

    expect(await within(panel).findByText("NVR “Warehouse NVR” imported: 4 cameras added.")).toBeInTheDocument();
    expect(calls.find((c) => c.method === "POST" && c.path === "/api/nvrs")!.body).toEqual({
      vendor: "dahua",
      address: "192.168.1.20",
      username: "admin",
      password: "Nvr-pass-2026",
      site_id: "s1",
    });
    expect(screen.queryByRole("form", { name: "Import an NVR" })).toBeNull();
    // The camera list and the NVR list are read again; the new NVR's channels show.
    await waitFor(() => expect(asked("GET", "/api/cameras").length).toBeGreaterThan(camerasRead));
    const row = await within(panel).findByRole("listitem");
    expect(row).toHaveTextContent("Warehouse NVR");
    expect(row).toHaveTextContent("Hikvision DS-7608NI-K2");
    expect(row).toHaveTextContent("http://192.168.1.20/");
    expect(row).toHaveTextContent("2 of 3 channels are cameras");
    expect(row).toHaveTextContent(`last synced ${formatWhen(Date.parse(SYNCED))}`);
    expect(where()).toBe("/cameras?nvrs=1&nvr=n1");
    expect(await within(panel).findByRole("table", { name: "Channels of Warehouse NVR" })).toBeInTheDocument();
  });

  it("imports chosen channels of an NVR imported before, and says it was updated", async () => {
    const { api, calls } = server({ nvrs: [nvrOf("n1", "Warehouse NVR")], onImport: () => detailOf(nvrOf("n1", "Warehouse"), 1, 3) });
    renderApp("/cameras?nvrs=1", user(MANAGER), api);
    const form = await importForm();
    fill(form, "NVR name (optional)", " Warehouse ");
    fill(form, "Channels (optional)", "1-2, 4");
    fireEvent.click(within(form).getByRole("button", { name: "Import NVR" }));
    expect(await screen.findByText("NVR “Warehouse” updated: 1 camera added, 3 updated.")).toBeInTheDocument();
    expect(calls.find((c) => c.method === "POST" && c.path === "/api/nvrs")!.body).toEqual({
      vendor: "hikvision",
      address: "192.168.1.20",
      username: "admin",
      password: "Nvr-pass-2026",
      site_id: "s1",
      name: "Warehouse",
      channels: [1, 2, 4],
    });
  });

  it("says what the NVR or the server refused, at the field at fault", async () => {
    let refusal = new ApiError(400, "the device refused the credentials", "device_auth_failed");
    const { api, asked } = server({
      onImport: () => {
        throw refusal;
      },
    });
    renderApp("/cameras?nvrs=1", user(MANAGER), api);
    const form = await importForm();
    const submit = within(form).getByRole("button", { name: "Import NVR" });
    fireEvent.click(submit);
    expect(await within(form).findByRole("alert")).toHaveTextContent("The NVR refused the user name or password.");
    expect(within(form).getByLabelText("NVR password")).toHaveAttribute("aria-invalid", "true");
    expect(within(form).getByLabelText("NVR password")).toHaveAccessibleDescription("The NVR refused the user name or password.");

    refusal = new ApiError(400, "channels: the NVR has no channel 9", "invalid_argument");
    fill(form, "Channels (optional)", "1, 9");
    fireEvent.click(submit);
    await waitFor(() => expect(within(form).getByRole("alert")).toHaveTextContent("Cannot import the NVR: channels: the NVR has no channel 9"));
    expect(within(form).getByLabelText("Channels (optional)")).toHaveAttribute("aria-invalid", "true");
    expect(within(form).getByLabelText("NVR password")).not.toHaveAttribute("aria-invalid");

    refusal = new ApiError(504, "no answer from 192.168.1.20 within 60 s", "device_unreachable");
    fireEvent.click(submit);
    await waitFor(() => expect(within(form).getByRole("alert")).toHaveTextContent("The NVR did not answer. Check the address and that it is switched on."));

    refusal = new ApiError(409, "this NVR is already imported into another site; remove it there first", "failed_precondition");
    fireEvent.click(submit);
    await waitFor(() => expect(within(form).getByRole("alert")).toHaveTextContent("Cannot import the NVR: this NVR is already imported into another site; remove it there first"));
    expect(within(form).getByLabelText("Site")).toHaveAttribute("aria-invalid", "true");

    refusal = new ApiError(409, "the device does not support ISAPI", "failed_precondition");
    fireEvent.click(submit);
    await waitFor(() => expect(within(form).getByRole("alert")).toHaveTextContent("The NVR did not answer as the vendor chosen (the device does not support ISAPI): check the vendor."));
    expect(within(form).getByLabelText("Vendor")).toHaveAttribute("aria-invalid", "true");
    expect(within(form).getByLabelText("Site")).not.toHaveAttribute("aria-invalid");

    refusal = new ApiError(429, "too many devices at once", "resource_exhausted");
    fireEvent.click(submit);
    await waitFor(() => expect(within(form).getByRole("alert")).toHaveTextContent("The server is talking to as many devices as it may at once: try again in a minute."));

    // A list of channels that is not one is refused before asking.
    const posts = asked("POST", "/api/nvrs").length;
    fill(form, "Channels (optional)", "5-2");
    fireEvent.click(submit);
    await waitFor(() => expect(within(form).getByRole("alert")).toHaveTextContent("“5-2” runs backwards: write the lower channel first (2-5)."));
    expect(within(form).getByLabelText("Channels (optional)")).toHaveAttribute("aria-invalid", "true");
    expect(asked("POST", "/api/nvrs")).toHaveLength(posts);

    fill(form, "NVR address", "");
    fireEvent.click(submit);
    await waitFor(() => expect(within(form).getByRole("alert")).toHaveTextContent("Type the NVR's address"));
    expect(within(form).getByLabelText("NVR address")).toHaveAttribute("aria-invalid", "true");
  });

  it("shows an NVR's channels with their cameras, and syncs it", async () => {
    const { api, asked } = server({ nvrs: [nvrOf("n1", "Warehouse NVR")] });
    const { where } = renderApp("/cameras?nvrs=1&nvr=n1", user(MANAGER), api);
    const table = await screen.findByRole("table", { name: "Channels of Warehouse NVR" });
    const rows = within(table).getAllByRole("row").slice(1);
    const cells = () => rows.map((r) => within(r).getAllByRole("cell").map((c) => c.textContent!.trim()));
    await waitFor(() =>
      expect(cells()).toEqual([
        ["1", "Gate", "online", "Warehouse NVR 01 Gate"],
        ["2", "Loading bay", "offline", "Warehouse NVR 02 Loading bay"],
        ["3", "", "unknown", "not a camera"],
      ]),
    );
    await waitFor(() => expect(within(rows[0]).getByRole("link", { name: "Warehouse NVR 01 Gate" })).toHaveAttribute("href", "/cameras?edit=c1"));
    expect(within(rows[1]).getByRole("link", { name: "Warehouse NVR 02 Loading bay" })).toHaveAttribute("href", "/cameras?edit=c2");
    expect(asked("GET", "/api/nvrs/n1")).toHaveLength(1);

    fireEvent.click(screen.getByRole("button", { name: "Sync Warehouse NVR" }));
    expect(await screen.findByText("NVR “Warehouse NVR” synced: 1 camera added, 1 updated.")).toBeInTheDocument();
    expect(asked("POST", "/api/nvrs/n1/sync")).toHaveLength(1);
    // The channels are read again.
    await waitFor(() => expect(asked("GET", "/api/nvrs/n1")).toHaveLength(2));

    const channels = screen.getByRole("button", { name: "Channels of Warehouse NVR" });
    expect(channels).toHaveAttribute("aria-expanded", "true");
    fireEvent.click(channels);
    expect(where()).toBe("/cameras?nvrs=1");
    expect(screen.queryByRole("table", { name: "Channels of Warehouse NVR" })).toBeNull();

    fireEvent.click(within(screen.getByRole("region", { name: "NVRs" })).getByRole("button", { name: "Close" }));
    expect(where()).toBe("/cameras");
    expect(screen.getByRole("button", { name: "NVRs" })).toBeInTheDocument();
  });

  it("says why a sync failed", async () => {
    let refusal = new ApiError(400, "the device refused the credentials", "device_auth_failed");
    const { api } = server({
      nvrs: [nvrOf("n1", "Warehouse NVR")],
      onSync: () => {
        throw refusal;
      },
    });
    renderApp("/cameras?nvrs=1", user(MANAGER), api);
    const sync = await screen.findByRole("button", { name: "Sync Warehouse NVR" });
    fireEvent.click(sync);
    const panel = screen.getByRole("region", { name: "NVRs" });
    expect(await within(panel).findByRole("alert")).toHaveTextContent("The NVR refused the user name or password.");
    refusal = new ApiError(404, "no such NVR", "not_found");
    await waitFor(() => expect(sync).toBeEnabled());
    fireEvent.click(sync);
    await waitFor(() => expect(within(panel).getByRole("alert")).toHaveTextContent("Cannot sync “Warehouse NVR”: no such NVR"));
  });

  it("removes an NVR keeping its cameras, or with them, after asking which", async () => {
    const { api, asked } = server({ nvrs: [nvrOf("n1", "Warehouse NVR"), nvrOf("n2", "Depot NVR", { address: "http://192.168.2.20/" })] });
    renderApp("/cameras?nvrs=1&nvr=n1", user(MANAGER), api);
    fireEvent.click(await screen.findByRole("button", { name: "Remove Warehouse NVR" }));
    let choice = screen.getByRole("group", { name: "Remove Warehouse NVR" });
    expect(choice).toHaveTextContent("Remove the NVR “Warehouse NVR”?");
    fireEvent.click(within(choice).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("group", { name: "Remove Warehouse NVR" })).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Remove Warehouse NVR" }));
    choice = screen.getByRole("group", { name: "Remove Warehouse NVR" });
    const camerasRead = asked("GET", "/api/cameras").length;
    fireEvent.click(within(choice).getByRole("button", { name: "Remove, keep its cameras" }));
    expect(await screen.findByText("NVR “Warehouse NVR” removed; its cameras stay.")).toBeInTheDocument();
    expect(asked("DELETE", "/api/nvrs/n1?cameras=keep")).toHaveLength(1);
    await waitFor(() => expect(screen.queryByRole("button", { name: "Remove Warehouse NVR" })).toBeNull());
    await waitFor(() => expect(asked("GET", "/api/cameras").length).toBeGreaterThan(camerasRead));

    fireEvent.click(screen.getByRole("button", { name: "Remove Depot NVR" }));
    choice = screen.getByRole("group", { name: "Remove Depot NVR" });
    fireEvent.click(within(choice).getByRole("button", { name: "Remove with its cameras" }));
    expect(await screen.findByText("NVR “Depot NVR” removed with its cameras.")).toBeInTheDocument();
    expect(asked("DELETE", "/api/nvrs/n2?cameras=remove")).toHaveLength(1);
    expect(asked("DELETE", "/api/nvrs/n2?cameras=keep")).toHaveLength(0);
    expect(await screen.findByText(/No NVR imported yet/)).toBeInTheDocument();
  });

  it("is offered only to those who manage cameras on a site", async () => {
    const { api, asked } = server({ nvrs: [nvrOf("n1", "Warehouse NVR")] });
    // Camera management on single cameras opens the screen, not the NVRs.
    const cameraManager: Me = { ...user(MANAGER), access: { t: [Permission.ViewLive], c: { c1: [Permission.ManageCameras] } } };
    renderApp("/cameras?nvrs=1", cameraManager, api);
    expect(await screen.findByRole("button", { name: "Add camera" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "NVRs" })).toBeNull();
    expect(screen.queryByRole("region", { name: "NVRs" })).toBeNull();
    expect(asked("GET", "/api/nvrs")).toHaveLength(0);
    cleanup();

    renderApp("/cameras", user(VIEWER), api);
    expect(await screen.findByText(/Your account may not open this screen/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "NVRs" })).toBeNull();
    cleanup();

    const siteManager: Me = { ...user(MANAGER), access: { t: [Permission.ViewLive], s: { s1: [Permission.ManageCameras] } } };
    renderApp("/cameras", siteManager, api);
    fireEvent.click(await screen.findByRole("button", { name: "NVRs" }));
    expect(await screen.findByRole("listitem")).toHaveTextContent("Warehouse NVR");
  });
});

describe("channels as typed", () => {
  it("reads numbers and ranges, sorted without repeats; nothing means every channel", () => {
    expect(parseChannels("1-4, 7")).toEqual({ ok: true, channels: [1, 2, 3, 4, 7] });
    expect(parseChannels(" 7 ,2 - 3; 3\n1")).toEqual({ ok: true, channels: [1, 2, 3, 7] });
    expect(parseChannels("5-5")).toEqual({ ok: true, channels: [5] });
    expect(parseChannels(" , ")).toEqual({ ok: true, channels: null });
    expect(parseChannels("")).toEqual({ ok: true, channels: null });
  });

  it("refuses what is not a channel, a range backwards and too many channels, saying why", () => {
    const problem = (text: string) => {
      const read = parseChannels(text);
      return read.ok ? null : read.problem;
    };
    expect(problem("0")).toBe("“0” is not a channel: give numbers from 1, or ranges such as 1-4, separated by commas.");
    expect(problem("a")).toBe("“a” is not a channel: give numbers from 1, or ranges such as 1-4, separated by commas.");
    expect(problem("1, 2.5")).toMatch(/^“2.5” is not a channel/);
    expect(problem("1-2-3")).toMatch(/^“1-2-3” is not a channel/);
    expect(problem("-3")).toMatch(/^“-3” is not a channel/);
    expect(problem("70000")).toMatch(/^“70000” is not a channel/);
    expect(problem("5-2")).toBe("“5-2” runs backwards: write the lower channel first (2-5).");
    expect(problem(`1-${MAX_CHANNELS + 1}`)).toBe("At most 256 channels at once: leave the field empty for every channel.");
    expect(problem(`1-${MAX_CHANNELS}, 1000`)).toBe("At most 256 channels at once: leave the field empty for every channel.");
    expect(parseChannels(`1-${MAX_CHANNELS}`)).toEqual({ ok: true, channels: Array.from({ length: MAX_CHANNELS }, (_, i) => i + 1) });
  });
});
