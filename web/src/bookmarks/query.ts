// The bookmarks screen's address: the search (`q`, `tag` repeated, `camera`
// repeated, `locked=1`) and, with `new=1`, a bookmark being written for the
// cameras and the `start`–`end` range it names (how playback hands over the
// moment it shows).

import { words } from "../events/filter";
import { parseWhen } from "../playback/when";

export interface BookmarkSearch {
  q: string;
  tags: string[];
  cameras: string[];
  locked: boolean;
}

/// A bookmark the address asks to write.
export interface BookmarkDraft {
  cameras: string[];
  /// Epoch ms, or null when the address names none.
  start: number | null;
  end: number | null;
}

export function parseBookmarkSearch(search: string | URLSearchParams): BookmarkSearch {
  const query = typeof search === "string" ? new URLSearchParams(search) : search;
  return {
    q: query.get("q") ?? "",
    tags: [...new Set(query.getAll("tag").flatMap(words))],
    cameras: [...new Set(query.getAll("camera").filter(Boolean))],
    locked: query.get("locked") === "1",
  };
}

/// The draft the address asks for, or null.
export function parseDraft(search: string | URLSearchParams, now: number): BookmarkDraft | null {
  const query = typeof search === "string" ? new URLSearchParams(search) : search;
  if (query.get("new") !== "1") return null;
  const when = (key: string) => {
    const text = query.get(key);
    return text ? parseWhen(text, now) : null;
  };
  return { cameras: [...new Set(query.getAll("camera").filter(Boolean))], start: when("start"), end: when("end") };
}

/// The address's query (with its `?`) for a search.
export function bookmarkSearch(search: BookmarkSearch): string {
  const query = new URLSearchParams();
  if (search.q.trim()) query.set("q", search.q.trim());
  search.tags.forEach((t) => query.append("tag", t));
  search.cameras.forEach((c) => query.append("camera", c));
  if (search.locked) query.set("locked", "1");
  const text = query.toString();
  return text ? `?${text}` : "";
}

/// The address that opens the form for `cameras` over `start`–`end`.
export function newBookmarkAddress(cameras: string[], start: number, end: number): string {
  const query = new URLSearchParams({ new: "1" });
  cameras.forEach((c) => query.append("camera", c));
  query.set("start", new Date(start).toISOString());
  query.set("end", new Date(end).toISOString());
  return `/bookmarks?${query}`;
}

/// The API's query (`GET /api/bookmarks`) for a search, from `cursor` on.
export function apiQuery(search: BookmarkSearch, limit: number, cursor?: string): URLSearchParams {
  const query = new URLSearchParams();
  if (search.q.trim()) query.set("q", search.q.trim());
  if (search.tags.length > 0) query.set("tags", search.tags.join(","));
  if (search.cameras.length > 0) query.set("cameras", search.cameras.join(","));
  if (search.locked) query.set("locked", "true");
  query.set("limit", String(limit));
  if (cursor) query.set("cursor", cursor);
  return query;
}
