import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { Permission } from "../app/permissions";
import { renderApp, user } from "../app/testUtils";
import { adminApi } from "./testApi";
import type { ApiKeyView } from "./types";

const INTEGRATOR = [Permission.ManageApiKeys, Permission.ViewLive, Permission.ReadEvents];

function key(id: string, fields: Partial<ApiKeyView> = {}): ApiKeyView {
  return { id, name: `Key ${id}`, prefix: `vmsk_${id}`, user_id: "u1", permissions: ["event.read"], created_at: "2026-03-01T09:00:00Z", ...fields };
}

const rows = () =>
  within(screen.getByRole("table", { name: "API key list" }))
    .getAllByRole("row")
    .filter((r) => r.dataset.key);

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("the API keys section", () => {
  it("lists keys with owner, permissions, use and status", async () => {
    const { api } = adminApi({
      keys: [
        key("k1", { last_used_at: "2026-03-02T10:00:00Z", last_used_ip: "10.1.2.3" }),
        key("k2", { user_id: "u9", revoked_at: "2026-03-03T10:00:00Z" }),
        key("k3", { expires_at: "2020-01-01T00:00:00Z" }),
      ],
    });
    renderApp("/admin/api-keys", user(INTEGRATOR), api);
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(rows()[0]).toHaveTextContent("you (alice)");
    expect(rows()[0]).toHaveTextContent("from 10.1.2.3");
    expect(rows()[0]).toHaveTextContent("Active");
    expect(rows()[1]).toHaveTextContent("user u9");
    expect(rows()[1]).toHaveTextContent("Revoked");
    expect(rows()[2]).toHaveTextContent("Expired");
    expect(within(rows()[1]).queryByRole("button", { name: /revoke/i })).toBeNull();
  });

  it("creates a key with some of the user's permissions and shows its secret once", async () => {
    const { api, sent } = adminApi();
    renderApp("/admin/api-keys", user(INTEGRATOR), api);
    fireEvent.click(await screen.findByRole("button", { name: "New API key" }));
    const form = screen.getByRole("form", { name: "New API key" });
    // Only the user's own permissions are offered.
    expect(within(form).getAllByRole("checkbox").map((c) => c.parentElement!.querySelector("code")!.textContent)).toEqual([
      "camera.view_live",
      "event.read",
      "apikey.manage",
    ]);
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "door controller" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create key" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Pick at least one permission.");
    fireEvent.click(within(form).getByRole("checkbox", { name: /event\.read/ }));
    fireEvent.click(within(form).getByRole("button", { name: "Create key" }));
    const panel = await screen.findByRole("region", { name: 'API key "door controller"' });
    expect(sent("POST /api/api-keys")).toEqual([{ name: "door controller", permissions: ["event.read"] }]);
    const secret = (within(panel).getByLabelText("API key") as HTMLInputElement).value;
    expect(secret).toMatch(/^vmsk_ab12-secret-/);
    expect(panel).toHaveTextContent(/shown once/i);
    expect(panel).toHaveTextContent("X-API-Key");
    // The list shows the key's beginning, never the key.
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toHaveTextContent("vmsk_ab12…");
    expect(rows()[0]).not.toHaveTextContent(secret);
    fireEvent.click(within(panel).getByRole("button", { name: "Done, I have copied it" }));
    expect(screen.queryByRole("region", { name: 'API key "door controller"' })).toBeNull();
    expect(document.body).not.toHaveTextContent(secret);
    // Nor in any field's value.
    expect(screen.queryByDisplayValue(secret)).toBeNull();
  });

  it("revokes a key once confirmed, and shows a refusal in words", async () => {
    const { api, refuse } = adminApi({ keys: [key("k1")] });
    vi.spyOn(window, "confirm").mockReturnValue(true);
    renderApp("/admin/api-keys", user(INTEGRATOR), api);
    await waitFor(() => expect(rows()).toHaveLength(1));
    refuse("DELETE /api/api-keys/k1", 403, "missing permission user.manage");
    fireEvent.click(within(rows()[0]).getByRole("button", { name: "Revoke Key k1" }));
    expect(await screen.findByRole("alert")).toHaveTextContent('Cannot revoke the API key "Key k1": missing permission user.manage');
    fireEvent.click(within(rows()[0]).getByRole("button", { name: "Revoke Key k1" }));
    await waitFor(() => expect(rows()[0]).toHaveTextContent("Revoked"));
    expect(within(rows()[0]).queryByRole("button", { name: /revoke/i })).toBeNull();
  });
});
