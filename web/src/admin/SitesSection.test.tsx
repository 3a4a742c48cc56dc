import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { Permission } from "../app/permissions";
import { renderApp, user } from "../app/testUtils";
import { adminApi } from "./testApi";

const MANAGER = [Permission.ManageSites, Permission.ViewLive];

const rows = () =>
  within(screen.getByRole("table", { name: "Site list" }))
    .getAllByRole("row")
    .filter((r) => r.dataset.site);

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("the sites section", () => {
  it("creates a site in a time zone picked from the browser's list, and renames it", async () => {
    const { api, sent } = adminApi();
    renderApp("/admin/sites", user(MANAGER), api);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent("HQ");
    expect(rows()[0]).toHaveTextContent("UTC");
    fireEvent.click(screen.getByRole("button", { name: "New site" }));
    const form = screen.getByRole("form", { name: "New site" });
    const zone = within(form).getByLabelText("Time zone");
    expect(zone.tagName).toBe("SELECT");
    expect(within(zone).getByRole("option", { name: "Europe/Berlin" })).toBeInTheDocument();
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Depot" } });
    fireEvent.change(zone, { target: { value: "Europe/Berlin" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create site" }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(sent("POST /api/sites")).toEqual([{ name: "Depot", description: "", timezone: "Europe/Berlin" }]);
    expect(rows()[0]).toHaveTextContent("Depot");
    expect(rows()[0]).toHaveTextContent("Europe/Berlin");
    fireEvent.click(within(rows()[0]).getByRole("button", { name: "Edit Depot" }));
    const edit = screen.getByRole("form", { name: "Edit site Depot" });
    fireEvent.change(await within(edit).findByLabelText("Name"), { target: { value: "North depot" } });
    fireEvent.click(within(edit).getByRole("button", { name: "Save site" }));
    await waitFor(() => expect(screen.getByText("Site North depot saved.")).toBeInTheDocument());
    expect(sent(`POST /api/sites`)).toHaveLength(1);
    expect(sent("PATCH /api/sites/s-1")).toEqual([{ name: "North depot" }]);
  });

  it("edits the site as stored now, not the list's copy, and saves over that version", async () => {
    const { api, changeSite, ifMatch, sent } = adminApi();
    renderApp("/admin/sites", user(MANAGER), api);
    await waitFor(() => expect(rows()).toHaveLength(1));
    changeSite("s1", { description: "Head office" });
    fireEvent.click(within(rows()[0]).getByRole("button", { name: "Edit HQ" }));
    const edit = screen.getByRole("form", { name: "Edit site HQ" });
    expect(await within(edit).findByLabelText("Description")).toHaveValue("Head office");
    fireEvent.change(within(edit).getByLabelText("Time zone"), { target: { value: "Europe/Berlin" } });
    fireEvent.click(within(edit).getByRole("button", { name: "Save site" }));
    await waitFor(() => expect(screen.getByText("Site HQ saved.")).toBeInTheDocument());
    expect(sent("PATCH /api/sites/s1")).toEqual([{ timezone: "Europe/Berlin" }]);
    expect(ifMatch("PATCH /api/sites/s1")).toEqual(['"1"']);
    expect(rows()[0]).toHaveTextContent("Head office");
  });

  it("says so when someone else changed the site meanwhile, keeps the draft, and saves after a reload", async () => {
    const { api, db, changeSite, ifMatch } = adminApi();
    renderApp("/admin/sites", user(MANAGER), api);
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(within(rows()[0]).getByRole("button", { name: "Edit HQ" }));
    const edit = screen.getByRole("form", { name: "Edit site HQ" });
    fireEvent.change(await within(edit).findByLabelText("Name"), { target: { value: "Head office" } });
    changeSite("s1", { timezone: "Europe/Paris" });
    fireEvent.click(within(edit).getByRole("button", { name: "Save site" }));
    expect(await within(edit).findByRole("alert")).toHaveTextContent(
      "Someone else changed this site since you opened it. Reload to see their change, then make yours again.",
    );
    expect(within(edit).getByLabelText("Name")).toHaveValue("Head office");
    expect(within(edit).getByLabelText("Time zone")).toHaveValue("UTC");
    expect(db.sites[0]).toMatchObject({ name: "HQ", timezone: "Europe/Paris" });
    fireEvent.click(within(edit).getByRole("button", { name: "Reload" }));
    await waitFor(() => expect(within(edit).getByLabelText("Name")).toHaveValue("HQ"));
    expect(within(edit).getByLabelText("Time zone")).toHaveValue("Europe/Paris");
    expect(within(edit).queryByRole("alert")).toBeNull();
    fireEvent.change(within(edit).getByLabelText("Name"), { target: { value: "Head office" } });
    fireEvent.click(within(edit).getByRole("button", { name: "Save site" }));
    await waitFor(() => expect(screen.getByText("Site Head office saved.")).toBeInTheDocument());
    expect(ifMatch("PATCH /api/sites/s1")).toEqual(['"0"', '"1"']);
    expect(db.sites[0]).toMatchObject({ name: "Head office", timezone: "Europe/Paris" });
  });

  it("saves a site twice in a row", async () => {
    const { api, db, ifMatch } = adminApi();
    renderApp("/admin/sites", user(MANAGER), api);
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(within(rows()[0]).getByRole("button", { name: "Edit HQ" }));
    let edit = screen.getByRole("form", { name: "Edit site HQ" });
    fireEvent.change(await within(edit).findByLabelText("Name"), { target: { value: "Head office" } });
    fireEvent.click(within(edit).getByRole("button", { name: "Save site" }));
    await waitFor(() => expect(screen.getByText("Site Head office saved.")).toBeInTheDocument());
    fireEvent.click(within(rows()[0]).getByRole("button", { name: "Edit Head office" }));
    edit = screen.getByRole("form", { name: "Edit site Head office" });
    fireEvent.change(await within(edit).findByLabelText("Description"), { target: { value: "Main building" } });
    fireEvent.click(within(edit).getByRole("button", { name: "Save site" }));
    await waitFor(() => expect(rows()[0]).toHaveTextContent("Main building"));
    expect(screen.queryByRole("alert")).toBeNull();
    expect(ifMatch("PATCH /api/sites/s1")).toEqual(['"0"', '"1"']);
    expect(db.sites[0]).toMatchObject({ name: "Head office", description: "Main building" });
  });

  it("takes a typed time zone where the browser lists none", async () => {
    vi.spyOn(Intl, "supportedValuesOf").mockImplementation(() => {
      throw new RangeError("invalid key");
    });
    renderApp("/admin/sites", user(MANAGER), adminApi().api);
    fireEvent.click(await screen.findByRole("button", { name: "New site" }));
    const zone = within(screen.getByRole("form", { name: "New site" })).getByLabelText("Time zone");
    expect(zone.tagName).toBe("INPUT");
    expect(zone).toHaveValue("UTC");
  });

  it("shows in words why a site cannot be deleted", async () => {
    const { api } = adminApi();
    vi.spyOn(window, "confirm").mockReturnValue(true);
    renderApp("/admin/sites", user(MANAGER), api);
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(within(rows()[0]).getByRole("button", { name: "Delete HQ" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Cannot delete the site HQ: the site still has cameras");
    expect(rows()).toHaveLength(1);
  });
});
