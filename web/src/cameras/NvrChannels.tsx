// One NVR's channels, read from the server: number, title, whether a camera
// streams to it, and the camera made of it (a way to that camera's form),
// or that it is none. Read again when `reads` changes (after a sync).

import { useEffect, useState } from "react";
import { Link } from "react-router-dom";

import { useApp } from "../app/context";
import { LoadFailed } from "../components/Feedback";
import { type NvrChannel, type NvrDetail, getNvr } from "./nvrApi";

/// "online", "offline", or "unknown" where the NVR does not say.
function state({ online }: NvrChannel): "online" | "offline" | "unknown" {
  return online == null ? "unknown" : online ? "online" : "offline";
}

export interface NvrChannelsProps {
  id: string;
  /// Counts the reasons to read the channels again.
  reads: number;
  /// Camera names by id, to name the cameras made of channels.
  cameraNames: Map<string, string>;
}

export function NvrChannels({ id, reads, cameraNames }: NvrChannelsProps) {
  const { api } = useApp();
  const [detail, setDetail] = useState<NvrDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tries, setTries] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    getNvr(api, id, abort.signal).then(
      (answer) => {
        if (!abort.signal.aborted) setDetail(answer);
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => abort.abort();
  }, [api, id, reads, tries]);

  const shown = detail?.nvr.id === id ? detail : null;
  if (!shown) return error ? <LoadFailed what="the channels" error={error} onRetry={() => setTries((n) => n + 1)} /> : <p className="muted">Reading the channels…</p>;
  return (
    <div className="nvr-channels">
      <LoadFailed what="the channels" error={error} onRetry={() => setTries((n) => n + 1)} />
      <table aria-label={`Channels of ${shown.nvr.name}`}>
        <thead>
          <tr>
            <th>Channel</th>
            <th>Title</th>
            <th>State</th>
            <th>Camera</th>
          </tr>
        </thead>
        <tbody>
          {shown.channels.map((c) => (
            <tr key={c.number} data-channel={c.number}>
              <td>{c.number}</td>
              <td>{c.name ?? ""}</td>
              <td>
                <span className={`dot ${state(c)}`} /> {state(c)}
              </td>
              <td>
                {c.camera_id ? (
                  <Link to={{ pathname: "/cameras", search: `?edit=${c.camera_id}` }} title="Edit this camera">
                    {cameraNames.get(c.camera_id) ?? "its camera"}
                  </Link>
                ) : (
                  <span className="muted">not a camera</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.channels.length === 0 && <p className="empty">The NVR lists no channels.</p>}
      <p className="muted">
        {shown.nvr.all_channels
          ? "Imported with every channel: a sync makes cameras of channels added since."
          : "Imported with chosen channels: import it again naming more to make cameras of them."}
      </p>
    </div>
  );
}
