// The NVRs imported on sites where the user manages cameras, each with a
// sync, its channels and its removal, and the form that imports one. The
// NVR whose channels are open is in the address (`?nvrs=1&nvr=<id>`), so a
// reload, or a look at one of its cameras and back, finds it again. What
// changes cameras tells the screen, which reads its list again.

import { useCallback, useEffect, useMemo, useState } from "react";

import type { Site } from "../api/types";
import { useApp } from "../app/context";
import { Permission, holdsOnSite } from "../app/permissions";
import { LoadFailed, Notice, Problem } from "../components/Feedback";
import { useMounted } from "../components/useMounted";
import { deviceRefusal } from "./deviceErrors";
import { type NvrCameras, type NvrImported, type NvrView, deleteNvr, listNvrs, syncNvr } from "./nvrApi";
import { NvrImportForm } from "./NvrImportForm";
import { NvrRow } from "./NvrRow";
import { changedWords } from "./nvrWords";

export interface NvrPanelProps {
  /// The NVR whose channels are shown, or null.
  open: string | null;
  onOpen: (id: string | null) => void;
  sites: Site[];
  /// Camera names by id, to name the cameras made of channels.
  cameraNames: Map<string, string>;
  /// Cameras were added, updated or deleted.
  onChanged: () => void;
  onClose: () => void;
}

export function NvrPanel({ open, onOpen, sites, cameraNames, onChanged, onClose }: NvrPanelProps) {
  const { api, me } = useApp();
  const mounted = useMounted();
  const siteChoices = sites.filter((s) => holdsOnSite(me, Permission.ManageCameras, s.id));
  const siteNames = useMemo(() => new Map(sites.map((s) => [s.id, s.name])), [sites]);
  const [nvrs, setNvrs] = useState<NvrView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  /// What an action on an NVR is doing ("Syncing “Warehouse”…"), or null.
  const [busy, setBusy] = useState<string | null>(null);
  /// Counts the changes that make the open channels worth reading again.
  const [reads, setReads] = useState(0);

  const reload = useCallback(() => {
    listNvrs(api).then(
      (list) => {
        if (!mounted.current) return;
        setNvrs(list);
        setLoadError(null);
      },
      (e: unknown) => {
        if (mounted.current) setLoadError(e instanceof Error ? e.message : String(e));
      },
    );
  }, [api, mounted]);
  useEffect(reload, [reload]);

  /// Runs `action` on `nvr` as `doing`, saying what it did, or how it
  /// failed as "Cannot `what` “name”: reason".
  const run = async (nvr: NvrView, what: string, doing: string, action: () => Promise<string>) => {
    setBusy(`${doing} “${nvr.name}”…`);
    setError(null);
    setNotice(null);
    try {
      const done = await action();
      if (!mounted.current) return;
      setNotice(done);
      reload();
      onChanged();
    } catch (e) {
      if (mounted.current) setError(deviceRefusal(e, "nvr") ?? `Cannot ${what} “${nvr.name}”: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      if (mounted.current) setBusy(null);
    }
  };
  const sync = (nvr: NvrView) =>
    run(nvr, "sync", "Syncing", async () => {
      const detail = await syncNvr(api, nvr.id);
      setReads((n) => n + 1);
      return changedWords("synced", detail);
    });
  const remove = (nvr: NvrView, cameras: NvrCameras) =>
    run(nvr, "remove", "Removing", async () => {
      await deleteNvr(api, nvr.id, cameras);
      if (mounted.current && open === nvr.id) onOpen(null);
      return cameras === "keep" ? `NVR “${nvr.name}” removed; its cameras stay.` : `NVR “${nvr.name}” removed with its cameras.`;
    });
  const imported = ({ created, detail }: NvrImported) => {
    setNotice(changedWords(created ? "imported" : "updated", detail));
    setError(null);
    setImporting(false);
    setReads((n) => n + 1);
    reload();
    onChanged();
    onOpen(detail.nvr.id);
  };

  return (
    <section className="panel nvrs" aria-label="NVRs">
      <h2>NVRs</h2>
      <LoadFailed what="the NVRs" error={loadError} onRetry={reload} />
      {nvrs === null && !loadError && <p className="muted">Loading…</p>}
      {nvrs?.length === 0 && <p className="muted">No NVR imported yet: import one to make cameras of its channels.</p>}
      {nvrs && nvrs.length > 0 && (
        <ul className="found-devices nvr-list" aria-label="Imported NVRs">
          {nvrs.map((nvr) => (
            <NvrRow
              key={nvr.id}
              nvr={nvr}
              siteName={siteNames.get(nvr.site_id) ?? ""}
              open={open === nvr.id}
              reads={reads}
              cameraNames={cameraNames}
              busy={busy !== null}
              onSync={() => void sync(nvr)}
              onOpen={(show) => onOpen(show ? nvr.id : null)}
              onRemove={(cameras) => void remove(nvr, cameras)}
            />
          ))}
        </ul>
      )}
      {busy && (
        <p className="muted" role="status">
          {busy}
        </p>
      )}
      <Notice>{notice}</Notice>
      <Problem>{error}</Problem>
      {importing && <NvrImportForm sites={siteChoices} onDone={imported} onCancel={() => setImporting(false)} />}
      <div className="buttons">
        {!importing && (
          <button type="button" onClick={() => setImporting(true)}>
            Import an NVR
          </button>
        )}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
