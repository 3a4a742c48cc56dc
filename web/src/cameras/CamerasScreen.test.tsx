import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { ApiError } from "../api/client";
import { Permission } from "../app/permissions";
import { Tagged, fakeApi, renderApp, user } from "../app/testUtils";
import { FakeVersions } from "../app/testVersions";
import { type CameraDetail, type CameraUpdate, type RecordingSettings, saveRecordingSettings } from "./api";

const MANAGER = [Permission.ManageCameras, Permission.ViewLive];

function detail(id: string, name: string, fields: Partial<CameraDetail> = {}): CameraDetail {
  return {
    id,
    site_id: "s1",
    name,
    description: "",
    enabled: true,
    streams: [{ id: `${id}-m`, role: "main", url: `rtsp://192.0.2.1/${id}`, transport: "tcp", has_credentials: true, state: { status: "online" } }],
    ...fields,
  };
}

/// `camera` after a PATCH of `body`: streams given replace its streams.
function patched(camera: CameraDetail, body: CameraUpdate): CameraDetail {
  const streams = body.streams?.map((s) => {
    const before = camera.streams.find((x) => x.role === s.role);
    const credentials = s.username ? true : !s.clear_credentials && (before?.has_credentials ?? false);
    return { id: `${camera.id}-${s.role}`, role: s.role, url: s.url, transport: s.transport ?? "tcp", has_credentials: credentials, state: { status: "online" } };
  });
  const { name, site_id, description, enabled } = body;
  return {
    ...camera,
    ...(name != null && { name }),
    ...(site_id != null && { site_id }),
    ...(description != null && { description }),
    ...(enabled != null && { enabled }),
    ...(streams && { streams }),
  };
}

/// A server holding `cameras` and recording settings, recording what it is
/// asked; each camera and its settings are versioned as the server does
/// (an `ETag` on a read, a stale `If-Match` refused with 412).
function server(cameras: CameraDetail[]) {
  const calls: { method: string; path: string; body: unknown; ifMatch: string | null }[] = [];
  const versions = new FakeVersions();
  let settings: RecordingSettings = { mode: "continuous", schedule: [], pre_buffer_secs: 5, post_buffer_secs: 10, retention_days: null, event_retention_days: null };
  const api = fakeApi({
    respond: (method, path, body, headers) => {
      calls.push({ method, path, body, ifMatch: headers.get("if-match") });
      if (method === "GET" && path === "/api/cameras") return { items: cameras };
      if (method === "POST" && path === "/api/cameras") {
        const made = detail("new", (body as { name: string }).name);
        cameras.push(made);
        return made;
      }
      const one = path.match(/^\/api\/cameras\/([^/]+)$/);
      const i = cameras.findIndex((c) => c.id === one?.[1]);
      if (one && i < 0) throw new ApiError(404, `${path}: not found`);
      if (one && method === "GET") return new Tagged(cameras[i], versions.etag(path));
      if (one && method === "PATCH") {
        versions.write(path, headers);
        cameras[i] = patched(cameras[i], body as CameraUpdate);
        return new Tagged(cameras[i], versions.etag(path));
      }
      if (one && method === "DELETE") {
        cameras.splice(i, 1);
        return null;
      }
      if (path.endsWith("/recording") && method === "GET") return new Tagged(settings, versions.etag(path));
      if (path.endsWith("/recording") && method === "PUT") {
        if ((body as RecordingSettings).retention_days === 7) throw new ApiError(400, "retention_days: the licence allows at most 5 days");
        versions.write(path, headers);
        settings = body as RecordingSettings;
        return new Tagged(settings, versions.etag(path));
      }
      throw new Error(`unexpected ${method} ${path}`);
    },
  });
  /// A colleague's change of camera `id`, saved meanwhile.
  const elsewhere = (id: string, change: Partial<CameraDetail>) => {
    const i = cameras.findIndex((c) => c.id === id);
    cameras[i] = { ...cameras[i], ...change };
    versions.bump(`/api/cameras/${id}`);
  };
  /// A colleague's change of the recording settings, saved meanwhile.
  const elsewhereRecording = (id: string, change: Partial<RecordingSettings>) => {
    settings = { ...settings, ...change };
    versions.bump(`/api/cameras/${id}/recording`);
  };
  return { api, calls, elsewhere, elsewhereRecording };
}

afterEach(cleanup);

describe("the cameras screen", () => {
  it("lists cameras with their state and streams, never their credentials", async () => {
    const { api } = server([detail("a", "Front door"), detail("b", "Yard", { enabled: false })]);
    renderApp("/cameras", user(MANAGER), api);
    const row = await screen.findByText("Front door");
    expect(row.closest("tr")).toHaveTextContent("online");
    expect(row.closest("tr")).toHaveTextContent("main: rtsp://192.0.2.1/a (tcp, with credentials)");
    expect(screen.getByText("Yard").closest("tr")).toHaveTextContent("disabled");
  });

  it("adds a camera by its RTSP address, credentials sent only when typed", async () => {
    const { api, calls } = server([]);
    renderApp("/cameras?new=1", user(MANAGER), api);
    const form = await screen.findByRole("form", { name: "New camera" });
    fireEvent.click(within(form).getByRole("button", { name: "Add camera" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Give the camera a name.");
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Gate" } });
    fireEvent.change(within(form).getByLabelText("Main RTSP address"), { target: { value: " rtsp://192.0.2.9/main " } });
    fireEvent.change(within(form).getByLabelText("Main user name"), { target: { value: "admin" } });
    fireEvent.change(within(form).getByLabelText("Main password"), { target: { value: "s3cret" } });
    fireEvent.change(within(form).getByLabelText("Sub RTSP address"), { target: { value: "rtsp://192.0.2.9/sub" } });
    fireEvent.click(within(form).getByRole("button", { name: "Add camera" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({
      name: "Gate",
      site_id: "s1",
      description: "",
      enabled: true,
      streams: [
        { role: "main", url: "rtsp://192.0.2.9/main", transport: "tcp", username: "admin", password: "s3cret" },
        { role: "sub", url: "rtsp://192.0.2.9/sub", transport: "tcp" },
      ],
    });
    expect(await screen.findByText("Camera “Gate” saved.")).toBeInTheDocument();
  });

  it("keeps stored credentials on an edit unless told to forget them", async () => {
    const { api, calls } = server([detail("a", "Front door")]);
    renderApp("/cameras?edit=a", user(MANAGER), api);
    const form = await screen.findByRole("form", { name: "Edit Front door" });
    fireEvent.change(await within(form).findByLabelText("Name"), { target: { value: "Front gate" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true));
    const body = calls.find((c) => c.method === "PATCH")!.body as { name: string; streams: object[] };
    expect(body.name).toBe("Front gate");
    expect(body.streams).toEqual([{ role: "main", url: "rtsp://192.0.2.1/a", transport: "tcp" }]);
  });

  it("edits the camera as stored now, not the list's copy, and saves over that version", async () => {
    const { api, calls, elsewhere } = server([detail("a", "Front door")]);
    renderApp("/cameras", user(MANAGER), api);
    const row = (await screen.findByText("Front door")).closest("tr")!;
    elsewhere("a", { description: "By the lobby" });
    fireEvent.click(within(row).getByRole("button", { name: "Edit" }));
    const form = await screen.findByRole("form", { name: "Edit Front door" });
    expect(await within(form).findByLabelText("Description")).toHaveValue("By the lobby");
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Front gate" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Camera “Front gate” saved.")).toBeInTheDocument();
    expect(calls.find((c) => c.method === "PATCH")!.ifMatch).toBe('"1"');
  });

  it("says so when someone else changed the camera meanwhile, keeps the draft, and saves after a reload", async () => {
    const { api, calls, elsewhere } = server([detail("a", "Front door")]);
    renderApp("/cameras?edit=a", user(MANAGER), api);
    const form = await screen.findByRole("form", { name: "Edit Front door" });
    fireEvent.change(await within(form).findByLabelText("Name"), { target: { value: "Front gate" } });
    elsewhere("a", { name: "Main entrance", description: "Moved by Bob" });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent(
      "Someone else changed this camera since you opened it. Reload to see their change, then make yours again.",
    );
    expect(within(form).getByLabelText("Name")).toHaveValue("Front gate");
    expect(calls.filter((c) => c.method === "PATCH").map((c) => c.ifMatch)).toEqual(['"0"']);
    fireEvent.click(within(form).getByRole("button", { name: "Reload" }));
    await waitFor(() => expect(within(form).getByLabelText("Name")).toHaveValue("Main entrance"));
    expect(within(form).getByLabelText("Description")).toHaveValue("Moved by Bob");
    expect(within(form).queryByRole("alert")).toBeNull();
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Front gate" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Camera “Front gate” saved.")).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "PATCH").map((c) => c.ifMatch)).toEqual(['"0"', '"1"']);
    expect(screen.getByText("Front gate").closest("tr")).toHaveTextContent("Moved by Bob");
  });

  it("saves a camera twice in a row", async () => {
    const { api, calls } = server([detail("a", "Front door")]);
    renderApp("/cameras?edit=a", user(MANAGER), api);
    let form = await screen.findByRole("form", { name: "Edit Front door" });
    fireEvent.change(await within(form).findByLabelText("Name"), { target: { value: "Front gate" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Camera “Front gate” saved.")).toBeInTheDocument();
    fireEvent.click(within((await screen.findByText("Front gate")).closest("tr")!).getByRole("button", { name: "Edit" }));
    form = await screen.findByRole("form", { name: "Edit Front gate" });
    fireEvent.change(await within(form).findByLabelText("Description"), { target: { value: "North side" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getByText("Front gate").closest("tr")).toHaveTextContent("North side"));
    expect(screen.queryByRole("form", { name: "Edit Front gate" })).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
    expect(calls.filter((c) => c.method === "PATCH").map((c) => c.ifMatch)).toEqual(['"0"', '"1"']);
  });

  it("keeps the recording draft when someone else changed the settings meanwhile, and saves after a reload", async () => {
    const { api, calls, elsewhereRecording } = server([detail("a", "Front door")]);
    renderApp("/cameras?recording=a", user(MANAGER), api);
    const form = await screen.findByRole("form", { name: "Recording of Front door" });
    await waitFor(() => expect(within(form).getByRole("button", { name: "Save" })).toBeEnabled());
    fireEvent.change(within(form).getByLabelText(/Keep footage for days/), { target: { value: "30" } });
    elsewhereRecording("a", { mode: "event", post_buffer_secs: 60 });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent(
      "Someone else changed the recording settings of this camera since you opened them. Reload to see their change, then make yours again.",
    );
    expect(within(form).getByLabelText(/Keep footage for days/)).toHaveValue(30);
    expect(within(form).getByLabelText("Always")).toBeChecked();
    fireEvent.click(within(form).getByRole("button", { name: "Reload" }));
    await waitFor(() => expect(within(form).getByLabelText("Around events only")).toBeChecked());
    expect(within(form).getByLabelText(/Seconds recorded after/)).toHaveValue(60);
    expect(within(form).getByLabelText(/Keep footage for days/)).toHaveValue(null);
    fireEvent.change(within(form).getByLabelText(/Keep footage for days/), { target: { value: "30" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getByText("Recording of “Front door”: event.")).toBeInTheDocument());
    const puts = calls.filter((c) => c.method === "PUT");
    expect(puts.map((c) => c.ifMatch)).toEqual(['"0"', '"1"']);
    expect(puts[1].body).toMatchObject({ mode: "event", post_buffer_secs: 60, retention_days: 30 });
  });

  it("sets a weekly schedule and says what the server refused", async () => {
    const { api, calls } = server([detail("a", "Front door")]);
    renderApp("/cameras?recording=a", user(MANAGER), api);
    const form = await screen.findByRole("form", { name: "Recording of Front door" });
    await waitFor(() => expect(within(form).getByLabelText("Always")).toBeChecked());
    fireEvent.click(within(form).getByLabelText(/weekly schedule/));
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Mark the times to record");
    fireEvent.click(within(form).getByRole("button", { name: "Weekdays 08:00–18:00" }));
    // Drag Saturday 10:00–11:00 in.
    const saturday = form.querySelector('.day[data-day="sat"]')!;
    fireEvent.pointerDown(saturday.querySelector('[data-slot="20"]')!);
    fireEvent.pointerEnter(saturday.querySelector('[data-slot="21"]')!);
    fireEvent.pointerUp(saturday);
    expect(within(form).getByRole("list", { name: "Recorded times" })).toHaveTextContent("Saturday: 10:00–11:00");
    fireEvent.change(within(form).getByLabelText(/Keep footage for days/), { target: { value: "7" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText(/the licence allows at most 5 days/)).toBeInTheDocument();
    fireEvent.change(within(form).getByLabelText(/Keep footage for days/), { target: { value: "" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getByText("Recording of “Front door”: scheduled.")).toBeInTheDocument());
    const saved = calls.filter((c) => c.method === "PUT").at(-1)!.body as RecordingSettings;
    expect(saved.schedule).toEqual([
      { days: ["mon", "tue", "wed", "thu", "fri"], start: "08:00", end: "18:00" },
      { days: ["sat"], start: "10:00", end: "11:00" },
    ]);
    expect(saved.retention_days).toBeNull();
  });

  it("keeps a schedule set through the API as it was when only the retention changes", async () => {
    const { api, calls } = server([detail("a", "Front door")]);
    const odd = [{ days: ["mon"], start: "08:00", end: "08:15" }];
    await saveRecordingSettings(api, "a", { mode: "scheduled", schedule: odd, pre_buffer_secs: 5, post_buffer_secs: 10, retention_days: null, event_retention_days: null }, null);
    renderApp("/cameras?recording=a", user(MANAGER), api);
    const form = await screen.findByRole("form", { name: "Recording of Front door" });
    expect(await within(form).findByRole("note")).toHaveTextContent("times between half hours");
    fireEvent.change(within(form).getByLabelText(/Keep footage for days/), { target: { value: "30" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getByText("Recording of “Front door”: scheduled.")).toBeInTheDocument());
    const saved = calls.filter((c) => c.method === "PUT").at(-1)!.body as RecordingSettings;
    expect(saved.schedule).toEqual(odd);
    expect(saved.retention_days).toBe(30);
  });

  it("deletes a camera after asking", async () => {
    const { api, calls } = server([detail("a", "Front door")]);
    vi.spyOn(window, "confirm").mockReturnValue(true);
    renderApp("/cameras", user(MANAGER), api);
    fireEvent.click(within((await screen.findByText("Front door")).closest("tr")!).getByRole("button", { name: "Delete" }));
    expect(await screen.findByText("Camera “Front door” deleted.")).toBeInTheDocument();
    expect(calls.some((c) => c.method === "DELETE" && c.path === "/api/cameras/a")).toBe(true);
  });
});
