import type { EventView } from "../api/types";
import { ApiError } from "../api/client";
import { type FeedMessage, LiveEvents, SILENCE_MS, feedUrl, reconnectDelay } from "./events";

/// A WebSocket stand-in that the test opens, feeds and closes.
class FakeSocket {
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: ((event?: { code: number }) => void) | null = null;
  closed = false;
  close() {
    this.closed = true;
  }
}

const EVENT = { id: "e1", type: "motion", camera_id: "c1" } as EventView;

/// A feed whose sockets the test holds, with the `after` each was opened with.
function feed() {
  const sockets: FakeSocket[] = [];
  const afters: (string | null)[] = [];
  const events = new LiveEvents(async (after) => {
    const s = new FakeSocket();
    sockets.push(s);
    afters.push(after);
    return s as unknown as WebSocket;
  });
  return { events, sockets, afters };
}

/// Lets the opening promise settle.
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("LiveEvents", () => {
  afterEach(() => vi.useRealTimers());

  it("shares one connection between every subscriber and closes it after the last", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { events, sockets } = feed();
    const a: string[] = [];
    const b: string[] = [];
    const leaveA = events.subscribe((m) => a.push(m.type));
    const leaveB = events.subscribe((m) => b.push(m.type));
    await settle();
    expect(sockets).toHaveLength(1);
    sockets[0].onopen?.();
    expect(events.status).toBe("open");
    sockets[0].onmessage?.({ data: JSON.stringify({ type: "event", event: EVENT, cursor: "k1" }) });
    sockets[0].onmessage?.({ data: JSON.stringify({ type: "heartbeat", at: "2026-12-03T00:00:00Z" }) });
    sockets[0].onmessage?.({ data: JSON.stringify({ type: "something new" }) });
    sockets[0].onmessage?.({ data: "not json" });
    expect(a).toEqual(["event", "heartbeat"]);
    expect(b).toEqual(["event", "heartbeat"]);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
    leaveA();
    expect(sockets[0].closed).toBe(false);
    leaveB();
    expect(sockets[0].closed).toBe(true);
    expect(events.status).toBe("off");
  });

  it("reconnects with backoff while someone listens, resuming after the last event heard", async () => {
    vi.useFakeTimers();
    const { events, sockets, afters } = feed();
    const heard: FeedMessage[] = [];
    events.subscribe((m) => heard.push(m));
    await vi.advanceTimersByTimeAsync(0);
    sockets[0].onopen?.();
    sockets[0].onmessage?.({ data: JSON.stringify({ type: "event", event: EVENT, cursor: "k7" }) });
    sockets[0].onclose?.();
    expect(events.status).toBe("closed");
    await vi.advanceTimersByTimeAsync(reconnectDelay(0));
    expect(sockets).toHaveLength(2);
    expect(afters).toEqual([null, "k7"]);
    expect([0, 1, 2, 10].map(reconnectDelay)).toEqual([1000, 2000, 4000, 30000]);
  });

  it("tries again when the ticket cannot be had, and forgets the cursor on sign-out", async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    let fail = true;
    const afters: (string | null)[] = [];
    const sockets: FakeSocket[] = [];
    const events = new LiveEvents(async (after) => {
      afters.push(after);
      if (fail) throw new Error("cannot issue a ticket now; try again");
      const s = new FakeSocket();
      sockets.push(s);
      return s as unknown as WebSocket;
    });
    events.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(events.status).toBe("closed");
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("cannot issue a ticket"));
    fail = false;
    await vi.advanceTimersByTimeAsync(reconnectDelay(0));
    expect(sockets).toHaveLength(1);
    sockets[0].onmessage?.({ data: JSON.stringify({ type: "event", event: EVENT, cursor: "k1" }) });
    events.close();
    expect(sockets[0].closed).toBe(true);
    events.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(afters.at(-1)).toBeNull();
    warn.mockRestore();
  });

  it("drops a socket that opens after everyone left", async () => {
    let resolve: (s: WebSocket) => void = () => {};
    const events = new LiveEvents(() => new Promise((r) => (resolve = r)));
    const leave = events.subscribe(() => {});
    leave();
    const late = new FakeSocket();
    resolve(late as unknown as WebSocket);
    await settle();
    expect(late.closed).toBe(true);
    expect(events.status).toBe("off");
  });

  it("connects again when someone subscribes while a stale open is pending", async () => {
    const pending: ((s: WebSocket) => void)[] = [];
    const sockets: FakeSocket[] = [];
    const events = new LiveEvents(
      () =>
        new Promise((resolve) =>
          pending.push((s) => {
            sockets.push(s as unknown as FakeSocket);
            resolve(s);
          }),
        ),
    );
    // React's strict mode: mount, unmount, mount before the ticket comes.
    events.subscribe(() => {})();
    events.subscribe(() => {});
    pending[0](new FakeSocket() as unknown as WebSocket);
    await settle();
    expect(sockets[0].closed).toBe(true);
    expect(pending).toHaveLength(2);
    pending[1](new FakeSocket() as unknown as WebSocket);
    await settle();
    expect(sockets[1].closed).toBe(false);
    sockets[1].onopen?.();
    expect(events.status).toBe("open");
  });

  it("reconnects a feed that falls silent, and backs off from one that opens and drops", async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { events, sockets } = feed();
    events.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    sockets[0].onopen?.();
    await vi.advanceTimersByTimeAsync(SILENCE_MS - 1000);
    sockets[0].onmessage?.({ data: JSON.stringify({ type: "heartbeat", at: "" }) });
    await vi.advanceTimersByTimeAsync(SILENCE_MS - 1000);
    expect(sockets[0].closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets[0].closed).toBe(true);
    expect(events.status).toBe("closed");
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("no heartbeat"));
    // Opening is not enough to reset the backoff: the waits grow while it drops at once.
    await vi.advanceTimersByTimeAsync(reconnectDelay(0));
    sockets[1].onopen?.();
    sockets[1].onclose?.({ code: 1011 });
    await vi.advanceTimersByTimeAsync(reconnectDelay(1) - 1);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    warn.mockRestore();
  });

  it("keeps backing off from a server that says it fails and closes", async () => {
    vi.useFakeTimers();
    const { events, sockets } = feed();
    events.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const socket = sockets[attempt];
      socket.onopen?.();
      socket.onmessage?.({ data: JSON.stringify({ type: "error", message: "cannot replay missed events now" }) });
      socket.onclose?.({ code: 1011 });
      await vi.advanceTimersByTimeAsync(reconnectDelay(attempt) - 1);
      expect(sockets).toHaveLength(attempt + 1);
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(sockets).toHaveLength(4);
  });

  it("stops for good when the login is revoked or refused a feed", async () => {
    vi.useFakeTimers();
    const { events, sockets } = feed();
    events.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    sockets[0].onopen?.();
    sockets[0].onclose?.({ code: 4001 });
    expect(events.status).toBe("refused");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);

    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    let asked = 0;
    const forbidden = new LiveEvents(async () => {
      asked += 1;
      throw new ApiError(403, "needs event.read");
    });
    forbidden.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(60_000);
    expect(forbidden.status).toBe("refused");
    expect(asked).toBe(1);
    warn.mockRestore();
  });

  it("stays off without an endpoint and makes up no events", () => {
    const events = new LiveEvents(null);
    const heard: unknown[] = [];
    const leave = events.subscribe((e) => heard.push(e));
    expect(events.status).toBe("off");
    leave();
    expect(heard).toEqual([]);
  });

  it("addresses the feed on the page's own host, secure when the page is", () => {
    expect(feedUrl({ protocol: "https:", host: "vms.example:8443" }, "t k", "c1")).toBe(
      "wss://vms.example:8443/api/events/ws?ticket=t+k&after=c1",
    );
    expect(feedUrl({ protocol: "http:", host: "localhost" }, "t", null)).toBe("ws://localhost/api/events/ws?ticket=t");
  });
});
