// The events screen's filters: read from and written to its address (so a
// filtered view can be reloaded and shared), turned into the search's query,
// and applied to live events as the server applies them to a search
// (`vms_catalog::event::search::EventFilter`).

import type { EventView } from "../api/types";
import { parseWhen } from "../playback/when";

export interface EventFilter {
  cameras: string[];
  sites: string[];
  types: string[];
  labels: string[];
  zones: string[];
  /// Epoch ms: events going on at or after it.
  start: number | null;
  /// Epoch ms: events that started before it.
  end: number | null;
  /// Text in the type, the label or the camera's name.
  q: string;
  /// Only events with a snapshot.
  snapshot: boolean;
}

export const NO_FILTER: EventFilter = {
  cameras: [],
  sites: [],
  types: [],
  labels: [],
  zones: [],
  start: null,
  end: null,
  q: "",
  snapshot: false,
};

/// Longest list value the server takes (bytes of UTF-8).
const MAX_WORD_BYTES = 200;

/// Splits "person, north gate" at its commas, trimmed, dropping blanks and
/// repeats: a zone or tag may have spaces, never a comma (the lists are comma-separated).
export function words(text: string): string[] {
  return [...new Set(text.split(",").map((w) => w.trim()).filter((w) => w !== ""))];
}

/// The values of `list` the server would refuse (too long), to say so before asking.
export function badWords(list: string[]): string[] {
  return list.filter((w) => new TextEncoder().encode(w).length > MAX_WORD_BYTES);
}

/// The filter an address names (`?camera=…&type=motion&start=…`).
export function parseFilter(search: string | URLSearchParams, now: number): EventFilter {
  const query = typeof search === "string" ? new URLSearchParams(search) : search;
  const list = (key: string) => [...new Set(query.getAll(key).flatMap(words))];
  const when = (key: string) => {
    const text = query.get(key);
    return text ? parseWhen(text, now) : null;
  };
  return {
    cameras: list("camera"),
    sites: list("site"),
    types: list("type"),
    labels: list("label"),
    zones: list("zone"),
    start: when("start"),
    end: when("end"),
    q: query.get("q") ?? "",
    snapshot: query.get("snapshot") === "1",
  };
}

/// The address's query (with its `?`) for `filter`; empty for no filter.
export function filterSearch(filter: EventFilter): string {
  const query = new URLSearchParams();
  filter.cameras.forEach((c) => query.append("camera", c));
  filter.sites.forEach((s) => query.append("site", s));
  filter.types.forEach((t) => query.append("type", t));
  filter.labels.forEach((l) => query.append("label", l));
  filter.zones.forEach((z) => query.append("zone", z));
  if (filter.start !== null) query.set("start", new Date(filter.start).toISOString());
  if (filter.end !== null) query.set("end", new Date(filter.end).toISOString());
  if (filter.q.trim()) query.set("q", filter.q.trim());
  if (filter.snapshot) query.set("snapshot", "1");
  const text = query.toString();
  return text ? `?${text}` : "";
}

/// The search's query for `filter` (`GET /api/events`), from `cursor` on.
export function searchQuery(filter: EventFilter, limit: number, cursor?: string): URLSearchParams {
  const query = new URLSearchParams();
  const list = (key: string, values: string[]) => values.length > 0 && query.set(key, values.join(","));
  list("cameras", filter.cameras);
  list("sites", filter.sites);
  list("types", filter.types);
  list("labels", filter.labels);
  list("zones", filter.zones);
  if (filter.start !== null) query.set("start", new Date(filter.start).toISOString());
  if (filter.end !== null) query.set("end", new Date(filter.end).toISOString());
  if (filter.q.trim()) query.set("q", filter.q.trim());
  if (filter.snapshot) query.set("has_snapshot", "true");
  query.set("limit", String(limit));
  if (cursor) query.set("cursor", cursor);
  return query;
}

/// Whether a live event belongs in the list `filter` shows, by the same
/// rules as the server's search.
export function matches(event: EventView, filter: EventFilter): boolean {
  const label = typeof event.attributes?.label === "string" ? event.attributes.label : null;
  const zones = Array.isArray(event.attributes?.zones) ? event.attributes.zones.filter((z) => typeof z === "string") : [];
  const start = Date.parse(event.start);
  const end = event.end ? Date.parse(event.end) : Infinity;
  const q = filter.q.trim().toLowerCase();
  const holds = (text: string | null) => text !== null && text.toLowerCase().includes(q);
  return (
    (filter.cameras.length === 0 || (event.camera_id != null && filter.cameras.includes(event.camera_id))) &&
    (filter.sites.length === 0 || (event.site_id != null && filter.sites.includes(event.site_id))) &&
    (filter.types.length === 0 || filter.types.includes(event.type)) &&
    (filter.labels.length === 0 || (label !== null && filter.labels.includes(label))) &&
    (filter.zones.length === 0 || zones.some((z) => filter.zones.includes(z))) &&
    (filter.start === null || end >= filter.start) &&
    (filter.end === null || start < filter.end) &&
    (!filter.snapshot || event.has_snapshot) &&
    (q === "" || holds(event.type) || holds(label) || holds(event.camera_name ?? null))
  );
}

/// Puts `event` into `list` (newest first by start, then id): replaces the
/// same id, else inserts it in order. One older than all of `list` joins
/// only when `complete` (no older page is still to load, where it would
/// come again). Returns a new list.
export function upsert(list: EventView[], event: EventView, complete = true): EventView[] {
  const rest = list.filter((e) => e.id !== event.id);
  const start = Date.parse(event.start);
  const newer = (e: EventView) => {
    const other = Date.parse(e.start);
    return other < start || (other === start && e.id < event.id);
  };
  const at = rest.findIndex(newer);
  if (at === -1) return complete || rest.length < list.length ? [...rest, event] : rest;
  return [...rest.slice(0, at), event, ...rest.slice(at)];
}
