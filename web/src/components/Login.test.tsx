import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";

import { Login } from "./Login";

afterEach(cleanup);

describe("Login", () => {
  it("submits the user name and password", async () => {
    const onLogin = vi.fn().mockResolvedValue(undefined);
    render(<Login onLogin={onLogin} />);
    fireEvent.change(screen.getByLabelText("User name"), { target: { value: "admin" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "secret" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(onLogin).toHaveBeenCalledWith("admin", "secret"));
  });

  it("shows why the server refused", async () => {
    render(<Login onLogin={() => Promise.reject(new Error("invalid user name or password"))} />);
    fireEvent.change(screen.getByLabelText("User name"), { target: { value: "admin" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "wrong" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("invalid user name or password");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });
});
