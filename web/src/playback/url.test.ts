import { parsePlaybackSearch, playbackSearch } from "./url";

const NOW = Date.UTC(2026, 10, 21, 12);

describe("the playback address", () => {
  it("reads the cameras, the moment and the speed", () => {
    const read = parsePlaybackSearch("?camera=a&camera=b&camera=a&at=2026-11-21T10:00:00.000Z&speed=-4", NOW);
    expect(read).toEqual({ cameras: ["a", "b"], at: Date.UTC(2026, 10, 21, 10), speed: -4 });
    expect(parsePlaybackSearch("?at=-15m", NOW).at).toBe(NOW - 15 * 60_000);
  });

  it("falls back on what it cannot read", () => {
    expect(parsePlaybackSearch("?at=soon&speed=3", NOW)).toEqual({ cameras: [], at: null, speed: 1 });
    const many = Array.from({ length: 20 }, (_, i) => `camera=c${i}`).join("&");
    expect(parsePlaybackSearch(many, NOW).cameras).toHaveLength(16);
  });

  it("writes what it reads", () => {
    const search = playbackSearch({ cameras: ["a", "b"], at: NOW, speed: 0.5 });
    expect(search).toBe("?camera=a&camera=b&at=2026-11-21T12%3A00%3A00.000Z&speed=0.5");
    expect(parsePlaybackSearch(search, 0)).toEqual({ cameras: ["a", "b"], at: NOW, speed: 0.5 });
    expect(playbackSearch({ cameras: ["a"], speed: 1 })).toBe("?camera=a");
    expect(playbackSearch({ cameras: [] })).toBe("");
  });
});
