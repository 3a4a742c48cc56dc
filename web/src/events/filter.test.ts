import { event } from "../app/testUtils";
import { NO_FILTER, badWords, filterSearch, matches, parseFilter, searchQuery, upsert, words } from "./filter";
import { duration, headline, humanize, score, where } from "./describe";

const NOW = Date.parse("2026-12-03T12:00:00Z");

describe("the events filter", () => {
  it("reads the address and writes it back the same", () => {
    const search = "?camera=a&camera=b&type=motion&type=object&label=person&zone=door&start=2026-12-03T10%3A00%3A00.000Z&q=gate&snapshot=1";
    const filter = parseFilter(search, NOW);
    expect(filter).toEqual({
      cameras: ["a", "b"],
      sites: [],
      types: ["motion", "object"],
      labels: ["person"],
      zones: ["door"],
      start: Date.parse("2026-12-03T10:00:00Z"),
      end: null,
      q: "gate",
      snapshot: true,
    });
    expect(filterSearch(filter)).toBe(search);
    expect(filterSearch(NO_FILTER)).toBe("");
  });

  it("reads relative times and comma lists, and drops repeats", () => {
    const filter = parseFilter("type=motion,object,motion&start=-1h", NOW);
    expect(filter.types).toEqual(["motion", "object"]);
    expect(filter.start).toBe(NOW - 3_600_000);
  });

  it("asks the server with its comma lists and paging", () => {
    const filter = { ...NO_FILTER, cameras: ["a", "b"], labels: ["person"], snapshot: true, q: " gate " };
    expect(Object.fromEntries(searchQuery(filter, 50, "next"))).toEqual({
      cameras: "a,b",
      labels: "person",
      has_snapshot: "true",
      q: "gate",
      limit: "50",
      cursor: "next",
    });
  });

  it("splits lists at commas only, and refuses values the server would refuse", () => {
    expect(words(" person, north gate ,, person,é ")).toEqual(["person", "north gate", "é"]);
    expect(badWords(["person", "north gate", "é".repeat(100), "é".repeat(101)])).toEqual(["é".repeat(101)]);
  });

  it("matches live events as the search does", () => {
    const person = event("e1", "2026-12-03T11:00:00Z", {
      type: "object",
      end: "2026-12-03T11:00:40Z",
      attributes: { label: "person", zones: ["door", 7] },
      has_snapshot: true,
    });
    expect(matches(person, NO_FILTER)).toBe(true);
    expect(matches(person, { ...NO_FILTER, cameras: ["a"], types: ["object"], labels: ["person"], zones: ["door"] })).toBe(true);
    expect(matches(person, { ...NO_FILTER, cameras: ["b"] })).toBe(false);
    expect(matches(person, { ...NO_FILTER, labels: ["car"] })).toBe(false);
    expect(matches(person, { ...NO_FILTER, zones: ["7"] })).toBe(false);
    // Going on in the window: it ended after the start and began before the end.
    expect(matches(person, { ...NO_FILTER, start: Date.parse("2026-12-03T11:00:30Z") })).toBe(true);
    expect(matches(person, { ...NO_FILTER, start: Date.parse("2026-12-03T11:01:00Z") })).toBe(false);
    expect(matches(person, { ...NO_FILTER, end: Date.parse("2026-12-03T11:00:00Z") })).toBe(false);
    expect(matches(person, { ...NO_FILTER, q: "PERS" })).toBe(true);
    expect(matches(person, { ...NO_FILTER, q: "front" })).toBe(true);
    expect(matches(person, { ...NO_FILTER, q: "yard" })).toBe(false);
    expect(matches({ ...person, has_snapshot: false }, { ...NO_FILTER, snapshot: true })).toBe(false);
    expect(matches({ ...person, camera_id: null }, { ...NO_FILTER, cameras: ["a"] })).toBe(false);
  });

  it("keeps the list newest first, one row per event", () => {
    const a = event("a", "2026-12-03T11:00:00Z");
    const b = event("b", "2026-12-03T11:00:05.5Z");
    const c = event("c", "2026-12-03T11:00:05Z");
    let list = upsert(upsert(upsert([], a), b), c);
    expect(list.map((e) => e.id)).toEqual(["b", "c", "a"]);
    list = upsert(list, { ...a, end: "2026-12-03T11:01:00Z" });
    expect(list.map((e) => e.id)).toEqual(["b", "c", "a"]);
    expect(list[2].end).toBe("2026-12-03T11:01:00Z");
    // Older than all loaded while older pages remain: it comes with its page.
    expect(upsert(list, event("old", "2026-12-01T00:00:00Z"), false).map((e) => e.id)).toEqual(["b", "c", "a"]);
    expect(upsert(list, event("old", "2026-12-01T00:00:00Z"), true).map((e) => e.id)).toEqual(["b", "c", "a", "old"]);
  });
});

describe("events in words", () => {
  it("names what happened", () => {
    expect(headline(event("e", "2026-12-03T11:00:00Z", { type: "object", attributes: { label: "person" } }))).toBe("Person");
    expect(headline(event("e", "2026-12-03T11:00:00Z", { type: "camera_offline" }))).toBe("Camera offline");
    expect(headline(event("e", "2026-12-03T11:00:00Z", { type: "door_forced" }))).toBe("Door forced");
    expect(headline(event("e", "2026-12-03T11:00:00Z", { type: "line_crossed", attributes: { label: "car" } }))).toBe("Line crossed: Car");
    expect(humanize("loitering-long")).toBe("Loitering long");
  });

  it("gives the score, the duration and the place", () => {
    const e = event("e", "2026-12-03T11:00:00Z", {
      end: "2026-12-03T11:03:05Z",
      attributes: { score: 0.873, zones: ["door"], line: "gate", direction: "in" },
    });
    expect(score(e)).toBe("87 %");
    expect(score({ ...e, attributes: { score: 7 } })).toBeNull();
    expect(duration(e)).toBe("3 min 5 s");
    expect(duration({ ...e, end: undefined })).toBe("ongoing");
    expect(duration({ ...e, end: "2026-12-03T12:02:00Z" })).toBe("1 h 2 min");
    expect(where(e)).toEqual(["zone door", "line gate (in)"]);
  });
});
