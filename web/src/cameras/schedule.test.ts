import { DAYS, SLOTS, emptyGrid, gridOf, onHalfHours, rangesOf, slotOf, timeOf } from "./schedule";

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

  it("shows times between half hours in the half hours they record in, never a short range as a day", () => {
    // 08:00–08:15 is a quarter of an hour, not an overnight range.
    const short = gridOf([{ days: ["mon"], start: "08:00", end: "08:15" }]);
    expect(short[0].filter(Boolean)).toHaveLength(1);
    expect(short[1].some(Boolean)).toBe(false);
    // 08:10–17:45 records in the half hours from 08:00 to 18:00.
    const odd = gridOf([{ days: ["tue"], start: "08:10", end: "17:45" }]);
    expect(rangesOf(odd)).toEqual([{ days: ["tue"], start: "08:00", end: "18:00" }]);
    // The same start and end is the whole day round, as the server reads it.
    expect(gridOf([{ days: ["wed"], start: "06:00", end: "06:00" }]).flat().filter(Boolean)).toHaveLength(48);
    expect(onHalfHours([{ days: ["mon"], start: "08:00", end: "24:00" }])).toBe(true);
    expect(onHalfHours([{ days: ["mon"], start: "08:00", end: "08:15" }])).toBe(false);
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
