// The API's shapes, as far as the app uses them. Written by hand until the
// OpenAPI document is valid enough to generate them from; each names the Rust
// type it mirrors.

export type StreamRole = "main" | "sub";

/// The permissions a caller holds at each scope (`vms_catalog::access::Access`):
/// `t` tenant-wide, `s` per site id, `c` per camera id; empty sets are left out.
export interface Access {
  t?: string[];
  s?: Record<string, string[]>;
  c?: Record<string, string[]>;
}

/// The caller (`vms_control::auth::model::MeResponse`).
export interface Me {
  id: string;
  username: string;
  tenant_id: string;
  tenant_name?: string;
  super_admin: boolean;
  /// Every permission held somewhere.
  permissions: string[];
  /// Where each permission is held.
  access?: Access;
}

export interface Site {
  id: string;
  name: string;
  timezone: string;
}

export interface StreamState {
  status: string;
  reason?: string | null;
  detail?: string | null;
  codec?: string | null;
  codec_string?: string | null;
  width?: number | null;
  height?: number | null;
  fps?: number | null;
  bitrate_kbps?: number | null;
  last_keyframe_at?: string | null;
  updated_at?: string | null;
}

export interface Stream {
  id: string;
  role: StreamRole;
  state: StreamState;
}

export interface Camera {
  id: string;
  site_id: string;
  name: string;
  enabled: boolean;
  streams: Stream[];
}

/// The camera's overall live status: that of its main stream.
export function cameraStatus(camera: Camera): string {
  if (!camera.enabled) return "disabled";
  return camera.streams.find((s) => s.role === "main")?.state.status ?? "unknown";
}

/// A saved layout (`vms_control::layout_api::model::LayoutView`).
export interface Layout {
  name: string;
  /// Tiles: 1, 4, 9 or 16.
  size: number;
  /// Camera id per tile (`null`: empty).
  cells: (string | null)[];
  updated_at?: string;
}

/// What a stream ticket is for (`vms_control::ticket_api::model::PurposeInput`).
export type TicketPurpose = "live" | "archive" | "export";

/// A signed stream ticket (`vms_control::ticket_api::model::TicketView`).
export interface TicketView {
  ticket: string;
  /// RFC 3339.
  expires_at: string;
  purpose: TicketPurpose;
}

/// A stretch of time with video (`vms_control::recording_api::model::TimeRange`):
/// RFC 3339 times, `end` just past the last moment with video.
export interface TimeRange {
  start: string;
  end: string;
}

/// One camera's recorded stretches, oldest first, clipped to the window asked
/// for (`vms_control::recording_api::model::CameraRanges`).
export interface CameraRanges {
  camera_id: string;
  ranges: TimeRange[];
}

/// What several cameras recorded in a window, one entry per camera in the
/// order asked (`vms_control::recording_api::model::MultiRanges`).
export interface MultiRanges {
  cameras: CameraRanges[];
}

/// A deleted camera whose footage is kept (`vms_control::recording_api::model::DeletedCamera`).
export interface DeletedCamera {
  id: string;
  site_id: string;
  name: string;
  deleted_at: string | null;
}

/// An event (`vms_control::event_api::model::EventView`): RFC 3339 times.
export interface EventView {
  id: string;
  tenant_id: string;
  tenant_name?: string;
  site_id: string | null;
  site_name: string | null;
  camera_id: string | null;
  camera_name: string | null;
  /// `motion`, `object`, `camera_offline`, `zone_enter`, `line_crossed`, or an integration's own.
  type: string;
  start: string;
  /// Absent while it goes on.
  end?: string;
  /// What its source reported: `label`, `score`, `box`, `zones`, `line`, `direction`, `track_id`, …
  attributes: Record<string, unknown>;
  has_snapshot: boolean;
  snapshot_at?: string;
  snapshot_error?: string;
  acknowledged_at?: string;
  acknowledged_by?: string;
  updated_at: string;
}

/// A page of events, newest first (`vms_control::event_api::model::EventPage`).
export interface EventPage {
  items: EventView[];
  next_cursor?: string;
}

/// A ticket that opens the live events feed once (`vms_control::event_api::feed::FeedTicket`).
export interface FeedTicket {
  ticket: string;
  /// Seconds.
  expires_in: number;
}

/// A bookmarked time range (`vms_control::bookmark_api::model::BookmarkView`).
export interface BookmarkView {
  id: string;
  name: string;
  description: string;
  tags: string[];
  cameras: string[];
  start: string;
  end: string;
  /// Locked: its footage is kept past retention, and it cannot be deleted.
  locked: boolean;
  locked_at?: string;
  locked_by?: string;
  created_by?: string;
  created_at: string;
  updated_at: string;
}

/// A page of bookmarks, newest first (`vms_control::bookmark_api::model::BookmarkPage`).
export interface BookmarkPage {
  items: BookmarkView[];
  next_cursor?: string;
}

/// What a bookmark is made of (`vms_control::bookmark_api::model::BookmarkBody`).
export interface BookmarkBody {
  name: string;
  description?: string;
  tags?: string[];
  cameras: string[];
  start: string;
  end: string;
}

/// What an export asks for (`vms_control::export_api::model::CreateExport`).
export interface CreateExport {
  camera_id: string;
  stream: StreamRole;
  /// RFC 3339; at most 24 hours apart.
  start: string;
  end: string;
  /// Burn the user, the time and the camera into every picture (re-encodes).
  watermark: boolean;
}

/// An export and where it is (`vms_control::export_api::model::ExportView`).
export interface ExportView {
  id: string;
  camera_id: string;
  status: "running" | "done" | "failed" | "cancelled" | "expired";
  /// 0 to 1.
  progress: number;
  error?: string | null;
  bytes?: number | null;
  /// SHA-256 of the finished file, hex.
  sha256?: string | null;
  expires_at?: string | null;
  file_url?: string | null;
  manifest_url?: string | null;
}

/// A recorder's storage root (`vms_bus::status::StorageRootStatus`).
export interface StorageRootStatus {
  path: string;
  total_bytes: number;
  free_bytes: number;
  recorded_bytes: number;
  locked_bytes: number;
  max_bytes?: number;
  /// Where its oldest footage starts.
  oldest?: string;
  error?: string;
}

/// A plane as a super-admin sees it (`vms_control::health_api::model::PlaneView`).
export interface PlaneView {
  plane: string;
  node_id: string;
  /// `up`, `stopping` or `down`.
  status: string;
  version?: string | null;
  pid?: number | null;
  started_at?: string | null;
  last_report_secs?: number | null;
  alerts: string[];
  storage?: StorageRootStatus[];
}

/// `/api/system` for a super-admin (`SystemView`) or a tenant administrator
/// (`TenantSystemView`): the fields of the one are absent from the other.
export interface SystemReply {
  version: string;
  planes: (PlaneView | { plane: string; status: string })[];
  /// Per component: readiness (tenant view: a boolean).
  components: Record<string, { ready: boolean; detail?: string | null } | boolean>;
  node_id?: string;
  cameras?: { configured: number; quota: number | null } | null;
  streams?: { total: number; by_status: Record<string, number> } | null;
}
