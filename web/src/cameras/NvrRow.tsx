// One imported NVR in the list: who it is, where it answers, how many of its
// channels are cameras and when it was last read, with a sync, its channels
// (opening under it) and its removal, which asks first whether its cameras
// stay or go with it (there is no default, so nobody loses cameras by
// accident).

import { useState } from "react";

import { formatWhen } from "../playback/when";
import { NvrChannels } from "./NvrChannels";
import type { NvrCameras, NvrView } from "./nvrApi";
import { channelWords, vendorName } from "./nvrWords";

export interface NvrRowProps {
  nvr: NvrView;
  siteName: string;
  /// Whether its channels are shown.
  open: boolean;
  /// Counts the reasons to read its channels again.
  reads: number;
  cameraNames: Map<string, string>;
  /// Whether an action on an NVR is running (each waits for the NVR).
  busy: boolean;
  onSync: () => void;
  onOpen: (open: boolean) => void;
  onRemove: (cameras: NvrCameras) => void;
}

export function NvrRow({ nvr, siteName, open, reads, cameraNames, busy, onSync, onOpen, onRemove }: NvrRowProps) {
  const [removing, setRemoving] = useState(false);
  const make = [nvr.manufacturer, nvr.model].filter(Boolean).join(" ");
  return (
    <li data-nvr={nvr.id}>
      <div className="device">
        <div className="what">
          <strong>{nvr.name}</strong>
          <span className="muted">{[vendorName(nvr.vendor), make].filter(Boolean).join(" · ")}</span>
          <span className="muted">{nvr.address}</span>
          {siteName && <span className="muted">{siteName}</span>}
          <span>{channelWords(nvr)}</span>
          <span className="muted">last synced {formatWhen(Date.parse(nvr.synced_at))}</span>
        </div>
        <button type="button" disabled={busy} onClick={onSync} aria-label={`Sync ${nvr.name}`}>
          Sync
        </button>
        <button type="button" aria-expanded={open} onClick={() => onOpen(!open)} aria-label={`Channels of ${nvr.name}`}>
          Channels
        </button>
        {!removing && (
          <button type="button" disabled={busy} onClick={() => setRemoving(true)} aria-label={`Remove ${nvr.name}`}>
            Remove
          </button>
        )}
      </div>
      {removing && (
        <div className="remove-choice" role="group" aria-label={`Remove ${nvr.name}`}>
          <p>Remove the NVR “{nvr.name}”? Its cameras can stay, with their recordings, or be deleted with it.</p>
          <div className="buttons">
            <button type="button" disabled={busy} onClick={() => onRemove("keep")}>
              Remove, keep its cameras
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => onRemove("remove")}>
              Remove with its cameras
            </button>
            <button type="button" onClick={() => setRemoving(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {open && <NvrChannels id={nvr.id} reads={reads} cameraNames={cameraNames} />}
    </li>
  );
}
