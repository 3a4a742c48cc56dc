// The camera management calls of the API (`/api/cameras`, its recording
// and analytics settings), and their shapes: aliases of the types that
// openapi-typescript generates from the server's OpenAPI document
// (sdk/typescript/src/schema.d.ts; `scripts/sdk.sh` regenerates them).

import type { components } from "@techno-vms/sdk/schema";

import type { Api } from "../api/client";
import { type Versioned, readVersioned, writeVersioned } from "../api/versioned";

type Schemas = components["schemas"];

/// RTP transport from the camera: `tcp` or `udp`.
export type Transport = Schemas["TransportKind"];

/// A stream as the API shows it, credentials never.
export type StreamDetail = Schemas["StreamView"];

/// A camera with its streams, as far as the cameras screen uses one.
export type CameraDetail = Pick<Schemas["CameraView"], "id" | "site_id" | "name" | "description" | "enabled" | "streams">;

/// A stream as written: credentials are write-only; left out on an update,
/// those stored are kept.
export type StreamInput = Schemas["StreamInput"];

/// A new camera (`POST /api/cameras`).
export type CameraInput = Schemas["CreateCamera"];

/// Changes to a camera (`PATCH /api/cameras/{id}`): absent fields stay;
/// `streams`, when given, is the whole new set.
export type CameraUpdate = Schemas["UpdateCamera"];

/// Refinement of `RecordingSettings.mode`, which the document types as
/// text (its description lists these words): the form offers each.
export type RecordingMode = "continuous" | "scheduled" | "event";

/// A camera's recording settings, with `mode` refined to `RecordingMode`.
/// Every field may be left out of a `PUT` (the server's default); a `GET`
/// carries them all.
export type RecordingSettings = Omit<Schemas["RecordingSettings"], "mode"> & { mode?: RecordingMode };

/// A zone drawn on the picture: an object is in it while the bottom centre
/// of its box is. `points` are `[x, y]` pairs.
export type AnalyticsZone = Schemas["Zone"];

/// A line drawn on the picture, with a direction: crossings are
/// `left_to_right` or `right_to_left` as seen standing on `a` looking at `b`.
export type AnalyticsLine = Schemas["Line"];

/// How a camera is analysed. The optional fields are left out for the
/// plane's defaults.
export type AnalyticsSettings = Schemas["CameraAnalytics"];

const JSON_HEADERS = { "content-type": "application/json" };

export async function cameraList(api: Api): Promise<CameraDetail[]> {
  return (await api.json<Schemas["CameraList"]>("/api/cameras")).items;
}

export function createCamera(api: Api, body: CameraInput): Promise<CameraDetail> {
  return api.json("/api/cameras", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(body) });
}

/// One camera as stored now, with its version (an editor opens on this, not on the list's copy).
export function cameraDetail(api: Api, id: string): Promise<Versioned<CameraDetail>> {
  return readVersioned(api, `/api/cameras/${id}`);
}

/// Changes the camera if it is still at version `etag` (412 otherwise; null: whatever it is).
export function updateCamera(api: Api, id: string, body: CameraUpdate, etag: string | null): Promise<Versioned<CameraDetail>> {
  return writeVersioned(api, `/api/cameras/${id}`, "PATCH", body, etag);
}

export async function deleteCamera(api: Api, id: string): Promise<void> {
  await api.request(`/api/cameras/${id}`, { method: "DELETE" });
}

export function recordingSettings(api: Api, id: string): Promise<Versioned<RecordingSettings>> {
  return readVersioned(api, `/api/cameras/${id}/recording`);
}

/// Replaces a camera's recording settings if they are still at version `etag` (412 otherwise).
export function saveRecordingSettings(api: Api, id: string, body: RecordingSettings, etag: string | null): Promise<Versioned<RecordingSettings>> {
  return writeVersioned(api, `/api/cameras/${id}/recording`, "PUT", body, etag);
}

/// A camera's analytics settings, the defaults if none were set (needs `camera.view_live` on it).
export function analyticsSettings(api: Api, id: string): Promise<Versioned<AnalyticsSettings>> {
  return readVersioned(api, `/api/cameras/${id}/analytics`);
}

/// Replaces a camera's analytics settings (needs `camera.manage` on it) if
/// they are still at version `etag` (412 otherwise); a 400 names the first
/// field at fault (`zones[0].points: …`).
export function saveAnalyticsSettings(api: Api, id: string, body: AnalyticsSettings, etag: string | null): Promise<Versioned<AnalyticsSettings>> {
  return writeVersioned(api, `/api/cameras/${id}/analytics`, "PUT", body, etag);
}
