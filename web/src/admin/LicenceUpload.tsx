// Installing a licence (super-admins): the file as issued, chosen from disk
// or pasted; the server verifies it before it replaces the one in force.

import { useState } from "react";

import { useApp } from "../app/context";
import { Problem } from "../components/Feedback";
import { installLicense } from "./api";
import type { LicenseView } from "./types";
import { reason } from "./words";

export interface LicenceUploadProps {
  onDone: (licence: LicenseView) => void;
}

export function LicenceUpload({ onDone }: LicenceUploadProps) {
  const { api } = useApp();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const read = async (file: File | undefined) => {
    if (!file) return;
    setProblem(null);
    try {
      setText(await file.text());
    } catch (e) {
      setProblem(`Cannot read ${file.name}: ${reason(e)}`);
    }
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return setProblem("Choose the licence file, or paste it.");
    setBusy(true);
    setProblem(null);
    try {
      onDone(await installLicense(api, text));
      setText("");
    } catch (error) {
      setProblem(`Cannot install the licence: ${reason(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="admin-form" aria-label="Install a licence" onSubmit={submit}>
      <h3>Install a licence</h3>
      <label>
        Licence file
        <input type="file" accept=".json,.lic,application/json,text/plain" onChange={(e) => void read(e.target.files?.[0])} />
      </label>
      <label>
        Or paste the licence
        <textarea value={text} rows={4} spellCheck={false} onChange={(e) => setText(e.target.value)} />
      </label>
      <p className="hint">It replaces the licence in force once the server has verified it.</p>
      <Problem>{problem}</Problem>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          Install licence
        </button>
      </div>
    </form>
  );
}
