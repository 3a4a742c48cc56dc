import { formatWhen, parseWhen, toPickerValue } from "./when";

const NOW = new Date(2026, 10, 21, 14, 30, 0).getTime();

describe("the date/time picker's parsing", () => {
  it("reads the picker's local date and time", () => {
    expect(parseWhen("2026-11-20T09:05:07", NOW)).toBe(new Date(2026, 10, 20, 9, 5, 7).getTime());
    expect(parseWhen("2026-11-20T09:05", NOW)).toBe(new Date(2026, 10, 20, 9, 5).getTime());
    expect(parseWhen("2026-11-20 09:05:07.25", NOW)).toBe(new Date(2026, 10, 20, 9, 5, 7, 250).getTime());
    expect(parseWhen("2026-11-20", NOW)).toBe(new Date(2026, 10, 20).getTime());
  });

  it("reads RFC 3339 with its zone", () => {
    expect(parseWhen("2026-11-21T12:00:00Z", NOW)).toBe(Date.UTC(2026, 10, 21, 12));
    expect(parseWhen("2026-11-21T12:00:00.500+02:00", NOW)).toBe(Date.UTC(2026, 10, 21, 10, 0, 0, 500));
  });

  it("reads a time of day as the latest one that has passed", () => {
    expect(parseWhen("09:15", NOW)).toBe(new Date(2026, 10, 21, 9, 15).getTime());
    expect(parseWhen("16:00:30", NOW)).toBe(new Date(2026, 10, 20, 16, 0, 30).getTime());
  });

  it("reads a time back from now", () => {
    expect(parseWhen("-15m", NOW)).toBe(NOW - 15 * 60_000);
    expect(parseWhen("-2h", NOW)).toBe(NOW - 2 * 3_600_000);
    expect(parseWhen("- 1.5 d", NOW)).toBe(NOW - 1.5 * 86_400_000);
    expect(parseWhen("-30s", NOW)).toBe(NOW - 30_000);
    expect(parseWhen("now", NOW)).toBe(NOW);
  });

  it("refuses what names no moment", () => {
    for (const text of ["", "  ", "yesterday", "2026-02-30T10:00", "2026-13-01", "24:00", "12:60", "2026-11-21T10:00:61", "+5m"]) {
      expect(parseWhen(text, NOW)).toBeNull();
    }
  });

  it("writes the picker's value and the time shown, and reads them back", () => {
    const t = new Date(2026, 0, 2, 3, 4, 5, 67).getTime();
    expect(toPickerValue(t)).toBe("2026-01-02T03:04:05");
    expect(formatWhen(t)).toBe("2026-01-02 03:04:05");
    expect(formatWhen(t, true)).toBe("2026-01-02 03:04:05.067");
    expect(parseWhen(toPickerValue(t), NOW)).toBe(t - 67);
    expect(parseWhen(formatWhen(t, true), NOW)).toBe(t);
  });
});
