import { DAYS, SLOTS, emptyGrid, gridOf, rangesOf, slotOf, timeOf } from "./schedule";

describe("the weekly schedule grid", () => {
  it("reads and writes times in half hours", () => {
    expect([slotOf("00:00"), slotOf("07:30"), slotOf("07:45"), slotOf("24:00"), slotOf("25:00"), slotOf("7:30")]).toEqual([0, 15, 15, 48, null, null]);
    expect([timeOf(0), timeOf(15), timeOf(48)]).toEqual(["00:00", "07:30", "24:00"]);
  });

  it("turns ranges into the grid, overnight ones into the next morning", () => {
    const grid = gridOf([
      { days: ["mon", "tue"], start: "08:00", end: "17:30" },
      { days: ["sun"], start: "22:00", end: "06:00" },
    ]);
    expect(grid[1].filter(Boolean)).toHaveLength(19);
    // Monday: its own 8:00–17:30 and Sunday night's last six hours.
    expect(grid[0].filter(Boolean)).toHaveLength(19 + 12);
    expect(grid[0][16] && grid[0][34] && !grid[0][35] && !grid[0][15]).toBe(true);
    // Sunday night runs into Monday morning.
    expect(grid[6][44] && grid[6][47] && grid[0][0] && grid[0][11] && !grid[0][12]).toBe(true);
  });

  it("writes back the ranges it read, days sharing their runs", () => {
    const ranges = [
      { days: ["mon", "tue", "wed", "thu", "fri"], start: "08:00", end: "18:00" },
      { days: ["sat"], start: "00:00", end: "24:00" },
    ];
    expect(rangesOf(gridOf(ranges))).toEqual(ranges);
    const grid = emptyGrid();
    grid[2][0] = grid[2][1] = grid[2][47] = true;
    expect(rangesOf(grid)).toEqual([
      { days: ["wed"], start: "00:00", end: "01:00" },
      { days: ["wed"], start: "23:30", end: "24:00" },
    ]);
    expect(rangesOf(emptyGrid())).toEqual([]);
    expect(DAYS).toHaveLength(7);
    expect(SLOTS).toBe(48);
  });
});
