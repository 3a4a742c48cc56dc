// The camera management calls of the API (`/api/cameras`, its recording
// and analytics settings), and their shapes, each naming the Rust type it
// mirrors.

import type { Api } from "../api/client";
import type { StreamRole, StreamState } from "../api/types";
import type { ScheduleRange } from "./schedule";
import type { Point } from "./shapes";

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

/// A zone drawn on the picture (`vms_base::analytics::Zone`): an object is
/// in it while the bottom centre of its box is.
export interface AnalyticsZone {
  /// Unique among the camera's zones and lines (trimmed, case ignored).
  name: string;
  /// 3 to 64 corners in order, the last joining the first; never crossing.
  points: Point[];
  /// The labels that count here; empty for every label the camera counts.
  labels: string[];
  /// Seconds an object stays before it is loitering (1 to 86,400); none if left out.
  loiter_secs?: number;
}

/// A line drawn on the picture (`vms_base::analytics::Line`), with a
/// direction: crossings are `left_to_right` or `right_to_left` as seen
/// standing on `a` looking at `b`.
export interface AnalyticsLine {
  name: string;
  a: Point;
  b: Point;
  labels: string[];
}

/// How a camera is analysed (`vms_base::analytics::CameraAnalytics`). The
/// optional fields are left out for the plane's defaults; a GET always
/// carries the others.
export interface AnalyticsSettings {
  enabled: boolean;
  /// By default the sub stream, or the main stream of a camera without one.
  stream?: StreamRole;
  /// Pictures analysed a second, 1 to 30.
  fps?: number;
  /// The labels that count (`person`, `car`); empty for all.
  labels: string[];
  /// The median score an object needs, 0.05 to 1.
  min_score?: number;
  /// The smallest and largest box that counts, as a share of the picture (0–1).
  min_area?: number;
  max_area?: number;
  /// 1 (only large, strong changes) to 100 (the faintest); 50 by default.
  motion_sensitivity?: number;
  /// Polygons never looked at for motion.
  masks: Point[][];
  zones: AnalyticsZone[];
  lines: AnalyticsLine[];
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

/// A camera's analytics settings, the defaults if none were set (needs `camera.view_live` on it).
export function analyticsSettings(api: Api, id: string): Promise<AnalyticsSettings> {
  return api.json(`/api/cameras/${id}/analytics`);
}

/// Replaces a camera's analytics settings (needs `camera.manage` on it); a
/// 400 names the first field at fault (`zones[0].points: …`).
export function saveAnalyticsSettings(api: Api, id: string, body: AnalyticsSettings): Promise<AnalyticsSettings> {
  return api.json(`/api/cameras/${id}/analytics`, { method: "PUT", headers: JSON_HEADERS, body: JSON.stringify(body) });
}
