// The weekly schedule editor: a week of half hours; pressing a cell and
// dragging paints (or clears, starting from a painted cell) the cells
// passed over. Presets cover the common weeks, and the ranges are written
// out in words below for keyboards and screen readers.

import { useRef } from "react";

import { DAYS, type Grid, SLOTS, emptyGrid, gridOf, rangesOf, timeOf } from "./schedule";

const DAY_NAMES: Record<string, string> = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" };

export function ScheduleEditor({ grid, onChange }: { grid: Grid; onChange: (grid: Grid) => void }) {
  const painting = useRef<boolean | null>(null);

  const paint = (day: number, slot: number) => {
    if (painting.current === null || grid[day][slot] === painting.current) return;
    const next = grid.map((row) => [...row]);
    next[day][slot] = painting.current;
    onChange(next);
  };
  const preset = (ranges: { days: string[]; start: string; end: string }[]) => onChange(gridOf(ranges));

  return (
    <div className="schedule" onPointerUp={() => (painting.current = null)} onPointerLeave={() => (painting.current = null)}>
      <div className="presets">
        <button type="button" onClick={() => preset([{ days: [...DAYS], start: "00:00", end: "24:00" }])}>
          Every day, all day
        </button>
        <button type="button" onClick={() => preset([{ days: ["mon", "tue", "wed", "thu", "fri"], start: "08:00", end: "18:00" }])}>
          Weekdays 08:00–18:00
        </button>
        <button type="button" onClick={() => preset([{ days: [...DAYS], start: "18:00", end: "08:00" }])}>
          Nights 18:00–08:00
        </button>
        <button type="button" onClick={() => onChange(emptyGrid())}>
          Clear
        </button>
      </div>
      <div className="week" role="img" aria-label="Weekly schedule: drag over the half hours to record">
        <div className="hours" aria-hidden="true">
          <span />
          {Array.from({ length: 24 }, (_, h) => (
            <span key={h}>{h % 3 === 0 ? String(h).padStart(2, "0") : ""}</span>
          ))}
        </div>
        {DAYS.map((day, d) => (
          <div key={day} className="day" data-day={day}>
            <span className="name">{DAY_NAMES[day].slice(0, 3)}</span>
            {Array.from({ length: SLOTS }, (_, s) => (
              <span
                key={s}
                className={`slot${grid[d][s] ? " on" : ""}`}
                data-slot={s}
                title={`${DAY_NAMES[day]} ${timeOf(s)}–${timeOf(s + 1)}`}
                onPointerDown={(e) => {
                  e.preventDefault();
                  painting.current = !grid[d][s];
                  paint(d, s);
                }}
                onPointerEnter={() => paint(d, s)}
              />
            ))}
          </div>
        ))}
      </div>
      <ul className="ranges" aria-label="Recorded times">
        {rangesOf(grid).map((r) => (
          <li key={`${r.days.join()}-${r.start}`}>
            {r.days.map((d) => DAY_NAMES[d]).join(", ")}: {r.start}–{r.end}
          </li>
        ))}
      </ul>
    </div>
  );
}
