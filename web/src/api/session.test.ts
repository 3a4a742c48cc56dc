import { Session } from "./session";

function tokens(n: number, expires_in = 300) {
  return { access_token: `access-${n}`, refresh_token: `refresh-${n}`, expires_in };
}

function reply(status: number, body: unknown) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }));
}

describe("Session", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    sessionStorage.clear();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("refreshes the access token silently before it expires", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockImplementation((url) =>
      String(url).endsWith("/login") ? reply(200, tokens(1, 60)) : reply(200, tokens(2, 60)),
    );
    const session = new Session(sessionStorage);
    await session.login("admin", "secret");
    expect(session.accessToken).toBe("access-1");
    await vi.advanceTimersByTimeAsync(31_000);
    expect(fetch).toHaveBeenLastCalledWith("/api/auth/refresh", expect.objectContaining({ body: JSON.stringify({ refresh_token: "refresh-1" }) }));
    expect(session.accessToken).toBe("access-2");
    // A reload keeps the tab signed in.
    expect(new Session(sessionStorage).accessToken).toBe("access-2");
  });

  it("signs out when the refresh token is refused", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation((url) =>
      String(url).endsWith("/login") ? reply(200, tokens(1)) : reply(401, { code: "unauthenticated", message: "expired" }),
    );
    const session = new Session(sessionStorage);
    const changes: boolean[] = [];
    session.onChange((signedIn) => changes.push(signedIn));
    await session.login("admin", "secret");
    expect(await session.refresh()).toBe(false);
    expect(session.signedIn).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it("reports the server's reason for a refused login", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(() => reply(401, { code: "unauthenticated", message: "invalid user name or password" }));
    await expect(new Session(sessionStorage).login("admin", "wrong")).rejects.toThrow("invalid user name or password");
  });

  it("signs out by sending the refresh token, and notices a refusal", async () => {
    const fetch = vi.spyOn(globalThis, "fetch").mockImplementation((url) =>
      String(url).endsWith("/login") ? reply(200, tokens(1)) : reply(400, { code: "invalid_argument", message: "refresh_token: bad" }),
    );
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const session = new Session(sessionStorage);
    await session.login("admin", "secret");
    expect(await session.logout()).toBe(false);
    expect(fetch).toHaveBeenLastCalledWith(
      "/api/auth/logout",
      expect.objectContaining({ method: "POST", body: JSON.stringify({ refresh_token: "refresh-1" }) }),
    );
    expect(session.signedIn).toBe(false);
    expect(sessionStorage.length).toBe(0);
  });
});
