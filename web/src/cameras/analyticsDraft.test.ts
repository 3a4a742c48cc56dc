import { type AnalyticsDraft, draftOf, labelsOf, settingsOf, shapeOfField, shapeTitle } from "./analyticsDraft";
import type { AnalyticsSettings } from "./api";
import type { Point } from "./shapes";

const SQUARE: Point[] = [
  [0.1, 0.5],
  [0.9, 0.5],
  [0.9, 1],
  [0.1, 1],
];

const FULL: AnalyticsSettings = {
  enabled: true,
  stream: "main",
  fps: 10,
  labels: ["person", "car"],
  min_score: 0.6,
  min_area: 0.001,
  max_area: 0.5,
  motion_sensitivity: 70,
  masks: [
    [
      [0, 0],
      [0.2, 0],
      [0.2, 0.1],
    ],
  ],
  zones: [{ name: "Door", points: SQUARE, labels: ["person"], loiter_secs: 30 }],
  lines: [{ name: "Gate", a: [0.2, 0.6], b: [0.8, 0.6], labels: [] }],
};

const DEFAULTS: AnalyticsSettings = { enabled: true, labels: [], masks: [], zones: [], lines: [] };

function problemOf(draft: AnalyticsDraft) {
  const checked = settingsOf(draft);
  if (!("problem" in checked)) throw new Error("expected a problem");
  return checked;
}

describe("the analytics draft", () => {
  it("round-trips the settings the server gives, defaults left out", () => {
    expect(settingsOf(draftOf(FULL))).toEqual({ settings: FULL });
    expect(settingsOf(draftOf(DEFAULTS))).toEqual({ settings: DEFAULTS });
    const draft = draftOf(FULL);
    expect([draft.minArea, draft.maxArea, draft.labels, draft.zones[0].labels, draft.zones[0].loiter]).toEqual(["0.1", "50", "person, car", "person", "30"]);
  });

  it("reads label lists and sends what was typed, trimmed", () => {
    expect(labelsOf(" person, car ,, ")).toEqual(["person", "car"]);
    const draft = { ...draftOf(DEFAULTS), labels: "person , dog", fps: "", minArea: "2.5" };
    draft.zones = [{ name: " Yard ", points: SQUARE, labels: "", loiter: "" }];
    const checked = settingsOf(draft);
    expect(checked).toEqual({
      settings: { ...DEFAULTS, labels: ["person", "dog"], min_area: 0.025, zones: [{ name: "Yard", points: SQUARE, labels: [] }] },
    });
  });

  it("refuses numbers out of range before the server does", () => {
    const base = draftOf(DEFAULTS);
    expect(problemOf({ ...base, fps: "31" }).problem).toMatch(/Pictures a second/);
    expect(problemOf({ ...base, fps: "2.5" }).problem).toMatch(/Pictures a second/);
    expect(problemOf({ ...base, minScore: "0.01" }).problem).toMatch(/minimum score/);
    expect(problemOf({ ...base, minArea: "101" }).problem).toMatch(/0 to 100%/);
    expect(problemOf({ ...base, minArea: "20", maxArea: "10" }).problem).toMatch(/smallest object must not be larger/);
    expect(problemOf({ ...base, sensitivity: "0" }).problem).toMatch(/Motion sensitivity/);
    expect(problemOf({ ...base, labels: "x".repeat(65) }).problem).toMatch(/at most 64 characters/);
  });

  it("names the shape at fault: too few corners, crossing sides, twin names, short lines", () => {
    const base = draftOf(FULL);
    const few = problemOf({ ...base, zones: [{ ...base.zones[0], points: SQUARE.slice(0, 2) }] });
    expect(few).toEqual({ problem: "Zone “Door” needs at least 3 corners.", shape: { kind: "zone", index: 0 } });
    const bow: Point[] = [
      [0, 0],
      [1, 1],
      [1, 0],
      [0, 0.5],
    ];
    expect(problemOf({ ...base, masks: [bow] })).toEqual({
      problem: "Mask 1 crosses itself (its sides 1 and 3): move its corners so no sides cross.",
      shape: { kind: "mask", index: 0 },
    });
    const flat = problemOf({
      ...base,
      zones: [
        {
          ...base.zones[0],
          points: [
            [0, 0],
            [0.5, 0.5],
            [1, 1],
          ],
        },
      ],
    });
    expect(flat.problem).toMatch(/must enclose an area/);
    const twins = problemOf({ ...base, lines: [{ ...base.lines[0], name: " door" }] });
    expect(twins).toEqual({ problem: "Two zones or lines are called “door”: give each its own name.", shape: { kind: "line", index: 0 } });
    expect(problemOf({ ...base, lines: [{ ...base.lines[0], name: "  " }] })).toEqual({
      problem: "Line 1 needs a name of 1 to 64 characters.",
      shape: { kind: "line", index: 0 },
    });
    expect(problemOf({ ...base, lines: [{ ...base.lines[0], b: [0.205, 0.6] }] }).problem).toBe("Line “Gate” is too short: move its ends apart.");
    expect(problemOf({ ...base, zones: [{ ...base.zones[0], loiter: "0" }] }).problem).toMatch(/^Zone “Door”: loitering/);
  });

  it("finds the shape a server message names", () => {
    expect(shapeOfField("zones[2].points: edges 0 and 2 cross")).toEqual({ kind: "zone", index: 2 });
    expect(shapeOfField("lines[0].b: must be apart from a")).toEqual({ kind: "line", index: 0 });
    expect(shapeOfField("masks[1]: must have 3 to 64 points")).toEqual({ kind: "mask", index: 1 });
    expect(shapeOfField("fps: must be between 1 and 30")).toBeUndefined();
    expect(shapeTitle(draftOf(FULL), { kind: "line", index: 0 })).toBe("Line “Gate”");
  });
});
