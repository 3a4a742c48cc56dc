import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { Permission } from "../app/permissions";
import { renderApp, user } from "../app/testUtils";
import { adminApi } from "./testApi";
import type { RoleView } from "./types";

const MANAGER = [Permission.ManageUsers, Permission.ViewLive, Permission.ViewArchive, Permission.ReadEvents, Permission.ReadAudit];
const GUARD: RoleView = { id: "r-guard", name: "guard", description: "Night guard", permissions: ["camera.view_live"], built_in: false };

const matrix = () => screen.getByRole("table", { name: "Permissions by role" });

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("the roles section", () => {
  it("shows roles against permissions, built-in roles read-only", async () => {
    const { api, db } = adminApi();
    db.roles.push(GUARD);
    renderApp("/admin/roles", user(MANAGER), api);
    await screen.findByRole("table", { name: "Permissions by role" });
    const headers = within(matrix()).getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers).toEqual(["Permission", "adminbuilt-in", "operatorbuilt-in", "viewerbuilt-in", "guard"]);
    expect(within(matrix()).getByRole("rowheader", { name: /camera\.view_live/ })).toHaveTextContent("watch live video");
    expect(screen.getByLabelText("operator: camera.view_archive")).toBeChecked();
    expect(screen.getByLabelText("operator: camera.view_archive")).toBeDisabled();
    expect(screen.getByLabelText("operator: camera.ptz")).not.toBeChecked();
    expect(screen.getByLabelText("guard: camera.view_live")).toBeEnabled();
    // What the manager does not hold tenant-wide, they may not give.
    expect(screen.getByLabelText("guard: system.manage")).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Delete admin" })).toBeNull();
  });

  it("changes a custom role's permissions and saves them", async () => {
    const { api, db, sent } = adminApi();
    db.roles.push(GUARD);
    renderApp("/admin/roles", user(MANAGER), api);
    fireEvent.click(await screen.findByLabelText("guard: camera.view_archive"));
    fireEvent.click(screen.getByLabelText("guard: event.read"));
    expect(screen.getByText(/ends the sessions of everyone holding it/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    expect(screen.getByLabelText("guard: camera.view_archive")).not.toBeChecked();
    fireEvent.click(screen.getByLabelText("guard: camera.view_archive"));
    fireEvent.click(screen.getByRole("button", { name: "Save guard" }));
    await waitFor(() => expect(screen.getByText("Role guard saved.")).toBeInTheDocument());
    expect(sent("PATCH /api/roles/r-guard")).toEqual([{ permissions: ["camera.view_live", "camera.view_archive"] }]);
    expect(screen.queryByRole("button", { name: "Save guard" })).toBeNull();
    expect(screen.getByLabelText("guard: camera.view_archive")).toBeChecked();
  });

  it("creates a role, shows a refusal in words, and deletes a role once confirmed", async () => {
    const { api, sent, refuse } = adminApi();
    vi.spyOn(window, "confirm").mockReturnValue(true);
    renderApp("/admin/roles", user(MANAGER), api);
    fireEvent.click(await screen.findByRole("button", { name: "New role" }));
    const form = screen.getByRole("form", { name: "New role" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "reviewer" } });
    fireEvent.click(within(form).getByRole("checkbox", { name: /audit\.read/ }));
    fireEvent.click(within(form).getByRole("checkbox", { name: /camera\.view_archive/ }));
    expect(within(form).getByRole("checkbox", { name: /user\.manage/ })).toBeEnabled();
    expect(within(form).getByRole("checkbox", { name: /system\.manage/ })).toBeDisabled();
    refuse("POST /api/roles", 409, "name: a role named reviewer exists");
    fireEvent.click(within(form).getByRole("button", { name: "Create role" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Cannot save the role: name: a role named reviewer exists");
    fireEvent.click(within(form).getByRole("button", { name: "Create role" }));
    await waitFor(() => expect(screen.getByText("Role reviewer created.")).toBeInTheDocument());
    // In the server's order, not the order ticked.
    expect(sent("POST /api/roles")[1]).toEqual({ name: "reviewer", description: "", permissions: ["camera.view_archive", "audit.read"] });
    expect(screen.getByLabelText("reviewer: audit.read")).toBeChecked();
    fireEvent.click(screen.getByRole("button", { name: "Delete reviewer" }));
    await waitFor(() => expect(screen.queryByLabelText("reviewer: audit.read")).toBeNull());
    expect(screen.getByText("Role reviewer deleted.")).toBeInTheDocument();
  });
});
