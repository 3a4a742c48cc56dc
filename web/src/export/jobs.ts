// The exports this browser started, remembered per user in local storage
// (the API answers one export by id; it has no list), newest first.

import type { StreamRole } from "../api/types";

/// Exports remembered; older ones are forgotten (they expire on the server anyway).
export const KEEP = 20;

/// What the browser remembers of an export it started.
export interface StartedExport {
  id: string;
  camera_id: string;
  camera_name: string;
  stream: StreamRole;
  start: string;
  end: string;
  watermark: boolean;
}

const key = (user: string) => `vms.exports.${user}`;

export function remembered(user: string, storage: Storage = localStorage): StartedExport[] {
  try {
    const list = JSON.parse(storage.getItem(key(user)) ?? "[]");
    return Array.isArray(list) ? list.filter((e) => typeof e?.id === "string").slice(0, KEEP) : [];
  } catch {
    return [];
  }
}

export function remember(user: string, started: StartedExport, storage: Storage = localStorage): StartedExport[] {
  const list = [started, ...remembered(user, storage).filter((e) => e.id !== started.id)].slice(0, KEEP);
  storage.setItem(key(user), JSON.stringify(list));
  return list;
}

export function forget(user: string, id: string, storage: Storage = localStorage): StartedExport[] {
  const list = remembered(user, storage).filter((e) => e.id !== id);
  storage.setItem(key(user), JSON.stringify(list));
  return list;
}

/// Forgets every user's exports in this browser (on sign-out: a shared
/// console keeps no trace of what was exported).
export function forgetAll(storage: Storage = localStorage) {
  for (let i = storage.length - 1; i >= 0; i -= 1) {
    const name = storage.key(i);
    if (name?.startsWith("vms.exports.")) storage.removeItem(name);
  }
}
