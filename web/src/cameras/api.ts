// The camera management calls of the API (`/api/cameras`, its recording
// settings), and their shapes, each naming the Rust type it mirrors.

import type { Api } from "../api/client";
import type { StreamRole, StreamState } from "../api/types";
import type { ScheduleRange } from "./schedule";

export type Transport = "tcp" | "udp";

/// A stream as the API shows it, credentials never (`StreamView`).
export interface StreamDetail {
  id: string;
  role: StreamRole;
  url: string;
  transport: Transport;
  has_credentials: boolean;
  state: StreamState;
}

/// A camera with its streams (`CameraView`).
export interface CameraDetail {
  id: string;
  site_id: string;
  name: string;
  description: string;
  enabled: boolean;
  streams: StreamDetail[];
}

/// A stream as written (`StreamInput`): credentials are write-only; left
/// out on an update, those stored are kept.
export interface StreamInput {
  role: StreamRole;
  url: string;
  transport: Transport;
  username?: string;
  password?: string;
  clear_credentials?: boolean;
}

/// A camera as written (`CreateCamera`, and `UpdateCamera` with every field).
export interface CameraInput {
  name: string;
  site_id: string;
  description: string;
  enabled: boolean;
  streams: StreamInput[];
}

export type RecordingMode = "continuous" | "scheduled" | "event";

/// A camera's recording settings (`RecordingSettings`).
export interface RecordingSettings {
  mode: RecordingMode;
  schedule: ScheduleRange[];
  pre_buffer_secs: number;
  post_buffer_secs: number;
  /// Null: kept until the storage root needs the room.
  retention_days: number | null;
  event_retention_days: number | null;
}

const JSON_HEADERS = { "content-type": "application/json" };

export async function cameraList(api: Api): Promise<CameraDetail[]> {
  return (await api.json<{ items: CameraDetail[] }>("/api/cameras")).items;
}

export function createCamera(api: Api, body: CameraInput): Promise<CameraDetail> {
  return api.json("/api/cameras", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(body) });
}

export function updateCamera(api: Api, id: string, body: CameraInput): Promise<CameraDetail> {
  return api.json(`/api/cameras/${id}`, { method: "PATCH", headers: JSON_HEADERS, body: JSON.stringify(body) });
}

export async function deleteCamera(api: Api, id: string): Promise<void> {
  await api.request(`/api/cameras/${id}`, { method: "DELETE" });
}

export function recordingSettings(api: Api, id: string): Promise<RecordingSettings> {
  return api.json(`/api/cameras/${id}/recording`);
}

export function saveRecordingSettings(api: Api, id: string, body: RecordingSettings): Promise<RecordingSettings> {
  return api.json(`/api/cameras/${id}/recording`, { method: "PUT", headers: JSON_HEADERS, body: JSON.stringify(body) });
}
