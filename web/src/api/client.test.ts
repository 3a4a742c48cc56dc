import { Api, ApiError } from "./client";
import { Session } from "./session";

function reply(status: number, body: unknown) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }));
}

describe("the API's errors", () => {
  afterEach(() => vi.restoreAllMocks());

  it("carry the server's code and message, or the status line without a body", async () => {
    vi.spyOn(globalThis, "fetch")
      .mockImplementationOnce(() => reply(400, { code: "device_auth_failed", message: "the device refused the credentials" }))
      .mockImplementationOnce(() => Promise.resolve(new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" })));
    const api = new Api(new Session(null));
    const refused = await api.json("/api/cameras/onboard", { method: "POST" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 400, code: "device_auth_failed", message: "the device refused the credentials" });
    const broken = await api.json("/api/cameras").catch((e: unknown) => e);
    expect(broken).toMatchObject({ status: 502, code: undefined, message: "502 Bad Gateway" });
  });
});
