// One event in the list: its snapshot, what happened, where and when, and
// what the operator can do with it (acknowledge, play from here, details).

import { useState } from "react";
import { Link } from "react-router-dom";

import type { EventView } from "../api/types";
import { useApp } from "../app/context";
import { Permission, holdsOnCamera } from "../app/permissions";
import { Problem } from "../components/Feedback";
import { playbackSearch } from "../playback/url";
import { formatWhen } from "../playback/when";
import { EventSnapshot } from "./EventSnapshot";
import { attributeText, duration, headline, score, where } from "./describe";

/// How long before an event "play from here" starts, to show what led to it.
export const LEAD_MS = 5000;

/// The playback address that shows `event` from a little before it began.
export function playbackOf(event: EventView): string {
  return `/playback${playbackSearch({ cameras: [event.camera_id!], at: Date.parse(event.start) - LEAD_MS })}`;
}

export interface EventRowProps {
  event: EventView;
  /// Arrived live since the list was searched.
  fresh: boolean;
  onAcknowledged: (event: EventView) => void;
}

export function EventRow({ event, fresh, onAcknowledged }: EventRowProps) {
  const { api, me } = useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const archive =
    event.camera_id != null &&
    holdsOnCamera(me, Permission.ViewArchive, { id: event.camera_id, site_id: event.site_id ?? "" });
  const confidence = score(event);
  const places = where(event);

  const acknowledge = async () => {
    setBusy(true);
    setError(null);
    try {
      onAcknowledged(await api.acknowledgeEvent(event.id));
    } catch (e) {
      setError(`Cannot acknowledge: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className={`event${fresh ? " fresh" : ""}${event.acknowledged_at ? " acknowledged" : ""}`} data-event={event.id} data-type={event.type}>
      <EventSnapshot event={event} allowed={archive} />
      <div className="what">
        <div className="headline">
          <strong>{headline(event)}</strong>
          {confidence && <span className="score">{confidence}</span>}
          {!event.end && <span className="ongoing">ongoing</span>}
        </div>
        <div className="where">
          {event.camera_name ?? "No camera"}
          {event.site_name && <span className="site"> · {event.site_name}</span>}
          {places.length > 0 && <span> · {places.join(" · ")}</span>}
        </div>
        <div className="when">
          <time dateTime={event.start}>{formatWhen(Date.parse(event.start))}</time>
          {event.end && <span> · {duration(event)}</span>}
        </div>
        <Problem>{error}</Problem>
      </div>
      <div className="actions">
        {event.acknowledged_at ? (
          <span className="acked" title={formatWhen(Date.parse(event.acknowledged_at))}>
            Acknowledged
          </span>
        ) : (
          <button type="button" onClick={acknowledge} disabled={busy}>
            Acknowledge
          </button>
        )}
        {archive && (
          <Link className="button" to={playbackOf(event)}>
            Play from here
          </Link>
        )}
        <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          Details
        </button>
      </div>
      {open && (
        <dl className="details">
          {details(event).map(([key, value], i) => (
            <div key={i}>
              <dt>{key}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </li>
  );
}

/// The details list: type, id, why there is no picture, then every attribute.
function details(event: EventView): [string, string][] {
  const rows: [string, string][] = [
    ["type", event.type],
    ["id", event.id],
  ];
  if (event.snapshot_error) rows.push(["snapshot", event.snapshot_error]);
  for (const [key, value] of Object.entries(event.attributes ?? {})) rows.push([key, attributeText(value)]);
  return rows;
}
