// Making a camera of an ONVIF device: one a scan found, or one whose address
// is typed. The device is asked for its streams, PTZ and snapshot with the
// user name and password given (kept by the server, never shown again); a
// device onboarded before has its camera updated rather than added twice.
// A refusal is said in words an operator can act on, at the field at fault.

import { useEffect, useId, useState } from "react";

import type { Site } from "../api/types";
import { useApp } from "../app/context";
import { Problem } from "../components/Feedback";
import { ONBOARD_FIELDS, type OnboardField, deviceProblem, faultyField } from "./deviceErrors";
import { type FoundDevice, type OnboardRequest, type Onboarded, onboardCamera } from "./discoveryApi";

/// How a found device is called: its name, else its address.
export function deviceLabel(device: FoundDevice): string {
  return device.name?.trim() || device.address;
}

export interface OnboardFormProps {
  /// The device a scan found, or null to type its address.
  device: FoundDevice | null;
  /// The sites a new camera may go to (those the user manages cameras of).
  sites: Site[];
  /// The site of the camera the device already is, if it is one: chosen
  /// first, as the server refuses moving it to another site.
  cameraSite?: string;
  onDone: (result: Onboarded) => void;
  onCancel: () => void;
}

/// The site chosen first: the camera's own, else the first offered.
function firstSite(sites: Site[], cameraSite: string | undefined): string {
  return sites.find((s) => s.id === cameraSite)?.id ?? sites[0]?.id ?? "";
}

export function OnboardForm({ device, sites, cameraSite, onDone, onCancel }: OnboardFormProps) {
  const { api } = useApp();
  const problemId = useId();
  const [address, setAddress] = useState("");
  const [site, setSite] = useState(() => firstSite(sites, cameraSite));
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [name, setName] = useState(device?.name ?? "");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [fault, setFault] = useState<OnboardField | null>(null);
  // The sites may come after the form opens: choose then.
  useEffect(() => {
    if (!site && sites.length > 0) setSite(firstSite(sites, cameraSite));
  }, [site, sites, cameraSite]);

  const refuse = (field: OnboardField | null, why: string) => {
    setFault(field);
    setProblem(why);
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!device && !address.trim()) return refuse("address", "Type the device's address (192.0.2.64, or 192.0.2.64:8080).");
    if (!site) return refuse("site_id", "Pick a site (an administrator adds sites under Admin).");
    if (!username.trim()) return refuse("username", "Give the user name the device knows (its ONVIF user).");
    const body: OnboardRequest = device
      ? { device_url: device.device_url, site_id: site, username: username.trim(), password }
      : { address: address.trim(), site_id: site, username: username.trim(), password };
    if (name.trim()) body.name = name.trim();
    setBusy(true);
    refuse(null, "");
    try {
      onDone(await onboardCamera(api, body));
    } catch (error) {
      refuse(faultyField(error, ONBOARD_FIELDS), deviceProblem(error));
    } finally {
      setBusy(false);
    }
  };

  /// Marks the field a refusal names, and points it at the words.
  const marked = (field: OnboardField) => (fault === field && problem ? { "aria-invalid": true, "aria-describedby": problemId } : {});
  const title = device ? `Onboard ${deviceLabel(device)}` : "Add a device by its address";
  return (
    <form className="bookmark-form onboard-form" aria-label={title} onSubmit={submit}>
      <h3>{title}</h3>
      {device ? (
        <p className="muted">{[device.manufacturer, device.model, device.address].filter(Boolean).join(" · ")}</p>
      ) : (
        <label>
          Device address
          <input value={address} placeholder="192.0.2.64 or 192.0.2.64:8080" onChange={(e) => setAddress(e.target.value)} {...marked("address")} />
        </label>
      )}
      <label>
        Site
        <select value={site} onChange={(e) => setSite(e.target.value)} {...marked("site_id")}>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Device user name
        <input value={username} autoComplete="off" onChange={(e) => setUsername(e.target.value)} {...marked("username")} />
      </label>
      <label>
        Device password
        <input type="password" value={password} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} {...marked("password")} />
      </label>
      <label>
        Camera name (optional)
        <input value={name} maxLength={200} placeholder="Default: the device's make and model" onChange={(e) => setName(e.target.value)} {...marked("name")} />
      </label>
      <div id={problemId}>
        <Problem>{problem}</Problem>
      </div>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Asking the device…" : device?.camera_id ? "Update camera" : "Add camera"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
