// The API's shapes, as far as the app uses them: aliases of the types that
// openapi-typescript generates from the server's OpenAPI document
// (sdk/typescript/src/schema.d.ts; `scripts/sdk.sh` regenerates them), never
// copies. A `Pick` keeps to the fields the app reads, so a test's record
// needs no more. Where the document is looser than what the app relies on
// (a status it words as plain text, an object it leaves undescribed), a
// named refinement below says so; the server's schema can be narrowed to
// match later.

import type { components } from "@techno-vms/sdk/schema";

type Schemas = components["schemas"];

/// `main` or `sub`.
export type StreamRole = Schemas["Role"];

/// Refinement of `MeResponse.access`, which the document leaves an
/// undescribed object: the permissions a caller holds at each scope, `t`
/// tenant-wide, `s` per site id, `c` per camera id; empty sets are left out.
export interface Access {
  t?: string[];
  s?: Record<string, string[]>;
  c?: Record<string, string[]>;
}

/// The caller (`GET /api/auth/me`), with `access` refined to `Access`.
export type Me = Omit<Schemas["MeResponse"], "access"> & { access: Access };

/// A site, as far as the viewing screens use one.
export type Site = Pick<Schemas["SiteView"], "id" | "name" | "timezone">;

/// `GET /api/sites`: the sites, by name.
export type SiteList = Schemas["SiteList"];

/// Live state of a stream, as reported by the media plane.
export type StreamState = Schemas["StreamStateView"];

/// A stream, as far as the viewing screens use one.
export type Stream = Pick<Schemas["StreamView"], "id" | "role" | "state">;

/// A camera, as far as the viewing screens use one.
export type Camera = Pick<Schemas["CameraView"], "id" | "site_id" | "name" | "enabled"> & { streams: Stream[] };

/// `GET /api/cameras`: the cameras, by name.
export type CameraList = Schemas["CameraList"];

/// The camera's overall live status: that of its main stream.
export function cameraStatus(camera: Camera): string {
  if (!camera.enabled) return "disabled";
  return camera.streams.find((s) => s.role === "main")?.state.status ?? "unknown";
}

/// A saved layout: `size` tiles (1, 4, 9 or 16), a camera id or `null` per tile.
export type Layout = Schemas["LayoutView"];

/// `GET /api/layouts`: the caller's layouts, by name.
export type LayoutList = Schemas["LayoutList"];

/// Body of `PUT /api/layouts/{name}`.
export type SaveLayout = Schemas["SaveLayout"];

/// What a stream ticket is for.
export type TicketPurpose = Schemas["PurposeInput"];

/// Body of a stream ticket request.
export type TicketRequest = Schemas["TicketRequest"];

/// A signed stream ticket.
export type TicketView = Schemas["TicketView"];

/// A stretch of time with video: RFC 3339 times, `end` just past the last moment with video.
export type TimeRange = Schemas["TimeRange"];

/// One camera's recorded stretches, oldest first, clipped to the window asked for.
export type CameraRanges = Schemas["CameraRanges"];

/// What several cameras recorded in a window, one entry per camera in the order asked.
export type MultiRanges = Schemas["MultiRanges"];

/// A deleted camera whose footage is kept.
export type DeletedCamera = Schemas["DeletedCamera"];

/// An event (RFC 3339 times); its `attributes` are what its source
/// reported: `label`, `score`, `box`, `zones`, `line`, `direction`, `track_id`, …
export type EventView = Schemas["EventView"];

/// A page of events, newest first.
export type EventPage = Schemas["EventPage"];

/// A ticket that opens the live events feed once.
export type FeedTicket = Schemas["FeedTicket"];

/// A bookmarked time range.
export type BookmarkView = Schemas["BookmarkView"];

/// A page of bookmarks, newest first.
export type BookmarkPage = Schemas["BookmarkPage"];

/// What a bookmark is made of.
export type BookmarkBody = Schemas["BookmarkBody"];

/// What an export asks for.
export type CreateExport = Schemas["CreateExport"];

/// Refinement of `ExportView.status`, which the document types as text
/// (its description lists these words): the app shows each differently.
export type ExportStatus = "running" | "done" | "failed" | "cancelled" | "expired";

/// An export and where it is, with `status` refined to `ExportStatus`.
export type ExportView = Omit<Schemas["ExportView"], "status"> & { status: ExportStatus };

/// The public key export manifests are signed with.
export type ExportKey = Schemas["ExportKey"];

/// Refinement of each entry of `PlaneView.storage`, which the document
/// describes in words only (an undescribed object): a recorder's storage
/// root as its last retention sweep found it.
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

/// A plane as a super-admin sees it, with `storage` refined to `StorageRootStatus`.
export type PlaneView = Omit<Schemas["PlaneView"], "storage"> & { storage?: StorageRootStatus[] };

/// Readiness of one component of the system.
export type ComponentView = Schemas["ComponentView"];

/// `/api/system` for a super-admin, its planes refined as `PlaneView`.
export type SystemView = Omit<Schemas["SystemView"], "planes"> & { planes: PlaneView[] };

/// `/api/system` for a tenant administrator: no node internals.
export type TenantSystemView = Schemas["TenantSystemView"];

/// An alert the watchdog raised (`GET /api/alerts`).
export type AlertView = Schemas["AlertView"];

/// `/api/system`: a super-admin's `SystemView` or a tenant administrator's
/// `TenantSystemView` (the fields of the one are absent from the other).
export type SystemReply = SystemView | TenantSystemView;
