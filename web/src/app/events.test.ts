import { LiveEvents, reconnectDelay } from "./events";

/// A WebSocket stand-in that the test opens, feeds and closes.
class FakeSocket {
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  close() {
    this.closed = true;
  }
}

describe("LiveEvents", () => {
  afterEach(() => vi.useRealTimers());

  it("shares one connection between every subscriber and closes it after the last", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sockets: FakeSocket[] = [];
    const events = new LiveEvents(() => {
      const s = new FakeSocket();
      sockets.push(s);
      return s as unknown as WebSocket;
    });
    const a: string[] = [];
    const b: string[] = [];
    const leaveA = events.subscribe((e) => a.push(e.type));
    const leaveB = events.subscribe((e) => b.push(e.type));
    expect(sockets).toHaveLength(1);
    sockets[0].onopen?.();
    expect(events.status).toBe("open");
    sockets[0].onmessage?.({ data: JSON.stringify({ type: "motion", camera_id: "c1" }) });
    sockets[0].onmessage?.({ data: "not json" });
    expect(a).toEqual(["motion"]);
    expect(b).toEqual(["motion"]);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
    leaveA();
    expect(sockets[0].closed).toBe(false);
    leaveB();
    expect(sockets[0].closed).toBe(true);
    expect(events.status).toBe("off");
  });

  it("reconnects with backoff while someone listens", () => {
    vi.useFakeTimers();
    const sockets: FakeSocket[] = [];
    const events = new LiveEvents(() => {
      const s = new FakeSocket();
      sockets.push(s);
      return s as unknown as WebSocket;
    });
    events.subscribe(() => {});
    sockets[0].onclose?.();
    expect(events.status).toBe("closed");
    vi.advanceTimersByTime(reconnectDelay(0));
    expect(sockets).toHaveLength(2);
    expect([0, 1, 2, 10].map(reconnectDelay)).toEqual([1000, 2000, 4000, 30000]);
  });

  it("stays off without an endpoint and makes up no events", () => {
    const events = new LiveEvents(null);
    const heard: unknown[] = [];
    const leave = events.subscribe((e) => heard.push(e));
    expect(events.status).toBe("off");
    leave();
    expect(heard).toEqual([]);
  });
});
