// A camera's current picture for the analytics editor to draw on. The
// snapshot needs the session's bearer token, which an <img> cannot send, so
// it is fetched as a blob and shown through an object URL, released when
// the editor closes or asks for another stream.

import { useEffect, useState } from "react";

import type { StreamRole } from "../api/types";
import { useApp } from "../app/context";

export interface Snapshot {
  /// The picture's object URL, once fetched.
  url: string | null;
  /// Why there is no picture (the stream is offline, no keyframe yet, …).
  failed: string | null;
}

/// The latest picture of `role` of `camera`; nothing is fetched while `role` is null.
export function useSnapshot(camera: string, role: StreamRole | null): Snapshot {
  const { api } = useApp();
  const [snapshot, setSnapshot] = useState<Snapshot>({ url: null, failed: null });

  useEffect(() => {
    if (!role) return;
    let gone = false;
    let made: string | null = null;
    setSnapshot({ url: null, failed: null });
    api.snapshot(camera, role).then(
      (blob) => {
        if (gone) return;
        try {
          made = URL.createObjectURL(blob);
          setSnapshot({ url: made, failed: null });
        } catch (e) {
          setSnapshot({ url: null, failed: e instanceof Error ? e.message : String(e) });
        }
      },
      (e: unknown) => {
        if (!gone) setSnapshot({ url: null, failed: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => {
      gone = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [api, camera, role]);

  return snapshot;
}
