import { cleanup, screen, waitFor, within } from "@testing-library/react";

import type { SystemReply } from "../api/types";
import { Permission } from "../app/permissions";
import { OPERATOR, camera, fakeApi, renderApp, user } from "../app/testUtils";
import { ApiError } from "../api/client";
import { REFRESH_MS } from "./HealthScreen";
import { age, bytes } from "./format";

const ADMIN = [...OPERATOR, Permission.ManageSystem];
const NOW = Date.now();
const iso = (t: number) => new Date(t).toISOString();

const INSTALLATION: SystemReply = {
  version: "0.1.0",
  node_id: "local",
  started_at: iso(NOW - 7_200_000),
  exports: { max_bytes: 0, max_running: 2 },
  components: { database: { ready: true }, nats: { ready: false, detail: "connection refused" } },
  planes: [
    { plane: "control", node_id: "local", status: "up", version: "0.1.0", started_at: iso(NOW - 7_200_000), last_report_secs: 0, alerts: [] },
    {
      plane: "recorder",
      node_id: "local",
      status: "up",
      version: "0.1.0",
      started_at: iso(NOW - 3_600_000),
      last_report_secs: 1.2,
      alerts: ["storage root /srv/vms needs room, but what is left is locked as evidence"],
      storage: [
        { path: "/srv/vms", total_bytes: 1e12, free_bytes: 5e10, recorded_bytes: 9e11, locked_bytes: 2e9, oldest: iso(NOW - 14 * 86_400_000) },
      ],
    },
    { plane: "media", node_id: "local", status: "down", alerts: [] },
  ],
};

afterEach(cleanup);

describe("the health screen", () => {
  it("shows the planes, the alerts, each storage root and every camera", async () => {
    const cams = [camera("a", "Front door"), { ...camera("b", "Yard"), streams: [{ id: "b-main", role: "main" as const, state: { status: "offline", reason: "auth_failed", detail: "401 from the camera" } }] }];
    cams[0].streams[0].state = { status: "online", fps: 25, bitrate_kbps: 4100, width: 1920, height: 1080, codec: "h264", last_keyframe_at: iso(NOW - 2000) };
    const api = fakeApi({
      cameras: cams,
      ranges: (ids) => ({ cameras: ids.map((id) => ({ camera_id: id, ranges: id === "a" ? [{ start: iso(NOW - 300_000), end: iso(NOW - 3000) }] : [] })) }),
    });
    (api.system as ReturnType<typeof vi.fn>).mockResolvedValue(INSTALLATION);
    renderApp("/health", user(ADMIN), api);
    const alerts = await screen.findByRole("region", { name: "Alerts" });
    await waitFor(() => expect(alerts).toHaveTextContent("The media plane is down."));
    expect(alerts).toHaveTextContent("recorder on local: storage root /srv/vms needs room");
    const root = await screen.findByRole("region", { name: "Storage" });
    expect(root).toHaveTextContent("50.0 GB free of 1.0 TB");
    expect(root).toHaveTextContent("900 GB");
    expect(root).toHaveTextContent("2.0 GB");
    expect(root).toHaveTextContent("14 days back");
    expect(within(root).getByRole("meter")).toHaveValue(0.95);
    const planes = screen.getByRole("region", { name: "Planes" });
    expect(planes).toHaveTextContent("nats");
    const cameras = screen.getByRole("region", { name: "Cameras" });
    await waitFor(() => expect(cameras.querySelector('tr[data-camera="a"]')).toHaveTextContent("1920×1080 h264"));
    const door = cameras.querySelector('tr[data-camera="a"]')!;
    expect(door).toHaveTextContent("25.0 fps");
    expect(door).toHaveTextContent("4.10 Mbit/s");
    expect(door).toHaveTextContent("recording");
    const yard = cameras.querySelector('tr[data-camera="b"]')!;
    expect(yard).toHaveTextContent("offline");
    expect(yard).toHaveTextContent("auth_failed: 401 from the camera");
    expect(yard).toHaveTextContent("nothing in 10 min");
  });

  it("lists the watchdog's alerts, critical ones marked, cameras by name", async () => {
    const api = fakeApi({ cameras: [camera("a", "Front door")] });
    (api.alerts as ReturnType<typeof vi.fn>).mockResolvedValue([
      { id: "1", kind: "disk_free_low", severity: "critical", scope: "shared", node: "local", message: "a storage root on node local has 2.0% free: recording may stop", value: 2, raised_at: iso(NOW - 60_000) },
      { id: "2", kind: "camera_offline", severity: "warning", scope: "camera", camera_id: "a", message: "the main stream is offline", value: 75, raised_at: iso(NOW - 30_000) },
    ]);
    renderApp("/health", user(ADMIN), api);
    const alerts = await screen.findByRole("region", { name: "Alerts" });
    await waitFor(() => expect(alerts).toHaveTextContent("Critical · Disk nearly full: a storage root on node local has 2.0% free"));
    await waitFor(() => expect(alerts).toHaveTextContent("Warning · Camera offline · Front door: the main stream is offline"));
    expect(alerts.querySelectorAll("li.alert-critical")).toHaveLength(1);
    expect(alerts).not.toHaveTextContent("No active alerts.");
  });

  it("says when the alerts cannot be read rather than that there are none", async () => {
    const api = fakeApi();
    (api.alerts as ReturnType<typeof vi.fn>).mockRejectedValue(new ApiError(503, "control is restarting"));
    renderApp("/health", user(ADMIN), api);
    const alerts = await screen.findByRole("region", { name: "Alerts" });
    await waitFor(() => expect(alerts).toHaveTextContent("The alerts cannot be read now."));
    expect(alerts).not.toHaveTextContent("No active alerts.");
  });

  it("shows a tenant administrator their share", async () => {
    const api = fakeApi();
    (api.system as ReturnType<typeof vi.fn>).mockResolvedValue({
      version: "0.1.0",
      planes: [{ plane: "control", status: "up" }, { plane: "media", status: "down" }],
      components: { database: true },
      cameras: { configured: 3, quota: 10 },
      streams: { total: 4, by_status: { online: 3, offline: 1 } },
    });
    renderApp("/health", user(ADMIN), api);
    const planes = await screen.findByRole("region", { name: "Planes" });
    await waitFor(() => expect(planes).toHaveTextContent("Cameras: 3 of 10 allowed · streams: 3 online, 1 offline"));
    expect(screen.getByRole("region", { name: "Alerts" })).toHaveTextContent("The media plane is down.");
    expect(screen.queryByRole("region", { name: "Storage" })).toBeNull();
  });

  it("says when the state cannot be read, and stops asking once refused", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = fakeApi();
    (api.system as ReturnType<typeof vi.fn>)
      .mockRejectedValueOnce(new Error("the server is not answering"))
      .mockRejectedValue(new ApiError(403, "needs system.manage"));
    renderApp("/health", user(ADMIN), api);
    expect(await screen.findByText("Cannot read the system's state: the server is not answering")).toBeInTheDocument();
    await vi.advanceTimersByTimeAsync(REFRESH_MS);
    expect(await screen.findByText("Cannot read the system's state: needs system.manage")).toBeInTheDocument();
    await vi.advanceTimersByTimeAsync(REFRESH_MS * 3);
    expect(api.system).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });

  it("writes sizes and ages for people", () => {
    expect([bytes(512), bytes(12_345), bytes(1.5e9), bytes(2.5e12)]).toEqual(["512 B", "12.3 KB", "1.5 GB", "2.5 TB"]);
    expect([age(0, 4000), age(0, 720_000), age(0, 3 * 3_600_000), age(0, 86_400_000), age(0, 9 * 86_400_000)]).toEqual(["4 s", "12 min", "3 h", "1 day", "9 days"]);
  });
});
