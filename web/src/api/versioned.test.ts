import { Api } from "./client";
import { Session } from "./session";
import { isStale, readVersioned, writeVersioned } from "./versioned";

function reply(status: number, body: unknown, headers: Record<string, string> = {}) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } }));
}

describe("versioned reads and writes", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers a body with its ETag and sends it back as If-Match", async () => {
    const fetch = vi
      .spyOn(globalThis, "fetch")
      .mockImplementationOnce(() => reply(200, { name: "HQ" }, { etag: '"17"' }))
      .mockImplementationOnce(() => reply(200, { name: "Head office" }, { etag: '"18"' }));
    const api = new Api(new Session(null));
    const read = await readVersioned<{ name: string }>(api, "/api/sites/s1");
    expect(read).toEqual({ value: { name: "HQ" }, etag: '"17"' });
    const written = await writeVersioned<{ name: string }>(api, "/api/sites/s1", "PATCH", { name: "Head office" }, read.etag);
    expect(written).toEqual({ value: { name: "Head office" }, etag: '"18"' });
    const [, init] = fetch.mock.calls[1];
    expect(init?.method).toBe("PATCH");
    expect(init?.body).toBe(JSON.stringify({ name: "Head office" }));
    expect(new Headers(init?.headers).get("if-match")).toBe('"17"');
    expect(new Headers(init?.headers).get("content-type")).toBe("application/json");
  });

  it("sends no If-Match without a version, and tells a stale one's refusal apart", async () => {
    const fetch = vi
      .spyOn(globalThis, "fetch")
      .mockImplementationOnce(() => reply(200, { mode: "event" }))
      .mockImplementationOnce(() => reply(412, { code: "precondition_failed", message: "changed since it was read" }));
    const api = new Api(new Session(null));
    expect(await writeVersioned(api, "/api/cameras/a/recording", "PUT", { mode: "event" }, null)).toEqual({ value: { mode: "event" }, etag: null });
    expect(new Headers(fetch.mock.calls[0][1]?.headers).has("if-match")).toBe(false);
    const refusal = await writeVersioned(api, "/api/cameras/a/recording", "PUT", { mode: "event" }, '"3"').catch((e: unknown) => e);
    expect(isStale(refusal)).toBe(true);
    expect(isStale(new Error("changed since it was read"))).toBe(false);
  });
});
