// A camera's presets: go to one and, for those who may manage the camera
// (presets change the device), delete one (after asking) or save where the
// camera points now as a new one.

import { useState } from "react";

import type { PtzPreset } from "./ptzApi";

export interface PtzPresetsProps {
  /// The presets, or null while they load.
  presets: PtzPreset[] | null;
  busy: boolean;
  /// Whether the user may store and remove presets (`camera.manage` on the camera).
  manage: boolean;
  onGo: (preset: PtzPreset) => void;
  onDelete: (preset: PtzPreset) => void;
  /// Saves the current position as `name`; resolves true once saved.
  onSave: (name: string) => Promise<boolean>;
}

/// How a preset is called: its name, else its token.
export function presetName(preset: PtzPreset): string {
  return preset.name?.trim() || `Preset ${preset.token}`;
}

export function PtzPresets({ presets, busy, manage, onGo, onDelete, onSave }: PtzPresetsProps) {
  const [name, setName] = useState("");
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (name.trim() && (await onSave(name.trim()))) setName("");
  };
  return (
    <div className="ptz-presets">
      <h3>Presets</h3>
      {presets === null ? (
        <p className="muted">Loading…</p>
      ) : presets.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul aria-label="Presets">
          {presets.map((p) => (
            <li key={p.token}>
              <span className="name">{presetName(p)}</span>
              <button type="button" disabled={busy} aria-label={`Go to ${presetName(p)}`} onClick={() => onGo(p)}>
                Go
              </button>
              {manage && (
                <button type="button" disabled={busy} aria-label={`Delete ${presetName(p)}`} onClick={() => onDelete(p)}>
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {manage && (
      <form className="save-preset" aria-label="Save the current position as a preset" onSubmit={save}>
        <input value={name} maxLength={64} aria-label="New preset name" placeholder="Name, e.g. Gate" onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={busy || !name.trim()}>
          Save current as preset
        </button>
      </form>
      )}
    </div>
  );
}
