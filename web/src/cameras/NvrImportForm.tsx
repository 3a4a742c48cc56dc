// Importing an NVR: its vendor, address and credentials (kept by the
// server, never shown again), the site its cameras join, and the channels
// to make cameras of (every channel when left empty; later syncs then add
// new channels too). Importing one again updates it and adds the channels
// newly asked for. A refusal is said in words at the field at fault.

import { useEffect, useId, useState } from "react";

import type { Site } from "../api/types";
import { useApp } from "../app/context";
import { Problem } from "../components/Feedback";
import { useMounted } from "../components/useMounted";
import { parseChannels } from "./channelList";
import { NVR_FIELDS, type NvrField, deviceProblem, faultyField } from "./deviceErrors";
import { type ImportNvrRequest, type NvrImported, type NvrVendor, importNvr } from "./nvrApi";
import { VENDORS } from "./nvrWords";

export interface NvrImportFormProps {
  /// The sites the cameras may join (those the user manages cameras on).
  sites: Site[];
  onDone: (result: NvrImported) => void;
  onCancel: () => void;
}

export function NvrImportForm({ sites, onDone, onCancel }: NvrImportFormProps) {
  const { api } = useApp();
  const problemId = useId();
  const hintId = useId();
  const mounted = useMounted();
  const [vendor, setVendor] = useState<NvrVendor>("hikvision");
  const [address, setAddress] = useState("");
  const [site, setSite] = useState(sites[0]?.id ?? "");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [name, setName] = useState("");
  const [channels, setChannels] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [fault, setFault] = useState<NvrField | null>(null);
  // The sites may come after the form opens: choose then.
  useEffect(() => {
    if (!site && sites.length > 0) setSite(sites[0].id);
  }, [site, sites]);

  const refuse = (field: NvrField | null, why: string) => {
    setFault(field);
    setProblem(why);
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!address.trim()) return refuse("address", "Type the NVR's address (192.168.1.20, 192.168.1.20:8000 or http://192.168.1.20).");
    if (!site) return refuse("site_id", "Pick a site (an administrator adds sites under Admin).");
    if (!username.trim()) return refuse("username", "Give the user name the NVR knows (an administrator of it).");
    const chosen = parseChannels(channels);
    if (!chosen.ok) return refuse("channels", chosen.problem);
    const body: ImportNvrRequest = { vendor, address: address.trim(), username: username.trim(), password, site_id: site };
    if (name.trim()) body.name = name.trim();
    if (chosen.channels) body.channels = chosen.channels;
    setBusy(true);
    refuse(null, "");
    try {
      const result = await importNvr(api, body);
      if (mounted.current) onDone(result);
    } catch (error) {
      if (mounted.current) refuse(faultyField(error, NVR_FIELDS), deviceProblem(error, "nvr"));
    } finally {
      if (mounted.current) setBusy(false);
    }
  };

  /// Marks the field a refusal names, and points it at the words (after its own hint, if any).
  const marked = (field: NvrField, hint?: string) => {
    const faulty = fault === field && Boolean(problem);
    const described = [hint, faulty ? problemId : undefined].filter(Boolean).join(" ") || undefined;
    return { "aria-invalid": faulty || undefined, "aria-describedby": described };
  };
  return (
    <form className="bookmark-form onboard-form nvr-form" aria-label="Import an NVR" onSubmit={submit}>
      <h3>Import an NVR</h3>
      <label>
        Vendor
        <select value={vendor} onChange={(e) => setVendor(e.target.value as NvrVendor)} {...marked("vendor")}>
          {VENDORS.map((v) => (
            <option key={v.value} value={v.value}>
              {v.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        NVR address
        <input value={address} placeholder="192.168.1.20 or 192.168.1.20:8000" onChange={(e) => setAddress(e.target.value)} {...marked("address")} />
      </label>
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
        NVR user name
        <input value={username} autoComplete="off" onChange={(e) => setUsername(e.target.value)} {...marked("username")} />
      </label>
      <label>
        NVR password
        <input type="password" value={password} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} {...marked("password")} />
      </label>
      <label>
        NVR name (optional)
        <input value={name} maxLength={200} placeholder="Default: what the NVR calls itself" onChange={(e) => setName(e.target.value)} {...marked("name")} />
      </label>
      <label>
        Channels (optional)
        <input value={channels} placeholder="1-4, 7" onChange={(e) => setChannels(e.target.value)} {...marked("channels", hintId)} />
      </label>
      <p id={hintId} className="muted">
        Channel numbers and ranges, separated by commas. Leave empty for every channel: later syncs then make cameras of new channels too.
      </p>
      <div id={problemId}>
        <Problem>{problem}</Problem>
      </div>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Asking the NVR…" : "Import NVR"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
