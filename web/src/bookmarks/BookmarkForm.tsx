// Writing a bookmark: name, description, tags, the cameras and the range,
// and, for those who may, locking its footage against retention at once.

import { useState } from "react";

import type { BookmarkView, Camera } from "../api/types";
import { useApp } from "../app/context";
import { Problem } from "../components/Feedback";
import { words } from "../events/filter";
import { toPickerValue } from "../playback/when";
import type { BookmarkDraft } from "./query";

export interface BookmarkFormProps {
  draft: BookmarkDraft;
  cameras: Camera[];
  canLock: boolean;
  /// `warning` says what could not be done besides (the lock).
  onDone: (made: BookmarkView, warning?: string) => void;
  onCancel: () => void;
}

export function BookmarkForm({ draft, cameras, canLock, onDone, onCancel }: BookmarkFormProps) {
  const { api } = useApp();
  const now = Date.now();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [tags, setTags] = useState("");
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(draft.cameras));
  const [start, setStart] = useState(toPickerValue(draft.start ?? now - 60_000));
  const [end, setEnd] = useState(toPickerValue(draft.end ?? now));
  const [lock, setLock] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const toggle = (id: string) =>
    setChosen((set) => {
      const next = new Set(set);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const from = new Date(start).getTime();
    const to = new Date(end).getTime();
    if (!name.trim()) return setProblem("Give the bookmark a name.");
    if (chosen.size === 0) return setProblem("Pick at least one camera.");
    if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return setProblem("The end must come after the start.");
    setBusy(true);
    setProblem(null);
    let made: BookmarkView;
    try {
      made = await api.createBookmark({
        name: name.trim(),
        description: description.trim(),
        tags: words(tags),
        cameras: [...chosen],
        start: new Date(from).toISOString(),
        end: new Date(to).toISOString(),
      });
    } catch (error) {
      setBusy(false);
      return setProblem(`Cannot save the bookmark: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (lock) {
      try {
        made = await api.lockBookmark(made.id, true);
      } catch (error) {
        setBusy(false);
        return onDone(made, `The bookmark is saved, but its footage could not be locked: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    setBusy(false);
    onDone(made);
  };

  // Cameras the address names that the list lacks (deleted, or not listable) still count.
  const unlisted = [...chosen].filter((id) => !cameras.some((c) => c.id === id));

  return (
    <form className="bookmark-form" aria-label="New bookmark" onSubmit={submit}>
      <h2>New bookmark</h2>
      <label>
        Name
        <input value={name} maxLength={200} required onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Description
        <textarea value={description} maxLength={4000} rows={3} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <label>
        Tags
        <input value={tags} placeholder="theft, north gate" onChange={(e) => setTags(e.target.value)} />
      </label>
      <fieldset>
        <legend>Cameras</legend>
        {cameras.map((c) => (
          <label key={c.id} className="check">
            <input type="checkbox" checked={chosen.has(c.id)} onChange={() => toggle(c.id)} />
            {c.name}
          </label>
        ))}
        {unlisted.map((id) => (
          <label key={id} className="check">
            <input type="checkbox" checked onChange={() => toggle(id)} />
            Camera {id.slice(0, 8)}
          </label>
        ))}
      </fieldset>
      <label>
        From
        <input type="datetime-local" step="1" value={start} onChange={(e) => setStart(e.target.value)} />
      </label>
      <label>
        To
        <input type="datetime-local" step="1" value={end} onChange={(e) => setEnd(e.target.value)} />
      </label>
      {canLock && (
        <label className="check">
          <input type="checkbox" checked={lock} onChange={(e) => setLock(e.target.checked)} />
          Lock the footage (kept past retention until unlocked)
        </label>
      )}
      <Problem>{problem}</Problem>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          Save bookmark
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
