// Resources two operators could both edit (a camera, a site, a camera's
// recording and analytics settings, …): the server answers each with its
// version as an `ETag`, and refuses (412) an update whose `If-Match` names
// a version that is no longer the current one, so a save never silently
// undoes a colleague's change. The header handling lives here, once.

import { type Api, ApiError } from "./client";

/// A resource's body with the version (`ETag`) it was read or written at;
/// `etag` is null where the server gave none (an update then goes ahead
/// unconditionally, as before).
export interface Versioned<T> {
  value: T;
  etag: string | null;
}

/// Reads `path` (a `GET`) with its version.
export function readVersioned<T>(api: Api, path: string): Promise<Versioned<T>> {
  return versioned(api, path);
}

/// Sends `body` to `path` (`PUT` or `PATCH`) as a change of version `etag`
/// (`If-Match`); answers the resource as stored with its new version.
/// A 412 (`isStale`) means someone else changed it since `etag`.
export function writeVersioned<T>(api: Api, path: string, method: "PUT" | "PATCH", body: unknown, etag: string | null): Promise<Versioned<T>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (etag) headers["if-match"] = etag;
  return versioned(api, path, { method, headers, body: JSON.stringify(body) });
}

/// Whether `error` is the server refusing an update because the resource
/// changed since the version the update named.
export function isStale(error: unknown): boolean {
  return error instanceof ApiError && error.status === 412;
}

async function versioned<T>(api: Api, path: string, init: RequestInit = {}): Promise<Versioned<T>> {
  const response = await api.request(path, init);
  return { value: await response.json(), etag: response.headers.get("etag") };
}
