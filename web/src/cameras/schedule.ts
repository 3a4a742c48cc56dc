// The weekly recording schedule as a grid of half hours (7 days × 48), the
// way the editor shows it, and back to the API's ranges
// (`ScheduleRange` of the generated SDK types: days it starts on,
// local `HH:MM` start and end, an end not after the start running
// overnight).

import type { components } from "@techno-vms/sdk/schema";

export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Day = (typeof DAYS)[number];
/// Half hours in a day.
export const SLOTS = 48;

/// One weekly range of a schedule, in the site's local time.
export type ScheduleRange = components["schemas"]["ScheduleRange"];

/// The week as 7 × 48 booleans, Monday first.
export type Grid = boolean[][];

export function emptyGrid(): Grid {
  return DAYS.map(() => new Array<boolean>(SLOTS).fill(false));
}

/// "07:30" → 450 (minutes since midnight); "24:00" → 1440; null when it is none.
export function minutesOf(time: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (minutes > 24 * 60 || Number(m[2]) > 59) return null;
  return minutes;
}

/// "07:30" → 15 (half hours since midnight; a time between half hours
/// falls in the one it is in); "24:00" → 48; null when it is none.
export function slotOf(time: string): number | null {
  const minutes = minutesOf(time);
  return minutes === null ? null : Math.floor(minutes / 30);
}

/// Whether every time of `ranges` is on a half hour, so the grid shows them exactly.
export function onHalfHours(ranges: ScheduleRange[]): boolean {
  return ranges.every((r) => [r.start, r.end].every((t) => (minutesOf(t) ?? 0) % 30 === 0));
}

/// 15 → "07:30".
export function timeOf(slot: number): string {
  return `${String(Math.floor(slot / 2)).padStart(2, "0")}:${slot % 2 ? "30" : "00"}`;
}

/// The grid the ranges cover: every half hour they record in any part of
/// (the editor's grain; see [`onHalfHours`]). A range whose end is not
/// after its start runs overnight into the next day.
export function gridOf(ranges: ScheduleRange[]): Grid {
  const grid = emptyGrid();
  for (const range of ranges) {
    const from = minutesOf(range.start);
    const to = minutesOf(range.end);
    if (from === null || to === null) continue;
    const start = Math.floor(from / 30);
    // Overnight, as the server reads it, when the end is not after the start.
    const end = Math.ceil((to > from ? to : to + 24 * 60) / 30);
    for (const name of range.days) {
      const day = DAYS.indexOf(name as Day);
      if (day < 0) continue;
      const length = end - start;
      for (let i = 0; i < length; i += 1) {
        const at = start + i;
        grid[(day + Math.floor(at / SLOTS)) % 7][at % SLOTS] = true;
      }
    }
  }
  return grid;
}

/// The ranges of a grid: one per run of half hours within a day, days with
/// the same runs sharing a range.
export function rangesOf(grid: Grid): ScheduleRange[] {
  const byRun = new Map<string, string[]>();
  grid.forEach((slots, day) => {
    let from: number | null = null;
    for (let slot = 0; slot <= SLOTS; slot += 1) {
      const on = slot < SLOTS && slots[slot];
      if (on && from === null) from = slot;
      if (!on && from !== null) {
        const key = `${timeOf(from)}-${timeOf(slot)}`;
        byRun.set(key, [...(byRun.get(key) ?? []), DAYS[day]]);
        from = null;
      }
    }
  });
  return [...byRun.entries()].map(([key, days]) => {
    const [start, end] = key.split("-");
    return { days, start, end };
  });
}
