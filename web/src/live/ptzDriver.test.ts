import { HOLD_TIMEOUT_MS, MOVE_GAP_MS, NUDGE_MS, PtzDriver, RENEW_MS, STOP_RETRY_MS } from "./ptzDriver";

/// A driver whose commands are recorded; each answers after `delay` ms.
function driver(delay = 0) {
  const sent: string[] = [];
  const failed = vi.fn();
  const answer = () => new Promise<void>((resolve) => setTimeout(resolve, delay));
  const d = new PtzDriver({
    move: async (v) => {
      sent.push(`move ${v.pan},${v.tilt},${v.zoom} ${v.timeout_ms}`);
      await answer();
    },
    stop: async () => {
      sent.push("stop");
      await answer();
    },
    failed,
  });
  return { d, sent, failed };
}

describe("steering a camera", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends a move at once with a timeout, and a stop after it", async () => {
    const { d, sent } = driver(50);
    d.move({ pan: -0.5, tilt: 0, zoom: 0 });
    d.stop();
    expect(sent).toEqual([`move -0.5,0,0 ${HOLD_TIMEOUT_MS}`]);
    // The stop waits for the move's answer: it never overtakes it.
    await vi.advanceTimersByTimeAsync(50);
    expect(sent).toEqual([`move -0.5,0,0 ${HOLD_TIMEOUT_MS}`, "stop"]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toHaveLength(2);
  });

  it("sends at most five moves a second, the newest velocity winning", async () => {
    const { d, sent } = driver();
    for (let i = 1; i <= 20; i += 1) {
      d.move({ pan: i / 20, tilt: 0, zoom: 0 });
      await vi.advanceTimersByTimeAsync(50);
    }
    // 20 changes over a second: a move every 200 ms.
    const moves = sent.filter((s) => s.startsWith("move"));
    expect(moves.length).toBeGreaterThanOrEqual(4);
    expect(moves.length).toBeLessThanOrEqual(6);
    await vi.advanceTimersByTimeAsync(MOVE_GAP_MS);
    expect(sent.at(-1)).toBe(`move 1,0,0 ${HOLD_TIMEOUT_MS}`);
    d.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.at(-1)).toBe("stop");
  });

  it("renews a held move before it times out, and sends nothing when nothing moved", async () => {
    const { d, sent } = driver();
    d.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([]);
    d.move({ pan: 0, tilt: 0, zoom: 0.3 });
    await vi.advanceTimersByTimeAsync(RENEW_MS * 3 + 10);
    expect(sent.filter((s) => s === `move 0,0,0.3 ${HOLD_TIMEOUT_MS}`)).toHaveLength(4);
    d.stop();
    await vi.advanceTimersByTimeAsync(RENEW_MS * 3);
    expect(sent.at(-1)).toBe("stop");
    expect(sent).toHaveLength(5);
  });

  it("reports a failed move and no longer renews it, but still stops", async () => {
    const failed = vi.fn();
    const sent: string[] = [];
    const d = new PtzDriver({
      move: async () => {
        sent.push("move");
        throw new Error("too many PTZ commands for this camera");
      },
      stop: async () => {
        sent.push("stop");
      },
      failed,
    });
    d.move({ pan: 1, tilt: 0, zoom: 0 });
    await vi.advanceTimersByTimeAsync(RENEW_MS * 2);
    expect(sent).toEqual(["move"]);
    expect(failed).toHaveBeenCalledTimes(1);
    d.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(["move", "stop"]);
  });

  it("tries a failed stop once more, and sends it again on the next stop", async () => {
    const failed = vi.fn();
    const sent: string[] = [];
    const d = new PtzDriver({
      move: async () => {
        sent.push("move");
      },
      stop: async () => {
        sent.push("stop");
        throw new Error("the camera did not answer");
      },
      failed,
    });
    d.move({ pan: 1, tilt: 0, zoom: 0 });
    await vi.advanceTimersByTimeAsync(0);
    d.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(["move", "stop"]);
    await vi.advanceTimersByTimeAsync(STOP_RETRY_MS);
    expect(sent).toEqual(["move", "stop", "stop"]);
    // Once only.
    await vi.advanceTimersByTimeAsync(STOP_RETRY_MS * 10);
    expect(sent).toEqual(["move", "stop", "stop"]);
    expect(failed).toHaveBeenCalledTimes(2);
    // Still taken as moving: the next stop goes out.
    d.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(["move", "stop", "stop", "stop"]);
  });

  it("drops the retry of a failed stop when a move comes first", async () => {
    let refuse = true;
    const sent: string[] = [];
    const d = new PtzDriver({
      move: async () => {
        sent.push("move");
      },
      stop: async () => {
        sent.push("stop");
        if (refuse) throw new Error("the camera did not answer");
      },
      failed: vi.fn(),
    });
    d.move({ pan: 1, tilt: 0, zoom: 0 });
    await vi.advanceTimersByTimeAsync(0);
    d.stop();
    await vi.advanceTimersByTimeAsync(MOVE_GAP_MS);
    refuse = false;
    d.move({ pan: 0, tilt: 1, zoom: 0 });
    await vi.advanceTimersByTimeAsync(STOP_RETRY_MS);
    expect(sent).toEqual(["move", "stop", "move"]);
  });

  it("nudges: one short move, neither renewed nor stopped", async () => {
    const { d, sent } = driver();
    d.nudge({ pan: 0, tilt: -0.5, zoom: 0 });
    await vi.advanceTimersByTimeAsync(RENEW_MS * 3);
    expect(sent).toEqual([`move 0,-0.5,0 ${NUDGE_MS}`]);
  });
});
