import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { ApiError } from "../api/client";
import type { Me } from "../api/types";
import { Permission } from "../app/permissions";
import { fakeApi, renderApp, user } from "../app/testUtils";
import type { CameraDetail } from "./api";
import type { FoundDevice, OnboardRequest, Onboarded, ScanView } from "./discoveryApi";
import { parseRanges } from "./ranges";
import { POLL_MS } from "./useScan";

const MANAGER = [Permission.ManageCameras, Permission.ViewLive];

const GATE: FoundDevice = {
  address: "192.168.1.64",
  device_url: "http://192.168.1.64/onvif/device_service",
  endpoint: "urn:uuid:4d454930-0000-1000-8000-bcad28e4f7b1",
  manufacturer: "HIKVISION",
  model: "DS-2CD2143G2-I",
  name: "Gate",
  location: null,
  scopes: ["onvif://www.onvif.org/name/Gate"],
  camera_id: null,
};

function scanAt(state: ScanView["state"], probed: number, devices: FoundDevice[], total = 254): ScanView {
  return { id: "scan1", state, progress: { probed, total }, devices, started_at: "2026-12-03T10:00:00Z", finished_at: state === "running" ? null : "2026-12-03T10:00:05Z" };
}

function cameraOf(id: string, name: string): CameraDetail {
  return {
    id,
    site_id: "s1",
    name,
    description: "",
    enabled: true,
    streams: [{ id: `${id}-m`, role: "main", url: "rtsp://192.168.1.64/Streaming/Channels/101", transport: "tcp", has_credentials: true, state: { status: "online" } }],
  };
}

/// A server that scans through `answers` (one per read; the last one stays)
/// and onboards with `onboard`, recording what it is asked.
function server(answers: ScanView[], onboard: (body: OnboardRequest) => Onboarded = (body) => onboarded(body, true)) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const cameras: CameraDetail[] = [];
  const api = fakeApi({
    respond: (method, path, body) => {
      calls.push({ method, path, body });
      if (method === "GET" && path === "/api/cameras") return { items: [...cameras] };
      if (method === "POST" && path === "/api/discovery/scan") return { id: "scan1" };
      if (method === "GET" && path === "/api/discovery/scan/scan1") {
        const answer = answers.length > 1 ? answers.shift()! : answers[0];
        // A device made a camera says so from then on.
        return { ...answer, devices: answer.devices.map((d) => ({ ...d, camera_id: cameras.length ? cameras[0].id : d.camera_id })) };
      }
      if (method === "DELETE" && path === "/api/discovery/scan/scan1") {
        answers.splice(0, answers.length, scanAt("cancelled", 40, []));
        return null;
      }
      if (method === "POST" && path === "/api/cameras/onboard") {
        const done = onboard(body as OnboardRequest);
        cameras.push(done.camera as CameraDetail);
        return done;
      }
      throw new Error(`unexpected ${method} ${path}`);
    },
  });
  const scanReads = () => calls.filter((c) => c.method === "GET" && c.path === "/api/discovery/scan/scan1").length;
  return { api, calls, scanReads };
}

function onboarded(body: OnboardRequest, created: boolean): Onboarded {
  return {
    created,
    camera: { ...cameraOf("c9", body.name ?? "HIKVISION DS-2CD2143G2-I"), tenant_id: "t1", created_at: "", updated_at: "" } as Onboarded["camera"],
    device: { device_url: GATE.device_url, manufacturer: "HIKVISION", model: "DS-2CD2143G2-I", firmware: "V5.7", ptz: true, snapshot: true },
  };
}

const fill = (form: HTMLElement, label: string, value: string) => fireEvent.change(within(form).getByLabelText(label), { target: { value } });

afterEach(cleanup);

describe("adding cameras by discovery", () => {
  it("scans, shows the progress, lists what answered, and onboards a device", async () => {
    const { api, calls } = server([scanAt("running", 128, [GATE]), scanAt("done", 254, [GATE])]);
    const { where } = renderApp("/cameras", user(MANAGER), api);
    fireEvent.click(await screen.findByRole("button", { name: "Add by discovery" }));
    const form = await screen.findByRole("form", { name: "Scan the network" });
    fill(form, "Address ranges", "192.168.1.0/24, 10.0.0.5-10.0.0.40\n\n192.168.1.0/24");
    fireEvent.click(within(form).getByRole("button", { name: "Start scan" }));

    const bar = await screen.findByRole("progressbar", { name: "Scan progress" });
    expect(bar).toHaveAttribute("aria-valuenow", "128");
    expect(bar).toHaveAttribute("aria-valuemax", "254");
    expect(bar).toHaveAttribute("aria-valuetext", "128 of 254 addresses probed");
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ ranges: ["192.168.1.0/24", "10.0.0.5-10.0.0.40"], multicast: false });
    expect(where()).toBe("/cameras?discover=1&scan=scan1");
    const found = screen.getByRole("list", { name: "Found devices" });
    expect(within(found).getByRole("listitem")).toHaveTextContent("Gate");
    expect(within(found).getByRole("listitem")).toHaveTextContent("HIKVISION DS-2CD2143G2-I");
    expect(within(found).getByRole("listitem")).toHaveTextContent("192.168.1.64");

    // Read again a second later: done, and no more reads.
    expect(await screen.findByText("Scan finished: 1 device found.", undefined, { timeout: POLL_MS * 3 })).toBeInTheDocument();
    expect(screen.queryByRole("progressbar")).toBeNull();

    fireEvent.click(within(found).getByRole("button", { name: "Onboard Gate" }));
    const onboard = await screen.findByRole("form", { name: "Onboard Gate" });
    expect(within(onboard).getByLabelText("Camera name (optional)")).toHaveValue("Gate");
    fill(onboard, "Device user name", "vms");
    fill(onboard, "Device password", "Cam-pass-2026");
    fireEvent.click(within(onboard).getByRole("button", { name: "Add camera" }));
    expect(await screen.findByText("Camera “Gate” added (HIKVISION DS-2CD2143G2-I, with PTZ).")).toBeInTheDocument();
    expect(calls.find((c) => c.path === "/api/cameras/onboard")!.body).toEqual({
      device_url: "http://192.168.1.64/onvif/device_service",
      site_id: "s1",
      username: "vms",
      password: "Cam-pass-2026",
      name: "Gate",
    });
    // The camera list and the scan are read again: the device is now a camera.
    await waitFor(() => expect(within(found).getByRole("listitem")).toHaveTextContent("Already added as Gate"));
    expect(within(found).getByRole("link", { name: "Gate" })).toHaveAttribute("href", "/cameras?edit=c9");
    expect(within(found).getByRole("button", { name: "Onboard Gate again" })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole("table")).toHaveTextContent("Gate"));
  });

  it("says the device refused the password, or did not answer, in words", async () => {
    let refusal = new ApiError(400, "the device refused the credentials", "device_auth_failed");
    const { api } = server([scanAt("done", 254, [GATE])], () => {
      throw refusal;
    });
    renderApp("/cameras?discover=1&scan=scan1", user(MANAGER), api);
    fireEvent.click(await screen.findByRole("button", { name: "Onboard Gate" }));
    const onboard = await screen.findByRole("form", { name: "Onboard Gate" });
    fill(onboard, "Device user name", "vms");
    fill(onboard, "Device password", "wrong");
    fireEvent.click(within(onboard).getByRole("button", { name: "Add camera" }));
    expect(await within(onboard).findByRole("alert")).toHaveTextContent("The device refused the user name or password.");
    expect(within(onboard).getByLabelText("Device password")).toHaveAttribute("aria-invalid", "true");

    refusal = new ApiError(504, "no answer from 192.168.1.64 within 10 s", "device_unreachable");
    fireEvent.click(within(onboard).getByRole("button", { name: "Add camera" }));
    await waitFor(() => expect(within(onboard).getByRole("alert")).toHaveTextContent("The device did not answer. Check the address and that it is switched on."));

    refusal = new ApiError(403, "forbidden: needs camera.manage", "permission_denied");
    fireEvent.click(within(onboard).getByRole("button", { name: "Add camera" }));
    await waitFor(() => expect(within(onboard).getByRole("alert")).toHaveTextContent("Cannot add the device: forbidden: needs camera.manage"));
  });

  it("onboards a device by its address, says an existing camera was updated, and marks the field the server names", async () => {
    let answer: (body: OnboardRequest) => Onboarded = () => {
      throw new ApiError(400, "address: not an IP address or host name", "invalid_argument");
    };
    const { api, calls } = server([scanAt("done", 0, [], 0)], (body) => answer(body));
    renderApp("/cameras?discover=1", user(MANAGER), api);
    fireEvent.click(await screen.findByRole("button", { name: "Add a device by its address" }));
    const form = await screen.findByRole("form", { name: "Add a device by its address" });
    fireEvent.click(within(form).getByRole("button", { name: "Add camera" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Type the device's address");
    fill(form, "Device address", "192.0.2.64:8o");
    fill(form, "Device user name", "vms");
    fill(form, "Device password", "pw");
    fireEvent.click(within(form).getByRole("button", { name: "Add camera" }));
    expect(await within(form).findByText("Cannot add the device: address: not an IP address or host name")).toBeInTheDocument();
    expect(within(form).getByLabelText("Device address")).toHaveAttribute("aria-invalid", "true");

    answer = (body) => onboarded(body, false);
    fill(form, "Device address", "192.0.2.64:8080");
    fireEvent.click(within(form).getByRole("button", { name: "Add camera" }));
    expect(await screen.findByText("Camera “HIKVISION DS-2CD2143G2-I” updated (HIKVISION DS-2CD2143G2-I, with PTZ): the device had been added before.")).toBeInTheDocument();
    expect(calls.filter((c) => c.path === "/api/cameras/onboard").at(-1)!.body).toEqual({ address: "192.0.2.64:8080", site_id: "s1", username: "vms", password: "pw" });
    expect(screen.queryByRole("form", { name: "Add a device by its address" })).toBeNull();
  });

  it("cancels a running scan, and stops asking once the screen closes", async () => {
    const { api, calls, scanReads } = server([scanAt("running", 40, [])]);
    renderApp("/cameras?discover=1", user(MANAGER), api);
    const form = await screen.findByRole("form", { name: "Scan the network" });
    fireEvent.click(within(form).getByRole("button", { name: "Start scan" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Give address ranges to probe");
    fill(form, "Address ranges", "10.0.0.5-40");
    fireEvent.click(within(form).getByRole("button", { name: "Start scan" }));
    expect(await screen.findByRole("progressbar", { name: "Scan progress" })).toHaveAttribute("aria-valuenow", "40");
    expect(screen.getByText("Scanning: 0 devices found so far.")).toBeInTheDocument();
    fireEvent.click(within(form).getByRole("button", { name: "Cancel scan" }));
    expect(await screen.findByText("Scan cancelled: 0 devices found before it stopped.")).toBeInTheDocument();
    expect(calls.some((c) => c.method === "DELETE" && c.path === "/api/discovery/scan/scan1")).toBe(true);
    expect(within(form).queryByRole("button", { name: "Cancel scan" })).toBeNull();

    // A scan still running is no longer read once the screen is gone.
    const { api: api2, scanReads: reads2 } = server([scanAt("running", 1, [])]);
    cleanup();
    renderApp("/cameras?discover=1&scan=scan1", user(MANAGER), api2);
    await waitFor(() => expect(reads2()).toBe(1));
    cleanup();
    await new Promise((r) => setTimeout(r, POLL_MS * 1.5));
    expect(reads2()).toBe(1);
    expect(scanReads()).toBeGreaterThan(0);
  });

  it("offers multicast to super-administrators only, off until ticked", async () => {
    const { api, calls } = server([scanAt("running", 0, [], 0)]);
    renderApp("/cameras?discover=1", user(MANAGER), api);
    let form = await screen.findByRole("form", { name: "Scan the network" });
    expect(within(form).queryByLabelText(/Also ask on the local network/)).toBeNull();
    cleanup();

    renderApp("/cameras?discover=1", { ...user(MANAGER), super_admin: true }, api);
    form = await screen.findByRole("form", { name: "Scan the network" });
    const box = within(form).getByLabelText(/Also ask on the local network/);
    expect(box).not.toBeChecked();
    fireEvent.click(box);
    fireEvent.click(within(form).getByRole("button", { name: "Start scan" }));
    await waitFor(() => expect(calls.find((c) => c.method === "POST")?.body).toEqual({ ranges: [], multicast: true }));
  });

  it("does not open again when a scan starts after the panel closed", async () => {
    let answer: (scan: { id: string }) => void = () => {};
    const asked: string[] = [];
    const api = fakeApi({
      respond: (method, path) => {
        asked.push(`${method} ${path}`);
        if (method === "GET" && path === "/api/cameras") return { items: [] };
        if (method === "POST" && path === "/api/discovery/scan") return new Promise((resolve) => (answer = resolve));
        throw new Error(`unexpected ${method} ${path}`);
      },
    });
    const { where } = renderApp("/cameras?discover=1", user(MANAGER), api);
    const form = await screen.findByRole("form", { name: "Scan the network" });
    fill(form, "Address ranges", "10.0.0.5-40");
    fireEvent.click(within(form).getByRole("button", { name: "Start scan" }));
    await waitFor(() => expect(asked).toContain("POST /api/discovery/scan"));
    const panel = screen.getByRole("region", { name: "Add by discovery" });
    fireEvent.click(within(panel).getByRole("button", { name: "Close" }));
    expect(where()).toBe("/cameras");
    answer({ id: "scan1" });
    await new Promise((r) => setTimeout(r, 50));
    expect(where()).toBe("/cameras");
    expect(screen.queryByRole("region", { name: "Add by discovery" })).toBeNull();
  });

  it("keeps a device already added on its camera's site", async () => {
    const api = fakeApi({
      respond: (method, path) => {
        if (method === "GET" && path === "/api/cameras") return { items: [{ ...cameraOf("c9", "Gate"), site_id: "s2" }] };
        if (method === "GET" && path === "/api/discovery/scan/scan1") return scanAt("done", 254, [{ ...GATE, camera_id: "c9" }]);
        throw new Error(`unexpected ${method} ${path}`);
      },
    });
    api.sites.mockResolvedValue([
      { id: "s1", name: "HQ", timezone: "UTC" },
      { id: "s2", name: "Depot", timezone: "UTC" },
    ]);
    renderApp("/cameras?discover=1&scan=scan1", user(MANAGER), api);
    fireEvent.click(await screen.findByRole("button", { name: "Onboard Gate again" }));
    const onboard = await screen.findByRole("form", { name: "Onboard Gate" });
    expect(within(onboard).getByLabelText("Site")).toHaveValue("s2");
  });

  it("offers scanning only to those who manage cameras across the organisation", async () => {
    const siteManager: Me = { ...user(MANAGER), access: { t: [Permission.ViewLive], s: { s1: [Permission.ManageCameras] } } };
    const { api } = server([scanAt("done", 0, [], 0)]);
    renderApp("/cameras?discover=1", siteManager, api);
    const panel = await screen.findByRole("region", { name: "Add by discovery" });
    expect(within(panel).queryByRole("form", { name: "Scan the network" })).toBeNull();
    expect(panel).toHaveTextContent("Scanning the network needs camera management across the whole organisation");
    fireEvent.click(within(panel).getByRole("button", { name: "Add a device by its address" }));
    const form = await within(panel).findByRole("form", { name: "Add a device by its address" });
    expect(within(form).getByLabelText("Site")).toHaveValue("s1");
  });
});

describe("scan ranges as typed", () => {
  it("splits on lines and commas, trims, and drops blanks and repeats", () => {
    expect(parseRanges(" 192.168.1.0/24 ,10.0.0.5-40\n\n10.0.0.7;192.168.1.0/24 ")).toEqual(["192.168.1.0/24", "10.0.0.5-40", "10.0.0.7"]);
    expect(parseRanges(" \n , ")).toEqual([]);
  });
});
