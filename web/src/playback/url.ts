// The playback screen's address: its cameras (`camera` repeats, in tile
// order, at most 16), the moment (`at`, RFC 3339 or anything `parseWhen`
// reads) and the speed (`speed`, 1 when left out). A reload or a shared
// link opens the same cameras at the same moment.

import { SPEEDS } from "./clock";
import { parseWhen } from "./when";

/// Most tiles a playback layout has.
export const MAX_TILES = 16;

export interface PlaybackAddress {
  cameras: string[];
  /// Epoch ms, or null when the address names no (valid) moment.
  at: number | null;
  speed: number;
}

export function parsePlaybackSearch(search: string | URLSearchParams, now: number): PlaybackAddress {
  const query = typeof search === "string" ? new URLSearchParams(search) : search;
  const cameras = [...new Set(query.getAll("camera").filter(Boolean))].slice(0, MAX_TILES);
  const at = query.get("at");
  const speed = Number(query.get("speed") ?? 1);
  return {
    cameras,
    at: at ? parseWhen(at, now) : null,
    speed: (SPEEDS as readonly number[]).includes(speed) ? speed : 1,
  };
}

/// The query (with its `?`) of a playback address.
export function playbackSearch({ cameras, at, speed }: { cameras: string[]; at?: number | null; speed?: number }): string {
  const query = new URLSearchParams();
  cameras.forEach((c) => query.append("camera", c));
  if (at !== undefined && at !== null) query.set("at", new Date(at).toISOString());
  if (speed !== undefined && speed !== 1) query.set("speed", String(speed));
  const text = query.toString();
  return text ? `?${text}` : "";
}
