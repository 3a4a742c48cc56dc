// Digital zoom: a scale and an offset (in fractions of the tile), kept so
// the zoomed picture always covers the tile.

export interface Zoom {
  scale: number;
  /// Translation in tile widths/heights, applied before scaling.
  x: number;
  y: number;
}

export const NO_ZOOM: Zoom = { scale: 1, x: 0, y: 0 };
export const MAX_SCALE = 8;

/// Keeps the picture covering the tile at this scale.
export function clamp(z: Zoom): Zoom {
  const scale = Math.min(MAX_SCALE, Math.max(1, z.scale));
  const limit = (1 - 1 / scale) / 2;
  // `+ 0` turns -0 into 0.
  const bound = (v: number) => Math.min(limit, Math.max(-limit, v)) + 0;
  return { scale, x: bound(z.x), y: bound(z.y) };
}

/// Zooms by `factor` around the point (`px`, `py`), in fractions of the tile
/// from its top-left corner, so that point stays under the pointer.
export function zoomAt(z: Zoom, factor: number, px: number, py: number): Zoom {
  const scale = Math.min(MAX_SCALE, Math.max(1, z.scale * factor));
  // The picture point under the pointer, in tile fractions centred on 0.
  const cx = px - 0.5;
  const cy = py - 0.5;
  const ux = cx / z.scale - z.x;
  const uy = cy / z.scale - z.y;
  return clamp({ scale, x: cx / scale - ux, y: cy / scale - uy });
}

/// Pans by a pointer move of (`dx`, `dy`) tile fractions.
export function pan(z: Zoom, dx: number, dy: number): Zoom {
  return clamp({ ...z, x: z.x + dx / z.scale, y: z.y + dy / z.scale });
}

/// The CSS transform for a zoom.
export function transform(z: Zoom): string {
  return `scale(${z.scale}) translate(${(z.x * 100).toFixed(3)}%, ${(z.y * 100).toFixed(3)}%)`;
}
