import { cleanup, fireEvent, screen, within } from "@testing-library/react";

import { Permission } from "../app/permissions";
import { renderApp, user } from "../app/testUtils";
import { adminApi } from "./testApi";

afterEach(cleanup);

describe("my account", () => {
  it("shows who is signed in and changes their password", async () => {
    const { api, sent } = adminApi();
    renderApp("/admin/account", user([Permission.ReadAudit]), api);
    expect(screen.getByLabelText("Signed in as")).toHaveTextContent("alice");
    expect(screen.getByLabelText("Signed in as")).toHaveTextContent("search the audit trail");
    const form = screen.getByRole("form", { name: "Change your password" });
    fireEvent.change(within(form).getByLabelText("Present password"), { target: { value: "Wrong-password-1" } });
    fireEvent.change(within(form).getByLabelText("New password"), { target: { value: "New-password-22" } });
    fireEvent.change(within(form).getByLabelText("Repeat the new password"), { target: { value: "New-password-23" } });
    fireEvent.click(within(form).getByRole("button", { name: "Change password" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("The two new passwords differ.");
    fireEvent.change(within(form).getByLabelText("Repeat the new password"), { target: { value: "New-password-22" } });
    fireEvent.click(within(form).getByRole("button", { name: "Change password" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Cannot change your password: current_password: is wrong");
    fireEvent.change(within(form).getByLabelText("Present password"), { target: { value: "Old-password-1" } });
    fireEvent.click(within(form).getByRole("button", { name: "Change password" }));
    expect(await within(form).findByText(/Your password is changed/)).toBeInTheDocument();
    expect(sent("POST /api/auth/password").at(-1)).toEqual({ current_password: "Old-password-1", new_password: "New-password-22" });
    expect(within(form).getByLabelText("Present password")).toHaveValue("");
    fireEvent.click(within(form).getByRole("button", { name: "Sign in again" }));
    expect((api as unknown as { session: { logout: ReturnType<typeof vi.fn> } }).session.logout).toHaveBeenCalled();
  });
});
