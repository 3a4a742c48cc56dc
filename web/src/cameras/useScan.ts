// Follows a discovery scan: asks the server where it is every second while
// it runs, and stops asking once it ended, when the scan changes and when
// the screen closes.

import { useEffect, useState } from "react";

import { ApiError } from "../api/client";
import { useApp } from "../app/context";
import { type ScanView, scanStatus } from "./discoveryApi";

/// How often a running scan is asked how far it got.
export const POLL_MS = 1000;

export interface ScanFollower {
  /// The scan as last read, or null before the first answer (or without a scan).
  scan: ScanView | null;
  /// Why the last read failed, while it does ("no such scan" once the server forgot it).
  problem: string | null;
  /// Reads the scan again now (after a cancel, or an onboarding changed what it found).
  refresh: () => void;
}

export function useScan(id: string | null): ScanFollower {
  const { api } = useApp();
  const [scan, setScan] = useState<ScanView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    setProblem(null);
    if (!id) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () =>
      scanStatus(api, id, abort.signal).then(
        (answer) => {
          if (abort.signal.aborted) return;
          setScan(answer);
          setProblem(null);
          if (answer.state === "running") timer = setTimeout(poll, POLL_MS);
        },
        (e: unknown) => {
          if (abort.signal.aborted) return;
          if (e instanceof ApiError && e.status === 404) return setProblem("The server no longer has this scan: start a new one.");
          setProblem(`Cannot read the scan: ${e instanceof Error ? e.message : String(e)}`);
          // A refusal stays one: ask again only after trouble that passes.
          if (!(e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429)) timer = setTimeout(poll, POLL_MS * 5);
        },
      );
    void poll();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [api, id, asked]);

  return { scan: scan && scan.id === id ? scan : null, problem, refresh: () => setAsked((n) => n + 1) };
}
