// Reading and writing moments typed by people or carried in the address:
// the date/time picker's `YYYY-MM-DDTHH:MM:SS`, RFC 3339, a time of day, or
// "-15m" back from now. Times without a zone are the browser's local time.

import { DAY, HOUR, MINUTE, SECOND } from "./timeline";

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const RELATIVE = /^-\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)$/i;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const UNITS: Record<string, number> = { s: SECOND, sec: SECOND, m: MINUTE, min: MINUTE, h: HOUR, d: DAY };

/// A local date and time, or null when a field is out of range (30 February).
function local(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number | null {
  if (h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(y, mo - 1, d, h, mi, s, ms);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date.getTime();
}

/// The moment `text` names, or null when it names none. A bare time of day
/// is today's, or yesterday's when today's is still to come.
export function parseWhen(text: string, now: number): number | null {
  const s = text.trim();
  if (!s) return null;
  if (s.toLowerCase() === "now") return now;
  let m = RELATIVE.exec(s);
  if (m) return now - Number(m[1]) * UNITS[m[2].toLowerCase()];
  if (ZONED.test(s)) {
    const t = Date.parse(s);
    return Number.isFinite(t) ? t : null;
  }
  m = LOCAL.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, sec, ms] = m;
    return local(+y, +mo, +d, h ? +h : 0, mi ? +mi : 0, sec ? +sec : 0, ms ? +ms.padEnd(3, "0") : 0);
  }
  m = TIME_OF_DAY.exec(s);
  if (m) {
    const today = new Date(now);
    const t = local(today.getFullYear(), today.getMonth() + 1, today.getDate(), +m[1], +m[2], m[3] ? +m[3] : 0);
    if (t === null) return null;
    return t > now ? new Date(t).setDate(new Date(t).getDate() - 1) : t;
  }
  return null;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/// `t` as a date/time picker's value: local `YYYY-MM-DDTHH:MM:SS`.
export function toPickerValue(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/// `t` for people: local `YYYY-MM-DD HH:MM:SS`, with milliseconds when asked.
export function formatWhen(t: number, millis = false): string {
  const d = new Date(t);
  const base = toPickerValue(t).replace("T", " ");
  return millis ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}
