// Events in words an operator reads at a glance: "Person 87 %", "Camera
// offline", "Door forced" for an integration's own type.

import type { EventView } from "../api/types";

const NAMES: Record<string, string> = {
  motion: "Motion",
  object: "Object",
  camera_offline: "Camera offline",
  zone_enter: "Entered zone",
  zone_leave: "Left zone",
  line_crossed: "Line crossed",
  loitering: "Loitering",
  recording_alert: "Recording alert",
};

/// Event types the VMS itself produces, offered as filter suggestions.
export const KNOWN_TYPES = Object.keys(NAMES);

/// "door_forced" → "Door forced".
export function humanize(word: string): string {
  const spaced = word.replace(/[_-]+/g, " ").trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/// What happened: the label for objects, else the type's name.
export function headline(event: EventView): string {
  const label = typeof event.attributes?.label === "string" ? event.attributes.label : null;
  const name = NAMES[event.type] ?? humanize(event.type);
  if (event.type === "object" && label) return humanize(label);
  if (label) return `${name}: ${humanize(label)}`;
  return name;
}

/// The confidence, as "87 %", when the source gave one (0–1).
export function score(event: EventView): string | null {
  const s = event.attributes?.score;
  return typeof s === "number" && Number.isFinite(s) && s >= 0 && s <= 1 ? `${Math.round(s * 100)} %` : null;
}

/// "12 s", "3 min 5 s"; "ongoing" while it has no end.
export function duration(event: EventView): string {
  return event.end ? span(event.start, event.end) : "ongoing";
}

/// How long from `start` to `end` (RFC 3339): "12 s", "3 min 5 s", "1 h 2 min", "2 d 3 h".
export function span(start: string, end: string): string {
  const secs = Math.max(0, Math.round((Date.parse(end) - Date.parse(start)) / 1000));
  if (secs < 60) return `${secs} s`;
  if (secs < 3600) return `${Math.floor(secs / 60)} min ${secs % 60} s`;
  if (secs < 86400) return `${Math.floor(secs / 3600)} h ${Math.floor((secs % 3600) / 60)} min`;
  return `${Math.floor(secs / 86400)} d ${Math.floor((secs % 86400) / 3600)} h`;
}

/// The zones it happened in, the line it crossed and which way, as words.
export function where(event: EventView): string[] {
  const parts: string[] = [];
  const zones = event.attributes?.zones;
  if (Array.isArray(zones)) {
    const names = zones.filter((z): z is string => typeof z === "string");
    if (names.length > 0) parts.push(`zone ${names.join(", ")}`);
  }
  const line = event.attributes?.line;
  if (typeof line === "string") {
    const direction = event.attributes?.direction;
    parts.push(typeof direction === "string" ? `line ${line} (${direction})` : `line ${line}`);
  }
  return parts;
}

/// An attribute's value for the details list: text as is, the rest as JSON.
export function attributeText(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
