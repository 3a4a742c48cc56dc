// One bookmark: its name, tags, cameras and range, whether its footage is
// locked, and what the user may do with it (play, lock or unlock, delete).

import { Link } from "react-router-dom";

import type { BookmarkView } from "../api/types";
import { useApp } from "../app/context";
import { Permission, holds } from "../app/permissions";
import { Problem } from "../components/Feedback";
import { useAction } from "../components/useAction";
import { span } from "../events/describe";
import { playbackSearch } from "../playback/url";
import { formatWhen } from "../playback/when";

export interface BookmarkRowProps {
  bookmark: BookmarkView;
  /// Camera names by id, for those the user may list.
  names: Map<string, string>;
  onChanged: (bookmark: BookmarkView) => void;
  onDeleted: (id: string) => void;
}

export function BookmarkRow({ bookmark, names, onChanged, onDeleted }: BookmarkRowProps) {
  const { api, me } = useApp();
  const { busy: running, error, act } = useAction();
  const busy = running !== null;
  const canLock = holds(me, Permission.LockEvidence);
  const start = Date.parse(bookmark.start);

  const lock = (locked: boolean) => act(locked ? "lock" : "unlock", async () => onChanged(await api.lockBookmark(bookmark.id, locked)));
  const remove = () => {
    if (!window.confirm(`Delete the bookmark "${bookmark.name}"? The footage itself stays.`)) return;
    void act("delete", async () => {
      await api.deleteBookmark(bookmark.id);
      onDeleted(bookmark.id);
    });
  };

  return (
    <li className={`bookmark${bookmark.locked ? " locked" : ""}`} data-bookmark={bookmark.id}>
      <div className="what">
        <div className="headline">
          <strong>{bookmark.name}</strong>
          {bookmark.locked && (
            <span className="lock-badge" title={bookmark.locked_at ? `Locked ${formatWhen(Date.parse(bookmark.locked_at))}` : "Locked"}>
              Locked
            </span>
          )}
        </div>
        {bookmark.tags.length > 0 && (
          <ul className="tags" aria-label="Tags">
            {bookmark.tags.map((t) => (
              <li key={t}>
                <Link to={`/bookmarks?tag=${encodeURIComponent(t)}`}>{t}</Link>
              </li>
            ))}
          </ul>
        )}
        <div className="where">{bookmark.cameras.map((c) => names.get(c) ?? `camera ${c.slice(0, 8)}`).join(", ")}</div>
        <div className="when">
          <time dateTime={bookmark.start}>{formatWhen(start)}</time> · {span(bookmark.start, bookmark.end)}
        </div>
        {bookmark.description && <p className="description">{bookmark.description}</p>}
        <Problem>{error}</Problem>
      </div>
      <div className="actions">
        <Link className="button" to={`/playback${playbackSearch({ cameras: bookmark.cameras.slice(0, 16), at: start })}`}>
          Play
        </Link>
        {canLock && (
          <button type="button" disabled={busy} onClick={() => void lock(!bookmark.locked)}>
            {bookmark.locked ? "Unlock" : "Lock footage"}
          </button>
        )}
        {!bookmark.locked && (
          <button type="button" disabled={busy} onClick={remove}>
            Delete
          </button>
        )}
      </div>
    </li>
  );
}
