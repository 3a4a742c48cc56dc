import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { Permission } from "../app/permissions";
import { renderApp, user } from "../app/testUtils";
import { adminApi } from "./testApi";

const SUPER = { ...user([Permission.ManageSystem]), super_admin: true };

afterEach(cleanup);

describe("the licence section", () => {
  it("shows the licence's usage against its limit and its expiry", async () => {
    const expires = new Date(Date.now() + 10.2 * 86_400_000).toISOString();
    const { api } = adminApi({
      license: {
        status: "valid",
        max_cameras: 10,
        cameras_in_use: 10,
        features: ["analytics", "failover"],
        customer: "Acme Security",
        license_id: "lic-1",
        expires_at: expires,
        installation_id: "inst-1",
      },
    });
    renderApp("/admin/licence", SUPER, api);
    const facts = await screen.findByLabelText("Licence in force");
    expect(facts).toHaveTextContent("Valid");
    expect(facts).toHaveTextContent("Acme Security");
    expect(facts).toHaveTextContent("10 of 10 in use, across every tenant: no more can be added");
    expect(facts).toHaveTextContent("in 10 days");
    expect(facts).toHaveTextContent("analytics, failover");
    expect(facts).toHaveTextContent("inst-1");
    expect(within(facts).getByRole("meter")).toHaveAttribute("value", "10");
  });

  it("installs a licence file, and says why one is refused", async () => {
    const { api, request } = adminApi();
    renderApp("/admin/licence", SUPER, api);
    expect(await screen.findByLabelText("Licence in force")).toHaveTextContent("No licence installed");
    const form = screen.getByRole("form", { name: "Install a licence" });
    fireEvent.change(within(form).getByLabelText("Or paste the licence"), { target: { value: '{"terms":{}}' } });
    fireEvent.click(within(form).getByRole("button", { name: "Install licence" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Cannot install the licence: license: the signature does not verify");
    const file = new File(['{"terms":{"customer":"Acme Security"},"signature":"abc"}'], "acme.json", { type: "application/json" });
    fireEvent.change(within(form).getByLabelText("Licence file"), { target: { files: [file] } });
    await waitFor(() => expect(within(form).getByLabelText("Or paste the licence")).toHaveValue('{"terms":{"customer":"Acme Security"},"signature":"abc"}'));
    fireEvent.click(within(form).getByRole("button", { name: "Install licence" }));
    await waitFor(() => expect(screen.getByText("Licence installed for Acme Security.")).toBeInTheDocument());
    expect(screen.getByLabelText("Licence in force")).toHaveTextContent("1 of 64 in use");
    const put = request.mock.calls.filter(([, init]) => init?.method === "PUT").at(-1)!;
    expect(put[0]).toBe("/api/license");
    expect(put[1]!.body).toBe('{"terms":{"customer":"Acme Security"},"signature":"abc"}');
  });
});
