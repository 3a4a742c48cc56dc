// The bookmarks screen: search bookmarks by text, tag, camera or lock,
// newest first in pages; write one (also from playback, which hands over
// its cameras and moment in the address); play, lock, unlock and delete.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";

import type { BookmarkView, Camera } from "../api/types";
import { useApp } from "../app/context";
import { Permission, holds } from "../app/permissions";
import { Notice } from "../components/Feedback";
import { words } from "../events/filter";
import { BookmarkForm } from "./BookmarkForm";
import { BookmarkRow } from "./BookmarkRow";
import { type BookmarkSearch, apiQuery, bookmarkSearch, parseBookmarkSearch, parseDraft } from "./query";

const PAGE = 50;

export function BookmarksScreen() {
  const { api, me } = useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const key = params.toString();
  const search = useMemo(() => parseBookmarkSearch(key), [key]);
  const draft = useMemo(() => parseDraft(key, Date.now()), [key]);
  const [cameras, setCameras] = useState<Camera[]>([]);
  const [items, setItems] = useState<BookmarkView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [text, setText] = useState(search.q);
  const [tags, setTags] = useState(search.tags.join(", "));
  const inflight = useRef<AbortController | null>(null);

  useEffect(() => {
    api.cameras().then(setCameras, () => setCameras([]));
  }, [api]);
  useEffect(() => {
    setText(search.q);
    setTags(search.tags.join(", "));
  }, [search]);

  const load = useCallback(
    (from: string | null) => {
      inflight.current?.abort();
      const abort = new AbortController();
      inflight.current = abort;
      setLoading(true);
      setError(null);
      api.bookmarks(apiQuery(search, PAGE, from ?? undefined), abort.signal).then(
        (page) => {
          if (abort.signal.aborted) return;
          setItems((list) => {
            const base = from ? list : [];
            return [...base, ...page.items.filter((b) => !base.some((x) => x.id === b.id))];
          });
          setCursor(page.next_cursor ?? null);
          setLoading(false);
        },
        (e: unknown) => {
          if (abort.signal.aborted) return;
          setError(e instanceof Error ? e.message : String(e));
          setLoading(false);
        },
      );
    },
    [api, search],
  );
  useEffect(() => {
    load(null);
    return () => inflight.current?.abort();
  }, [load]);

  const names = useMemo(() => new Map(cameras.map((c) => [c.id, c.name])), [cameras]);
  const go = (next: BookmarkSearch) => navigate({ search: bookmarkSearch(next) });
  const submitSearch = (e: React.FormEvent) => {
    e.preventDefault();
    go({ ...search, q: text, tags: words(tags) });
  };
  const created = (made: BookmarkView, warning?: string) => {
    setNotice(warning ?? `Bookmark “${made.name}” saved${made.locked ? ", footage locked" : ""}.`);
    go(search);
  };

  return (
    <section className="bookmarks-screen" aria-label="Bookmarks">
      <header className="bar">
        <h1>Bookmarks</h1>
        {!draft && (
          <button type="button" className="primary" onClick={() => navigate("/bookmarks?new=1")}>
            New bookmark
          </button>
        )}
      </header>
      {draft && (
        <BookmarkForm
          key={key}
          draft={draft}
          cameras={cameras}
          canLock={holds(me, Permission.LockEvidence)}
          onDone={created}
          onCancel={() => go(search)}
        />
      )}
      <Notice>{notice}</Notice>
      <form className="event-filters" aria-label="Bookmark search" onSubmit={submitSearch}>
        <label>
          Text
          <input type="search" value={text} maxLength={200} placeholder="name or description" onChange={(e) => setText(e.target.value)} />
        </label>
        <label>
          Tags
          <input value={tags} placeholder="any" onChange={(e) => setTags(e.target.value)} />
        </label>
        <label>
          Camera
          <select
            value={search.cameras.length === 1 ? search.cameras[0] : ""}
            onChange={(e) => go({ ...search, cameras: e.target.value ? [e.target.value] : [] })}
          >
            <option value="">All cameras</option>
            {cameras.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={search.locked} onChange={(e) => go({ ...search, locked: e.target.checked })} />
          Locked only
        </label>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <ol className="event-list" aria-label="Bookmark list" aria-busy={loading}>
        {items.map((b) => (
          <BookmarkRow
            key={b.id}
            bookmark={b}
            names={names}
            onChanged={(changed) => setItems((list) => list.map((x) => (x.id === changed.id ? changed : x)))}
            onDeleted={(id) => setItems((list) => list.filter((x) => x.id !== id))}
          />
        ))}
      </ol>
      {error && (
        <p className="error" role="alert">
          Cannot load bookmarks: {error}{" "}
          <button type="button" onClick={() => load(items.length > 0 ? cursor : null)}>
            Try again
          </button>
        </p>
      )}
      {!loading && !error && items.length === 0 && <p className="empty">No bookmarks match.</p>}
      <div className="list-end">
        {loading ? (
          <span>Loading…</span>
        ) : (
          cursor &&
          !error && (
            <button type="button" onClick={() => load(cursor)}>
              Load older bookmarks
            </button>
          )
        )}
      </div>
    </section>
  );
}
