// The events a filter finds: the search's first page, further pages on
// demand (infinite scroll), and live events from the shared feed merged in
// as they arrive, so the list stays current without reloading.

import { useCallback, useEffect, useRef, useState } from "react";

import type { Api } from "../api/client";
import type { EventView } from "../api/types";
import { useLiveEvents } from "../app/events";
import { type EventFilter, matches, searchQuery, upsert } from "./filter";

/// Events per page.
export const PAGE = 50;
/// Most events kept in the list: live arrivals beyond push the oldest out.
export const MAX_ROWS = 1000;

export interface EventSearch {
  items: EventView[];
  /// Loading a page now.
  loading: boolean;
  /// Why the last page could not be loaded, in words.
  error: string | null;
  /// Whether an older page is still to load.
  more: boolean;
  /// Ids that arrived live since the search was made, to mark them.
  fresh: Set<string>;
  /// Why the list may lack events until it is searched again (the feed
  /// missed more than it replays), in words; null when it lacks none.
  gap: string | null;
  /// The list holds [`MAX_ROWS`] (older rows were dropped, or paging
  /// stopped there): older events need a new search with a time window.
  trimmed: boolean;
  loadMore: () => void;
  /// Puts an event the user changed (acknowledged) into the list.
  update: (event: EventView) => void;
  /// Searches again from the first page.
  reload: () => void;
}

export function useEventSearch(api: Api, filter: EventFilter, key: string): EventSearch {
  const [items, setItems] = useState<EventView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [gap, setGap] = useState<string | null>(null);
  const [trimmed, setTrimmed] = useState(false);
  /// Live events heard before the first page came, merged into it.
  const early = useRef<EventView[] | null>(null);
  const [generation, setGeneration] = useState(0);
  const inflight = useRef<AbortController | null>(null);
  const latest = useRef({ filter, done });
  latest.current = { filter, done };

  const load = useCallback(
    (from: string | null) => {
      inflight.current?.abort();
      const abort = new AbortController();
      inflight.current = abort;
      setLoading(true);
      setError(null);
      api.events(searchQuery(filter, PAGE, from ?? undefined), abort.signal).then(
        (page) => {
          if (abort.signal.aborted) return;
          const heard = from ? [] : (early.current ?? []);
          early.current = null;
          setItems((list) => {
            const paged = page.items.reduce((acc, e) => upsert(acc, e), from ? list : []);
            return heard.reduce((acc, e) => upsert(acc, e, !page.next_cursor), paged).slice(0, MAX_ROWS);
          });
          setCursor(page.next_cursor ?? null);
          setDone(!page.next_cursor);
          setLoading(false);
        },
        (e: unknown) => {
          if (abort.signal.aborted) return;
          // Live events go straight into the (empty) list from now on.
          if (!from) early.current = null;
          setError(e instanceof Error ? e.message : String(e));
          setLoading(false);
        },
      );
    },
    // `key` names the filter: a new key is a new search.
    [api, key],
  );

  useEffect(() => {
    setItems([]);
    setCursor(null);
    setDone(false);
    setFresh(new Set());
    setGap(null);
    setTrimmed(false);
    early.current = [];
    load(null);
    return () => inflight.current?.abort();
  }, [load, generation]);

  // A full list pages no further: older events are for a search with a time window.
  useEffect(() => {
    if (items.length < MAX_ROWS) return;
    setTrimmed(true);
    setDone(true);
  }, [items.length]);

  useLiveEvents((message) => {
    if (message.type === "truncated") setGap("More events happened while the connection was down than it can replay.");
    if (message.type === "error") setGap(`The live feed says: ${message.message}.`);
    if (message.type !== "event" || !matches(message.event, latest.current.filter)) return;
    const event = message.event;
    if (early.current) {
      if (early.current.length < MAX_ROWS) early.current.push(event);
      return;
    }
    setItems((list) => {
      // Only events new to the list are marked; updates (an acknowledgement) are not.
      if (!list.some((e) => e.id === event.id)) setFresh((ids) => (ids.size < MAX_ROWS ? new Set(ids).add(event.id) : ids));
      return upsert(list, event, latest.current.done).slice(0, MAX_ROWS);
    });
  });

  return {
    items,
    loading,
    error,
    more: !done,
    fresh,
    gap,
    trimmed,
    loadMore: () => {
      if (!loading && !done && cursor) load(cursor);
    },
    update: (event) => setItems((list) => upsert(list, event, true)),
    reload: () => setGeneration((g) => g + 1),
  };
}
