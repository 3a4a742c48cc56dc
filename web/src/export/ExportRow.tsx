// One export: its camera and window, progress while it runs (polled), then
// the MP4 and its signed manifest to download and a check of both in the
// browser; cancelled while running, deleted once done.

import { useEffect, useState } from "react";

import { ApiError } from "../api/client";
import type { ExportView } from "../api/types";
import { useApp } from "../app/context";
import { Problem } from "../components/Feedback";
import { useAction } from "../components/useAction";
import { formatWhen } from "../playback/when";
import type { StartedExport } from "./jobs";
import { type Verification, verified, verifyExport } from "./verify";

/// How often a running export is asked how far it got.
export const POLL_MS = 1000;
/// The largest export checked in the browser, which holds the whole file
/// in memory to hash it; larger ones are for `vms export verify`.
export const VERIFY_MAX_BYTES = 1 << 30;

/// Hands `blob` to the browser as a download named `name`.
export function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const STATUS_WORDS: Record<ExportView["status"], string> = {
  running: "Exporting",
  done: "Ready",
  failed: "Failed",
  cancelled: "Cancelled",
  expired: "Expired (the file was deleted)",
};

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(bytes < 10_485_760 ? 1 : 0)} MB`;
}

export function ExportRow({ started, onForget }: { started: StartedExport; onForget: () => void }) {
  const { api } = useApp();
  const [job, setJob] = useState<ExportView | null>(null);
  const [gone, setGone] = useState(false);
  /// Why the last poll failed, while it does.
  const [pollError, setPollError] = useState<string | null>(null);
  const { busy, error: actionError, act } = useAction();
  const error = actionError ?? pollError;
  const [check, setCheck] = useState<Verification | null>(null);
  const running = job === null || job.status === "running";

  useEffect(() => {
    if (!running || gone) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () =>
      api.exportJob(started.id, abort.signal).then(
        (answer) => {
          setJob(answer);
          setPollError(null);
          if (answer.status === "running") timer = setTimeout(poll, POLL_MS);
        },
        (e: unknown) => {
          if (abort.signal.aborted) return;
          if (e instanceof ApiError && e.status === 404) return setGone(true);
          setPollError(e instanceof Error ? e.message : String(e));
          // A refusal (403 once a grant is gone) stays one: ask again only after trouble that passes.
          if (!(e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429)) timer = setTimeout(poll, POLL_MS * 5);
        },
      );
    void poll();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [api, started.id, running, gone]);

  const download = (what: "file" | "manifest") =>
    act("download", async () => save(await api.exportDownload(started.id, what), what === "file" ? `export-${started.id}.mp4` : `export-${started.id}.manifest.json`));
  const verify = () =>
    act("verify", async () => {
      const [file, manifest, key] = await Promise.all([
        api.exportDownload(started.id, "file"),
        api.exportDownload(started.id, "manifest"),
        api.exportKey(),
      ]);
      setCheck(await verifyExport(file, await manifest.text(), key));
    });
  const remove = () =>
    act(running ? "cancel" : "delete", async () => {
      await api.deleteExport(started.id);
      if (running) setJob((j) => (j ? { ...j, status: "cancelled" } : j));
      else onForget();
    });

  const status = gone ? "gone" : (job?.status ?? "running");
  return (
    <li className={`export ${status}`} data-export={started.id} data-status={status}>
      <div className="what">
        <div className="headline">
          <strong>{started.camera_name}</strong>
          <span className="score">
            {started.stream} stream{started.watermark ? " · watermarked" : ""}
          </span>
        </div>
        <div className="when">
          {formatWhen(Date.parse(started.start))} – {formatWhen(Date.parse(started.end))}
        </div>
        <div className="state">
          {gone ? "No longer on the server" : job ? STATUS_WORDS[job.status] : "Asking…"}
          {job?.status === "running" && (
            <progress max={1} value={job.progress} aria-label="Export progress">
              {Math.round(job.progress * 100)} %
            </progress>
          )}
          {job?.status === "running" && <span> {Math.round(job.progress * 100)} %</span>}
          {job?.bytes ? <span> · {megabytes(job.bytes)}</span> : null}
          {job?.expires_at && job.status === "done" && <span> · kept until {formatWhen(Date.parse(job.expires_at))}</span>}
        </div>
        {job?.error && <p className="error">Why: {job.error}</p>}
        {job?.sha256 && <code className="hash" title="SHA-256 of the file">SHA-256 {job.sha256}</code>}
        {check && <VerificationResult check={check} />}
        <Problem>{error}</Problem>
      </div>
      <div className="actions">
        {job?.status === "done" && (
          <>
            <button type="button" disabled={busy !== null} onClick={() => void download("file")}>
              Download MP4
            </button>
            <button type="button" disabled={busy !== null} onClick={() => void download("manifest")}>
              Download manifest
            </button>
            {(job.bytes ?? 0) <= VERIFY_MAX_BYTES ? (
              <button type="button" disabled={busy !== null} onClick={() => void verify()}>
                {busy === "verify" ? "Verifying…" : "Verify"}
              </button>
            ) : (
              <span className="muted" title="The browser would hold the whole file in memory">
                Too large to check here: run `vms export verify`
              </span>
            )}
          </>
        )}
        {!gone && (job?.status === "running" || job?.status === "done") ? (
          <button type="button" disabled={busy !== null} onClick={() => void remove()}>
            {running ? "Cancel" : "Delete"}
          </button>
        ) : (
          <button type="button" onClick={onForget}>
            Remove from list
          </button>
        )}
      </div>
    </li>
  );
}

function VerificationResult({ check }: { check: Verification }) {
  const findings = [
    check.keyTrusted ? "signed with this server's export key" : `signed with ANOTHER key (${check.publicKey.slice(0, 16)}…), not this server's`,
    check.signatureValid === null
      ? "this browser cannot check Ed25519 signatures: run `vms export verify`"
      : check.signatureValid
        ? "signature valid"
        : "signature INVALID: the manifest was changed",
    check.hashMatches ? "file matches its manifest" : "file does NOT match its manifest",
  ];
  const ok = verified(check);
  return (
    <p className={`verification ${ok ? "ok" : "bad"}`} role="status">
      {ok ? "Verified" : "NOT verified"}: {findings.join("; ")}.{check.watermark && <> Watermark: {check.watermark}.</>}
    </p>
  );
}
