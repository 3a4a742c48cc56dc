// The filter bar of the events screen: camera, site, type, label, zone, a
// time window, text, and "with snapshot". Edits stay in the form until
// applied, so typing does not search on every key.

import { useEffect, useState } from "react";

import type { Camera, Site } from "../api/types";
import { Problem } from "../components/Feedback";
import { toPickerValue } from "../playback/when";
import { KNOWN_TYPES } from "./describe";
import { type EventFilter, NO_FILTER, badWords, words } from "./filter";

interface Draft {
  camera: string;
  site: string;
  types: string;
  labels: string;
  zones: string;
  start: string;
  end: string;
  q: string;
  snapshot: boolean;
}

function draftOf(filter: EventFilter): Draft {
  return {
    camera: filter.cameras.length === 1 ? filter.cameras[0] : "",
    site: filter.sites.length === 1 ? filter.sites[0] : "",
    types: filter.types.join(", "),
    labels: filter.labels.join(", "),
    zones: filter.zones.join(", "),
    start: filter.start === null ? "" : toPickerValue(filter.start),
    end: filter.end === null ? "" : toPickerValue(filter.end),
    q: filter.q,
    snapshot: filter.snapshot,
  };
}

/// The filter a draft stands for, or what is wrong with it.
export function filterOf(draft: Draft, before: EventFilter): EventFilter | string {
  const types = words(draft.types);
  const labels = words(draft.labels);
  const zones = words(draft.zones);
  const bad = badWords([...types, ...labels, ...zones]);
  if (bad.length > 0) return `Types, labels and zones are at most 200 bytes each: not ${bad.map((b) => `${b.slice(0, 20)}…`).join(", ")}`;
  // A picker's value is local time; an empty one means no bound.
  const time = (text: string) => (text ? new Date(text).getTime() : null);
  const start = time(draft.start);
  const end = time(draft.end);
  if ((start !== null && !Number.isFinite(start)) || (end !== null && !Number.isFinite(end))) return "That is not a date and time";
  if (start !== null && end !== null && end <= start) return "The end must come after the start";
  return {
    // A list of several cameras from the address stays until another is picked.
    cameras: draft.camera ? [draft.camera] : before.cameras.length > 1 ? before.cameras : [],
    sites: draft.site ? [draft.site] : before.sites.length > 1 ? before.sites : [],
    types,
    labels,
    zones,
    start,
    end,
    q: draft.q.trim(),
    snapshot: draft.snapshot,
  };
}

export interface EventFiltersProps {
  filter: EventFilter;
  cameras: Camera[];
  sites: Site[];
  onApply: (filter: EventFilter) => void;
}

export function EventFilters({ filter, cameras, sites, onApply }: EventFiltersProps) {
  const [draft, setDraft] = useState(() => draftOf(filter));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setDraft(draftOf(filter)), [filter]);
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    const next = filterOf(draft, filter);
    if (typeof next === "string") {
      setProblem(next);
      return;
    }
    setProblem(null);
    onApply(next);
  };

  return (
    <form className="event-filters" aria-label="Event filters" onSubmit={apply}>
      <label>
        Camera
        <select value={draft.camera} onChange={(e) => set("camera")(e.target.value)}>
          <option value="">{filter.cameras.length > 1 ? `${filter.cameras.length} cameras` : "All cameras"}</option>
          {cameras.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {sites.length > 1 && (
        <label>
          Site
          <select value={draft.site} onChange={(e) => set("site")(e.target.value)}>
            <option value="">All sites</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Type
        <input list="event-types" value={draft.types} placeholder="any" onChange={(e) => set("types")(e.target.value)} />
        <datalist id="event-types">
          {KNOWN_TYPES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </label>
      <label>
        Label
        <input value={draft.labels} placeholder="person, car" onChange={(e) => set("labels")(e.target.value)} />
      </label>
      <label>
        Zone
        <input value={draft.zones} placeholder="any" onChange={(e) => set("zones")(e.target.value)} />
      </label>
      <label>
        From
        <input type="datetime-local" step="1" value={draft.start} onChange={(e) => set("start")(e.target.value)} />
      </label>
      <label>
        To
        <input type="datetime-local" step="1" value={draft.end} onChange={(e) => set("end")(e.target.value)} />
      </label>
      <label>
        Text
        <input type="search" value={draft.q} maxLength={200} placeholder="type, label or camera" onChange={(e) => set("q")(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={draft.snapshot} onChange={(e) => set("snapshot")(e.target.checked)} />
        With snapshot
      </label>
      <button type="submit" className="primary">
        Search
      </button>
      <button type="button" onClick={() => onApply(NO_FILTER)}>
        Clear
      </button>
      <Problem>{problem}</Problem>
    </form>
  );
}
