// Layouts: a grid size and which camera sits in each tile. The standard
// grids are 1, 4, 9 and 16 tiles; custom layouts are saved per user on the
// server (`/api/layouts`).

export const GRID_SIZES = [1, 4, 9, 16] as const;

/// A grid of `size` tiles, filled from `cameras` in order where `previous` left gaps.
export function grid(size: number, cameras: string[], previous: (string | null)[] = []): (string | null)[] {
  const cells: (string | null)[] = Array.from({ length: size }, (_, i) => previous[i] ?? null);
  const placed = new Set(cells.filter(Boolean));
  const spare = cameras.filter((c) => !placed.has(c));
  return cells.map((c) => c ?? spare.shift() ?? null);
}

/// Puts `camera` into tile `index`; if it was shown elsewhere, the two tiles swap.
export function place(cells: (string | null)[], index: number, camera: string): (string | null)[] {
  const next = [...cells];
  const from = next.indexOf(camera);
  if (from >= 0) next[from] = next[index];
  next[index] = camera;
  return next;
}

/// Columns of a grid of `size` tiles.
export function columns(size: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(size)));
}

/// The smallest standard grid that holds `count` tiles (16 at most).
export function sizeFor(count: number): number {
  return GRID_SIZES.find((s) => s >= count) ?? GRID_SIZES[GRID_SIZES.length - 1];
}
