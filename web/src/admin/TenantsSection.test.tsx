import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { Permission } from "../app/permissions";
import { renderApp, user } from "../app/testUtils";
import { adminApi } from "./testApi";

const SUPER = { ...user([Permission.ManageUsers]), super_admin: true };

const rows = () =>
  within(screen.getByRole("table", { name: "Tenant list" }))
    .getAllByRole("row")
    .filter((r) => r.dataset.tenant);
const row = (name: string) => rows().find((r) => within(r).queryByText(name))!;

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("the tenants section", () => {
  it("creates a tenant with its first administrator and a camera quota", async () => {
    const { api, sent } = adminApi();
    renderApp("/admin/tenants", SUPER, api);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(row("Acme")).toHaveTextContent("yours");
    expect(row("Acme")).toHaveTextContent("the licence's limit");
    expect(row("Acme")).toHaveTextContent("30 days");
    // One's own tenant cannot be deleted.
    expect(within(row("Acme")).queryByRole("button", { name: "Delete Acme" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "New tenant" }));
    const form = screen.getByRole("form", { name: "New tenant" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Globex" } });
    fireEvent.change(within(form).getByLabelText("Camera quota"), { target: { value: "16" } });
    fireEvent.change(within(form).getByLabelText("Administrator login name"), { target: { value: "hank" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create tenant" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("both a login name and a password, or neither");
    fireEvent.change(within(form).getByLabelText("Administrator password"), { target: { value: "short" } });
    fireEvent.change(within(form).getByLabelText("Repeat the administrator password"), { target: { value: "short" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create tenant" }));
    expect(await within(form).findByText("Cannot save the tenant: admin.password: must be at least 12 characters")).toBeInTheDocument();
    fireEvent.change(within(form).getByLabelText("Administrator password"), { target: { value: "Long-enough-9" } });
    fireEvent.change(within(form).getByLabelText("Repeat the administrator password"), { target: { value: "Long-enough-9" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create tenant" }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(sent("POST /api/tenants").at(-1)).toEqual({ name: "Globex", camera_quota: 16, admin: { username: "hank", password: "Long-enough-9" } });
    expect(screen.getByText("Tenant Globex created, with its first administrator.")).toBeInTheDocument();
    expect(row("Globex")).toHaveTextContent("16");
  });

  it("changes a tenant's event retention and quota, sending only what changed", async () => {
    const { api, db, sent } = adminApi();
    db.tenants.push({ id: "t2", name: "Globex", created_at: "2026-03-01T09:00:00Z", camera_quota: 8, event_retention_days: 30 });
    renderApp("/admin/tenants", SUPER, api);
    await waitFor(() => expect(rows()).toHaveLength(2));
    fireEvent.click(within(row("Globex")).getByRole("button", { name: "Edit Globex" }));
    const form = screen.getByRole("form", { name: "Edit tenant Globex" });
    fireEvent.change(within(form).getByLabelText("Keep events (days)"), { target: { value: "90" } });
    fireEvent.change(within(form).getByLabelText("Camera quota"), { target: { value: "" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save tenant" }));
    await waitFor(() => expect(row("Globex")).toHaveTextContent("90 days"));
    expect(sent("PATCH /api/tenants/t2")).toEqual([{ camera_quota: null, event_retention_days: 90 }]);
    expect(row("Globex")).toHaveTextContent("the licence's limit");
  });

  it("deletes a tenant only once confirmed, and shows a refusal in words", async () => {
    const { api, db, refuse, request } = adminApi();
    db.tenants.push({ id: "t2", name: "Globex", created_at: "2026-03-01T09:00:00Z", camera_quota: null, event_retention_days: 30 });
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
    renderApp("/admin/tenants", SUPER, api);
    await waitFor(() => expect(rows()).toHaveLength(2));
    fireEvent.click(within(row("Globex")).getByRole("button", { name: "Delete Globex" }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining("Delete the tenant Globex? This cannot be undone."));
    expect(request.mock.calls.some(([, init]) => init?.method === "DELETE")).toBe(false);
    confirm.mockReturnValue(true);
    refuse("DELETE /api/tenants/t2", 409, "the tenant still has users, sites or cameras");
    fireEvent.click(within(row("Globex")).getByRole("button", { name: "Delete Globex" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Cannot delete the tenant Globex: the tenant still has users, sites or cameras");
    fireEvent.click(within(row("Globex")).getByRole("button", { name: "Delete Globex" }));
    await waitFor(() => expect(rows()).toHaveLength(1));
  });
});
