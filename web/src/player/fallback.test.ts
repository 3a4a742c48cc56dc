import { CannotDecode, type Engine, type Protocol } from "./engine";
import { ConnectError, TRANSPORT_ORDER, backoff, connect } from "./fallback";

function engine(protocol: Protocol, works: boolean, log: string[]): Engine {
  return {
    protocol,
    start: async () => {
      log.push(`start ${protocol}`);
      if (!works) throw new Error(`${protocol} refused`);
    },
    stop: () => log.push(`stop ${protocol}`),
    latency: async () => null,
  };
}

describe("transport fallback", () => {
  it("tries WebRTC, then MSE, then HLS, and keeps the first that plays", async () => {
    const log: string[] = [];
    const chosen = await connect(TRANSPORT_ORDER.auto, (p) => engine(p, p === "mse", log), () => false);
    expect(chosen.engine.protocol).toBe("mse");
    expect(chosen.skipped).toEqual(["WebRTC: webrtc refused"]);
    expect(log).toEqual(["start webrtc", "stop webrtc", "start mse"]);
  });

  it("skips WebRTC when it is turned off", async () => {
    const log: string[] = [];
    await connect(TRANSPORT_ORDER["no-webrtc"], (p) => engine(p, true, log), () => false);
    expect(log).toEqual(["start mse"]);
  });

  it("says why every transport failed", async () => {
    await expect(connect(["webrtc", "hls"], (p) => engine(p, false, []), () => false)).rejects.toThrow(
      "WebRTC: webrtc refused; HLS: hls refused",
    );
  });

  it("stops an engine that started after the viewer left", async () => {
    const log: string[] = [];
    let left = false;
    const p = connect(["mse"], (proto) => {
      left = true;
      return engine(proto, true, log);
    }, () => left);
    await expect(p).rejects.toThrow("cancelled");
    expect(log).toEqual(["start mse", "stop mse"]);
  });

  it("stops at a codec the browser cannot decode, and says so", async () => {
    const log: string[] = [];
    const open = (p: Protocol): Engine => ({
      ...engine(p, false, log),
      start: async () => {
        log.push(`start ${p}`);
        throw p === "mse" ? new CannotDecode("this browser cannot decode hvc1") : new Error(`${p} refused`);
      },
    });
    const error = await connect(TRANSPORT_ORDER.auto, open, () => false).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.undecodable).toBe(true);
    expect(log).not.toContain("start hls");
  });

  it("backs off from 0.5 s to at most 15 s", () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(backoff)).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
  });
});
