import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import type { ExportView } from "../api/types";
import { OPERATOR, VIEWER, camera, fakeApi, renderApp, user } from "../app/testUtils";
import { exportAddress } from "./ExportScreen";
import { KEEP, forget, forgetAll, remember, remembered } from "./jobs";

const rows = () => within(screen.getByRole("list", { name: "Exports" })).queryAllByRole("listitem");

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe("the export screen", () => {
  it("exports the window playback handed over, follows its progress, and offers the file when done", async () => {
    const api = fakeApi({ cameras: [camera("a", "Front door"), camera("b", "Yard")] });
    const job = { stream: "main", start: "2026-12-03T10:00:00Z", end: "2026-12-03T10:01:00Z", requested_by: "u1", created_at: "2026-12-03T11:00:00Z" };
    const answers: ExportView[] = [
      { ...job, id: "x1", camera_id: "b", status: "running", progress: 0.25 },
      { ...job, id: "x1", camera_id: "b", status: "done", progress: 1, bytes: 3_145_728, sha256: "ab".repeat(32), expires_at: "2026-12-04T00:00:00Z" },
    ];
    (api.exportJob as ReturnType<typeof vi.fn>).mockImplementation(async () => answers.shift() ?? answers[0]);
    const start = Date.parse("2026-12-03T10:00:00Z");
    renderApp(exportAddress("b", start, start + 60_000), user(OPERATOR), api);
    const form = screen.getByRole("form", { name: "New export" });
    await waitFor(() => expect(within(form).getByLabelText("Camera")).toHaveValue("b"));
    fireEvent.click(within(form).getByLabelText(/watermark/i));
    fireEvent.click(within(form).getByRole("button", { name: "Export" }));
    await waitFor(() =>
      expect(api.createExport).toHaveBeenCalledWith({
        camera_id: "b",
        stream: "main",
        start: "2026-12-03T10:00:00.000Z",
        end: "2026-12-03T10:01:00.000Z",
        watermark: true,
      }),
    );
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent("Yard");
    expect(rows()[0]).toHaveTextContent("watermarked");
    await waitFor(() => expect(within(rows()[0]).getByRole("progressbar", { name: "Export progress" })).toHaveValue(0.25));
    await waitFor(() => expect(rows()[0]).toHaveTextContent("Ready"), { timeout: 3000 });
    expect(rows()[0]).toHaveTextContent("3.0 MB");
    expect(rows()[0]).toHaveTextContent(`SHA-256 ${"ab".repeat(32)}`);
    expect(within(rows()[0]).getByRole("button", { name: "Download MP4" })).toBeEnabled();
    // The list outlives a reload: it is kept for the user in this browser.
    expect(JSON.parse(localStorage.getItem("vms.exports.u1")!)[0]).toMatchObject({ id: "x1", camera_name: "Yard" });
  });

  it("says why the server refused, in its words, and checks the window first", async () => {
    const api = fakeApi({ cameras: [camera("a", "Front door")] });
    (api.createExport as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new Error("too many exports are running; try again later"));
    renderApp("/export?camera=a&start=2026-12-01T00:00:00Z&end=2026-12-03T00:00:00Z", user(OPERATOR), api);
    const form = screen.getByRole("form", { name: "New export" });
    fireEvent.click(within(form).getByRole("button", { name: "Export" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("at most 24 hours");
    expect(api.createExport).not.toHaveBeenCalled();
    fireEvent.change(within(form).getByLabelText("From"), { target: { value: "2026-12-02T23:00:00" } });
    fireEvent.change(within(form).getByLabelText("To"), { target: { value: "2026-12-02T23:30:00" } });
    fireEvent.click(within(form).getByRole("button", { name: "Export" }));
    expect(await within(form).findByText("Cannot export: too many exports are running; try again later")).toBeInTheDocument();
  });

  it("is not offered to those who may not export", () => {
    renderApp("/export", user(VIEWER));
    expect(screen.getByRole("alert", { name: "Not allowed" })).toBeInTheDocument();
  });
});

describe("the exports a browser remembers", () => {
  const job = (id: string) => ({ id, camera_id: "a", camera_name: "Gate", stream: "main" as const, start: "", end: "", watermark: false });

  it("keeps the newest per user, forgets one, and forgets all on sign-out", () => {
    for (let i = 0; i < KEEP + 5; i += 1) remember("u1", job(`x${i}`));
    remember("u2", job("y"));
    expect(remembered("u1")).toHaveLength(KEEP);
    expect(remembered("u1")[0].id).toBe(`x${KEEP + 4}`);
    expect(forget("u1", `x${KEEP + 4}`)[0].id).toBe(`x${KEEP + 3}`);
    localStorage.setItem("vms.layout", "kept");
    localStorage.setItem("vms.exports.u3", "not json");
    expect(remembered("u3")).toEqual([]);
    forgetAll();
    expect([remembered("u1"), remembered("u2")]).toEqual([[], []]);
    expect(localStorage.getItem("vms.layout")).toBe("kept");
  });
});
