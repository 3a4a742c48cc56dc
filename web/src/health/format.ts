// Figures of the health screen in words: sizes, ages, how far back the
// archive reaches.

/// "1.5 GB", "820 MB", "12 KB".
export function bytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/// How long ago `then` (epoch ms) was: "4 s", "12 min", "3 h", "9 days".
export function age(then: number, now: number): string {
  const secs = Math.max(0, Math.round((now - then) / 1000));
  if (secs < 60) return `${secs} s`;
  if (secs < 3600) return `${Math.floor(secs / 60)} min`;
  if (secs < 86400) return `${Math.floor(secs / 3600)} h`;
  const days = Math.floor(secs / 86400);
  return `${days} day${days === 1 ? "" : "s"}`;
}

/// The share of `part` in `whole`, 0 to 1 (0 for an empty whole).
export function share(part: number, whole: number): number {
  return whole > 0 ? Math.min(1, Math.max(0, part / whole)) : 0;
}
