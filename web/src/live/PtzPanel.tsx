// Pan, tilt and zoom of the camera in the selected tile: the steering pad,
// home, and the presets (stored and removed only by those who may manage
// the camera). Shown to those holding `camera.ptz` on it; the
// camera list does not say which cameras have PTZ, so the first 409
// (`failed_precondition`) answer, usually to the presets asked for on
// opening, puts a short note in the panel's place.

import { useCallback, useEffect, useMemo, useState } from "react";

import { type Api, ApiError } from "../api/client";
import type { Camera } from "../api/types";
import { Problem } from "../components/Feedback";
import { type PtzPreset, deletePtzPreset, gotoPtzPreset, isNoPtz, ptzHome, ptzMove, ptzPresets, ptzStop, savePtzPreset } from "./ptzApi";
import { PtzDriver } from "./ptzDriver";
import { PtzPad } from "./PtzPad";
import { PtzPresets, presetName } from "./PtzPresets";

export function PtzPanel({ api, camera, manage }: { api: Api; camera: Camera; manage: boolean }) {
  const [unsupported, setUnsupported] = useState(false);
  const [presets, setPresets] = useState<PtzPreset[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  /// Says why `what` failed, or hides the panel when the camera has no PTZ.
  const report = useCallback((error: unknown, what: string) => {
    if (isNoPtz(error)) return setUnsupported(true);
    if (error instanceof ApiError && error.status === 429) return setProblem("The camera is being steered too fast: wait a moment and try again.");
    setProblem(`Cannot ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }, []);

  const id = camera.id;
  const driver = useMemo(
    () =>
      new PtzDriver({
        move: (velocity) => ptzMove(api, id, velocity),
        stop: () => ptzStop(api, id),
        failed: (error) => report(error, "steer the camera"),
      }),
    [api, id, report],
  );
  // Closing the panel (another tile, another screen) mid-press stops the camera.
  useEffect(() => () => driver.stop(), [driver]);

  useEffect(() => {
    let current = true;
    ptzPresets(api, id).then(
      (list) => current && setPresets(list),
      (error: unknown) => current && report(error, "load the presets"),
    );
    return () => {
      current = false;
    };
  }, [api, id, report]);

  /// Runs one command at a time, saying why it failed; resolves true when it did not.
  const run = async (what: string, command: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    try {
      await command();
      return true;
    } catch (error) {
      report(error, what);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const remove = (preset: PtzPreset) => {
    if (!window.confirm(`Delete the preset “${presetName(preset)}” of ${camera.name}?`)) return;
    void run("delete the preset", async () => {
      await deletePtzPreset(api, id, preset.token);
      setPresets((list) => list?.filter((p) => p.token !== preset.token) ?? null);
    });
  };
  const save = (name: string) =>
    run("save the preset", async () => {
      const saved = await savePtzPreset(api, id, name);
      setPresets((list) => [...(list ?? []).filter((p) => p.token !== saved.token), saved]);
    });

  if (unsupported) {
    return (
      <p className="ptz-panel ptz-note" role="note">
        {camera.name} cannot pan, tilt or zoom from here.
      </p>
    );
  }
  return (
    <section className="ptz-panel" aria-label={`PTZ of ${camera.name}`}>
      <h2>PTZ: {camera.name}</h2>
      <PtzPad driver={driver} busy={busy} onHome={() => void run("go home", () => ptzHome(api, id))} />
      <PtzPresets presets={presets} busy={busy} manage={manage} onGo={(p) => void run("go to the preset", () => gotoPtzPreset(api, id, p.token))} onDelete={remove} onSave={save} />
      <Problem>{problem}</Problem>
    </section>
  );
}
