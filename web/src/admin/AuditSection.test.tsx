import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";

import { Permission } from "../app/permissions";
import { renderApp, user } from "../app/testUtils";
import { toPickerValue } from "../playback/when";
import { adminApi, auditEntry } from "./testApi";

const AUDITOR = [Permission.ReadAudit];
const BOB = "22222222-2222-4222-8222-222222222222";

const rows = () =>
  within(screen.getByRole("table", { name: "Audit entries" }))
    .getAllByRole("row")
    .filter((r) => r.dataset.seq);

afterEach(cleanup);

describe("the audit log", () => {
  it("lists entries newest first with their details in words, and pages back with the `next_cursor` it was given", async () => {
    const audit = Array.from({ length: 130 }, (_, i) => auditEntry(130 - i));
    audit[0] = auditEntry(130, {
      action: "access.denied",
      outcome: "denied",
      actor_id: BOB,
      actor_name: "bob",
      target_kind: "",
      target_id: "",
      details: { method: "DELETE", path: "/api/users/u2", roles: ["viewer@tenant", "operator@site"], nested: { a: 1, b: null } },
    });
    const { api, queries } = adminApi({ audit });
    renderApp("/admin/audit", user(AUDITOR), api);
    await waitFor(() => expect(rows()).toHaveLength(100));
    const first = rows()[0];
    expect(first).toHaveTextContent("#130");
    expect(first).toHaveTextContent("access.denied");
    expect(first).toHaveTextContent("denied");
    expect(within(first).getByText("method").nextSibling).toHaveTextContent("DELETE");
    expect(within(first).getByText("roles").nextSibling).toHaveTextContent("viewer@tenant, operator@site");
    expect(within(first).getByText("nested").nextSibling).toHaveTextContent("a: 1; b: —");
    expect(first.textContent).not.toContain("{");
    expect(queries("/api/audit")[0].get("limit")).toBe("100");
    fireEvent.click(screen.getByRole("button", { name: "Load older entries" }));
    await waitFor(() => expect(rows()).toHaveLength(130));
    expect(queries("/api/audit").at(-1)!.get("cursor")).toBe("seq-31");
    expect(screen.queryByRole("button", { name: "Load older entries" })).toBeNull();
    expect(screen.getByText(/does not check the chain/)).toBeInTheDocument();
  });

  it("searches by its filters, kept in the address", async () => {
    const audit = [auditEntry(3, { outcome: "failure", action: "auth.login" }), auditEntry(2), auditEntry(1, { actor_id: BOB, actor_name: "bob" })];
    const { api, queries } = adminApi({ audit });
    const { where } = renderApp("/admin/audit", user(AUDITOR), api);
    await waitFor(() => expect(rows()).toHaveLength(3));
    const form = screen.getByRole("form", { name: "Audit search" });
    const from = Date.parse("2026-03-01T00:00:00Z");
    fireEvent.change(within(form).getByLabelText("From"), { target: { value: toPickerValue(from) } });
    fireEvent.change(within(form).getByLabelText("Action begins with"), { target: { value: "auth." } });
    fireEvent.change(within(form).getByLabelText("Outcome"), { target: { value: "failure" } });
    fireEvent.change(within(form).getByLabelText("Target kind"), { target: { value: "user" } });
    fireEvent.click(within(form).getByRole("button", { name: "Search" }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(where()).toContain("/admin/audit?from=");
    expect(where()).toContain("action=auth.&outcome=failure&target_kind=user");
    const asked = queries("/api/audit").at(-1)!;
    expect(asked.get("from")).toBe("2026-03-01T00:00:00.000Z");
    expect(asked.get("action")).toBe("auth.");
    expect(asked.get("outcome")).toBe("failure");
    expect(asked.get("target_kind")).toBe("user");
    // An actor narrows the search to their entries.
    fireEvent.click(within(form).getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(rows()).toHaveLength(3));
    fireEvent.click(within(rows()[2]).getByRole("button", { name: "bob" }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(where()).toBe(`/admin/audit?actor=${BOB}`);
    expect(queries("/api/audit").at(-1)!.get("actor_id")).toBe(BOB);
  });

  it("says what is wrong with a filter, and what the server refused", async () => {
    const { api, refuse, queries } = adminApi();
    renderApp("/admin/audit?actor=bob", user(AUDITOR), api);
    expect(await screen.findByRole("alert")).toHaveTextContent("Actor must be the id of a user or an API key.");
    expect(queries("/api/audit")).toHaveLength(0);
    cleanup();
    refuse("GET /api/audit", 403, "missing permission audit.read");
    renderApp("/admin/audit", user(AUDITOR), api);
    expect(await screen.findByRole("alert")).toHaveTextContent("Cannot load the audit log: missing permission audit.read");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("No entries match.")).toBeInTheDocument();
  });
});
