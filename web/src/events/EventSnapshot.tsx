// The picture a rule took of an event, fetched with the session's token once
// the row scrolls into view (a page of fifty events asks for none of the
// pictures below the fold), and released when the row goes.

import { useEffect, useRef, useState } from "react";

import type { EventView } from "../api/types";
import { useApp } from "../app/context";

export function EventSnapshot({ event, allowed }: { event: EventView; allowed: boolean }) {
  const { api } = useApp();
  const box = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const wanted = event.has_snapshot && allowed;

  useEffect(() => {
    const element = box.current;
    if (!wanted || !element || visible) return;
    if (typeof IntersectionObserver === "undefined") {
      setVisible(true);
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setVisible(true);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [wanted, visible]);

  useEffect(() => {
    if (!wanted || !visible) return;
    const abort = new AbortController();
    let made: string | null = null;
    api.eventSnapshot(event.id, abort.signal).then(
      (blob) => {
        if (abort.signal.aborted) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setFailed(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      abort.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [api, event.id, wanted, visible]);

  let content: React.ReactNode;
  if (url) content = <img src={url} alt={`Snapshot of ${event.camera_name ?? "the camera"}`} />;
  else if (failed) content = <span title={failed}>No picture</span>;
  else if (event.snapshot_error) content = <span title={event.snapshot_error}>No picture</span>;
  else if (event.has_snapshot && !allowed) content = <span title="Seeing pictures needs archive rights on the camera">Picture hidden</span>;
  else if (event.has_snapshot) content = <span aria-hidden="true">…</span>;
  else content = null;
  return (
    <div className="snapshot" ref={box}>
      {content}
    </div>
  );
}
