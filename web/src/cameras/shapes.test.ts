import {
  type Point,
  centreOf,
  directionMarks,
  distance,
  freshName,
  nameKey,
  pixelDistance,
  pointIn,
  polygonArea,
  repeatedName,
  segmentsCross,
  selfCrossing,
  side,
} from "./shapes";

describe("the shapes drawn on a picture", () => {
  it("reads a click as 0–1 from the element's top left, clamped and rounded", () => {
    const rect = { left: 100, top: 50, width: 800, height: 450 };
    expect(pointIn(100, 50, rect)).toEqual([0, 0]);
    expect(pointIn(500, 275, rect)).toEqual([0.5, 0.5]);
    expect(pointIn(900, 500, rect)).toEqual([1, 1]);
    // Off the element (a drag past its edge) stays on it.
    expect(pointIn(0, 1000, rect)).toEqual([0, 1]);
    // 1/3 is kept to four places.
    expect(pointIn(100 + 800 / 3, 50, rect)).toEqual([0.3333, 0]);
    expect(pointIn(10, 10, { left: 0, top: 0, width: 0, height: 0 })).toEqual([0, 0]);
  });

  it("measures distances as shares of the picture and in pixels", () => {
    expect(distance([0, 0], [0.3, 0.4])).toBeCloseTo(0.5);
    expect(pixelDistance([0, 0], [0.5, 0.5], 1600, 900)).toBeCloseTo(Math.hypot(800, 450));
  });

  it("tells the sides of a line as seen from a looking at b, y downwards", () => {
    const [a, b]: Point[] = [
      [0, 0.5],
      [1, 0.5],
    ];
    expect(side(a, b, [0.5, 0.9])).toBeGreaterThan(0);
    expect(side(a, b, [0.5, 0.1])).toBeLessThan(0);
    expect(side(a, b, [0.2, 0.5])).toBe(0);
  });

  it("finds segments that cross or touch, and only those", () => {
    expect(segmentsCross([0, 0.5], [1, 0.5], [0.5, 0], [0.5, 1])).toBe(true);
    expect(segmentsCross([0, 0.5], [1, 0.5], [1.5, 0], [1.5, 1])).toBe(false);
    expect(segmentsCross([0, 0.5], [1, 0.5], [0.5, 0.5], [0.5, 1])).toBe(true);
    // On one line but apart.
    expect(segmentsCross([0, 0], [0.2, 0], [0.4, 0], [0.6, 0])).toBe(false);
    // Parallel.
    expect(segmentsCross([0, 0], [1, 0], [0, 0.1], [1, 0.1])).toBe(false);
  });

  it("finds the first two sides of a polygon that cross", () => {
    const square: Point[] = [
      [0.1, 0.1],
      [0.9, 0.1],
      [0.9, 0.9],
      [0.1, 0.9],
    ];
    expect(selfCrossing(square)).toBeNull();
    expect(selfCrossing(square.slice(0, 3))).toBeNull();
    // The server's bow tie: sides 0 and 2 cross.
    expect(
      selfCrossing([
        [0, 0],
        [1, 1],
        [1, 0],
        [0, 0.5],
      ]),
    ).toEqual([0, 2]);
    // A concave polygon does not cross itself.
    expect(
      selfCrossing([
        [0, 0],
        [1, 0],
        [0.5, 0.5],
        [1, 1],
        [0, 1],
      ]),
    ).toBeNull();
    // A side coming back to touch another does.
    expect(
      selfCrossing([
        [0, 0],
        [1, 0],
        [1, 1],
        [0.5, 0],
        [0, 1],
      ]),
    ).not.toBeNull();
  });

  it("measures the area a polygon encloses", () => {
    expect(
      polygonArea([
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ]),
    ).toBeCloseTo(1);
    expect(
      polygonArea([
        [0, 0],
        [0.5, 0.5],
        [1, 1],
      ]),
    ).toBe(0);
  });

  it("compares names trimmed, case ignored, and makes new ones that are free", () => {
    expect(nameKey("  Door ")).toBe("door");
    expect(repeatedName(["Door", "Gate", "door "])).toBe(2);
    expect(repeatedName(["Door", "Gate"])).toBe(-1);
    expect(freshName("Zone", [])).toBe("Zone 1");
    expect(freshName("Zone", ["zone 1", "Zone 3", "Line 2"])).toBe("Zone 2");
    expect(centreOf([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ])).toEqual([0.5, 0.5]);
  });

  it("puts a line's R mark on the side crossings go to in left_to_right, whatever the picture's shape", () => {
    for (const aspect of [16 / 9, 1, 4 / 3]) {
      for (const [a, b] of [
        [
          [0.2, 0.6],
          [0.8, 0.6],
        ],
        [
          [0.5, 0.9],
          [0.5, 0.1],
        ],
        [
          [0.8, 0.2],
          [0.1, 0.7],
        ],
      ] as [Point, Point][]) {
        const marks = directionMarks(a, b, aspect);
        expect(side(a, b, marks.right)).toBeGreaterThan(0);
        expect(side(a, b, marks.left)).toBeLessThan(0);
        // The arrow's tip is the corner nearest b.
        const [tip, ...base] = marks.arrow;
        expect(base.every((p) => distance(tip, b) < distance(p, b))).toBe(true);
      }
    }
    // Across the picture from left to right, R is below the line.
    expect(directionMarks([0.2, 0.5], [0.8, 0.5], 16 / 9).right[1]).toBeGreaterThan(0.5);
  });
});
