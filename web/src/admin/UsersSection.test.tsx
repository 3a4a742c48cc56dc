import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { Permission } from "../app/permissions";
import { renderApp, user } from "../app/testUtils";
import { adminApi } from "./testApi";

const MANAGER = [Permission.ManageUsers, Permission.ViewLive];

const rows = () =>
  within(screen.getByRole("table", { name: "User list" }))
    .getAllByRole("row")
    .filter((r) => r.dataset.user);
const row = (name: string) => rows().find((r) => within(r).queryByText(name))!;

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("the users section", () => {
  it("lists users with their roles and where they apply", async () => {
    const { api } = adminApi();
    renderApp("/admin/users", user(MANAGER), api);
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(row("alice")).toHaveTextContent("admin");
    expect(row("alice")).toHaveTextContent("you");
    // Site names come once the sites are loaded.
    await waitFor(() => expect(row("bob")).toHaveTextContent("viewer on site HQ"));
    // Nobody resets or deletes themselves here.
    expect(within(row("alice")).queryByRole("button", { name: /delete/i })).toBeNull();
    expect(within(row("bob")).getByRole("button", { name: "Delete bob" })).toBeInTheDocument();
  });

  it("creates a user with a role tenant-wide and one on a camera, and lists them", async () => {
    const { api, sent } = adminApi();
    renderApp("/admin/users", user(MANAGER), api);
    await waitFor(() => expect(rows()).toHaveLength(2));
    fireEvent.click(screen.getByRole("button", { name: "New user" }));
    const form = screen.getByRole("form", { name: "New user" });
    fireEvent.change(within(form).getByLabelText("Login name"), { target: { value: "carol" } });
    fireEvent.change(within(form).getByLabelText("Full name"), { target: { value: "Carol Night" } });
    fireEvent.change(within(form).getByLabelText(/^Password/), { target: { value: "Long-enough-9" } });
    fireEvent.change(within(form).getByLabelText("Repeat the password"), { target: { value: "Long-enough-9" } });
    fireEvent.click(await within(form).findByRole("checkbox", { name: /^operator/ }));
    fireEvent.click(await within(form).findByRole("button", { name: "Add a grant on a site or camera" }));
    fireEvent.change(within(form).getByLabelText("Role of grant 1"), { target: { value: "viewer" } });
    fireEvent.change(within(form).getByLabelText("Place of grant 1"), { target: { value: "camera:c1" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create user" }));
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(sent("POST /api/users")).toEqual([
      { username: "carol", password: "Long-enough-9", display_name: "Carol Night", roles: ["operator", { role: "viewer", camera_id: "c1" }] },
    ]);
    expect(row("carol")).toHaveTextContent("operator, viewer on camera Front door");
    expect(screen.getByText("User carol created.")).toHaveAttribute("role", "status");
    expect(screen.queryByRole("form", { name: "New user" })).toBeNull();
  });

  it("says in words what the server refused, and what is wrong before asking", async () => {
    const { api, refuse } = adminApi();
    renderApp("/admin/users", user(MANAGER), api);
    fireEvent.click(await screen.findByRole("button", { name: "New user" }));
    const form = screen.getByRole("form", { name: "New user" });
    fireEvent.change(within(form).getByLabelText("Login name"), { target: { value: "bob" } });
    fireEvent.change(within(form).getByLabelText(/^Password/), { target: { value: "Long-enough-9" } });
    fireEvent.change(within(form).getByLabelText("Repeat the password"), { target: { value: "Long-enough-0" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create user" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("The two passwords differ.");
    fireEvent.change(within(form).getByLabelText("Repeat the password"), { target: { value: "Long-enough-9" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create user" }));
    expect(await within(form).findByText("Cannot save the user: username: is taken")).toBeInTheDocument();
    refuse("POST /api/users", 403, "roles[0]: granting `admin` needs system.manage, which you do not hold tenant-wide");
    fireEvent.change(within(form).getByLabelText("Login name"), { target: { value: "dave" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create user" }));
    expect(await within(form).findByText(/Cannot save the user: roles\[0\]: granting `admin` needs system.manage/)).toBeInTheDocument();
  });

  it("shows a password reset token once, with a note that it is shown once", async () => {
    const { api, json } = adminApi();
    vi.spyOn(window, "confirm").mockReturnValue(true);
    renderApp("/admin/users", user(MANAGER), api);
    await waitFor(() => expect(rows()).toHaveLength(2));
    fireEvent.click(within(row("bob")).getByRole("button", { name: "Reset the password of bob" }));
    const panel = await screen.findByRole("region", { name: "Password reset for bob" });
    expect(within(panel).getByLabelText("Reset token")).toHaveValue("reset-token-1");
    expect(panel).toHaveTextContent(/shown once/i);
    expect(panel).toHaveTextContent("cannot be shown again");
    expect(json).toHaveBeenCalledWith("/api/users/u2/password-reset", { method: "POST" });
    fireEvent.click(within(panel).getByRole("button", { name: "Done, I have copied it" }));
    expect(screen.queryByRole("region", { name: "Password reset for bob" })).toBeNull();
    expect(screen.queryByDisplayValue("reset-token-1")).toBeNull();
    expect(document.body).not.toHaveTextContent("reset-token-1");
  });

  it("disables a user and changes their roles, sending only what changed", async () => {
    const { api, sent } = adminApi();
    renderApp("/admin/users", user(MANAGER), api);
    await waitFor(() => expect(rows()).toHaveLength(2));
    fireEvent.click(within(row("bob")).getByRole("button", { name: "Edit bob" }));
    const form = screen.getByRole("form", { name: "Edit user bob" });
    fireEvent.click(within(form).getByLabelText(/^Disabled/));
    fireEvent.click(within(form).getByRole("button", { name: "Save user" }));
    await waitFor(() => expect(row("bob")).toHaveTextContent("Disabled"));
    expect(sent("PATCH /api/users/u2")).toEqual([{ disabled: true }]);
    fireEvent.click(within(row("bob")).getByRole("button", { name: "Edit bob" }));
    const again = screen.getByRole("form", { name: "Edit user bob" });
    fireEvent.click(await within(again).findByRole("button", { name: "Remove grant 1" }));
    fireEvent.click(within(again).getByRole("checkbox", { name: /^operator/ }));
    expect(again).toHaveTextContent("ends the user's sessions");
    fireEvent.click(within(again).getByRole("button", { name: "Save user" }));
    await waitFor(() => expect(sent("PATCH /api/users/u2")).toHaveLength(2));
    expect(sent("PATCH /api/users/u2")[1]).toEqual({ roles: ["operator"] });
    expect(row("bob")).toHaveTextContent("operator");
  });

  it("deletes a user once confirmed, and shows a refusal in words", async () => {
    const { api, refuse } = adminApi();
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
    renderApp("/admin/users", user(MANAGER), api);
    await waitFor(() => expect(rows()).toHaveLength(2));
    fireEvent.click(within(row("bob")).getByRole("button", { name: "Delete bob" }));
    expect(rows()).toHaveLength(2);
    confirm.mockReturnValue(true);
    refuse("DELETE /api/users/u2", 403, "this user holds more than you do");
    fireEvent.click(within(row("bob")).getByRole("button", { name: "Delete bob" }));
    expect(await screen.findByText("Cannot delete bob: this user holds more than you do")).toBeInTheDocument();
    fireEvent.click(within(row("bob")).getByRole("button", { name: "Delete bob" }));
    await waitFor(() => expect(rows()).toHaveLength(1));
  });

  it("says so when the users cannot be loaded", async () => {
    const { api, refuse } = adminApi();
    refuse("GET /api/users", 403, "missing permission user.manage");
    renderApp("/admin/users", user(MANAGER), api);
    expect(await screen.findByRole("alert")).toHaveTextContent("Cannot load users: missing permission user.manage");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(rows()).toHaveLength(2));
  });
});
