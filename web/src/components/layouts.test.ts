import { columns, grid, place, sizeFor } from "./layouts";

describe("layouts", () => {
  it("fills empty tiles with cameras not shown yet", () => {
    expect(grid(4, ["a", "b", "c"])).toEqual(["a", "b", "c", null]);
    expect(grid(4, ["a", "b", "c"], [null, "c"])).toEqual(["a", "c", "b", null]);
    expect(grid(1, ["a", "b"], ["b", "a"])).toEqual(["b"]);
  });

  it("swaps tiles when a shown camera is dropped elsewhere", () => {
    expect(place(["a", "b", null, null], 1, "a")).toEqual(["b", "a", null, null]);
    expect(place(["a", "b", null, null], 3, "c")).toEqual(["a", "b", null, "c"]);
  });

  it("lays tiles out in square grids", () => {
    expect([1, 4, 9, 16].map(columns)).toEqual([1, 2, 3, 4]);
  });

  it("picks the smallest grid that holds the cameras", () => {
    expect([0, 1, 2, 4, 5, 10, 16, 40].map(sizeFor)).toEqual([1, 1, 4, 4, 9, 16, 16, 16]);
  });
});
