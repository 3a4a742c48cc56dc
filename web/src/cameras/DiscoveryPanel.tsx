// Adding cameras by discovery: scan address ranges (and the local network's
// multicast group) for ONVIF devices, follow the scan's progress, and
// onboard the devices it finds, or one whose address is typed. Scanning
// needs `camera.manage` across the tenant; typing an address, on a site.
// The scan's id is in the address (`?discover=1&scan=<id>`), so a reload,
// or a look at a camera and back, finds it again. Asking on the multicast
// group is offered to super-administrators only (the server refuses it to
// others), and is off until ticked.

import { useState } from "react";

import type { Site } from "../api/types";
import { useApp } from "../app/context";
import { Permission, holdsOnSite, holdsTenantWide } from "../app/permissions";
import { Notice, Problem } from "../components/Feedback";
import { ProgressBar } from "../components/ProgressBar";
import { useAction } from "../components/useAction";
import { useMounted } from "../components/useMounted";
import { type Onboarded, type ScanView, cancelScan, startScan } from "./discoveryApi";
import { FoundDevices } from "./FoundDevices";
import { OnboardForm } from "./OnboardForm";
import { parseRanges } from "./ranges";
import { useScan } from "./useScan";

/// "3 devices".
function devices(n: number): string {
  return `${n} device${n === 1 ? "" : "s"}`;
}

/// Where the scan is, in words.
function scanWords(scan: ScanView): string {
  const found = devices(scan.devices.length);
  switch (scan.state) {
    case "running":
      return `Scanning: ${found} found so far.`;
    case "done":
      return `Scan finished: ${found} found.`;
    case "cancelled":
      return `Scan cancelled: ${found} found before it stopped.`;
    case "failed":
      return `The scan failed${scan.error ? `: ${scan.error}` : "."}`;
  }
}

/// What onboarding did, in a sentence.
export function onboardedWords({ created, camera, device }: Onboarded): string {
  const what = [[device.manufacturer, device.model].filter(Boolean).join(" "), device.ptz ? "with PTZ" : ""].filter(Boolean).join(", ");
  const detail = what ? ` (${what})` : "";
  return created ? `Camera “${camera.name}” added${detail}.` : `Camera “${camera.name}” updated${detail}: the device had been added before.`;
}

export interface DiscoveryPanelProps {
  /// The scan to follow, or null before one starts.
  scanId: string | null;
  onScan: (id: string) => void;
  sites: Site[];
  /// Camera names by id, to name devices already added.
  cameraNames: Map<string, string>;
  /// Camera sites by id: a device already added stays on its camera's site.
  cameraSites: Map<string, string>;
  /// A camera was added or updated.
  onAdded: (result: Onboarded) => void;
  onClose: () => void;
}

export function DiscoveryPanel({ scanId, onScan, sites, cameraNames, cameraSites, onAdded, onClose }: DiscoveryPanelProps) {
  const { api, me } = useApp();
  const mayScan = holdsTenantWide(me, Permission.ManageCameras);
  const mayMulticast = me.super_admin;
  const mounted = useMounted();
  const siteChoices = sites.filter((s) => holdsOnSite(me, Permission.ManageCameras, s.id));
  const [rangesText, setRangesText] = useState("");
  const [multicast, setMulticast] = useState(false);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [byAddress, setByAddress] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, act } = useAction();
  const { scan, problem, refresh } = useScan(scanId);
  const running = scan?.state === "running";

  const start = (e: React.FormEvent) => {
    e.preventDefault();
    const ranges = parseRanges(rangesText);
    const asking = mayMulticast && multicast;
    if (ranges.length === 0 && !asking) return setInvalid(mayMulticast ? "Give address ranges to probe, or ask on the local network (multicast)." : "Give address ranges to probe.");
    setInvalid(null);
    setOpen(null);
    void act("start the scan", async () => {
      const id = await startScan(api, { ranges, multicast: asking });
      if (mounted.current) onScan(id);
    });
  };
  const cancel = () =>
    act("cancel the scan", async () => {
      if (scanId) await cancelScan(api, scanId);
      refresh();
    });
  const added = (result: Onboarded) => {
    setNotice(onboardedWords(result));
    setOpen(null);
    setByAddress(false);
    refresh();
    onAdded(result);
  };

  return (
    <section className="panel discovery" aria-label="Add by discovery">
      <h2>Add by discovery</h2>
      {mayScan ? (
        <form className="scan-form" aria-label="Scan the network" onSubmit={start}>
          <label>
            Address ranges
            <textarea
              value={rangesText}
              rows={3}
              placeholder={"192.168.1.0/24\n10.0.0.5-10.0.0.40"}
              aria-describedby="scan-ranges-hint"
              onChange={(e) => setRangesText(e.target.value)}
            />
          </label>
          <p id="scan-ranges-hint" className="muted">
            One per line or separated by commas: blocks (192.168.1.0/24), ranges (10.0.0.5-10.0.0.40) or single addresses; at most 1024 addresses.
          </p>
          {mayMulticast && (
            <label className="check">
              <input type="checkbox" checked={multicast} onChange={(e) => setMulticast(e.target.checked)} />
              Also ask on the local network (multicast; reaches this server's own network only)
            </label>
          )}
          <Problem>{invalid}</Problem>
          <div className="buttons">
            <button type="submit" className="primary" disabled={busy !== null || running}>
              Start scan
            </button>
            {running && (
              <button type="button" disabled={busy !== null} onClick={() => void cancel()}>
                Cancel scan
              </button>
            )}
          </div>
        </form>
      ) : (
        <p className="muted">Scanning the network needs camera management across the whole organisation: add a device by its address instead.</p>
      )}
      <Problem>{error ?? problem}</Problem>
      {scanId && !scan && !problem && <p className="muted">Asking…</p>}
      {scan && (
        <div className="scan">
          {running ? (
            <ProgressBar
              label="Scan progress"
              value={scan.progress.probed}
              max={scan.progress.total}
              text={scan.progress.total > 0 ? `${scan.progress.probed} of ${scan.progress.total} addresses probed` : "Listening on the local network…"}
            />
          ) : null}
          {scan.state === "failed" ? <Problem>{scanWords(scan)}</Problem> : <p className="scan-state">{scanWords(scan)}</p>}
          {scan.devices.length > 0 && (
            <FoundDevices devices={scan.devices} cameraNames={cameraNames} cameraSites={cameraSites} sites={siteChoices} open={open} onOpen={setOpen} onDone={added} />
          )}
          {scan.state === "done" && scan.devices.length === 0 && (
            <p className="muted">No device answered. Check the ranges, and that the devices have ONVIF discovery switched on; or add one by its address.</p>
          )}
        </div>
      )}
      <Notice>{notice}</Notice>
      {byAddress && <OnboardForm device={null} sites={siteChoices} onDone={added} onCancel={() => setByAddress(false)} />}
      <div className="buttons">
        {!byAddress && (
          <button type="button" onClick={() => setByAddress(true)}>
            Add a device by its address
          </button>
        )}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
