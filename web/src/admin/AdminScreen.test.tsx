import { cleanup, screen, waitFor, within } from "@testing-library/react";

import { Permission } from "../app/permissions";
import { renderApp, user } from "../app/testUtils";
import { adminApi } from "./testApi";

afterEach(cleanup);

const tabs = () =>
  within(screen.getByRole("navigation", { name: "Admin sections" }))
    .getAllByRole("link")
    .map((l) => l.textContent);

describe("the admin screen", () => {
  it("offers a tenant administrator every section but the super-admin's", async () => {
    const { api } = adminApi();
    const admin = user([Permission.ManageUsers, Permission.ManageApiKeys, Permission.ReadAudit, Permission.ManageSites, Permission.ManageSystem]);
    renderApp("/admin", admin, api);
    expect(tabs()).toEqual(["Users", "Roles", "API keys", "Audit log", "Sites", "My account"]);
    // `/admin` shows the first section, its tab marked, without moving the address.
    expect(await screen.findByRole("table", { name: "User list" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Users" })).toHaveClass("active");
  });

  it("offers an auditor the audit log only, and keeps the other sections from them", async () => {
    const { api, request } = adminApi();
    const { where } = renderApp("/admin", user([Permission.ReadAudit]), api);
    expect(tabs()).toEqual(["Audit log", "My account"]);
    expect(await screen.findByRole("region", { name: "Audit log" })).toBeInTheDocument();
    expect(where()).toBe("/admin");
    cleanup();
    request.mockClear();
    renderApp("/admin/users", user([Permission.ReadAudit]), api);
    expect(screen.getByRole("alert", { name: "Not allowed" })).toHaveTextContent("it needs user.manage");
    expect(screen.queryByRole("table", { name: "User list" })).toBeNull();
    expect(request.mock.calls.some(([path]) => String(path).startsWith("/api/users"))).toBe(false);
  });

  it("offers tenants and the licence to a super-admin only", async () => {
    const { api } = adminApi();
    renderApp("/admin/tenants", user([Permission.ManageSites]), api);
    expect(tabs()).toEqual(["Sites", "My account"]);
    expect(screen.getByRole("alert", { name: "Not allowed" })).toHaveTextContent("it needs a super-admin");
    cleanup();
    renderApp("/admin/licence", { ...user([Permission.ManageSites]), super_admin: true }, api);
    expect(tabs()).toEqual(["Sites", "Tenants", "Licence", "My account"]);
    expect(screen.getByRole("link", { name: "Licence" })).toHaveClass("active");
    expect(await screen.findByLabelText("Licence in force")).toHaveTextContent("1 of 4 in use");
  });

  it("keeps the screen from a user without any admin permission, and answers an unknown section", async () => {
    renderApp("/admin/account", user([Permission.ViewLive]), adminApi().api);
    expect(screen.getByRole("alert", { name: "Not allowed" })).toHaveTextContent("user.manage");
    cleanup();
    renderApp("/admin/nothing", user([Permission.ReadAudit]), adminApi().api);
    expect(screen.getByRole("alert")).toHaveTextContent("No such section");
    await waitFor(() => expect(screen.getByRole("link", { name: "Go to administration" })).toHaveAttribute("href", "/admin"));
  });
});
