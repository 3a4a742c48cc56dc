import { afterEach, describe, expect, it, vi } from "vitest";

import { within } from "./engine";

describe("within", () => {
  afterEach(() => vi.useRealTimers());

  it("fails a wait that never ends, naming what did not happen", async () => {
    vi.useFakeTimers();
    const hung = within(new Promise<never>(() => {}), 10000, "a live ticket");
    const settled = expect(hung).rejects.toThrow("a live ticket did not happen within 10 s");
    await vi.advanceTimersByTimeAsync(10000);
    await settled;
  });

  it("passes on what settles in time, and its failure", async () => {
    await expect(within(Promise.resolve("ticket"), 10000, "a live ticket")).resolves.toBe("ticket");
    await expect(within(Promise.reject(new Error("401")), 10000, "a live ticket")).rejects.toThrow("401");
  });
});
