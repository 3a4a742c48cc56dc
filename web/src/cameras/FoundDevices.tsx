// The devices a scan found, in the order they answered: name, make, model
// and address; one already made a camera says which, with a way to it.
// Each can be onboarded (again: that updates its camera) with the form
// opening under it.

import { Link } from "react-router-dom";

import type { Site } from "../api/types";
import type { FoundDevice, Onboarded } from "./discoveryApi";
import { OnboardForm, deviceLabel } from "./OnboardForm";

export interface FoundDevicesProps {
  devices: FoundDevice[];
  /// Camera names by id, to name those already added.
  cameraNames: Map<string, string>;
  /// Camera sites by id, to keep a device already added on its site.
  cameraSites: Map<string, string>;
  sites: Site[];
  /// The endpoint of the device whose form is open, or null.
  open: string | null;
  onOpen: (endpoint: string | null) => void;
  onDone: (result: Onboarded) => void;
}

export function FoundDevices({ devices, cameraNames, cameraSites, sites, open, onOpen, onDone }: FoundDevicesProps) {
  return (
    <ul className="found-devices" aria-label="Found devices">
      {devices.map((d) => (
        <li key={d.endpoint} data-device={d.address}>
          <div className="device">
            <div className="what">
              <strong>{deviceLabel(d)}</strong>
              <span className="muted">{[d.manufacturer, d.model].filter(Boolean).join(" ") || "Unknown make"}</span>
              <span className="muted">{d.address}</span>
              {d.location && <span className="muted">{d.location}</span>}
            </div>
            {d.camera_id && (
              <span className="added">
                Already added as{" "}
                <Link to={{ search: `?edit=${d.camera_id}` }} title="Edit this camera">
                  {cameraNames.get(d.camera_id) ?? "a camera"}
                </Link>
              </span>
            )}
            {open !== d.endpoint && (
              <button type="button" onClick={() => onOpen(d.endpoint)} aria-label={`Onboard ${deviceLabel(d)}${d.camera_id ? " again" : ""}`}>
                {d.camera_id ? "Onboard again" : "Onboard"}
              </button>
            )}
          </div>
          {open === d.endpoint && <OnboardForm device={d} cameraSite={d.camera_id ? cameraSites.get(d.camera_id) : undefined} sites={sites} onDone={onDone} onCancel={() => onOpen(null)} />}
        </li>
      ))}
    </ul>
  );
}
