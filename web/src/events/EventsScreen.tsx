// The events screen: the search over stored events with its filters in the
// address, newest first with infinite scroll, and live events from the
// app's one shared feed arriving at the top as they happen.

import { useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";

import type { Camera, Site } from "../api/types";
import { useApp } from "../app/context";
import { useLiveEventsStatus } from "../app/events";
import { EventFilters } from "./EventFilters";
import { EventRow } from "./EventRow";
import { type EventFilter, filterSearch, parseFilter } from "./filter";
import { useEventSearch } from "./useEventSearch";

const STATUS_WORDS = {
  off: "Live updates off",
  connecting: "Connecting…",
  open: "Live",
  closed: "Reconnecting…",
  refused: "No live updates for this login: sign in again",
} as const;

export function EventsScreen() {
  const { api } = useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const key = params.toString();
  // The address is the filter; "now" is read when it changes, for relative times.
  const filter = useMemo(() => parseFilter(key, Date.now()), [key]);
  const search = useEventSearch(api, filter, key);
  const status = useLiveEventsStatus();
  const [cameras, setCameras] = useState<Camera[]>([]);
  const [sites, setSites] = useState<Site[]>([]);
  const sentinel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // The lists only fill the pickers: a user who may not list them still searches.
    api.cameras().then(setCameras, () => setCameras([]));
    api.sites().then(setSites, () => setSites([]));
  }, [api]);

  // Loads the next page when the end of the list scrolls into view.
  const { loadMore } = search;
  const latestLoad = useRef(loadMore);
  latestLoad.current = loadMore;
  useEffect(() => {
    const element = sentinel.current;
    if (!element || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) latestLoad.current();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const apply = (next: EventFilter) => navigate({ search: filterSearch(next) });

  return (
    <section className="events-screen" aria-label="Events">
      <header className="bar">
        <h1>Events</h1>
        <span className={`feed-status ${status}`} role="status">
          {STATUS_WORDS[status]}
        </span>
      </header>
      <EventFilters filter={filter} cameras={cameras} sites={sites} onApply={apply} />
      {search.gap && (
        <p className="banner" role="alert">
          {search.gap}{" "}
          <button type="button" onClick={search.reload}>
            Search again
          </button>
        </p>
      )}
      <ol className="event-list" aria-label="Event list" aria-busy={search.loading}>
        {search.items.map((event) => (
          <EventRow key={event.id} event={event} fresh={search.fresh.has(event.id)} onAcknowledged={search.update} />
        ))}
      </ol>
      {search.error && (
        <p className="error" role="alert">
          Cannot load events: {search.error}{" "}
          <button type="button" onClick={search.more && search.items.length > 0 ? search.loadMore : search.reload}>
            Try again
          </button>
        </p>
      )}
      {!search.loading && !search.error && search.items.length === 0 && <p className="empty">No events match.</p>}
      <div ref={sentinel} className="list-end">
        {search.loading ? (
          <span>Loading…</span>
        ) : (
          search.more &&
          !search.error && (
            <button type="button" onClick={search.loadMore}>
              Load older events
            </button>
          )
        )}
        {search.trimmed && (
          <button type="button" onClick={search.reload}>
            Search again for older events
          </button>
        )}
      </div>
    </section>
  );
}
